"""Remove training examples that also occur in a held-out set (tests/nlu/*.yml).

The held-out set must never be trained on; helpers writing training data cannot see it, so
short common messages ("thanks!!") sometimes collide. Run after adding training data:

    python3 scripts/drop_heldout_overlap.py
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = re.compile(r"^(\s*)- (?!(?:intent|regex|synonym|lookup):)(.*)$")


def plain(text: str) -> str:
    text = re.sub(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})", r"\1", text)
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


def examples(path: Path) -> set[str]:
    return {plain(m.group(2)) for line in path.open() if (m := EXAMPLE.match(line))}


def main() -> None:
    heldout = set().union(*(examples(path) for path in (ROOT / "tests" / "nlu").glob("*.yml")))
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        lines = path.read_text().splitlines(keepends=True)
        kept = [
            line
            for line in lines
            if not ((m := EXAMPLE.match(line)) and m.group(1) and plain(m.group(2)) in heldout)
        ]
        if len(kept) != len(lines):
            path.write_text("".join(kept))
            print(f"{path.relative_to(ROOT)}: removed {len(lines) - len(kept)}")


if __name__ == "__main__":
    main()
