"""The form validation actions and the actions that end the forms (rasa_sdk, no Rasa server)."""

from __future__ import annotations

import asyncio
import re

import pytest
from cryptography.fernet import Fernet
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import question_forms, referral_form, withdraw_form
from actions.check_form import ActionCheckResult, ValidateSignsCheckForm
from actions.intake_client import IntakeUnavailable, QuestionNotFound, WithdrawalNotFound
from actions.outbox import Deliverer, Outbox
from actions.question_forms import (
    ActionCheckAnswer,
    ActionSubmitQuestion,
    ValidateAnswerForm,
    ValidateQuestionForm,
)
from actions.referral_form import ActionSubmitReferral, ValidateReferralForm
from actions.signs_check import QUESTIONS
from actions.stop_form import ActionStopForm
from actions.withdraw_form import ActionWithdrawReferral, ValidateWithdrawForm, find_reference


def tracker(text="", intent="nlu_fallback", slots=None, form=None, channel="rest") -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    events = [{"event": "user", "input_channel": channel, "text": text}]
    loop = {"name": form} if form else {}
    return Tracker("test", dict(slots or {}), latest, events, False, None, loop, "action_listen")


def validate(form, slot: str, text: str, intent: str = "nlu_fallback", slots=None):
    dispatcher = CollectingDispatcher()
    method = getattr(form, f"validate_{slot}")
    result = method(text, dispatcher, tracker(text, intent, slots), {})
    return result, [m.get("response") for m in dispatcher.messages]


def required(form, slots: dict, domain_slots: list[str]) -> list[str]:
    coroutine = form.required_slots(domain_slots, CollectingDispatcher(), tracker(slots=slots), {})
    return asyncio.run(coroutine)


# --- the early-signs check ---------------------------------------------------------------


def test_check_answers_are_understood_in_free_text():
    form = ValidateSignsCheckForm()
    assert validate(form, "check_absence", "ja vooral op maandag") == ({"check_absence": "ja"}, [])
    assert validate(form, "check_mood", "weet ik niet") == ({"check_mood": "weet_niet"}, [])


def test_unclear_check_answer_is_asked_again_with_a_hint():
    result, said = validate(ValidateSignsCheckForm(), "check_event", "de kat is groen")
    assert result == {"check_event": None}
    assert said == ["utter_yes_no_unclear"]


def test_a_question_during_the_check_is_answered_and_the_question_asked_again():
    result, said = validate(ValidateSignsCheckForm(), "check_event", "wat is lans", "ask_lans")
    assert result == {"check_event": None}
    assert said == ["utter_lans"]


def test_a_question_without_question_mark_in_a_free_text_answer_is_answered_first():
    """'welk nummer heeft de school' is no phone number, and plainly a question."""
    form = ValidateWithdrawForm()
    result, said = validate(form, "withdraw_contact", "welk nummer heeft de school", "ask_contact")
    assert result == {"withdraw_contact": None} and said == ["utter_contact"]
    result, said = validate(form, "withdraw_contact", "de school natuurlijk", "ask_contact")
    assert said == ["utter_withdraw_contact_unclear"]


def test_who_is_talking_is_asked_when_unknown():
    form, asked = ValidateSignsCheckForm(), {"requested_slot": "role"}
    assert validate(form, "role", "Over mijn kind (ik ben ouder)", slots=asked)[0] == {
        "role": "ouder"
    }
    assert validate(form, "role", "leerling", slots=asked)[0] == {"role": "leerling"}
    assert validate(form, "role", "pizza", slots=asked) == ({"role": None}, ["utter_role_unclear"])


def test_a_stray_role_entity_in_another_answer_changes_nothing():
    # DIET sometimes tags "2 havo" as a role; the role the parent gave stays.
    events = [
        {"event": "slot", "name": "role", "value": "ouder"},
        {"event": "slot", "name": "role", "value": "2 havo"},
    ]
    t = Tracker(
        "test", {"role": "2 havo", "requested_slot": "child_class"}, {"text": "2 havo"},
        events, False, None, {"name": "referral_form"}, "action_listen",
    )  # fmt: skip
    dispatcher = CollectingDispatcher()
    assert ValidateReferralForm().validate_role("2 havo", dispatcher, t, {}) == {"role": "ouder"}
    assert dispatcher.messages == []


def test_weekend_question_is_skipped_without_complaints():
    form = ValidateSignsCheckForm()
    slots = ["role", *QUESTIONS]
    assert "check_weekend" not in required(form, {"check_reactions": "nee"}, slots)
    assert "check_weekend" in required(form, {"check_reactions": "ja"}, slots)


def test_check_result_sets_outcome_and_keeps_signals_for_a_referral():
    answers = dict.fromkeys(QUESTIONS, "ja") | {
        "check_antisocial": "nee",
        "check_duration": "sinds de herfstvakantie",
    }
    dispatcher = CollectingDispatcher()
    events = ActionCheckResult().run(dispatcher, tracker(slots=answers | {"role": "ouder"}), {})
    slots = {e["name"]: e["value"] for e in events}
    assert slots["check_outcome"] == "refusal_signs"
    # One signal per line, each a short sentence (issue 19); the referral gets them on one line.
    lines = slots["check_summary"].split("\n")
    assert "- Thuis zijn de klachten weg." in lines
    assert all(line.startswith("- ") and line.endswith(".") for line in lines)
    assert all(line.count(".") == 1 and len(line.split()) <= 12 for line in lines)
    assert slots["signs"] == " ".join(line.removeprefix("- ") for line in lines)
    assert slots["absence_duration"] == "sinds de herfstvakantie"
    assert "weekend" in slots["check_signals"]


def test_check_result_speaks_to_a_student_with_je():
    answers = dict.fromkeys(QUESTIONS, "ja") | {"role": "leerling"}
    events = ActionCheckResult().run(CollectingDispatcher(), tracker(slots=answers), {})
    summary = {e["name"]: e["value"] for e in events}["check_summary"]
    assert summary.startswith("- Je mist lessen of schooldagen.")
    assert not re.search(r"\b(u|uw)\b", summary, re.IGNORECASE)


def test_check_result_speaks_to_staff_about_the_student():
    answers = dict.fromkeys(QUESTIONS, "ja") | {"role": "medewerker"}
    events = ActionCheckResult().run(CollectingDispatcher(), tracker(slots=answers), {})
    summary = {e["name"]: e["value"] for e in events}["check_summary"]
    assert summary.startswith("- De leerling mist lessen of schooldagen.")
    assert "uw kind" not in summary


def test_the_mood_question_is_a_choice_and_the_result_names_it():
    form = ValidateSignsCheckForm()
    assert validate(form, "check_mood", "weinig energie of somber") == (
        {"check_mood": "energie"},
        [],
    )
    assert validate(form, "check_mood", "nee") == ({"check_mood": "nee"}, [])
    assert validate(form, "check_mood", "ja") == ({"check_mood": "ja"}, [])
    answers = dict.fromkeys(QUESTIONS, "ja") | {"check_mood": "achterstand", "role": "ouder"}
    events = ActionCheckResult().run(CollectingDispatcher(), tracker(slots=answers), {})
    slots = {e["name"]: e["value"] for e in events}
    assert "- Uw kind loopt achter met schoolwerk." in slots["check_summary"].split("\n")
    assert "mood" in slots["check_signals"]


# --- the referral ------------------------------------------------------------------------

REFERRAL_SLOTS = [
    "role", "referral_consent", "child_first_name", "child_age", "child_class",
    "absence_duration", "absence_extent", "signs", "both_parents_know", "parent_name",
    "contact_preference", "phone", "email", "contact_time", "referral_confirmed",
]  # fmt: skip
FILLED = {
    "role": "ouder",
    "referral_consent": True,
    "child_first_name": "Sanne",
    "child_age": "13",
    "child_class": "2 havo",
    "absence_duration": "sinds de herfstvakantie",
    "absence_extent": "een paar dagen per week",
    "signs": "buikpijn op maandag",
    "both_parents_know": "ja",
    "parent_name": "Fatima de Vries",
    "contact_preference": "telefoon",
    "phone": "06 12345678",
    "contact_time": "ochtend",
    "referral_confirmed": True,
    "referral_key": "key-123",
    "referral_reference": "ACDEFG",
}


def test_no_personal_question_before_consent_and_none_without_it():
    form = ValidateReferralForm()
    assert required(form, {"referral_consent": False}, REFERRAL_SLOTS) == [
        "role",
        "referral_consent",
    ]
    assert validate(form, "referral_consent", "nee")[0] == {"referral_consent": False}
    assert validate(form, "referral_consent", "ja, ik ga akkoord")[0] == {"referral_consent": True}
    assert validate(form, "referral_consent", "hmm")[1] == ["utter_consent_unclear"]


def test_students_are_not_asked_for_personal_data():
    assert required(ValidateReferralForm(), {"role": "leerling"}, REFERRAL_SLOTS) == ["role"]


def test_only_the_preferred_contact_detail_is_asked():
    form = ValidateReferralForm()
    by_phone = required(form, {"contact_preference": "telefoon"}, REFERRAL_SLOTS)
    by_mail = required(form, {"contact_preference": "e-mail"}, REFERRAL_SLOTS)
    assert "phone" in by_phone and "email" not in by_phone
    assert "email" in by_mail and "phone" not in by_mail


@pytest.mark.parametrize(
    ("slot", "text", "expected"),
    [
        ("child_first_name", "ze heet sanne", "Sanne"),
        ("child_age", "hij is dertien", "13"),
        ("child_class", "2 havo", "2 havo"),
        ("both_parents_know", "een van beide", "gedeeltelijk"),
        ("both_parents_know", "ja allebei", "ja"),
        ("parent_name", "Fatima de Vries", "Fatima de Vries"),
        ("phone", "06-12345678", "06 12345678"),
        ("email", "fatima@voorbeeld.nl", "fatima@voorbeeld.nl"),
        ("contact_time", "na drie uur", "na drie uur"),
    ],
)
def test_referral_fields_are_validated_and_normalised(slot, text, expected):
    assert validate(ValidateReferralForm(), slot, text) == ({slot: expected}, [])


@pytest.mark.parametrize(
    ("slot", "text", "hint"),
    [
        ("child_first_name", "06 12345678", "utter_child_name_unclear"),
        ("child_age", "35", "utter_child_age_unclear"),
        ("phone", "12345", "utter_phone_unclear"),
        ("email", "fatima@", "utter_email_unclear"),
        ("parent_name", "06 12345678", "utter_parent_name_unclear"),
        ("signs", "x" * 1001, "utter_text_unclear"),
        ("child_class", "   ", "utter_text_unclear"),
    ],
)
def test_bad_referral_answers_get_a_helpful_re_ask(slot, text, hint):
    assert validate(ValidateReferralForm(), slot, text) == ({slot: None}, [hint])


def test_typing_the_number_answers_the_contact_question_too():
    result, _ = validate(ValidateReferralForm(), "contact_preference", "bel me op 0612345678")
    assert result == {"contact_preference": "telefoon", "phone": "06 12345678"}


def test_confirmation_fixes_key_and_reference():
    result, _ = validate(ValidateReferralForm(), "referral_confirmed", "ja, klopt")
    assert result["referral_confirmed"] is True
    assert len(result["referral_key"]) == 32 and len(result["referral_reference"]) == 6


def test_a_field_can_be_corrected_from_the_summary():
    form = ValidateReferralForm()
    result, _ = validate(form, "referral_confirmed", "wijzig leeftijd")
    assert result == {"child_age": None, "referral_confirmed": None}
    result, _ = validate(form, "referral_confirmed", "wijzig mijn naam")
    assert result == {"parent_name": None, "referral_confirmed": None}
    assert validate(form, "referral_confirmed", "aanpassen")[1] == ["utter_referral_which_field"]


class FakeIntake:
    def __init__(self, up: bool) -> None:
        self.up = up
        self.received: dict[str, dict] = {}

    def __call__(self, key: str, payload: dict) -> str:
        if not self.up:
            raise IntakeUnavailable("down")
        self.received[key] = payload
        return payload["reference"]


@pytest.fixture
def intake(tmp_path, monkeypatch):
    fake = FakeIntake(up=True)
    outbox = Outbox(tmp_path / "outbox.sqlite3", Fernet.generate_key())
    deliverer = Deliverer(outbox, fake)
    monkeypatch.setattr(deliverer, "start", lambda: None)
    monkeypatch.setattr(referral_form, "deliverer", lambda: deliverer)
    return fake, outbox


def submit(slots: dict) -> tuple[list[dict], dict]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionSubmitReferral().run(dispatcher, tracker(slots=slots), {}))
    return dispatcher.messages, {e["name"]: e["value"] for e in events}


def test_confirmed_referral_is_delivered_with_its_reference(intake):
    fake, _ = intake
    messages, slots = submit(FILLED)
    assert [m["response"] for m in messages] == ["utter_referral_sent"]
    assert messages[0]["reference"] == "ACD-EFG"
    payload = fake.received["key-123"]
    assert payload["phone"] == "+31612345678" and payload["email"] is None
    assert payload["child_age"] == 13 and payload["channel"] == "test"
    # Nothing personal stays in the conversation state.
    assert all(slots[s] is None for s in ("child_first_name", "phone", "parent_name", "signs"))
    assert slots["last_reference"] == "ACD-EFG"


def test_referral_is_kept_and_the_parent_told_honestly_when_intake_is_down(intake):
    fake, outbox = intake
    fake.up = False
    messages, _ = submit(FILLED)
    assert [m["response"] for m in messages] == ["utter_referral_queued"]
    assert messages[0]["reference"] == "ACD-EFG"
    assert outbox.state("key-123") == "pending"


def test_no_consent_sends_nothing(intake):
    fake, outbox = intake
    messages, _ = submit({"role": "ouder", "referral_consent": False})
    assert [m["response"] for m in messages] == ["utter_referral_no_consent"]
    assert fake.received == {} and outbox.due() == []


def test_a_student_is_told_how_referral_works_instead(intake):
    messages, _ = submit({"role": "leerling"})
    assert [m["response"] for m in messages] == ["utter_request_referral"]


# --- stopping and withdrawing ------------------------------------------------------------


def test_stopping_a_form_forgets_its_answers():
    dispatcher = CollectingDispatcher()
    t = tracker("stop", "stop", {"child_first_name": "Sanne"}, form="referral_form")
    events = ActionStopForm().run(dispatcher, t, {})
    assert {e["name"] for e in events} >= {"child_first_name", "phone", "referral_consent"}
    assert all(e["value"] is None for e in events)
    assert [m["response"] for m in dispatcher.messages] == ["utter_referral_stopped"]


def test_stop_outside_a_form_is_acknowledged():
    dispatcher = CollectingDispatcher()
    assert ActionStopForm().run(dispatcher, tracker("stop", "stop"), {}) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_stop"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("K7M-4QX", "K7M4QX"), ("mijn nummer is k7m 4qx", "K7M4QX"), ("k7m4qx", "K7M4QX")],
)
def test_reference_is_found_in_what_is_typed(text, expected):
    assert find_reference(text) == expected


@pytest.mark.parametrize("text", ["ABC-123", "geen idee", "", "K7M-4Q0"])
def test_no_reference(text):
    assert find_reference(text) is None


def test_withdrawal_fields():
    form = ValidateWithdrawForm()
    assert validate(form, "withdraw_reference", "k7m 4qx")[0] == {"withdraw_reference": "K7M-4QX"}
    assert validate(form, "withdraw_contact", "06 12345678")[0] == {
        "withdraw_contact": "+31612345678"
    }
    assert validate(form, "withdraw_contact", "x")[1] == ["utter_withdraw_contact_unclear"]


class FakeClient:
    def __init__(self, error: Exception | None) -> None:
        self.error = error
        self.calls: list[tuple[str, str]] = []

    def withdraw(self, reference: str, contact: str) -> None:
        self.calls.append((reference, contact))
        if self.error:
            raise self.error


@pytest.mark.parametrize(
    ("error", "response"),
    [
        (None, "utter_withdraw_done"),
        (WithdrawalNotFound(), "utter_withdraw_not_found"),
        (IntakeUnavailable("down"), "utter_withdraw_unavailable"),
    ],
)
def test_withdrawal_reports_the_result(monkeypatch, error, response):
    client = FakeClient(error)
    monkeypatch.setattr(withdraw_form.IntakeClient, "from_env", classmethod(lambda cls: client))
    slots = {
        "withdraw_reference": "K7M-4QX",
        "withdraw_contact": "+31612345678",
        "withdraw_confirmed": True,
    }
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionWithdrawReferral().run(dispatcher, tracker(slots=slots), {}))
    assert [m["response"] for m in dispatcher.messages] == [response]
    assert client.calls == [("K7M4QX", "+31612345678")]
    slot_events = [e for e in events if e["event"] == "slot"]
    assert all(e["value"] is None for e in slot_events[: len(withdraw_form.FORM_SLOTS)])
    # Only a done withdrawal erases the conversation (the tracker store deletes on restart).
    restarted = [e["event"] for e in events if e["event"] == "restart"]
    assert restarted == (["restart"] if error is None else [])


def test_withdrawal_not_confirmed_changes_nothing(monkeypatch):
    client = FakeClient(None)
    monkeypatch.setattr(withdraw_form.IntakeClient, "from_env", classmethod(lambda cls: client))
    dispatcher = CollectingDispatcher()
    t = tracker(slots={"withdraw_confirmed": False})
    asyncio.run(ActionWithdrawReferral().run(dispatcher, t, {}))
    assert client.calls == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_withdraw_cancelled"]


# --- the anonymous question box ------------------------------------------------------------


def test_a_question_is_accepted_and_personal_details_refused():
    form = ValidateQuestionForm()
    question = "hoe zeg ik tegen mijn mentor dat ik bang ben"
    assert validate(form, "anonymous_question", question) == ({"anonymous_question": question}, [])
    for personal in ("bel me op 06 12345678", "mail naar sam@voorbeeld.nl"):
        assert validate(form, "anonymous_question", personal) == (
            {"anonymous_question": None},
            ["utter_question_personal"],
        )
    assert validate(form, "anonymous_question", "x" * 1001)[1] == ["utter_question_unclear"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KM7Q-4XTA", "KM7Q-4XTA"),
        ("mijn code is km7q 4xta", "KM7Q-4XTA"),
        ("km7q4xta", "KM7Q-4XTA"),
    ],
)
def test_pickup_codes_are_read_from_what_is_typed(text, expected):
    assert validate(ValidateAnswerForm(), "pickup_code", text)[0] == {"pickup_code": expected}


def test_not_a_pickup_code():
    asked = {"requested_slot": "pickup_code"}
    assert validate(ValidateAnswerForm(), "pickup_code", "weet ik niet meer", slots=asked) == (
        {"pickup_code": None},
        ["utter_pickup_code_unclear"],
    )
    # "antwoord ophalen" without a code: no complaint, the form asks for the code.
    assert validate(ValidateAnswerForm(), "pickup_code", "antwoord ophalen") == (
        {"pickup_code": None},
        [],
    )


class FakeQuestions:
    def __init__(self, answer=None, error: Exception | None = None) -> None:
        self.answer, self.error = answer, error
        self.sent: list[str] = []

    def submit_question(self, question: str) -> str:
        if self.error:
            raise self.error
        self.sent.append(question)
        return "KM7Q-4XTA"

    def question_answer(self, code: str):
        if self.error:
            raise self.error
        return self.answer


def run_async(action, slots: dict) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(slots=slots), {}))
    return dispatcher.messages, events


def test_a_question_is_sent_and_the_code_given(monkeypatch):
    fake = FakeQuestions()
    monkeypatch.setattr(question_forms.IntakeClient, "from_env", classmethod(lambda cls: fake))
    messages, events = run_async(ActionSubmitQuestion(), {"anonymous_question": "mag dat?"})
    assert fake.sent == ["mag dat?"]
    assert messages == [{**messages[0], "response": "utter_question_received", "code": "KM7Q-4XTA"}]
    assert events[0]["name"] == "anonymous_question" and events[0]["value"] is None


@pytest.mark.parametrize(
    ("fake", "response"),
    [
        (FakeQuestions(answer="Kom maandag even langs."), "utter_question_answered"),
        (FakeQuestions(answer=None), "utter_question_waiting"),
        (FakeQuestions(error=QuestionNotFound()), "utter_question_code_unknown"),
        (FakeQuestions(error=IntakeUnavailable("down")), "utter_question_unavailable_answer"),
    ],
)
def test_the_answer_is_looked_up(monkeypatch, fake, response):
    monkeypatch.setattr(question_forms.IntakeClient, "from_env", classmethod(lambda cls: fake))
    messages, _ = run_async(ActionCheckAnswer(), {"pickup_code": "KM7Q-4XTA"})
    assert [m["response"] for m in messages] == [response]


@pytest.mark.parametrize(
    ("sender", "channel"),
    [("tg-" + "a" * 64, "telegram"), ("web-" + "b" * 64, "web"), ("terminal-x", "terminal"),
     ("bench-1", "test")],
)  # fmt: skip
def test_the_channel_comes_from_the_pseudonym(sender, channel):
    t = Tracker(sender, {}, {}, [], False, None, {}, "action_listen")
    assert referral_form.channel_of(t) == channel
