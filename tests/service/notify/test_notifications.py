"""Staff notifications (issue 21 item 3): a new referral or anonymous question gives exactly one
e-mail (over STARTTLS, to a local aiosmtpd) and one Telegram message (to the fake Bot API),
without personal data; a dead SMTP server slows nothing and the mail goes once it is back; two
workers still send each once; the daily digest sends one message for several items."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from intake.helpers import new_key, raw_rows
from sqlalchemy import URL, create_engine, text

from bot.intake.api import create_app
from bot.intake.settings import Settings
from bot.notify.outbox import next_digest
from bot.notify.settings import NotifyConfigError, NotifySettings

from .conftest import STAFF_ADDRESSES, STAFF_CHAT, notify_settings
from .smtp_server import Recorder, SmtpServer

# Personal data that must never leave in a notification.
CHILD = "Zwaluwina"
PARENT = "Ria Vlamingkx"
PHONE = "06 12345678"
EMAIL = "ria.vlamingkx@example.nl"
QUESTION = "Ik durf niet naar school door het pesten in de kantine, wat moet ik doen?"
SECRETS = [CHILD, PARENT, "Vlamingkx", "12345678", "+31612345678", EMAIL, QUESTION, "kantine"]


def referral_body(**changes: Any) -> dict[str, Any]:
    body = {
        "child_first_name": CHILD,
        "child_age": 13,
        "child_class": "2B",
        "absence_duration": "sinds de herfstvakantie",
        "absence_extent": "ongeveer twee dagen per week",
        "signs": "buikpijn op maandagochtend",
        "check_signals": ["physical_complaints"],
        "both_parents_know": "ja",
        "parent_name": PARENT,
        "phone": PHONE,
        "email": EMAIL,
        "contact_preference": "telefoon",
        "contact_time": "na 16:00",
        "consent_version": "2024-1",
        "channel": "telegram",
    }
    return body | changes


def post_referral(client: TestClient, auth: dict[str, str]) -> str:
    response = client.post(
        "/api/v1/referrals", json=referral_body(), headers={**auth, "Idempotency-Key": new_key()}
    )
    assert response.status_code == 201, response.text
    return response.json()["reference"]


def post_question(client: TestClient, auth: dict[str, str]) -> None:
    response = client.post("/api/v1/questions", json={"question": QUESTION}, headers=auth)
    assert response.status_code == 201, response.text


def wait_until(condition: Callable[[], Any], timeout: float = 20.0, what: str = "it") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def pending(url: URL) -> list[dict[str, Any]]:
    return raw_rows(url, "SELECT * FROM staff_notifications")


def staff_texts(bot_api) -> list[str]:
    return [
        c.params["text"] for c in bot_api.delivered() if str(c.params.get("chat_id")) == STAFF_CHAT
    ]


def assert_no_personal_data(text_: str) -> None:
    for secret in SECRETS:
        assert secret.lower() not in text_.lower(), f"{secret!r} in a notification"


@contextmanager
def serving(settings: Settings, notify: NotifySettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, notify)) as client:
        yield client


def mail_text(received) -> str:
    message = received.message
    return f"{received.raw.decode('utf-8', 'replace')}\n{message.get_content()}"


# ---------- one message per item, on both channels ----------


def test_referral_and_question_each_notify_once_without_personal_data(
    settings: Settings, auth, certificate, smtp: SmtpServer, recorder: Recorder, bot_api
) -> None:
    notify = notify_settings(certificate, smtp.port, bot_api.url)
    with serving(settings, notify) as client:
        reference = post_referral(client, auth)
        post_question(client, auth)
        wait_until(lambda: len(recorder.messages()) >= 2, what="two e-mails")
        wait_until(lambda: len(staff_texts(bot_api)) >= 2, what="two Telegram messages")
        time.sleep(0.6)  # several more polls: nothing is sent twice
    mails, texts = recorder.messages(), staff_texts(bot_api)
    assert len(mails) == 2 and len(texts) == 2
    assert all(mail.tls for mail in mails), "an e-mail went without STARTTLS"
    assert all(sorted(mail.recipients) == sorted(STAFF_ADDRESSES) for mail in mails)
    subjects = sorted(mail.message["Subject"] for mail in mails)
    assert subjects == [
        f"Nieuwe aanmelding in de LANS-wachtrij: {reference}",
        "Nieuwe anonieme vraag in de LANS-wachtrij",
    ]
    referral_mail = next(m for m in mails if reference in m.message["Subject"])
    body = referral_mail.message.get_content()
    assert re.search(r"https://lans\.example\.nl/staff/aanmeldingen/\d+", body)
    question_text = next(t for t in texts if "vraag" in t)
    assert re.search(r"https://lans\.example\.nl/staff/vragen/\d+", question_text)
    assert any(reference in t for t in texts)
    for everything in [*map(mail_text, mails), *texts]:
        assert_no_personal_data(everything)
    # Nothing else reached Telegram's staff chat, and the outbox is empty again.
    assert {str(c.params.get("chat_id")) for c in bot_api.calls_to("sendMessage")} == {STAFF_CHAT}
    assert pending(settings.sqlalchemy_url()) == []


def test_one_row_per_item_and_channel_without_personal_data(
    settings: Settings, auth, certificate
) -> None:
    # Both channels pointed at nothing: the rows stay, and can be read as stored.
    dead = notify_settings(certificate, 9, "http://127.0.0.1:9", lans_notify_poll_seconds=30)
    with serving(settings, dead) as client:
        key = new_key()
        replies = [
            client.post(
                "/api/v1/referrals", json=referral_body(), headers={**auth, "Idempotency-Key": key}
            )
            for _ in range(2)
        ]
        assert [r.status_code for r in replies] == [201, 200]  # a replay stores nothing new
        reference = replies[0].json()["reference"]
        post_question(client, auth)
        rows = wait_until(
            lambda: len(pending(settings.sqlalchemy_url())) == 4
            and pending(settings.sqlalchemy_url()),
            what="four rows",
        )
    assert sorted((r["kind"], r["channel"]) for r in rows) == [
        ("question", "email"),
        ("question", "telegram"),
        ("referral", "email"),
        ("referral", "telegram"),
    ]
    assert {r["reference"] for r in rows} == {reference.replace("-", ""), None}
    assert_no_personal_data(repr(rows))


def test_nothing_is_stored_when_notifications_are_off(settings: Settings, auth) -> None:
    with serving(settings, NotifySettings(_env_file=None)) as client:
        post_referral(client, auth)
        post_question(client, auth)
    assert pending(settings.sqlalchemy_url()) == []


def test_a_half_configured_channel_stops_the_start(settings: Settings, certificate) -> None:
    with pytest.raises(NotifyConfigError, match="LANS_SMTP_HOST"):
        create_app(settings, NotifySettings(_env_file=None, lans_notify_email_to="a@example.nl"))
    with pytest.raises(NotifyConfigError, match="BOT_TOKEN"):
        create_app(
            settings,
            NotifySettings(
                _env_file=None, lans_notify_telegram_chat_id=STAFF_CHAT, telegram_bot_token=None
            ),
        )


# ---------- a dead or slow SMTP server ----------


def test_smtp_down_slows_nothing_and_the_mail_goes_when_it_is_back(
    settings: Settings, auth, certificate, smtp: SmtpServer, recorder: Recorder, bot_api
) -> None:
    port = smtp.port
    smtp.stop()  # the mail server goes down
    notify = notify_settings(certificate, port, bot_api.url)
    url = settings.sqlalchemy_url()
    with serving(settings, notify) as client:
        started = time.monotonic()
        reference = post_referral(client, auth)
        post_question(client, auth)
        assert time.monotonic() - started < 2.0, "the API waited for the mail server"
        # Telegram still works; the e-mails fail and are retried.
        wait_until(lambda: len(staff_texts(bot_api)) == 2, what="the Telegram messages")
        wait_until(
            lambda: any(r["attempts"] >= 2 for r in pending(url) if r["channel"] == "email"),
            what="failed e-mail attempts",
        )
        assert recorder.messages() == []
        started = time.monotonic()
        post_question(client, auth)
        assert time.monotonic() - started < 1.0
        with SmtpServer(port, *certificate, recorder):  # back up
            wait_until(lambda: len(recorder.messages()) >= 3, what="the e-mails after the outage")
            time.sleep(0.6)
        wait_until(lambda: pending(url) == [], what="an empty outbox")
    subjects = [m.message["Subject"] for m in recorder.messages()]
    assert len(subjects) == 3
    assert subjects.count(f"Nieuwe aanmelding in de LANS-wachtrij: {reference}") == 1
    assert len(staff_texts(bot_api)) == 3


def test_a_hanging_smtp_server_does_not_slow_the_api(
    settings: Settings, auth, certificate, smtp: SmtpServer, recorder: Recorder
) -> None:
    recorder.delay = 2.0  # the server takes 2 s to accept each message
    with serving(settings, notify_settings(certificate, smtp.port, None)) as client:
        post_referral(client, auth)
        wait_until(lambda: pending(settings.sqlalchemy_url())[0]["claim_token"], what="a claim")
        started = time.monotonic()
        for _ in range(2):
            post_question(client, auth)
        assert client.get("/healthz").status_code == 200
        assert time.monotonic() - started < 1.0, "the API waited for the mail server"
        wait_until(lambda: len(recorder.messages()) == 3, timeout=30, what="three e-mails")


# ---------- two replicas ----------


def test_two_workers_send_every_notification_exactly_once(
    settings: Settings, auth, certificate, smtp: SmtpServer, recorder: Recorder, bot_api
) -> None:
    recorder.delay = 0.05  # sends overlap with the other worker's polls
    notify = notify_settings(certificate, smtp.port, bot_api.url, lans_notify_poll_seconds=0.02)
    references = []
    with ExitStack() as stack:
        one = stack.enter_context(serving(settings, notify))
        two = stack.enter_context(serving(settings, notify))
        for i in range(4):
            references.append(post_referral(one if i % 2 else two, auth))
            post_question(two if i % 2 else one, auth)
        wait_until(lambda: len(recorder.messages()) >= 8, timeout=40, what="eight e-mails")
        wait_until(lambda: len(staff_texts(bot_api)) >= 8, timeout=40, what="eight messages")
        time.sleep(0.5)
    subjects = [m.message["Subject"] for m in recorder.messages()]
    texts = staff_texts(bot_api)
    assert len(subjects) == 8 and len(texts) == 8
    for reference in references:
        assert sum(reference in s for s in subjects) == 1
        assert sum(reference in t for t in texts) == 1
    assert pending(settings.sqlalchemy_url()) == []


def test_concurrent_claims_never_share_a_row(settings: Settings) -> None:
    """The claim itself, many times in parallel (FOR UPDATE SKIP LOCKED on PostgreSQL)."""
    from concurrent.futures import ThreadPoolExecutor

    from bot.intake.db import make_engine, make_sessionmaker
    from bot.notify import outbox

    url = settings.sqlalchemy_url()
    engine = create_engine(url)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        for i in range(60):
            connection.execute(
                text(
                    "INSERT INTO staff_notifications (channel, kind, object_id, created_at, "
                    "due_at, digest, attempts) VALUES ('email', 'question', :i, :t, :t, false, 0)"
                ),
                {"i": i, "t": now},
            )
    engine.dispose()
    engines = [make_engine(url) for _ in range(4)]
    makers = [make_sessionmaker(e) for e in engines]
    claimed: list[tuple[str, int]] = []

    def worker(n: int) -> list[tuple[str, int]]:
        token, got = outbox.new_token(), []
        for _ in range(30):
            rows = outbox.claim(makers[n], token)
            got += [(token, r.id) for r in rows]
        return got

    with ThreadPoolExecutor(4) as pool:
        for result in pool.map(worker, range(4)):
            claimed += result
    for e in engines:
        e.dispose()
    ids = [row_id for _, row_id in claimed]
    assert sorted(ids) == sorted(set(ids)), "a row was claimed twice"
    assert len(ids) == 60


# ---------- the daily digest ----------


def test_the_daily_digest_sends_one_message_for_several_items(
    settings: Settings, auth, certificate, smtp: SmtpServer, recorder: Recorder, bot_api
) -> None:
    notify = notify_settings(certificate, smtp.port, bot_api.url, lans_notify_digest="daily")
    url = settings.sqlalchemy_url()
    with serving(settings, notify) as client:
        references = [post_referral(client, auth) for _ in range(2)]
        post_question(client, auth)
        time.sleep(0.6)
        rows = pending(url)
        assert len(rows) == 6 and all(r["digest"] for r in rows)
        assert recorder.messages() == [] and staff_texts(bot_api) == []
        # The digest time comes.
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE staff_notifications SET due_at = :t"), {"t": datetime.now(UTC)}
            )
        engine.dispose()
        wait_until(lambda: recorder.messages() and staff_texts(bot_api), what="the digest")
        time.sleep(0.6)
    mails, texts = recorder.messages(), staff_texts(bot_api)
    assert len(mails) == 1 and len(texts) == 1
    assert mails[0].message["Subject"] == "3 nieuwe items in de LANS-wachtrij"
    for body in (mails[0].message.get_content(), texts[0]):
        assert all(reference in body for reference in references)
        assert body.count("anonieme vraag") == 1
        assert "https://lans.example.nl/staff/?status=nieuw" in body
        assert_no_personal_data(body)
    assert pending(url) == []


def test_next_digest_time_in_local_time() -> None:
    zone = ZoneInfo("Europe/Amsterdam")
    at = clock(8, 0)
    # Winter (UTC+1): 07:30 local is before today's digest.
    assert next_digest(datetime(2026, 12, 8, 6, 30, tzinfo=UTC), at, zone) == datetime(
        2026, 12, 8, 7, 0, tzinfo=UTC
    )
    # Just after the digest: tomorrow's.
    assert next_digest(datetime(2026, 12, 8, 7, 0, 1, tzinfo=UTC), at, zone) == datetime(
        2026, 12, 9, 7, 0, tzinfo=UTC
    )
    # Summer (UTC+2), across the night.
    assert next_digest(datetime(2026, 7, 1, 22, 0, tzinfo=UTC), at, zone) == datetime(
        2026, 7, 2, 6, 0, tzinfo=UTC
    )


def test_a_question_from_the_web_chat_box_notifies_too(
    settings: Settings, certificate, smtp: SmtpServer, recorder: Recorder, bot_api
) -> None:
    with serving(settings, notify_settings(certificate, smtp.port, bot_api.url)) as client:
        page = client.get("/chat")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert page.status_code == 200 and token
        asked = client.post(
            "/chat/vraag",
            data={"vraag": QUESTION, "csrf_token": token.group(1)},
            follow_redirects=False,
        )
        assert asked.status_code == 303
        wait_until(lambda: recorder.messages() and staff_texts(bot_api), what="notifications")
        time.sleep(0.4)
    mails, texts = recorder.messages(), staff_texts(bot_api)
    assert len(mails) == 1 and len(texts) == 1
    assert mails[0].message["Subject"] == "Nieuwe anonieme vraag in de LANS-wachtrij"
    for everything in (mail_text(mails[0]), texts[0]):
        assert_no_personal_data(everything)
