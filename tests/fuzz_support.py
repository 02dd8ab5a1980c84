"""Hypothesis settings and text strategies shared by the fuzz tests of both environments."""

from __future__ import annotations

import functools

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st

# Derandomised: every run (and CI) tries the same examples, so a failure is reproducible and
# CI does not turn red on a new random find; widen the search locally with other seeds.
FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def any_text(repeats: tuple[int, int] = (500, 2000)) -> st.SearchStrategy[str]:
    """Any text: all of unicode (surrogates and control characters included), the ASCII and C1
    controls on their own, and huge strings (a paste of 20,000 characters is one message)."""
    return st.one_of(
        st.text(),
        st.text(alphabet=st.characters(codec=None, categories=None), max_size=50),
        st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x9F), max_size=50),
        st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=12), st.integers(*repeats)),
    )


# How often a property reached the branch it exists for. A property that returns early on
# refused input ("not a phone number") proves nothing unless valid input also came by: the
# strategies mix valid values in on purpose, the test body calls hit() on the branch that checks
# them, and @exercised fails the test when fewer than `at_least` examples got there.
_HITS: dict[str, int] = {}


def hit(label: str) -> None:
    """Count one example that reached the checking branch of the running property test."""
    _HITS[label] = _HITS.get(label, 0) + 1
    event(label)


def exercised(label: str, at_least: int = 20):
    """Fail a @given test whose checking branch (marked with hit(label)) ran too rarely.

    Put it above @FUZZ and @given: hypothesis reads its settings from the function it wraps."""

    def wrap(test):
        @functools.wraps(test)
        def run(*args, **kwargs):
            _HITS[label] = 0
            test(*args, **kwargs)
            assert _HITS[label] >= at_least, (
                f"the check {label!r} ran on {_HITS[label]} examples, fewer than {at_least}"
            )

        return run

    return wrap
