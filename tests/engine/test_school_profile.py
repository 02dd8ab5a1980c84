"""Practical questions are answered from the school profile, and an empty field is said to be
unknown, never made up (product card)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import school_profile
from actions.school_profile import ActionPracticalAnswer, SchoolProfile, load_profile, topic_of


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("moeten we iets betalen", "costs"),
        ("wordt het vergoed door de verzekering", "costs"),
        ("is er een wachtlijst", "waiting_time"),
        ("hoe snel belt het team na de aanmelding", "waiting_time"),
        ("heb ik een verwijsbrief van de huisarts nodig", "referral_letter"),
        ("wanneer is het lans team bereikbaar", "lans_team_hours"),
        ("wat zijn de openingstijden", "office_hours"),
    ],
)
def test_the_topic_comes_from_the_words(text, field):
    found = topic_of(text)
    assert found is not None and found[0] == field


def test_the_shipped_profile_loads_and_invents_nothing():
    profile = load_profile()
    assert profile.website == "www.berkenschutse.nl"
    assert profile.costs is None and profile.waiting_time is None and profile.phone is None


def test_an_unknown_field_is_an_error(tmp_path: Path):
    path = tmp_path / "school_profile.yml"
    path.write_text("website: x\nfax: 123\n")
    with pytest.raises(ValueError, match="fax"):
        load_profile.__wrapped__(path)


def answer(monkeypatch, profile: SchoolProfile, text: str) -> dict:
    monkeypatch.setattr(school_profile, "load_profile", lambda: profile)
    tracker = Tracker("tg-1", {"role": "ouder"}, {"text": text}, [], False, None, {}, "")
    dispatcher = CollectingDispatcher()
    ActionPracticalAnswer().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    return message


def test_an_empty_field_says_it_is_not_known(monkeypatch):
    message = answer(monkeypatch, SchoolProfile(), "wat kost het")
    assert message["response"] == "utter_practical_unknown"
    assert message["topic"] == "de kosten" and message["contact"] == "www.berkenschutse.nl"


def test_a_filled_field_is_told_with_the_contact(monkeypatch):
    profile = SchoolProfile(waiting_time="Het team belt binnen twee weken.", phone="040 000 0000")
    message = answer(monkeypatch, profile, "hoe lang is de wachttijd")
    assert message["response"] == "utter_practical_known"
    assert message["fact"] == "Het team belt binnen twee weken."
    assert message["contact"] == "040 000 0000, www.berkenschutse.nl"
