"""A parent on Telegram, through the bridge, with the REAL Rasa server, action server and intake
service behind it (the session fixtures of tests/service/conftest.py). Telegram itself is the
fake Bot API on loopback.

Afterwards nothing of the Telegram account (id, username, names) may be in Rasa's tracker
(read over Rasa's HTTP API, on loopback in the tests), the intake database, the outbox or any
log file.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from pathlib import Path

import httpx
import pytest
from domain_responses import assert_says, assert_shared, said
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from tg_fakes import FakeBotApi, RecordingRasa, ThreadServer, User, running_bridge, text_of

from bot.intake.crypto import install_cipher
from bot.intake.db import make_engine, make_sessionmaker
from bot.intake.models import Referral
from bot.intake.settings import Settings
from bot.telegram.bridge import sender_id

pytestmark = pytest.mark.e2e

PARENT = User(
    id=580_113_927, first_name="Wilhelmina", last_name="Zoeterwoude", username="mina_tg_ouder"
)
REFERENCE = re.compile(r"\b[A-Z0-9]{3}-[A-Z0-9]{3}\b")


def titles(api: FakeBotApi) -> list[str]:
    return [b["text"] for b in (api.keyboards() or [[]])[-1]]


def answer(api: FakeBotApi, text: str, button: str | None = None) -> str:
    """Press `button` when the newest keyboard has it, else type `text`."""
    if button is not None:
        with contextlib.suppress(AssertionError):
            api.wait_for(lambda: button in titles(api), timeout=3, what=button)
        if button in titles(api):
            return text_of(api.click(PARENT, button))
    return text_of(api.say(PARENT, text))


def secrets_of(user: User) -> list[str]:
    return [str(user.id), user.username, user.first_name, user.last_name]


def test_a_parent_refers_their_child_on_telegram(
    bot_api: FakeBotApi, engine, intake, intake_env: dict[str, str], tmp_path: Path
) -> None:
    bridge_log = tmp_path / "bridge.log"
    bot_api.rasa = RecordingRasa(engine.rasa_url)  # each reply's length, instead of quiet
    with (
        ThreadServer(bot_api.rasa.app()) as rasa,
        running_bridge(bot_api, rasa.url, bridge_log) as bridge,
    ):
        greeting = text_of(bot_api.say(PARENT, "/start"))
        # Telegram is the parents' channel: "u" and the menu from the start, no role question.
        assert_says(greeting, "utter_greet", role="ouder")
        assert_shared(greeting, "computerprogramma", "utter_greet", role="ouder")
        assert re.search(r"\b[Uu]w?\b", greeting), greeting
        assert "Wat is LANS?" in titles(bot_api)
        assert all(
            len(b["callback_data"].encode()) <= 64 for board in bot_api.keyboards() for b in board
        )
        lans = text_of(bot_api.click(PARENT, "Wat is LANS?"))
        assert bot_api.calls_to("answerCallbackQuery")
        assert_says(lans, "utter_lans", role="ouder")

        # Each answer gets the response it must get, in any of its variations.
        steps = [
            ("ik wil mijn dochter aanmelden voor lans", "utter_ask_referral_consent", None),
            ("ja", "utter_ask_child_first_name", "Ja, ik ga akkoord"),
            ("Sanne", "utter_ask_child_age", None),
            ("ze is 13", "utter_ask_child_class", None),
            ("2 havo", "utter_ask_absence_duration", None),
            ("sinds de herfstvakantie", "utter_ask_absence_extent", None),
            ("een paar dagen per week", "utter_ask_signs", None),
            ("buikpijn op maandag en ze slaapt slecht", "utter_ask_both_parents_know", None),
            ("ja", "utter_ask_parent_name", "Ja"),
            ("Fatima de Vries", "utter_ask_contact_preference", None),
            ("telefoon", "utter_ask_phone", "Telefoon"),
            ("06-12345678", "utter_ask_contact_time", None),
            ("ochtend", "utter_ask_referral_confirmed", None),
        ]
        for text, expected, button in steps:
            reply = answer(bot_api, text, button)
            slots = {"role": "ouder", "contact_preference": "telefoon"}
            assert said(reply, expected, **slots), (text, reply, bot_api.sent_texts()[-8:])
        assert "Sanne" in reply
        done = answer(bot_api, "ja, klopt", "Klopt, versturen")
        reference = REFERENCE.search(done)
        assert reference, done
        # What Rasa stored of this conversation (read before /stop starts a new one).
        sender = sender_id(b"test-sender-secret-0123456789", PARENT.id)
        tracker = httpx.get(f"{engine.rasa_url}/conversations/{sender}/tracker", timeout=30)
        assert tracker.status_code == 200 and "Fatima" in tracker.text

        # /stop ends the conversation: a new start knows nothing of the referral any more.
        stopped = text_of(bot_api.say(PARENT, "/stop"))
        assert "gestopt" in stopped
        again = text_of(bot_api.say(PARENT, "/start"))
        assert_says(again, "utter_greet", role="ouder")
        slots = httpx.get(f"{engine.rasa_url}/conversations/{sender}/tracker", timeout=30).json()[
            "slots"
        ]
        assert slots["child_first_name"] is None and slots["parent_name"] is None
        assert slots["role"] == "ouder"  # the channel's role again, not a remembered one

    # The referral arrived, and nothing of the Telegram account is stored or logged anywhere.
    settings = Settings(
        _env_file=None,
        database_url=intake_env["DATABASE_URL"],
        intake_api_token=intake_env["INTAKE_API_TOKEN"],
        lans_data_key=intake_env["LANS_DATA_KEY"],
        lans_blind_index_key=intake_env["LANS_BLIND_INDEX_KEY"],
    )
    install_cipher(settings.data_cipher())
    sessions = make_sessionmaker(make_engine(settings.sqlalchemy_url()))
    with sessions() as session:
        referrals = session.scalars(select(Referral)).all()
        ours = [
            r for r in referrals if r.reference.replace("-", "") == reference[0].replace("-", "")
        ]
        assert len(ours) == 1
        columns = sa_inspect(Referral).column_attrs
        stored = " ".join(str(getattr(ours[0], column.key)) for column in columns)
    assert "Sanne" in stored and "Fatima de Vries" in stored
    database = Path(intake_env["DATABASE_URL"].removeprefix("sqlite:///"))
    dumps = []
    for path in (database, Path(intake_env["LANS_OUTBOX_PATH"])):
        with sqlite3.connect(path) as connection:
            dumps.append("\n".join(connection.iterdump()))
    logs = [bridge_log, intake.log, *Path(engine.log_dir).glob("*.log")]
    texts = [stored, *dumps, tracker.text, *(p.read_text(errors="replace") for p in logs)]
    places = ["referral", "intake db", "outbox", "rasa tracker", *logs]
    for secret in secrets_of(PARENT):
        for where, text in zip(places, texts, strict=True):
            assert secret.lower() not in text.lower(), (secret, where)
    assert "Traceback" not in bridge.log_text()
