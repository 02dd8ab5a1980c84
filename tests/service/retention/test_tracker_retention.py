"""Rasa conversations in the SQL tracker store (SQLite and PostgreSQL), written and read back
through the project's store (Rasa 3.6's SQLTrackerStore, encrypting): a conversation goes as a
whole once its last event is older than LANS_RETENTION_CHAT_DAYS; in a conversation still
going on, the sessions older than that go."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from bot.intake.settings import Settings
from bot.retention.run import run_retention
from bot.retention.settings import RetentionSettings

from .conftest import TrackerDatabase

HOUR = 1 / 24
CONVERSATIONS = {
    "tg-old": [45, 40],
    "web-young": [10, 2],
    # Started long ago, last message 29 days ago: its sessions of 80 and 60 days ago go.
    "tg-long-running": [80, 60, 29],
    "web-just-inside": [30 - HOUR],
    "web-just-outside": [30 + HOUR],
    **{f"web-old-{n}": [31 + n] for n in range(4)},
}
# A session each: action_session_start, session_started, action_listen, user, bot.
EVENTS_PER_TURN = 5
ERASED = {"tg-old", "web-just-outside", *(f"web-old-{n}" for n in range(4))}
OLD_SESSIONS = {"tg-long-running": 2}


def retention(tracker_db: TrackerDatabase, **values: object) -> RetentionSettings:
    return RetentionSettings(_env_file=None, lans_tracker_database_url=tracker_db.url, **values)


def test_old_conversations_and_old_sessions_go_and_the_rest_stays(
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
    assert report.counts["old_session_events"] == 2 * EVENTS_PER_TURN
    left = tracker_db.read()
    assert left == {
        s: n - OLD_SESSIONS.get(s, 0) * EVENTS_PER_TURN
        for s, n in written.items()
        if s not in ERASED
    }


def test_the_database_holds_no_message_in_plain_text(tracker_db: TrackerDatabase) -> None:
    tracker_db.write({"tg-1": [1]})
    engine = create_engine(tracker_db.url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM events")).all()
    engine.dispose()
    assert len(rows) == EVENTS_PER_TURN
    stored = repr(rows)
    assert "tg-1" in stored  # the query does read the table
    for plain in ("mijn zoon", "Vertel eens", "action_listen", '"event"'):
        assert plain not in stored


def test_dry_run_counts_conversations_and_erases_none(
    tracker_db: TrackerDatabase, settings: Settings
) -> None:
    tracker_db.write(CONVERSATIONS)
    report = run_retention(settings, retention(tracker_db), dry_run=True)
    assert report.ok, report.failed
    assert report.counts["conversations"] == len(ERASED)
    erased_events = sum(len(CONVERSATIONS[s]) for s in ERASED) * EVENTS_PER_TURN
    assert report.counts["conversation_events"] == erased_events
    assert report.counts["old_session_events"] == 2 * EVENTS_PER_TURN
    assert set(tracker_db.read()) == set(CONVERSATIONS)
