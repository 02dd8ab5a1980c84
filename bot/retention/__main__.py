"""`python -m bot.retention [--dry-run]`: one retention run now; prints counts, never data.

Exit status: 0 when every store was handled, 1 when one could not be used (the message names
the setting to check), 2 when a setting is invalid.
"""

from __future__ import annotations

import argparse
import logging
import sys

from pydantic import ValidationError

from bot.intake.settings import Settings
from bot.retention.run import RetentionReport, run_retention
from bot.retention.settings import RetentionSettings

CHECK = {
    "tracker store": "check LANS_TRACKER_DATABASE_URL (Rasa's SQL tracker store)",
    "intake database": "check DATABASE_URL, and that `python -m bot.intake migrate` has run",
}


def describe(
    report: RetentionReport, settings: Settings, retention: RetentionSettings
) -> list[str]:
    """The printed lines: what was (or would be) erased, per kind, as counts."""
    verb = "would be erased" if report.dry_run else "erased"
    counts = report.counts
    labels = [
        (
            "conversations",
            f"Rasa conversations, last message over {retention.lans_retention_chat_days} days ago",
        ),
        (
            "old_session_events",
            "events of earlier sessions in conversations still going on, over "
            f"{retention.lans_retention_chat_days} days old",
        ),
        ("questions", f"anonymous questions, over {settings.question_expiry_days} days old"),
        (
            "closed_referrals",
            "closed referrals (afgerond, doorverwezen), last status change over "
            f"{retention.lans_retention_closed_referral_days} days ago",
        ),
        ("withdrawn_referrals", "withdrawn referrals (ingetrokken)"),
        ("staff_sessions", "ended staff logins"),
        ("login_failures", "failed logins that no longer count"),
    ]
    title = "Retention run (dry run: nothing was erased)" if report.dry_run else "Retention run"
    lines = [title]
    for key, label in labels:
        if key in counts:
            extra = ""
            if key == "conversations":
                extra = f" ({counts.get('conversation_events', 0)} events)"
            lines.append(f"  {label}: {counts[key]} {verb}{extra}")
    lines += [f"  note: {note}" for note in report.notes]
    for store, error in report.failed.items():
        lines.append(
            f"Error: the {store} could not be used ({error}): {CHECK[store]}. "
            "Nothing was erased there."
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.retention",
        description="Erase conversations, questions and closed referrals past their period.",
    )
    parser.add_argument("--dry-run", action="store_true", help="only count, erase nothing")
    args = parser.parse_args(argv)
    # The lines below say it all; the run's own log lines would repeat them.
    quiet = logging.getLogger("bot.intake.retention")
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False
    try:
        settings = Settings()
        retention = RetentionSettings()
    except ValidationError as error:
        for problem in error.errors(include_input=False, include_url=False):
            name = ".".join(str(part) for part in problem["loc"]).upper()
            print(f"Error: invalid setting {name}: {problem['msg']}", file=sys.stderr)
        return 2
    report = run_retention(settings, retention, dry_run=args.dry_run)
    for line in describe(report, settings, retention):
        print(line, file=sys.stdout if not line.startswith("Error") else sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
