"""What the Rasa server sends the action server: the domain only where an action reads it."""

from __future__ import annotations

from rasa.core.actions.action import RemoteAction
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.engine_process import local_endpoints
from tests.engine.conftest import ROOT


def test_only_the_form_validation_actions_get_the_domain(tmp_path, monkeypatch):
    # endpoints.yml names the tracker store's file by a variable (bot/engine_process.py sets it).
    monkeypatch.setenv("LANS_TRACKER_DB", str(tmp_path / "conversations.db"))
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(local_endpoints("http://127.0.0.1:5999"))
    action_endpoint = AvailableEndpoints.read_endpoints(str(endpoints)).action
    assert action_endpoint.url == "http://127.0.0.1:5999/webhook"

    domain = Domain.load(ROOT / "domain.yml")
    tracker = DialogueStateTracker("payload-test", domain.slots)
    custom = [name for name in domain.user_actions if not name.startswith("utter_")]
    assert "action_crisis" in custom and "validate_referral_form" in custom
    for name in custom:
        payload = RemoteAction(name, action_endpoint)._action_call_format(tracker, domain)
        assert payload["tracker"]["sender_id"] == "payload-test"
        # rasa_sdk's FormValidationAction reads the form's slots from the domain; no other
        # action of actions/ uses its `domain` argument.
        assert ("domain" in payload) == name.startswith("validate_"), name
