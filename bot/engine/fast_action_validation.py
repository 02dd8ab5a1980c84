"""Validate action-server responses without re-checking Rasa's own schema every time.

Rasa 3.6's RemoteAction validates each action server response with `jsonschema.validate`,
which first validates the (constant) response schema itself. Profiling the REST server under
load showed that schema check alone taking about a quarter of all server time (py-spy, see
README "Speed"). This builds the validator once and keeps Rasa's behaviour otherwise: the
same schema, the same best-matching error, the same message. Pinned to rasa 3.6 (the lock
file); tests/engine/test_fast_action_validation.py checks both behaviours agree.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@cache
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = best_match(_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from "
        f"the Action endpoint is valid. For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result
