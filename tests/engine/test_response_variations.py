"""tests/service/domain_responses.py, the service tests' view of which response variations Rasa
may choose, agrees with Rasa 3.6's own ResponseVariationFilter, for every response of
domain.yml and every combination of the slot values its conditions name.

The service tests check replies against those variations (assert_says, assert_shared), so that
no test depends on the one variation Rasa happened to pick (CI failed at random on a phrase of
only one of utter_ask_role's two variations). If the helper and Rasa disagreed, such a check
could still pass or fail at random; this test makes that visible on every run.
"""

from __future__ import annotations

import itertools

import pytest
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.nlg.interpolator import interpolate_text
from rasa.shared.core.domain import Domain

from tests.service import domain_responses

DOMAIN = Domain.from_path(domain_responses.DOMAIN)


def slot_combinations(name: str) -> list[dict[str, object]]:
    """Every slot named in the response's conditions: empty, or each value a condition wants
    (and one value no condition wants)."""
    values: dict[str, list[object]] = {}
    for variation in DOMAIN.responses[name]:
        for condition in variation.get("condition") or []:
            values.setdefault(condition["name"], [None, "iets-anders"]).append(condition["value"])
    names = sorted(values)
    return [
        dict(zip(names, chosen, strict=True))
        for chosen in itertools.product(*(values[n] for n in names))
    ]


def texts(variations: list[dict]) -> list[tuple[str, str]]:
    return [(v.get("text") or "", repr(v.get("condition"))) for v in variations]


def test_the_helper_reads_the_responses_rasa_reads() -> None:
    assert set(domain_responses.responses()) == set(DOMAIN.responses)


@pytest.mark.parametrize("name", sorted(DOMAIN.responses))
def test_the_helper_chooses_the_variations_rasa_chooses_from(name: str) -> None:
    rasa = ResponseVariationFilter(DOMAIN.responses)
    for slots in slot_combinations(name):
        expected = rasa.responses_for_utter_action(name, domain_responses.CHANNEL, slots)
        assert texts(domain_responses.variations(name, **slots)) == texts(expected), slots


def test_a_reply_rasa_makes_from_any_variation_matches_that_response() -> None:
    # Filled in as Rasa fills placeholders, whatever the slot's value.
    for name, variations in DOMAIN.responses.items():
        for variation in variations:
            text = variation.get("text") or ""
            filled = interpolate_text(text, dict.fromkeys(_placeholders(text), "iets\nanders"))
            assert domain_responses.pattern(text).search(f"Vooraf.\n{filled}\nDaarna."), name


def test_a_phrase_of_only_some_variations_fails_on_every_run() -> None:
    # utter_ask_role's two variations share no "Wie schrijft er?", the phrase that failed CI.
    variations = domain_responses.texts("utter_ask_role")
    assert len(variations) >= 2
    phrase = next(
        word for word in variations[0].split() if any(word not in other for other in variations[1:])
    )
    with pytest.raises(AssertionError, match="not in every variation"):
        domain_responses.assert_shared(variations[0], phrase, "utter_ask_role")
    domain_responses.assert_says(variations[-1], "utter_ask_role")


def _placeholders(text: str) -> list[str]:
    return [p.strip("{}") for p in domain_responses.PLACEHOLDER.findall(text)]
