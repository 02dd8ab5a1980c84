"""The cached action-response validation behaves exactly like Rasa's own."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

import bot.nlu  # noqa: F401  (installs the fix, as loading the model does)
from bot.engine import fast_action_validation

GOOD = [
    {"events": [{"event": "slot", "name": "role", "value": "ouder"}], "responses": []},
    {"events": [], "responses": [{"response": "utter_lans", "reference": "K7M-4QX"}]},
    {},
]
BAD = [
    {"events": "not a list"},
    {"events": [{"name": "role"}]},  # an event without its type
    {"responses": [1, 2]},
]


def rasa_original(result: dict) -> None:
    jsonschema.validate(result, RemoteAction.action_response_format_spec())


def test_the_fix_is_installed_when_the_components_are_imported():
    assert RemoteAction._validate_action_result is fast_action_validation._validate_action_result


@pytest.mark.parametrize("result", GOOD)
def test_valid_responses_pass_as_before(result):
    rasa_original(result)
    assert RemoteAction._validate_action_result(None, result) is True


@pytest.mark.parametrize("result", BAD)
def test_invalid_responses_fail_with_the_same_error_as_before(result):
    with pytest.raises(jsonschema.ValidationError) as original:
        rasa_original(result)
    with pytest.raises(jsonschema.ValidationError) as fixed:
        RemoteAction._validate_action_result(None, result)
    assert fixed.value.message.startswith(original.value.message)
    assert "Failed to validate Action server response" in fixed.value.message
