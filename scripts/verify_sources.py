"""Check the source map's quotes against ../shared and record their fingerprints.

    python3 scripts/verify_sources.py

Run after changing docs/sources.yml or when the brochure or the spec change; it writes
docs/sources.lock.json (tests/engine/source_fingerprints.py says why). Quotes that are not in
their source are listed and left out of the record, so the test keeps failing on them.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.engine.source_fingerprints import (  # noqa: E402
    LOCK,
    SHARED_FILES,
    flat,
    quoted_facts,
    shared_present,
    write_record,
)


def main() -> int:
    if not shared_present():
        print(f"the shared files are missing: {[str(p) for p in SHARED_FILES.values()]}")
        return 1
    texts = {kind: flat(path.read_text(encoding="utf-8")) for kind, path in SHARED_FILES.items()}
    missing = [(k, q) for k, q in quoted_facts() if flat(q) not in texts[k]]
    for kind, quote in missing:
        print(f"not in the {kind} text: {quote!r}")
    write_record()
    print(f"written {LOCK.relative_to(ROOT)}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
