"""Hypothesis settings and text strategies shared by the fuzz tests of both environments."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
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
