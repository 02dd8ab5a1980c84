"""Blind test messages that the training data (or a test) already contains, near enough.

A blind set measures generalisation only while none of its messages is trained on. Messages
are compared folded: annotations removed, accents dropped (*zorgcoördinator* is
*zorgcoordinator*), case folded, punctuation and spacing ignored. Besides equal messages it
flags near-duplicates: the same set of words in another order, or a character similarity
(difflib's ratio) of at least NEAR. Pure Python, used by both environments' tests:

    python3 -m tests.blind_overlap        # list what overlaps, by blind set
"""

from __future__ import annotations

import ast
import bisect
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
NEAR = 0.93
NLU_BLIND_SETS = ("heldout_fresh.yml", "heldout_blind2.yml", "heldout_blind3.yml")
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def fold(text: str) -> str:
    """The message as compared: no annotations, accents, case, punctuation or extra spaces."""
    text = ANNOTATION.sub(r"\1", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def nlu_examples(path: Path, intent: str | None = None) -> Iterator[str]:
    """The examples of a Rasa NLU YAML file (of one intent, if given), as written."""
    for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
        if intent is not None and block.get("intent") != intent:
            continue
        for line in str(block.get("examples") or "").splitlines():
            if line.strip().startswith("- "):
                yield line.strip()[2:].strip()


def training_messages() -> list[str]:
    return [m for path in sorted((ROOT / "data" / "nlu").glob("*.yml")) for m in nlu_examples(path)]


def crisis_set_files() -> list[Path]:
    return sorted((ROOT / "tests" / "crisis").glob("*/*.json"))


def crisis_set_messages(path: Path) -> list[str]:
    return [item["text"] for item in json.loads(path.read_text(encoding="utf-8"))]


def blind_sets() -> dict[str, list[str]]:
    """Every blind single-message set: the blind NLU sets and the crisis sets."""
    sets = {
        f"tests/nlu/{name}": list(nlu_examples(ROOT / "tests" / "nlu" / name))
        for name in NLU_BLIND_SETS
    }
    for path in crisis_set_files():
        sets[str(path.relative_to(ROOT))] = crisis_set_messages(path)
    return sets


def blind_crisis_messages() -> list[str]:
    """The crisis and alarming-but-safe messages of every blind set."""
    nlu = [
        m for name in NLU_BLIND_SETS for m in nlu_examples(ROOT / "tests" / "nlu" / name, "crisis")
    ]
    return nlu + [m for path in crisis_set_files() for m in crisis_set_messages(path)]


def strings_in_tests(folder: Path) -> list[tuple[str, str]]:
    """(file, text) for every string literal of the Python files under a folder and every line
    of its YAML files (the user messages of the Rasa test stories)."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append((str(path.relative_to(ROOT)), node.value))
    for path in sorted(folder.rglob("*.yml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            found.append((str(path.relative_to(ROOT)), line.strip()))
    return found


class Index:
    """Folded reference messages, searchable for equal and near-duplicate messages."""

    def __init__(self, messages: Iterable[str]) -> None:
        self.original: dict[str, str] = {}
        for message in messages:
            self.original.setdefault(fold(message), message)
        self.words = {frozenset(f.split()): f for f in self.original}
        self.by_length = sorted((len(f), f) for f in self.original)
        self.lengths = [n for n, _ in self.by_length]

    def match(self, message: str) -> str | None:
        """The reference message this one duplicates or nearly duplicates, or None."""
        folded = fold(message)
        if not folded:
            return None
        if folded in self.original:
            return self.original[folded]
        if (same := self.words.get(frozenset(folded.split()))) is not None:
            return self.original[same]
        # ratio = 2 * matches / (len(a) + len(b)) >= NEAR needs lengths within these bounds.
        n = len(folded)
        low = bisect.bisect_left(self.lengths, n * NEAR / (2 - NEAR))
        high = bisect.bisect_right(self.lengths, n * (2 - NEAR) / NEAR)
        matcher = SequenceMatcher(autojunk=False)
        matcher.set_seq2(folded)
        for _, candidate in self.by_length[low:high]:
            matcher.set_seq1(candidate)
            if (
                matcher.real_quick_ratio() >= NEAR
                and matcher.quick_ratio() >= NEAR
                and matcher.ratio() >= NEAR
            ):
                return self.original[candidate]
        return None


def overlaps(messages: Iterable[str], index: Index) -> list[tuple[str, str]]:
    """(blind message, the reference message it duplicates) for every overlapping message."""
    return [(m, found) for m in messages if (found := index.match(m)) is not None]


def main() -> None:
    index = Index(training_messages())
    for name, messages in blind_sets().items():
        found = overlaps(messages, index)
        print(f"{name}: {len(found)} of {len(messages)} overlap the training data")
        for blind, trained in found:
            print(f"  {blind!r}  ~  {trained!r}")


if __name__ == "__main__":
    main()
