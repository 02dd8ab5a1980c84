"""The REST channel's closing lines: the crisis footer after a crisis, the calm line when unsure,
the English note for a message in another language."""

from __future__ import annotations

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.engine.help_line_channel import (
    CHECK,
    FOOTER,
    OTHER_LANGUAGE,
    already_named,
    closing_responses,
)

DOMAIN = Domain.from_path("domain.yml")


def tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("t", list(events), slots=DOMAIN.slots)


def said(text: str, **parse: object) -> UserUttered:
    return UserUttered(text, {"name": "deny", "confidence": 1.0}, [], {"text": text, **parse})


def test_after_a_crisis_every_reply_closes_with_the_footer():
    t = tracker(said("ik wil echt dood"), SlotSet("crisis_active", True), said("nee hoor"))
    assert closing_responses(t) == [FOOTER]


def test_an_unsure_message_closes_with_the_calm_line():
    assert closing_responses(tracker(said("ik kan hem niet bereiken", crisis_check=True))) == [
        CHECK
    ]


def test_an_ordinary_message_gets_nothing_extra():
    assert closing_responses(tracker(said("wat is LANS"))) == []


def test_a_message_in_another_language_gets_the_english_note_and_keeps_the_footer():
    assert closing_responses(tracker(said("can you help me", language="en"))) == [OTHER_LANGUAGE]
    t = tracker(
        said("ik wil echt dood"), SlotSet("crisis_active", True), said("help", language="en")
    )
    assert closing_responses(t) == [OTHER_LANGUAGE, FOOTER]


def test_the_footer_is_left_out_when_the_reply_already_names_its_numbers():
    footer = "Hulp blijft er: Veilig Thuis 0800-2000, Kindertelefoon 0800-0432. In gevaar? Bel 112."
    assert already_named(
        footer, ["Bel 112.", "Veilig Thuis: 0800-2000", "Kindertelefoon 0800-0432"]
    )
    assert not already_named(footer, ["Bel 113 of 0800-0113. In gevaar? Bel 112."])
    assert not already_named("no numbers here", ["Bel 112"])


def test_every_footer_and_calm_line_names_a_help_line():
    for name in (FOOTER, CHECK):
        for variation in DOMAIN.responses[name]:
            assert "112" in variation["text"], variation["text"]
            assert "113" in variation["text"] or "0800-2000" in variation["text"]


def test_the_footer_fits_the_kind_of_crisis():
    variations = {
        tuple(sorted((c["name"], c["value"]) for c in v.get("condition", []))): v["text"]
        for v in DOMAIN.responses[FOOTER]
    }
    abuse = variations[(("crisis_lines", "abuse"), ("crisis_register", "je"))]
    assert "0800-2000" in abuse and "0800-0432" in abuse
    suicide = variations[(("crisis_lines", "suicide"), ("crisis_register", "u"))]
    assert "113" in suicide and "ouders" in suicide and "voor je" not in suicide
