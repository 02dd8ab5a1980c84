"""Reference numbers a parent can read aloud and type back ("K7M-4QX"), and the longer pickup
codes of anonymous questions ("KM7Q-4XTA"). Standard library only: the action server (Rasa's
Python) uses this module too.

The alphabet leaves out look-alikes (0/O, 1/I/L, 5/S, 8/B, 2/Z), so what a parent reads from a
screen or hears on the phone maps to one reference. 25**6 (about 2.4e8) references; uniqueness
is guaranteed by the database constraint, the service draws again on a collision.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 6
PICKUP_CODE_LENGTH = 8
_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_reference() -> str:
    """A fresh random reference in canonical form (six characters, no dash).

    It always holds a digit and a letter, so it never reads as a word ("NUMMER") and can be
    picked out of a sentence like "mijn nummer is K7M-4QX".
    """
    while True:
        reference = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if any(c.isdigit() for c in reference) and any(c.isalpha() for c in reference):
            return reference


def new_pickup_code() -> str:
    """A fresh pickup code in canonical form (eight characters, no dash): about 1.5e11 codes."""
    return "".join(secrets.choice(ALPHABET) for _ in range(PICKUP_CODE_LENGTH))


def display(reference: str) -> str:
    """The form shown to people: "K7M4QX" -> "K7M-4QX", "KM7Q4XTA" -> "KM7Q-4XTA"."""
    half = len(reference) // 2
    return f"{reference[:half]}-{reference[half:]}"


def parse(text: str, length: int = LENGTH) -> str | None:
    """The canonical reference (or, with length=PICKUP_CODE_LENGTH, pickup code) in what
    someone typed, or None. Tolerates lower case, spaces, a missing or extra dash.
    """
    if len(text) > 40:
        return None
    candidate = _SEPARATORS.sub("", text).upper()
    if len(candidate) != length or any(char not in ALPHABET for char in candidate):
        return None
    return candidate


def find(text: str, length: int = LENGTH) -> str | None:
    """The canonical reference (or pickup code) in a sentence such as "mijn nummer is k7m 4qx".

    Candidates are `length` letters and digits from a word start, with at most a few separators
    between the halves; they may overlap ("ref K7M 4QX" holds "REF K7M" and "K7M 4QX").
    Ordinary words can look like one ("nummer", "want"): drawn references hold digits, so the
    candidate with a digit in the most halves wins, then one written without a space, then the
    first. A code without digits next to such a word ("want KMAQ XTAW") stays ambiguous.
    """
    if whole := parse(text.strip(), length):
        return whole
    half = length // 2
    pattern = rf"(?=\b([A-Za-z0-9]{{{half}}}[\s\-_.]{{0,3}}[A-Za-z0-9]{{{half}}})\b)"
    found = [(code, c) for c in re.findall(pattern, text) if (code := parse(c, length))]
    if not found:
        return None
    return max(found, key=_likelihood)[0]


def _likelihood(found: tuple[str, str]) -> tuple[int, bool]:
    code, written = found
    half = len(code) // 2
    digits = sum(any(c.isdigit() for c in part) for part in (code[:half], code[half:]))
    return digits, not any(c.isspace() for c in written)
