"""Rasa test stories (tests/e2e) against the trained model: any wrong prediction fails."""

from __future__ import annotations

import json

from tests.engine.engine_cli import ROOT, rasa


def test_every_test_story_passes(trained_model, tmp_path):
    result = rasa(
        "test", "core",
        "--model", str(trained_model),
        "--stories", str(ROOT / "tests" / "e2e"),
        "--out", str(tmp_path),
        "--no-plot",
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    failed = (tmp_path / "failed_test_stories.yml").read_text()
    assert "None of the test stories failed" in failed, failed
    report = json.loads((tmp_path / "story_report.json").read_text())
    assert report["conversation_accuracy"]["accuracy"] == 1.0
    assert report["conversation_accuracy"]["total"] >= 21
