"""Run Rasa's prediction graph in a plain loop, in the order dask would, planned once.

Rasa 3.6 runs its graph once to parse each message and once per predicted action. Each run
rebuilds the minimal schema by recursing through every path of the graph, builds a dask
graph, lets dask order it and then executes it with dask's general scheduler. For a graph
of a dozen nodes that is run on one thread, that bookkeeping is about 4 % of the server's
time (py-spy, README "Speed"). This plans each set of targets once (the same
minimal schema, dask's own ordering) and then calls the same nodes in that order, with the
same arguments, errors and results. Pinned to rasa 3.6 (the lock file);
tests/engine/test_engine_speedups.py checks both runners agree.
"""

from __future__ import annotations

from typing import Any

import dask.order
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphNode
from rasa.engine.runner.dask import DaskGraphRunner

_original = DaskGraphRunner.run
Plan = list[tuple[str, GraphNode, tuple[str, ...]]]


def _plan(self: DaskGraphRunner, targets: tuple[str, ...], inputs: tuple[str, ...]) -> Plan:
    plans: dict[tuple, Plan] = self.__dict__.setdefault("_lans_plans", {})
    key = (targets, inputs)
    if key not in plans:
        run_graph = self._build_dask_graph(self._graph_schema.minimal_graph_schema(list(targets)))
        run_graph.update({name: (name, None) for name in inputs})
        priority = dask.order.order(run_graph)
        plans[key] = [
            (name, task[0], task[1:])
            for name, task in sorted(run_graph.items(), key=lambda item: priority[item[0]])
            if name not in inputs
        ]
    return plans[key]


def _run(
    self: DaskGraphRunner,
    inputs: dict[str, Any] | None = None,
    targets: list[str] | None = None,
) -> dict[str, Any]:
    inputs = inputs or {}
    run_targets = tuple(targets if targets else self._graph_schema.target_names)
    if any(name in self._graph_schema.nodes for name in inputs):
        return _original(self, inputs, targets)  # an input replacing a node: leave it to dask
    plan = _plan(self, run_targets, tuple(inputs))
    for value in inputs.values():
        if isinstance(value, str) and any(value == name for name, _, _ in plan):
            raise GraphRunError(
                f"Input value '{value}' clashes with a node name. Make sure that none of the "
                f"input names passed to the `run` method are the same as node names in the "
                f"graph schema."
            )
    # Each result is (name, output), as dask passes it on; an unknown need stays its name.
    results: dict[str, Any] = {name: (name, value) for name, value in inputs.items()}
    try:
        for name, node, needs in plan:
            results[name] = node(*(results.get(need, need) for need in needs))
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e
    return dict(results[target] for target in run_targets)


def install() -> None:
    DaskGraphRunner.run = _run
