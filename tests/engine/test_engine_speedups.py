"""Each engine speedup (bot/engine) gives exactly what the Rasa code it replaces gives."""

from __future__ import annotations

import ast
import asyncio
import copy
import gc
import inspect
import itertools
import logging

import numpy as np
import pytest
import rasa.core.processor
import rasa.shared.core.trackers
import scipy.sparse
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.core.processor import MessageProcessor
from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.utils.common import all_subclasses
from rasa.utils.tensorflow.models import RasaModel

import bot.nlu  # noqa: F401  (installs the speedups, as loading the model does)
from bot.engine import (
    SPEEDUPS,
    fast_event_lookup,
    fast_graph_runner,
    fast_rule_lookup,
    fast_slot_copy,
    fast_sparse_features,
    fast_state_history,
    fast_tf_predict,
    gc_freeze,
    lazy_log_copies,
)
from tests.engine.conftest import ROOT


def test_every_speedup_is_installed_when_the_components_are_imported():
    assert Event.resolve_by_type is fast_event_lookup._resolve_by_type
    assert Features._combine_sparse_features is fast_sparse_features._combine_sparse_features
    assert DialogueStateTracker.past_states is fast_state_history._past_states
    assert RasaModel._rasa_predict is fast_tf_predict._rasa_predict
    assert rasa.shared.core.trackers.copy.copy is fast_slot_copy._copy
    # Until the first message is parsed; then Rasa's own method is back.
    assert MessageProcessor.parse_message in (gc_freeze._parse_message, gc_freeze._original)
    assert DaskGraphRunner.run is fast_graph_runner._run
    assert all(isinstance(m.copy, lazy_log_copies.LogCopies) for m in lazy_log_copies.MODULES)
    assert RulePolicy._get_possible_keys is fast_rule_lookup._get_possible_keys
    assert len(SPEEDUPS) == 10


# --- event classes by name ---------------------------------------------------------------


@pytest.mark.parametrize("cls", all_subclasses(Event), ids=lambda cls: cls.__name__)
def test_every_event_type_resolves_to_the_same_class(cls):
    assert Event.resolve_by_type(cls.type_name) is fast_event_lookup._original(cls.type_name)


def test_unknown_event_types_behave_as_before():
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no-such-event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'no-such-event'"):
        Event.resolve_by_type("no-such-event")


def test_an_event_class_defined_later_is_found():
    class LateEvent(SlotSet):  # concrete: Rasa skips abstract event classes
        type_name = "lans_late_event_for_test"

    assert Event.resolve_by_type("lans_late_event_for_test") is LateEvent
    assert fast_event_lookup._original("lans_late_event_for_test") is LateEvent


# --- sparse features side by side --------------------------------------------------------


def sparse(
    rows: int, cols: int, seed: int, fmt: str = "coo", dtype: type = np.float64
) -> scipy.sparse.spmatrix:
    return scipy.sparse.random(rows, cols, density=0.05, format=fmt, dtype=dtype, random_state=seed)


def combined(left, right, combine) -> scipy.sparse.spmatrix:
    features = Features(left, "sequence", "text", "a")
    combine(features, Features(right, "sequence", "text", "b"))
    return features.features


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (sparse(7, 30, 1), sparse(7, 500, 2)),
        (sparse(7, 30, 1), sparse(7, 500, 2, dtype=np.int64)),  # lexical features, then counts
        (sparse(7, 30, 1, dtype=np.float32), sparse(7, 50, 2, dtype=np.float32)),
        (sparse(7, 30, 1, dtype=np.int64), sparse(7, 50, 2, dtype=np.int64)),  # Rasa's path
        (sparse(1, 5, 3), sparse(1, 9, 4)),
        (scipy.sparse.coo_matrix((4, 10), dtype=np.float32), sparse(4, 3, 5)),  # no entries
        (sparse(6, 20, 6, "csr"), sparse(6, 8, 7)),  # not COO: Rasa's own path
    ],
)
def test_sparse_features_are_joined_exactly_as_before(left, right):
    fast = combined(left, right, fast_sparse_features._combine_sparse_features)
    slow = combined(left, right, fast_sparse_features._original)
    assert type(fast) is type(slow) and fast.shape == slow.shape and fast.dtype == slow.dtype
    assert (fast != slow).nnz == 0


def test_sparse_features_with_different_lengths_are_refused_as_before():
    with pytest.raises(ValueError, match="sequence dimensions do not match"):
        combined(sparse(3, 4, 8), sparse(5, 4, 9), fast_sparse_features._combine_sparse_features)


# --- slot copies ------------------------------------------------------------------------


def test_every_slot_of_the_domain_is_copied_as_copy_copy_would(domain):
    for slot in domain.slots:
        fast, slow = fast_slot_copy._copy(slot), copy.copy(slot)
        assert type(fast) is type(slow) and vars(fast) == vars(slow) and fast is not slot
        fast.value = "changed"
        assert slot.value != "changed"


def test_objects_with_their_own_copy_hook_still_use_it():
    class Special:
        def __copy__(self) -> str:
            return "own copy"

    assert fast_slot_copy._copy(Special()) == "own copy"


def test_the_tracker_module_keeps_the_rest_of_the_copy_module():
    assert rasa.shared.core.trackers.copy.deepcopy is copy.deepcopy


# --- dialogue states ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


def conversation(domain: Domain) -> list[Event]:
    """A real turn sequence: greet, the role, the check form, a question."""
    form = "signs_check_form"
    return [
        ActionExecuted("action_session_start"),
        ActionExecuted("action_listen"),
        UserUttered("hoi", {"name": "greet", "confidence": 1.0}),
        ActionExecuted("utter_greet"),
        ActionExecuted("action_listen"),
        UserUttered(
            "ik ben ouder", {"name": "inform_role"}, [{"entity": "role", "value": "ouder"}]
        ),
        SlotSet("role", "ouder"),
        ActionExecuted(form),
        ActionExecuted("action_listen"),
        UserUttered("wat is schoolweigering", {"name": "ask_what_is_school_refusal"}),
    ]


RULE_ONLY = {"slots": ["role"], "loops": []}
OPTIONS = list(itertools.product([False, True], [False, True], [None, RULE_ONLY]))


def test_states_match_rasa_after_every_event_and_with_every_option(domain):
    tracker = DialogueStateTracker("s", domain.slots)
    for event in conversation(domain):
        tracker.update(event)
        for omit, ignore, rule_only in OPTIONS:
            for _ in range(2):  # the second call comes from the cache
                fast = tracker.past_states(domain, omit, ignore, rule_only)
                slow = fast_state_history._original(tracker, domain, omit, ignore, rule_only)
                assert fast == slow


def test_editing_returned_states_does_not_change_the_next_answer(domain):
    tracker = DialogueStateTracker.from_events("s", conversation(domain), domain.slots)
    first = tracker.past_states(domain)
    expected = fast_state_history._original(tracker, domain)
    first[-1]["user"].clear()  # what Rasa's featurizers do to the last user state
    first.pop()
    assert tracker.past_states(domain) == expected


def test_a_copied_tracker_that_goes_its_own_way_gets_its_own_states(domain):
    tracker = DialogueStateTracker.from_events("s", conversation(domain), domain.slots)
    tracker.past_states(domain)
    other = tracker.copy()
    other.update(ActionExecuted("utter_what_is_school_refusal"))
    assert other.past_states(domain) == fast_state_history._original(other, domain)
    assert tracker.past_states(domain) == fast_state_history._original(tracker, domain)


# --- DIET's prediction graph -------------------------------------------------------------


MESSAGES = [
    "mijn dochter heeft elke maandag buikpijn",
    "wat is schoolweigering",
    "ik ben een ouder van een jongen van 14",
    "hoe lang duurt lans eigenlijk",
    "gwn geen zin in school ff",
    "blorp",
]


def parse_all(agent: Agent) -> list[dict]:
    async def parse() -> list[dict]:
        return [await agent.parse_message(text) for text in MESSAGES]

    return asyncio.run(parse())


def test_diet_predicts_exactly_as_through_tf_function(trained_model, monkeypatch):
    agent = Agent.load(str(trained_model))
    parse_all(agent)  # the first call traces the graph and keeps the concrete function
    fast = parse_all(agent)
    monkeypatch.setattr(RasaModel, "_rasa_predict", fast_tf_predict._original)
    slow = parse_all(agent)
    for mine, theirs in zip(fast, slow, strict=True):
        assert mine["intent"] == theirs["intent"]
        assert mine["intent_ranking"] == theirs["intent_ranking"]
        assert mine["entities"] == theirs["entities"]


# --- the garbage collector and the loaded model ------------------------------------------


def test_the_loaded_model_is_frozen_at_the_first_message_and_answers_as_before(trained_model):
    gc.unfreeze()
    gc_freeze.install()
    agent = Agent.load(str(trained_model))
    assert gc.get_freeze_count() == 0
    try:
        [first] = asyncio.run(_parse(agent, MESSAGES[:1]))
        # The model's objects are out of the collector's way, and the wrapper is gone again.
        assert gc.get_freeze_count() > 100_000
        assert MessageProcessor.parse_message is gc_freeze._original
        [again] = asyncio.run(_parse(agent, MESSAGES[:1]))
        assert first["intent"] == again["intent"]
        assert first["intent_ranking"] == again["intent_ranking"]
    finally:
        gc.unfreeze()


async def _parse(agent: Agent, texts: list[str]) -> list[dict]:
    return [await agent.parse_message(text) for text in texts]


# --- the graph runner ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def processor(trained_model) -> MessageProcessor:
    return Agent.load(str(trained_model)).processor


def test_the_graph_runs_to_the_same_parses_and_predictions_as_through_dask(processor):
    runner, metadata = processor.graph_runner, processor.model_metadata

    async def run_both(tracker: DialogueStateTracker, text: str) -> None:
        parses = []
        inputs = {PLACEHOLDER_MESSAGE: [UserMessage(text)], PLACEHOLDER_TRACKER: tracker}
        for run in (fast_graph_runner._run, fast_graph_runner._original):
            [message] = run(runner, inputs, [metadata.nlu_target])[metadata.nlu_target]
            parse = message.as_dict()
            parse["text_spacy_doc"] = parse["text_spacy_doc"].to_json()  # compare docs by content
            parses.append(parse)
        assert parses[0] == parses[1]
        assert parses[0]["intent"]["name"]
        await processor._handle_message_with_tracker(UserMessage(text), tracker)
        inputs, targets = {PLACEHOLDER_TRACKER: tracker}, [metadata.core_target]
        fast = fast_graph_runner._run(runner, inputs, targets)[metadata.core_target]
        slow = fast_graph_runner._original(runner, inputs, targets)[metadata.core_target]
        assert fast == slow
        assert (fast.policy_name, fast.max_confidence) == (slow.policy_name, slow.max_confidence)

    async def conversation() -> None:
        tracker = await processor.fetch_tracker_and_update_session("graph-runner-test")
        for text in MESSAGES:
            await run_both(tracker, text)

    asyncio.run(conversation())
    assert len(runner._lans_plans) == 2  # planned once per set of targets, then reused


def test_the_graph_runner_refuses_an_input_named_like_a_node_as_dask_does(trained_model):
    runner = Agent.load(str(trained_model)).processor.graph_runner
    node = next(iter(runner._graph_schema.nodes))
    inputs = {PLACEHOLDER_MESSAGE: node}
    for run in (fast_graph_runner._run, fast_graph_runner._original):
        with pytest.raises(GraphRunError, match="clashes with a node name"):
            run(runner, inputs, [node])


# --- deep copies for debug log lines -----------------------------------------------------


@pytest.mark.parametrize("module", lazy_log_copies.MODULES, ids=lambda module: module.__name__)
def test_the_module_uses_copy_only_inside_its_debug_log_calls(module):
    tree = ast.parse(inspect.getsource(module))
    parent = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    names = [node for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id == "copy"]
    assert names
    for name in names:
        node = name
        while not (isinstance(node, ast.Call) and ast.unparse(node.func) == "structlogger.debug"):
            assert node in parent, (
                f"{module.__name__} line {name.lineno} uses copy outside a log call"
            )
            node = parent[node]


def test_log_copies_are_made_only_when_debug_lines_are_written():
    shim, logger = rasa.core.processor.copy, logging.getLogger("rasa.core.processor")
    value = {"states": [{"user": {"intent": "greet"}}]}
    level = logger.level
    try:
        logger.setLevel(logging.INFO)
        assert shim.deepcopy(value) is value
        logger.setLevel(logging.DEBUG)
        copied = shim.deepcopy(value)
        assert copied == value and copied["states"][0] is not value["states"][0]
    finally:
        logger.setLevel(level)
    assert shim.copy is copy.copy  # the rest of the module is still there


# --- finding the applicable rules ----------------------------------------------------------


def test_the_same_rules_are_found_for_every_rule_and_along_a_conversation(processor, domain):
    [policy] = [
        node._component
        for node in processor.graph_runner._instantiated_nodes.values()
        if isinstance(node._component, RulePolicy)
    ]
    tracker = DialogueStateTracker("rules", domain.slots)
    histories = []
    for event in conversation(domain):
        tracker.update(event)
        for use_text in (False, True):
            rule_only = policy._get_rule_only_data()
            histories.append(policy._prediction_states(tracker, domain, use_text, rule_only))
    histories += [policy._rule_key_to_state(key) for table in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH)
                  for key in policy.lookup[table]]  # fmt: skip
    found = 0
    for states in histories:
        for table in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH):
            mine = fast_rule_lookup._get_possible_keys(policy, policy.lookup[table], states)
            assert mine == fast_rule_lookup._original(policy, policy.lookup[table], states)
            found += len(mine)
    assert found > len(histories)  # the rules' own states find (at least) those rules
