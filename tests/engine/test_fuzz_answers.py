"""Property-based tests (hypothesis) of the parsers of what people type into the forms
(actions/answers.py): they never raise on any text, normalising twice changes nothing, valid
answers in many spellings come out the same, and what they accept is what the intake service
accepts (bot/intake/contact.py, the same normalisation on the other side of the API)."""

from __future__ import annotations

import re
import string
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from actions.answers import (
    DONT_KNOW,
    MAX_AGE,
    MIN_AGE,
    NO,
    YES,
    clean_text,
    display_phone,
    normalise_email,
    normalise_phone,
    parse_age,
    parse_first_name,
    parse_role,
    parse_yes_no,
    plain,
)
from bot.intake import contact
from tests.fuzz_support import FUZZ, exercised, hit
from tests.fuzz_support import any_text as fuzz_text

any_text = fuzz_text()
# Control characters as the intake service defines them (bot/intake/schemas.py): C0/C1 and
# lone surrogates, except newline and tab.
INTAKE_FORBIDDEN = ("Cc", "Cs")


def intake_accepts_text(value: str, max_length: int) -> bool:
    """The intake API's rule for text fields: trimmed 1..max, no control characters."""
    stripped = value.strip()
    return 1 <= len(stripped) <= max_length and not any(
        c not in "\n\t" and unicodedata.category(c) in INTAKE_FORBIDDEN for c in stripped
    )


# ---------- plain ----------


@FUZZ
@given(any_text)
@example("ℌallo")  # NFKD turns this letter into an upper-case H after lower-casing
def test_plain_is_idempotent_lower_case_and_single_spaced(text: str) -> None:
    once = plain(text)
    assert plain(once) == once
    assert once == once.strip() and "  " not in once
    assert once == once.lower()


# ---------- yes / no / don't know ----------


@exercised("an answer understood")
@FUZZ
@given(
    st.one_of(
        any_text,  # and answers on purpose, in many spellings (defined below)
        st.deferred(
            lambda: st.builds(
                "{}{}{}".format,
                st.sampled_from(["", " ", "tja, "]),
                st.sampled_from(YES_WORDS + NO_WORDS + DONT_KNOW_WORDS),
                st.sampled_from(TAILS),
            )
        ),
    )
)
def test_yes_no_never_raises_and_gives_a_known_answer(text: str) -> None:
    answer = parse_yes_no(text)
    assert answer in (YES, NO, DONT_KNOW, None)
    assert parse_yes_no(plain(text)) == answer  # only the normalised text matters
    if answer is not None:
        hit("an answer understood")


YES_WORDS = ["ja", "jaaa", "Ja!", "JA", "jawel", "zeker", "klopt", "inderdaad", "yes", "jep"]
NO_WORDS = ["nee", "neee", "Nee.", "NEE", "nope", "nooit", "niet echt", "eigenlijk niet"]
DONT_KNOW_WORDS = ["weet ik niet", "geen idee", "weet niet", "idk", "misschien", "twijfel"]
TAILS = ["", " hoor", ", vooral op maandag", " eigenlijk", "!!", " 🙂", "\n", " echt waar"]


@FUZZ
@given(
    st.sampled_from([(w, YES) for w in YES_WORDS] + [(w, NO) for w in NO_WORDS]),
    st.sampled_from(TAILS),
    st.sampled_from(["", " ", "  \t"]),
)
def test_yes_and_no_with_anything_after_them(word_answer, tail: str, space: str) -> None:
    word, expected = word_answer
    assert parse_yes_no(f"{space}{word}{tail}") == expected


@FUZZ
@given(st.sampled_from(DONT_KNOW_WORDS), st.sampled_from(TAILS), st.sampled_from(["", "tja, "]))
def test_dont_know_wins_wherever_it_is(words: str, tail: str, head: str) -> None:
    assert parse_yes_no(f"{head}{words}{tail}") == DONT_KNOW


# ---------- role ----------


@FUZZ
@given(any_text)
def test_role_never_raises(text: str) -> None:
    assert parse_role(text) in ("ouder", "leerling", "medewerker", None)


# ---------- age ----------


@exercised("an age understood")
@FUZZ
@given(st.one_of(any_text, st.integers(0, 30).map("ze is {}".format), st.integers(-5, 99).map(str)))
def test_age_is_in_range_or_none(text: str) -> None:
    age = parse_age(text)
    assert age is None or (isinstance(age, int) and MIN_AGE <= age <= MAX_AGE)
    if age is not None:
        hit("an age understood")


NUMBER_WORDS = {
    4: "vier", 5: "vijf", 6: "zes", 7: "zeven", 8: "acht", 9: "negen", 10: "tien", 11: "elf",
    12: "twaalf", 13: "dertien", 14: "veertien", 15: "vijftien", 16: "zestien",
    17: "zeventien", 18: "achttien", 19: "negentien", 20: "twintig",
}  # fmt: skip


@FUZZ
@given(
    st.integers(MIN_AGE, MAX_AGE),
    st.booleans(),
    st.sampled_from(["{}", "hij is {}", "ze is {} jaar", "{} jaar oud", "Ze is net {}!", "{}."]),
)
def test_every_age_in_range_is_understood(age: int, in_words: bool, template: str) -> None:
    assert parse_age(template.format(NUMBER_WORDS[age] if in_words else age)) == age


@FUZZ
@given(
    st.one_of(st.integers(0, MIN_AGE - 1), st.integers(MAX_AGE + 1, 999)),
    st.sampled_from(["{}", "hij is {}", "{} jaar", "-{}"]),
)
def test_ages_out_of_range_are_refused(age: int, template: str) -> None:
    assert parse_age(template.format(age)) is None


# ---------- phone numbers ----------


# Valid numbers on purpose (any text is almost never one), in the spellings parents use.
phone_text = st.deferred(
    lambda: dutch_mobile.flatmap(lambda d: st.sampled_from(mobile_spellings(d)))
)


@exercised("a phone number accepted")
@FUZZ
@given(st.one_of(any_text, phone_text))
def test_phone_is_e164_dutch_and_idempotent_or_none(text: str) -> None:
    phone = normalise_phone(text)
    if phone is None:
        return
    hit("a phone number accepted")
    assert re.fullmatch(r"\+31\d{9,11}", phone), phone
    assert normalise_phone(phone) == phone
    # The form keeps the number as shown to the parent; the payload normalises it again.
    assert normalise_phone(display_phone(phone)) == phone
    # The intake service must accept every number the chat accepted: a refused referral
    # would never be delivered.
    assert contact.normalise_phone(phone) == phone


def mobile_spellings(digits: str) -> list[str]:
    """One Dutch mobile number ("6" + eight digits) the ways parents write it."""
    rest = digits[1:]
    pairs = " ".join(rest[i : i + 2] for i in range(0, 8, 2))
    return [
        f"06{rest}",
        f"06 {rest}",
        f"06-{rest}",
        f"06 - {rest[:4]} {rest[4:]}",
        f"06 {pairs}",
        f"06.{rest[:2]}.{rest[2:4]}.{rest[4:6]}.{rest[6:]}",
        f"(06) {rest}",
        f"+31{digits}",
        f"+31 6 {rest}",
        f"+31 (0)6 {rest}",
        f"+31-6-{rest}",
        f"0031{digits}",
        f"0031 6 {rest}",
        f"tel: 06-{rest}",
        f"mijn nummer is 06 {rest}",
        f"  06{rest}.  ",
    ]


dutch_mobile = st.builds(
    lambda second, rest: f"6{second}{rest}",
    st.sampled_from("12345"),
    st.text(alphabet="0123456789", min_size=7, max_size=7),
)


@FUZZ
@given(dutch_mobile)
def test_every_spelling_of_a_dutch_mobile_number_gives_the_same_e164(digits: str) -> None:
    expected = f"+31{digits}"
    for spelling in mobile_spellings(digits):
        assert normalise_phone(spelling) == expected, spelling
        assert contact.normalise_phone(spelling.strip()) == expected, spelling
    assert display_phone(expected) == f"06 {digits[1:]}"


@FUZZ
@given(
    st.sampled_from(["+32 470 12 34 56", "+49 151 12345678", "+44 7700 900123", "+1 202 555 0143"])
)
def test_foreign_numbers_are_refused_like_the_intake_service_does(number: str) -> None:
    assert normalise_phone(number) is None
    with pytest.raises(contact.InvalidContactError):
        contact.normalise_phone(number)


@FUZZ
@given(st.text(alphabet="0123456789 -", max_size=8))
def test_too_few_digits_are_refused(text: str) -> None:
    assert normalise_phone(text) is None


# ---------- e-mail ----------

_LOCAL_CHARS = string.ascii_letters + string.digits + "_+-"
_local_atom = st.text(alphabet=_LOCAL_CHARS, min_size=1, max_size=12)
_label = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
valid_email = st.builds(
    lambda atoms, labels, tld: ".".join(atoms) + "@" + ".".join(labels) + "." + tld,
    st.lists(_local_atom, min_size=1, max_size=3),
    st.lists(_label, min_size=1, max_size=2),
    st.sampled_from(["nl", "com", "org", "be", "de", "net", "eu"]),
)


@exercised("an e-mail address accepted")
@FUZZ
@given(st.one_of(any_text, valid_email, valid_email.map(" <{}> ".format)))
def test_email_is_idempotent_and_accepted_by_the_intake_service_or_none(text: str) -> None:
    email = normalise_email(text)
    if email is None:
        return
    hit("an e-mail address accepted")
    assert "@" in email and " " not in email and len(email) <= 254
    assert normalise_email(email) == email
    assert contact.normalise_email(email) == email


@FUZZ
@given(valid_email, st.sampled_from(["{}", " {} ", "<{}>", "{}.", "({})", "'{}'", "{},"]))
def test_valid_addresses_round_trip_with_the_domain_in_lower_case(email: str, wrap: str) -> None:
    local, domain = email.split("@")
    expected = f"{local}@{domain.lower()}"
    assert normalise_email(wrap.format(email)) == expected
    assert normalise_email(wrap.format(f"{local}@{domain.upper()}")) == expected
    assert contact.normalise_email(email) == expected


@FUZZ
@given(
    st.one_of(
        _local_atom,  # no @
        st.builds(lambda a, b: f"{a}@@{b}.nl", _local_atom, _label),
        st.builds(lambda a, b: f"{a} x@{b}.nl", _local_atom, _label),  # a space inside
        st.builds(lambda a: f"{a}@", _local_atom),
        st.builds(lambda a: "x" * 250 + f"@{a}.nl", _label),  # too long
    )
)
def test_invalid_addresses_are_refused(text: str) -> None:
    assert normalise_email(text) is None


# ---------- free text and names ----------


@exercised("a text accepted")
@FUZZ
@given(st.one_of(any_text, st.sampled_from(["2 havo", " na 16:00 ", "sinds de herfst"])),
       st.integers(1, 1000))  # fmt: skip
def test_clean_text_is_idempotent_bounded_and_acceptable_to_the_intake_service(
    text: str, limit: int
) -> None:
    cleaned = clean_text(text, limit)
    if cleaned is None:
        return
    hit("a text accepted")
    assert 1 <= len(cleaned) <= limit
    assert clean_text(cleaned, limit) == cleaned
    assert intake_accepts_text(cleaned, limit), repr(cleaned)


@exercised("a first name accepted")
@FUZZ
@given(st.one_of(any_text, st.deferred(lambda: first_name)))
@example("ßabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvw")  # "ß".upper() is "SS"
@example("²")  # a number character that `\w` takes
def test_first_name_is_idempotent_and_fits_the_intake_field(text: str) -> None:
    name = parse_first_name(text)
    if name is None:
        return
    hit("a first name accepted")
    assert parse_first_name(name) == name
    assert intake_accepts_text(name, 50), repr(name)
    assert not any(c.isdigit() for c in name)


_name_part = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéëïöüçñåø", min_size=1, max_size=10)
first_name = st.builds(
    lambda first, rest, sep: first.capitalize() + "".join(sep + p for p in rest),
    _name_part,
    st.lists(_name_part, max_size=2),
    st.sampled_from(["-", " ", "'"]),
)


@FUZZ
@given(first_name, st.sampled_from(["{}", "ze heet {}", "Hij heet {}", "  {}  ", "naam is {}"]))
def test_first_names_round_trip(name: str, template: str) -> None:
    assert parse_first_name(template.format(name)) == name
    assert parse_first_name(template.format(name.lower())) == name[:1].upper() + name[1:]
