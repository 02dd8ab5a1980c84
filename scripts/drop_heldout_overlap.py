"""Keep the held-out sets (tests/nlu/*.yml) and the training data (data/nlu) apart.

A held-out set must never be trained on; the people writing either side cannot see the other,
so short common messages ("thanks!!") sometimes collide. After adding training data, drop the
collisions from the training data:

    python3 scripts/drop_heldout_overlap.py

After writing a new held-out set, drop them from that set instead, so the training data
keeps its basics ("ja", "hoi") and the set holds only unseen messages. This drops near-duplicates
too, as tests/blind_overlap.py defines them (accents and case folded; the same words in another
order; similarity of 0.93 or more), which the engine tests require of the blind sets:

    python3 scripts/drop_heldout_overlap.py --from-heldout tests/nlu/heldout_blind2.yml
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.blind_overlap import Index, training_messages  # noqa: E402

EXAMPLE = re.compile(r"^(\s*)- (?!(?:intent|regex|synonym|lookup):)(.*)$")


def plain(text: str) -> str:
    text = re.sub(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})", r"\1", text)
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


def examples(path: Path) -> set[str]:
    return {plain(m.group(2)) for line in path.open() if (m := EXAMPLE.match(line))}


def drop(path: Path, unwanted: set[str]) -> None:
    lines = path.read_text().splitlines(keepends=True)
    kept = [
        line
        for line in lines
        if not ((m := EXAMPLE.match(line)) and m.group(1) and plain(m.group(2)) in unwanted)
    ]
    if len(kept) != len(lines):
        path.write_text("".join(kept))
        print(f"{path.relative_to(ROOT)}: removed {len(lines) - len(kept)}")


def drop_near_duplicates(path: Path) -> None:
    index = Index(training_messages())
    lines = path.read_text().splitlines(keepends=True)
    kept = [
        line
        for line in lines
        if not ((m := EXAMPLE.match(line)) and m.group(1) and index.match(m.group(2)) is not None)
    ]
    if len(kept) != len(lines):
        path.write_text("".join(kept))
        print(f"{path.relative_to(ROOT)}: removed {len(lines) - len(kept)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-heldout", type=Path, help="drop the overlap from this set")
    args = parser.parse_args()
    training = sorted((ROOT / "data" / "nlu").glob("*.yml"))
    if args.from_heldout:
        drop_near_duplicates(args.from_heldout.resolve())
        return
    heldout = set().union(*(examples(path) for path in (ROOT / "tests" / "nlu").glob("*.yml")))
    for path in training:
        drop(path, heldout)


if __name__ == "__main__":
    main()
