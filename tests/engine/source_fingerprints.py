"""What the source-map test needs of the sources outside the project, as fingerprints.

The brochure and the spec live in ../shared, beside the project, and a clean clone (CI) may not
have them; the brochure must not be copied into the project either. docs/sources.lock.json
therefore records, while the shared files are at hand, the SHA-256 of each source file, of each
quote found in it, and of each run of eight brochure words. Where the files are present the test
checks the quotes against them and that this record is current; where they are absent it
checks every quote against the record, so a quote that was changed or added without being
checked against its source still fails. Regenerate with `python3 scripts/verify_sources.py`.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SHARED_FILES = {
    "brochure": SHARED / "seed" / "lans-brochure.txt",
    "domain": SHARED / "spec" / "domain.md",
    "product": SHARED / "spec" / "product.md",
}
MAP = ROOT / "docs" / "sources.yml"
LOCK = ROOT / "docs" / "sources.lock.json"
COPY_RUN = 8  # as ../shared/tools/brochure_overlap.py


def flat(text: str) -> str:
    """White space to single spaces, markdown emphasis (*, **) dropped."""
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()


def words(text: str) -> list[str]:
    return re.findall(r"[a-zà-ÿ0-9]+", text.lower())


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def quote_key(kind: str, quote: str) -> str:
    return digest(f"{kind}\n{flat(quote)}")


def runs(text: str) -> set[str]:
    """Fingerprints of every run of COPY_RUN words."""
    seq = words(text)
    return {digest(" ".join(seq[i : i + COPY_RUN])) for i in range(len(seq) - COPY_RUN + 1)}


def shared_present() -> bool:
    return all(path.is_file() for path in SHARED_FILES.values())


def quoted_facts() -> list[tuple[str, str]]:
    """(kind, quote) of every fact in the map whose source is a shared file."""
    facts = yaml.safe_load(MAP.read_text(encoding="utf-8"))["facts"]
    found = []
    for fact in facts.values():
        kind = fact.get("source")
        quote = fact.get("quote")
        if kind in SHARED_FILES and quote is not None:
            found += [(kind, q) for q in ([quote] if isinstance(quote, str) else quote)]
    return found


def current_record() -> dict:
    """The record as the shared files make it now (only quotes really in their source)."""
    texts = {kind: path.read_text(encoding="utf-8") for kind, path in SHARED_FILES.items()}
    return {
        "files": {kind: digest(text) for kind, text in sorted(texts.items())},
        "quotes": sorted({quote_key(k, q) for k, q in quoted_facts() if flat(q) in flat(texts[k])}),
        "brochure_runs": sorted(runs(texts["brochure"])),
    }


def stored_record() -> dict:
    return json.loads(LOCK.read_text(encoding="utf-8"))


def write_record() -> None:
    LOCK.write_text(json.dumps(current_record(), indent=1) + "\n", encoding="utf-8")
