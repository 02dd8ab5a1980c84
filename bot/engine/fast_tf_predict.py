"""Call DIET's traced prediction graph directly instead of through tf.function's dispatch.

Rasa 3.6 wraps DIET's predict step in a `tf.function` with a fixed input signature, so it
is traced once. Every call still goes through tf.function's argument binding and
signature checks, which cost about as much as the prediction itself for one message
(py-spy, README "Speed"). With a fixed signature there is exactly one concrete function:
this keeps it and feeds it the converted inputs. Pinned to TensorFlow 2.12 (the lock file);
tests/engine/test_engine_speedups.py checks the outputs are identical.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf
from keras.utils import tf_utils
from rasa.shared.constants import DIAGNOSTIC_DATA
from rasa.utils.tensorflow.models import RasaModel

_original = RasaModel._rasa_predict


def _rasa_predict(self: RasaModel, batch_in: tuple[np.ndarray, ...]) -> dict[str, Any]:
    concrete = getattr(self, "_lans_concrete_predict", None)
    if concrete is None:
        outputs = _original(self, batch_in)  # traces the graph on the first call, as before
        if not self._run_eagerly and self._tf_predict_step is not None:
            self._lans_concrete_predict = self._tf_predict_step.get_concrete_function()
        return outputs
    specs = concrete.structured_input_signature[0][0]
    tensors = [
        tf.convert_to_tensor(value, dtype=spec.dtype)
        for value, spec in zip(batch_in, specs, strict=True)
    ]
    outputs = tf_utils.sync_to_numpy_or_python_type(
        concrete._call_flat(tensors, concrete.captured_inputs)
    )
    if DIAGNOSTIC_DATA in outputs:
        outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
    return outputs


def install() -> None:
    RasaModel._rasa_predict = _rasa_predict
