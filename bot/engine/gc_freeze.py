"""Keep Python's garbage collector from scanning the loaded model on every full collection.

A loaded LANS model is close to 900,000 Python objects (TensorFlow graph wrappers, spaCy
vocab, featurizer vocabularies). Each full (generation 2) collection walks all of them:
0.5 to 1 second during which the server answers no one, measured as single replies taking a
second in the benchmark. None of these objects is garbage, so at the first message, when the
model is fully loaded, they are moved to the permanent generation (`gc.freeze`). Collections
then only scan what requests create. Reference counting still frees everything as before.
"""

from __future__ import annotations

import gc
from typing import Any

from rasa.core.processor import MessageProcessor

_original = MessageProcessor.parse_message


async def _parse_message(self: MessageProcessor, *args: Any, **kwargs: Any) -> Any:
    # The first message marks the end of loading: freeze once, then get out of the way.
    MessageProcessor.parse_message = _original
    gc.freeze()
    return await _original(self, *args, **kwargs)


def install() -> None:
    if MessageProcessor.parse_message is _original:
        MessageProcessor.parse_message = _parse_message
