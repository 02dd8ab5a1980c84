"""Parsing what people type into the forms."""

from __future__ import annotations

import pytest

from actions.answers import (
    clean_text,
    display_phone,
    normalise_email,
    normalise_phone,
    parse_age,
    parse_first_name,
    parse_role,
    parse_yes_no,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ja", "ja"),
        ("Ja, vooral op maandag", "ja"),
        ("jaa dat wel", "ja"),
        ("soms", "ja"),
        ("af en toe", "ja"),
        ("klopt helemaal", "ja"),
        ("yes", "ja"),
        ("nee", "nee"),
        ("nee eigenlijk niet", "nee"),
        ("niet echt", "nee"),
        ("nooit", "nee"),
        ("dat doet hij niet", "nee"),
        ("weet ik niet", "weet_niet"),
        ("geen idee", "weet_niet"),
        ("ja misschien", "weet_niet"),
        ("wn", "weet_niet"),
        ("", None),
        ("🙂", None),
        ("de kat van de buren is groen", None),
    ],
)
def test_yes_no_answers_in_free_text(text, expected):
    assert parse_yes_no(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Over mijn kind (ik ben ouder)", "ouder"),
        ("over mijn dochter", "ouder"),
        ("ik ben de vader", "ouder"),
        ("over mezelf", "leerling"),
        ("ik ben leerling", "leerling"),
        ("ik ben mentor", "medewerker"),
        ("bananen", None),
    ],
)
def test_role_from_free_text(text, expected):
    assert parse_role(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("13", 13), ("hij is 13 jaar", 13), ("dertien", 13), ("4", 4), ("20", 20)],
)
def test_age_in_range(text, expected):
    assert parse_age(text) == expected


@pytest.mark.parametrize("text", ["3", "21", "130", "oud", "12 of 13", "", "-5"])
def test_age_out_of_range_or_unclear(text):
    assert parse_age(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("06 12345678", "+31612345678"),
        ("06-12345678", "+31612345678"),
        ("+31 6 1234 5678", "+31612345678"),
        ("0031612345678", "+31612345678"),
        ("040 123 4567", "+31401234567"),
        ("(040) 1234567", "+31401234567"),
    ],
)
def test_dutch_phone_numbers_are_normalised(text, expected):
    assert normalise_phone(text) == expected


@pytest.mark.parametrize(
    "text", ["12345", "06 1234", "0612345678901234", "bel me", "", "06-ABCDEFGH"]
)
def test_bad_phone_numbers_are_refused(text):
    assert normalise_phone(text) is None


def test_phone_is_shown_the_dutch_way():
    assert display_phone("+31612345678") == "06 12345678"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("naam@voorbeeld.nl", "naam@voorbeeld.nl"), (" Naam@Voorbeeld.NL. ", "Naam@voorbeeld.nl")],
)
def test_email_syntax(text, expected):
    assert normalise_email(text) == expected


@pytest.mark.parametrize(
    "text", ["naam@", "naam voorbeeld.nl", "naam@@voorbeeld.nl", "a@b", "<script>@x.nl", ""]
)
def test_bad_email_is_refused(text):
    assert normalise_email(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("sanne", "Sanne"), ("Ze heet Anne-Fleur", "Anne-Fleur"), ("Noah", "Noah"), ("Zoë", "Zoë")],
)
def test_first_names(text, expected):
    assert parse_first_name(text) == expected


@pytest.mark.parametrize("text", ["06 12345678", "<script>alert(1)</script>", "x" * 60, "", "1234"])
def test_not_a_first_name(text):
    assert parse_first_name(text) is None


def test_clean_text_strips_control_characters_and_limits_length():
    assert clean_text("  twee\x00 weken\n ", 200) == "twee weken"
    assert clean_text("x" * 201, 200) is None
    assert clean_text(" \t ", 200) is None
