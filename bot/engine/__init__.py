"""Fixes to the Rasa engine itself, applied in every process that loads the LANS model.

Each module replaces one hot spot found by profiling the REST server under load (README
"Speed") with a faster equivalent; tests/engine/test_engine_speedups.py checks that each
behaves exactly like the code it replaces.
"""

import os
from importlib import import_module

SPEEDUPS = tuple(
    import_module(f"bot.engine.{name}")
    for name in (
        "fast_action_validation",
        "fast_event_lookup",
        "fast_graph_runner",
        "fast_rule_lookup",
        "fast_slot_copy",
        "fast_sparse_features",
        "fast_state_history",
        "fast_tf_predict",
        "gc_freeze",
        "lazy_log_copies",
    )
)


def install_speedups() -> None:
    # LANS_ENGINE_SPEEDUPS=0 runs stock Rasa code, so the benchmark can show what they add.
    if os.environ.get("LANS_ENGINE_SPEEDUPS", "1") == "0":
        return
    for speedup in SPEEDUPS:
        speedup.install()
