"""Property-based tests (hypothesis) of the intake service's parsers and request bodies:
contact normalisation (bot/intake/contact.py), references and pickup codes, the pydantic
bodies (bot/intake/schemas.py), and the contract with the chat: whatever the action server's
parsers accept (actions/answers.py) makes a referral the API stores, so a confirmed referral
is never refused."""

from __future__ import annotations

import contextlib
import importlib.util
import secrets
import unicodedata
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from intake.conftest import Secrets
from pydantic import ValidationError

from bot.intake import contact
from bot.intake import reference as references
from bot.intake.questions import parse_code
from bot.intake.schemas import PickupIn, QuestionIn, ReferralIn, WithdrawalIn
from bot.intake.settings import PROJECT_ROOT
from tests.fuzz_support import FUZZ, exercised, hit
from tests.fuzz_support import any_text as fuzz_text

any_text = fuzz_text()
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children),
    max_leaves=8,
)


def load_chat_answers() -> Any:
    """actions/answers.py on its own: the package's __init__ would start an outbox worker."""
    spec = importlib.util.spec_from_file_location(
        "chat_answers", PROJECT_ROOT / "actions" / "answers.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


chat = load_chat_answers()


# ---------- contact details ----------

dutch_mobile = st.builds(
    lambda second, rest: f"6{second}{rest}",
    st.sampled_from("12345"),
    st.text(alphabet="0123456789", min_size=7, max_size=7),
)
# Valid values on purpose: any text alone is almost never a phone number or an e-mail address.
phone_text = st.builds(
    lambda digits, spelling, pad: pad + spelling.format(digits) + pad,
    dutch_mobile,
    st.sampled_from(["0{}", "+31{}", "0031{}", "+31 (0){}", "0{}"]),
    st.sampled_from(["", " ", "  "]),
)
email_text = st.one_of(st.emails(), st.emails().map(str.upper), st.emails().map(" <{}> ".format))


@exercised("a valid phone number")
@FUZZ
@given(st.one_of(any_text, phone_text))
def test_phone_is_dutch_e164_and_idempotent_or_refused(text: str) -> None:
    try:
        phone = contact.normalise_phone(text)
    except contact.InvalidContactError:
        return
    hit("a valid phone number")
    assert phone.startswith("+31") and phone[1:].isdigit()
    assert contact.normalise_phone(phone) == phone


@exercised("a valid e-mail address")
@FUZZ
@given(st.one_of(any_text, email_text))
def test_email_is_idempotent_or_refused(text: str) -> None:
    try:
        email = contact.normalise_email(text)
    except contact.InvalidContactError:
        return
    hit("a valid e-mail address")
    assert contact.normalise_email(email) == email
    assert contact.email_lookup_form(email) == contact.email_lookup_form(email.upper()) or (
        email.lower() != email.upper().lower()  # letters whose case does not round-trip
    )


@FUZZ
@given(dutch_mobile, st.sampled_from(["0{}", "+31{}", "0031{}", "+31 (0){}"]))
def test_the_withdrawal_finds_the_number_in_any_spelling(digits: str, spelling: str) -> None:
    """The blind index only matches when both sides normalise to the same string."""
    assert contact.normalise_phone(spelling.format(digits)) == f"+31{digits}"
    assert contact.normalise_phone(f"0{digits[0]}-{digits[1:]}") == f"+31{digits}"


# ---------- references and pickup codes ----------


def _code_as_typed(length: int) -> st.SearchStrategy[str]:
    """A reference (6) or pickup code (8) the way people type one: any case, split or not."""
    return st.builds(
        lambda code, case, separator: case(
            separator.join((code[: length // 2], code[length // 2 :]))
        ),
        st.text(alphabet=references.ALPHABET, min_size=length, max_size=length),
        st.sampled_from([str, str.lower]),
        st.sampled_from(["", "-", " ", " - "]),
    )


@exercised("a reference or code parsed")
@FUZZ
@given(st.one_of(any_text, _code_as_typed(6), _code_as_typed(8)))
def test_codes_parse_to_the_alphabet_or_none(text: str) -> None:
    for found, length in ((references.parse(text), 6), (parse_code(text), 8)):
        assert found is None or (len(found) == length and set(found) <= set(references.ALPHABET))
        if found is not None:
            hit("a reference or code parsed")
            assert references.parse(references.display(found), length) == found


@FUZZ
@given(st.integers(0, 2**16))
def test_a_drawn_reference_and_code_round_trip(_seed: int) -> None:
    code = references.new_pickup_code()
    assert parse_code(references.display(code).lower().replace("-", " ")) == code
    assert not set(code) & set("0O1IL5S8B2Z")
    reference = references.new_reference()
    assert ReferralIn.model_validate(body(reference=reference.lower())).reference == reference


# ---------- request bodies ----------


def body(**changes: Any) -> dict[str, Any]:
    return {
        "child_first_name": "Sam",
        "child_age": 13,
        "child_class": "2B",
        "absence_duration": "sinds de herfstvakantie",
        "absence_extent": "twee dagen per week",
        "both_parents_know": "ja",
        "parent_name": "Ria de Vries",
        "phone": "06 12345678",
        "contact_preference": "telefoon",
        "contact_time": "na 16:00",
        "consent_version": "2026-11",
        "channel": "test",
    } | changes


FIELDS = [*body(), "reference", "signs", "check_signals", "email"]


@exercised("a valid referral body")
@FUZZ
@given(
    st.sampled_from(FIELDS),
    st.one_of(json_value, st.sampled_from(["Sam", " 2B ", "na 16:00\n", "Ria de Vries", 14])),
)
def test_any_value_in_any_field_is_a_model_or_a_validation_error(field: str, value) -> None:
    try:
        referral = ReferralIn.model_validate(body(**{field: value}))
    except ValidationError:
        return
    hit("a valid referral body")
    for name in ("child_first_name", "child_class", "parent_name", "contact_time"):
        text = getattr(referral, name)
        assert text == text.strip() and text
        assert not any(unicodedata.category(c) in ("Cc", "Cs") for c in text if c not in "\n\t")


@FUZZ
@given(json_value, json_value, json_value)
def test_other_bodies_are_a_model_or_a_validation_error(a, b, c) -> None:
    for model, data in (
        (WithdrawalIn, {"reference": a, "contact": b}),
        (QuestionIn, {"question": a}),
        (PickupIn, {"code": c}),
        (WithdrawalIn, a),
        (QuestionIn, b),
    ):
        with contextlib.suppress(ValidationError):
            model.model_validate(data)


# ---------- the chat's answers make a referral the API accepts ----------


# What actions/referral_form.py does with each answer before it goes into the payload, and
# the payload field it fills; None means the chat asks again.
def _phone(text: str) -> dict[str, Any] | None:
    phone = chat.normalise_phone(text)
    # The form keeps the number as shown to the parent; the payload normalises it again.
    return {"phone": chat.normalise_phone(chat.display_phone(phone))} if phone else None


def _email(text: str) -> dict[str, Any] | None:
    email = chat.normalise_email(text)
    return {"email": email, "contact_preference": "e-mail", "phone": None} if email else None


def _text(field: str, limit: int):
    def parse(text: str) -> dict[str, Any] | None:
        cleaned = chat.clean_text(text, limit)
        return {field: cleaned} if cleaned is not None else None

    return parse


def _parent(text: str) -> dict[str, Any] | None:
    name = chat.clean_text(text, 100)  # the form also refuses digits and @
    ok = name is not None and not any(c.isdigit() or c == "@" for c in name)
    return {"parent_name": name} if ok else None


CHAT_FIELDS = {
    "child_first_name": lambda t: (
        {"child_first_name": n} if (n := chat.parse_first_name(t)) else None
    ),
    "child_age": lambda t: {"child_age": a} if (a := chat.parse_age(t)) else None,
    "phone": _phone,
    "email": _email,
    "parent_name": _parent,
    **{
        field: _text(field, limit)
        for field, limit in {
            "child_class": 40,
            "absence_duration": 200,
            "absence_extent": 200,
            "signs": 1000,
            "contact_time": 100,
        }.items()
    },
}
REALISTIC = [
    "Sanne", "ze heet Zoë", "Anne-Fleur", "ßabine", "13", "ze is dertien.", "twintig",
    "R. Özdemir", "06-12345678", "+31 6 1234 5678", "040 123 4567", "+32 470 12 34 56",
    "ria@voorbeeld.nl", "<Ria@Voorbeeld.NL>", "ria@", "2 havo", "sinds de herfst\x85vakantie",
]  # fmt: skip


@exercised("an answer the chat accepts")
@FUZZ
@given(st.sampled_from(sorted(CHAT_FIELDS)), st.one_of(st.sampled_from(REALISTIC), any_text))
def test_what_the_chat_accepts_the_intake_service_stores(field: str, text: str) -> None:
    answer = CHAT_FIELDS[field](text)
    assume(answer is not None)
    hit("an answer the chat accepts")
    ReferralIn.model_validate(body(**answer))  # a ValidationError: the API would refuse it


@pytest.fixture(scope="module")
def stored(fuzz_client: TestClient, test_secrets: Secrets):
    def post(payload: dict[str, Any]):
        return fuzz_client.post(
            "/api/v1/referrals",
            json=payload,
            headers={
                "Authorization": f"Bearer {test_secrets.token}",
                "Idempotency-Key": secrets.token_hex(12),
            },
        )

    return post


@settings(FUZZ, max_examples=60)
@given(
    name=st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=30),
    age=st.integers(4, 20),
    mobile=dutch_mobile,
    free=st.text(alphabet=st.characters(exclude_categories=["Cc", "Cs"]), min_size=1, max_size=200),
)
def test_valid_referrals_are_stored_once(stored, name: str, age: int, mobile: str, free: str):
    assume(free.strip() and name.strip())
    payload = body(
        child_first_name=name,
        child_age=age,
        phone=f"0{mobile}",
        signs=free,
        absence_duration=free,
        contact_time=free[:100],
        reference=references.new_reference(),
    )
    response = stored(payload)
    assert response.status_code == 201, response.text
    assert response.json()["reference"] == references.display(payload["reference"])
