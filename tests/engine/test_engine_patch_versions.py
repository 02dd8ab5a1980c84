"""The engine patches (bot/engine) install only on the Rasa and TensorFlow versions they were
tested on, and say so in the log either way (security review, issue 18). Each case is a fresh
interpreter that loads bot.nlu as Rasa does when it loads the model."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.engine import TESTED

ROOT = Path(__file__).resolve().parents[2]

# Pretend other versions are installed (importlib.metadata is what bot.engine asks), then load
# the NLU package the way Rasa does and see whether DIET's predict step was replaced.
SCRIPT = """
import json, logging, sys
from importlib import metadata
real_version = metadata.version
pretend = json.loads(sys.argv[1])
metadata.version = lambda name: pretend.get(name) or real_version(name)
logging.basicConfig(
    level=logging.INFO, stream=sys.stdout, format="%(name)s %(levelname)s %(message)s"
)
from rasa.utils.tensorflow.models import RasaModel
stock = RasaModel._rasa_predict
import bot.nlu
print("RESULT", "patched" if RasaModel._rasa_predict is not stock else "stock")
"""


def load_nlu(pretend: dict[str, str]) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(pretend)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "LANS_ENGINE_SPEEDUPS": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = re.search(r"^RESULT (\w+)$", done.stdout, re.MULTILINE)
    assert result, done.stdout[-3000:]
    engine_lines = [line for line in done.stdout.splitlines() if line.startswith("bot.engine ")]
    return result[1], "\n".join(engine_lines)


def test_the_tested_versions_are_the_locked_ones():
    lock = (ROOT / "requirements" / "engine.lock").read_text()
    for package, version in TESTED.items():
        assert re.search(rf"^{package}=={re.escape(version)}$", lock, re.MULTILINE), package


def test_on_the_tested_versions_the_patches_install_and_say_so():
    result, log = load_nlu({})
    assert result == "patched"
    assert "INFO engine patches installed (10, tested on rasa 3.6.21, tensorflow 2.12.0)" in log


@pytest.mark.parametrize(
    ("pretend", "named"),
    [
        ({"rasa": "3.6.20"}, "rasa 3.6.20"),
        ({"tensorflow": "2.13.1"}, "tensorflow 2.13.1"),
        ({"rasa": "3.7.0", "tensorflow": "2.15.0"}, "rasa 3.7.0, tensorflow 2.15.0"),
    ],
)
def test_on_other_versions_they_refuse_with_a_clear_log_line(pretend: dict[str, str], named: str):
    result, log = load_nlu(pretend)
    assert result == "stock"
    assert "WARNING engine patches NOT installed" in log
    assert "tested on rasa 3.6.21, tensorflow 2.12.0" in log and f"this is {named};" in log
    assert "installed (10" not in log
