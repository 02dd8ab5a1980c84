"""The training data, domain and held-out set keep the NLU contract and stay apart."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

from tests.blind_overlap import fold
from tests.engine.engine_cli import rasa

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_INTENTS = [
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "bot_challenge",
    "inform_role",
    "out_of_scope",
    "ask_definition",
    "ask_signs",
    "ask_causes",
    "ask_consequences",
    "ask_vs_truancy",
    "ask_parent_tips",
    "ask_lans",
    "ask_assessment",
    "ask_duration",
    "ask_eligibility",
    "ask_prevention",
    "ask_attendance_law",
    "ask_privacy",
    "ask_contact",
    "describe_situation",
    "student_distress",
    "bullying",
    "crisis",
    "start_check",
    "request_referral",
    "withdraw_referral",
    "ask_anonymous_question",
    "check_answer",
    "request_human",
]
# Intents beyond the contract: "stop" ends a form.
EXTRA_INTENTS = [
    "stop",
    "ask_referral_info",
    "ask_question_box_info",
    "ask_check_info",
    "ask_practical",
]
ALL_INTENTS = CONTRACT_INTENTS + EXTRA_INTENTS
CONTRACT_ENTITIES = {"symptom", "trigger", "duration", "role", "pickup_code"}
# Form prompts and re-asks are said once per form step; answers to questions need variety.
FORM_RESPONSE = re.compile(r"^utter_(ask_|check_|referral_|withdraw_|question_)|_unclear$")
MORE_EXAMPLES = {"crisis", "describe_situation", "student_distress"}


@pytest.fixture(scope="module")
def training():
    return load_data(str(ROOT / "data" / "nlu"))


@pytest.fixture(scope="module")
def heldout():
    return load_data(str(ROOT / "tests" / "nlu" / "heldout.yml"))


def yaml_domain() -> dict:
    return yaml.safe_load((ROOT / "domain.yml").read_text())


@pytest.fixture(scope="module")
def domain() -> dict:
    return yaml_domain()


def test_rasa_data_validate_is_clean():
    result = rasa("data", "validate", "--fail-on-warnings", timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    problems = re.findall(
        r"UserWarning: (The (?:intent|utterance|action|entity|example) .*)", output
    )
    # Form prompts (utter_ask_<slot>) and responses the custom actions and the REST channel
    # (the crisis footer) send are used, even though no story names them; anything else
    # unused is a problem.
    senders = [*(ROOT / "actions").glob("*.py"), ROOT / "bot" / "engine" / "help_line_channel.py"]
    used_elsewhere = {f"utter_ask_{slot}" for slot in yaml_domain()["slots"]} | set(
        re.findall(r"\"(utter_\w+)\"", "".join(p.read_text() for p in senders))
    )
    unused = re.compile(r"The utterance '(\w+)' is not used")
    problems = [
        p for p in problems if not (m := unused.match(p)) or m[1] not in used_elsewhere
    ]  # fmt: skip
    assert problems == []


def test_every_contract_intent_has_enough_varied_examples(training):
    counts = Counter(m.get("intent") for m in training.intent_examples)
    assert set(ALL_INTENTS) <= set(counts)
    for intent in ALL_INTENTS:
        assert counts[intent] >= (60 if intent in MORE_EXAMPLES else 30), intent


def test_entities_are_annotated(training):
    annotated = {e["entity"] for m in training.intent_examples for e in m.get("entities") or []}
    assert annotated == CONTRACT_ENTITIES


def test_heldout_covers_every_intent_and_is_never_trained_on(training, heldout):
    counts = Counter(m.get("intent") for m in heldout.intent_examples)
    assert all(counts[i] >= 8 for i in ALL_INTENTS), counts
    # The blind sets are held to more (near-duplicates too): tests/engine/test_blind_sets.py.
    trained = {fold(m.get("text")) for m in training.intent_examples}
    leaked = [m.get("text") for m in heldout.intent_examples if fold(m.get("text")) in trained]
    assert leaked == []


def test_domain_lists_the_contract_intents_and_the_extra_ones(domain):
    assert sorted(domain["intents"]) == sorted(ALL_INTENTS)
    assert set(domain["entities"]) >= CONTRACT_ENTITIES


def test_every_response_has_two_variations_per_register(domain):
    for name, variations in domain["responses"].items():
        if FORM_RESPONSE.search(name):
            continue
        by_condition = Counter(
            tuple((c["name"], str(c["value"])) for c in v.get("condition", [])) for v in variations
        )
        assert all(n >= 2 for n in by_condition.values()), (name, by_condition)


def test_parents_and_staff_are_addressed_with_u_and_students_with_je(domain):
    je = re.compile(r"\b(je|jij|jou|jouw)\b", re.IGNORECASE)
    u = re.compile(r"\b(u|uw)\b", re.IGNORECASE)
    for name, variations in domain["responses"].items():
        for v in variations:
            conditions = {c["name"]: c["value"] for c in v.get("condition", [])}
            text = v["text"]
            if conditions.get("role") in ("ouder", "medewerker") or str(
                conditions.get("reflection", "")
            ).startswith(("parent", "staff")):
                assert not je.search(text), (name, text)
            if conditions.get("role") == "leerling" or str(
                conditions.get("reflection", "")
            ).startswith("student"):
                assert not u.search(text), (name, text)


def test_crisis_answers_name_the_help_lines(domain):
    for v in domain["responses"]["utter_crisis"]:
        assert "112" in v["text"], v["text"]
        if not v["condition"][0]["value"].startswith("abuse"):
            assert "113" in v["text"], v["text"]
    for v in domain["responses"]["utter_crisis_stay"]:
        assert "113" in v["text"] and "112" in v["text"]
