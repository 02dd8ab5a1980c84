"""Rasa conversations in the SQL tracker store (SQLite and PostgreSQL), written and read back
with Rasa 3.6's own SQLTrackerStore: a conversation is erased only as a whole, once its last
event is older than LANS_RETENTION_CHAT_DAYS."""

from __future__ import annotations

from bot.intake.settings import Settings
from bot.retention.run import run_retention
from bot.retention.settings import RetentionSettings

from .conftest import TrackerDatabase

HOUR = 1 / 24
CONVERSATIONS = {
    "tg-old": [45, 40],
    "web-young": [10, 2],
    # Started long ago, last message 29 days ago: kept whole, its old turns too.
    "tg-long-running": [80, 60, 29],
    "web-just-inside": [30 - HOUR],
    "web-just-outside": [30 + HOUR],
    **{f"web-old-{n}": [31 + n] for n in range(4)},
}
EVENTS_PER_TURN = 3  # action_listen, the user's message, the bot's answer
ERASED = {"tg-old", "web-just-outside", *(f"web-old-{n}" for n in range(4))}


def retention(tracker_db: TrackerDatabase, **values: object) -> RetentionSettings:
    return RetentionSettings(_env_file=None, lans_tracker_database_url=tracker_db.url, **values)


def test_whole_old_conversations_go_and_the_rest_stays_whole(
    tracker_db: TrackerDatabase, settings: Settings
) -> None:
    tracker_db.write(CONVERSATIONS)
    written = tracker_db.read()
    assert written == {s: len(ages) * EVENTS_PER_TURN for s, ages in CONVERSATIONS.items()}

    # Batches of two: the six old conversations take several transactions.
    report = run_retention(settings, retention(tracker_db, lans_retention_batch_size=2))

    assert report.ok, report.failed
    assert report.counts["conversations"] == len(ERASED)
    assert report.counts["conversation_events"] == sum(written[s] for s in ERASED)
    left = tracker_db.read()
    assert left == {s: n for s, n in written.items() if s not in ERASED}


def test_dry_run_counts_conversations_and_erases_none(
    tracker_db: TrackerDatabase, settings: Settings
) -> None:
    tracker_db.write(CONVERSATIONS)
    report = run_retention(settings, retention(tracker_db), dry_run=True)
    assert report.ok, report.failed
    assert report.counts["conversations"] == len(ERASED)
    erased_events = sum(len(CONVERSATIONS[s]) for s in ERASED) * EVENTS_PER_TURN
    assert report.counts["conversation_events"] == erased_events
    assert set(tracker_db.read()) == set(CONVERSATIONS)
