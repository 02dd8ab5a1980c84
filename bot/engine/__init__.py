"""Fixes to the Rasa engine itself, applied in every process that loads the LANS model.

Each module replaces one hot spot found by profiling the REST server under load (README
"Speed") with a faster equivalent; tests/engine/test_engine_speedups.py checks that each
behaves exactly like the code it replaces.

They reach into Rasa's and TensorFlow's internals, so they are installed only on the versions
they were tested on (TESTED, the pins of requirements/engine.lock). On any other version they
refuse, with one log line saying so, and the stock (slower, equivalent) code runs.
"""

from __future__ import annotations

import logging
import os
from importlib import import_module, metadata
from types import ModuleType

log = logging.getLogger("bot.engine")

# The versions the patches were written and tested for (tests/engine/test_engine_patch_versions.py
# checks that these are the pins of requirements/engine.lock).
TESTED = {"rasa": "3.6.21", "tensorflow": "2.12.0"}

SPEEDUP_NAMES = (
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


def speedups() -> tuple[ModuleType, ...]:
    """The patch modules (imported only now: they reach into Rasa's internals)."""
    return tuple(import_module(f"bot.engine.{name}") for name in SPEEDUP_NAMES)


def __getattr__(name: str):
    if name == "SPEEDUPS":
        return speedups()
    raise AttributeError(name)


def installed_versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for package in TESTED:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = None
    return found


def untested(versions: dict[str, str | None]) -> dict[str, str | None]:
    """The packages whose version differs from the tested one (name -> installed version)."""
    return {
        name: versions.get(name) for name, tested in TESTED.items() if versions.get(name) != tested
    }


def install_speedups() -> bool:
    """Install every patch, or none; True when they are installed."""
    # LANS_ENGINE_SPEEDUPS=0 runs stock Rasa code, so the benchmark can show what they add.
    if os.environ.get("LANS_ENGINE_SPEEDUPS", "1") == "0":
        log.info("engine patches off (LANS_ENGINE_SPEEDUPS=0): stock Rasa code runs")
        return False
    versions = installed_versions()
    wrong = untested(versions)
    if wrong:
        log.warning(
            "engine patches NOT installed: they were tested on %s, this is %s; the stock Rasa "
            "code runs instead (same answers, slower). Test them on these versions and update "
            "bot/engine TESTED to install them.",
            ", ".join(f"{name} {version}" for name, version in TESTED.items()),
            ", ".join(f"{name} {version or 'not installed'}" for name, version in wrong.items()),
        )
        return False
    for speedup in speedups():
        speedup.install()
    log.info(
        "engine patches installed (%d, tested on %s)",
        len(SPEEDUP_NAMES),
        ", ".join(f"{name} {version}" for name, version in TESTED.items()),
    )
    return True
