"""No personal data in any log of any process of the stack (issue 6: "a test sends a message
with a phone number, an e-mail and a name and greps every log for them").

The real Rasa server, action server and intake service (session fixtures), a second intake
process that serves the web chat relaying to that Rasa, and the Telegram bridge against a fake
Bot API on loopback. One message with a name, a phone number and an e-mail address goes in
through every channel; the same details go through a whole referral (action server, outbox,
intake API), a refused anonymous question, a web-chat question, the staff dashboard (view,
note, search, export) and a withdrawal. Then every log file is searched for the exact strings
and their variants (digits without spaces, the e-mail's local part, the name in lower case).
Heavy (it starts Rasa with the trained model): run this file on its own.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from domain_responses import assert_says
from local_servers import on_free_ports
from web.helpers import create_staff_account

from bot.intake.process import IntakeService, running_intake
from tests.service.conftest import Conversation
from tests.service.telegram.tg_fakes import FakeBotApi, ThreadServer, User, running_bridge

pytestmark = pytest.mark.e2e

FIRST, LAST = "Gijsbertha", "Vandermolen"
CHILD = "Roelofje"
PHONE = "06-19283746"
EMAIL = "g.vandermolen@voorbeeld.nl"
MESSAGE = f"Ik ben {FIRST} {LAST}, bel me op {PHONE} of mail naar {EMAIL}"
# Every form in which the details could show up in a log line (compared in lower case).
VARIANTS = [
    FIRST, LAST, f"{FIRST} {LAST}", CHILD,
    PHONE, "0619283746", "06 19283746", "+31619283746", "31619283746", "19283746", "1928 3746",
    EMAIL, "g.vandermolen", "vandermolen@", "voorbeeld.nl",
]  # fmt: skip
PARENT = User(id=733_104_288, first_name="Hendrikje", last_name="Tjalsma", username="hendrikje_t")
STAFF = ("logcheck", "logcheck-wachtwoord-1")
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
REFERENCE = re.compile(r"\b([A-Z0-9]{3}-[A-Z0-9]{3})\b")


@pytest.fixture
def web_chat(engine, intake_env, tmp_path) -> Iterator[IntakeService]:
    """The intake service's process again (same database), relaying its /chat to our Rasa."""
    env = {**intake_env, "RASA_URL": engine.rasa_url, "INTAKE_MIGRATE_ON_START": "false"}
    logs = tmp_path / "webchat-logs"
    with on_free_ports(lambda port: running_intake(port, logs, env)) as service:
        yield service


def csrf(client: httpx.Client, page: str) -> str:
    found = TOKEN.search(client.get(page).text)
    assert found, page
    return found.group(1)


def refer(conversation: Conversation) -> str:
    """A parent's referral with these details, by e-mail; returns the reference."""
    steps = [
        ("ik wil mijn dochter aanmelden voor lans", "utter_ask_referral_consent"),
        ("ja", "utter_ask_child_first_name"),
        (CHILD, "utter_ask_child_age"),
        ("ze is 13", "utter_ask_child_class"),
        ("2 havo", "utter_ask_absence_duration"),
        ("sinds de herfstvakantie", "utter_ask_absence_extent"),
        ("een paar dagen per week", "utter_ask_signs"),
        (f"buikpijn, zegt {CHILD}", "utter_ask_both_parents_know"),
        ("ja", "utter_ask_parent_name"),
        (f"{FIRST} {LAST}", "utter_ask_contact_preference"),
        ("e-mail", "utter_ask_email"),
        (EMAIL, "utter_ask_contact_time"),
        ("ochtend", "utter_ask_referral_confirmed"),
    ]
    for answer, expected in steps:
        slots = {"role": "ouder", "contact_preference": "e-mail"}
        assert_says(conversation.text_of(answer), expected, **slots)
    done = conversation.text_of("ja, klopt")
    found = REFERENCE.search(done)
    assert found and "niet bereikbaar" not in done, done
    assert_says(done, "utter_referral_sent", role="ouder")
    return found[1]


def through_the_assistant(conversation: Conversation) -> str:
    """Rasa and the action server: free text, a referral, a refused question, withdrawals."""
    conversation.say("ik ben ouder")
    conversation.say(MESSAGE)
    reference = refer(conversation)
    conversation.say("ik wil anoniem een vraag stellen")
    conversation.say(MESSAGE)  # refused: a question with contact details is not anonymous
    conversation.say("stop")
    conversation.say("ik wil mijn aanmelding intrekken")  # wrong contact: the phone number
    conversation.say(reference.lower())
    conversation.say(PHONE)
    assert_says(conversation.text_of("ja"), "utter_withdraw_not_found", role="ouder")
    return reference


def through_the_web_chat(web_chat: IntakeService) -> None:
    with httpx.Client(base_url=web_chat.url, timeout=90) as client:
        sent = client.post(
            "/chat/bericht", data={"bericht": MESSAGE, "csrf_token": csrf(client, "/chat")}
        )
        assert sent.status_code == 303, sent.text
        page = client.get("/chat").text
        assert FIRST in page and "lans-assistent" in page.lower()  # Rasa answered
        # Refused, as in the conversation: a question with contact details is not anonymous.
        asked = client.post(
            "/chat/vraag", data={"vraag": MESSAGE, "csrf_token": csrf(client, "/chat")}
        )
        assert asked.status_code == 422
        # A question with only the name is stored (encrypted) and must not be logged either.
        named = f"Mag {FIRST} later op school beginnen?"
        asked = client.post(
            "/chat/vraag", data={"vraag": named, "csrf_token": csrf(client, "/chat")}
        )
        assert asked.status_code == 303
        client.post("/chat/antwoord", data={"code": PHONE, "csrf_token": csrf(client, "/chat")})


def through_telegram(engine, tmp_path: Path) -> Path:
    log = tmp_path / "telegram.log"
    api = FakeBotApi()
    with ThreadServer(api.app()) as server:
        api.url = server.url
        with running_bridge(api, engine.rasa_url, log):
            api.say(PARENT, "/start")
            answer = api.say(PARENT, MESSAGE)
            assert answer, "the bridge relayed nothing"
    return log


def through_the_dashboard(intake, intake_env, reference: str) -> None:
    create_staff_account(intake_env, *STAFF)
    db = sqlite3.connect(intake_env["DATABASE_URL"].removeprefix("sqlite:///"))
    with db:
        [(referral_id,)] = db.execute(
            "SELECT id FROM referrals WHERE reference = ?", (reference.replace("-", ""),)
        ).fetchall()
    db.close()
    with httpx.Client(base_url=intake.url, timeout=30) as staff:
        token = csrf(staff, "/staff/login")
        login = {"username": STAFF[0], "password": STAFF[1], "csrf_token": token}
        assert staff.post("/staff/login", data=login).status_code == 303
        page = f"/staff/aanmeldingen/{referral_id}"
        assert LAST in staff.get(page).text  # staff see the decrypted details
        note = {"text": MESSAGE, "csrf_token": csrf(staff, page)}
        assert staff.post(f"{page}/notities", data=note).status_code == 303
        assert staff.get("/staff/", params={"q": f"{FIRST} {LAST}"}).status_code == 200
        assert staff.get("/staff/export.csv").status_code == 200
        failed = {"username": FIRST.lower(), "password": PHONE, "csrf_token": csrf(staff, page)}
        staff.post("/staff/login", data=failed)


def test_no_log_of_any_process_holds_the_name_phone_or_email(
    engine, intake, intake_env, web_chat, tmp_path
) -> None:
    conversation = Conversation(engine)
    reference = through_the_assistant(conversation)
    through_the_web_chat(web_chat)
    telegram_log = through_telegram(engine, tmp_path)
    through_the_dashboard(intake, intake_env, reference)
    # The details really went through the stack (so a leak would have had its chance).
    tracker = httpx.get(f"{engine.rasa_url}/conversations/{conversation.sender}/tracker")
    assert FIRST in tracker.text and EMAIL in tracker.text
    # Withdraw for real at the end: the intake service erases the personal data (and the
    # withdrawal erases the conversation itself).
    conversation.say("verwijder mijn gegevens")
    conversation.say(f"het nummer is {reference}")
    conversation.say(EMAIL)
    assert_says(conversation.text_of("ja"), "utter_withdraw_done", role="ouder")
    time.sleep(1)  # let the processes flush their last lines
    logs = {
        "rasa": Path(engine.log_dir) / "rasa.log",
        "action server": Path(engine.log_dir) / "actions.log",
        "intake service and dashboard": intake.log,
        "web chat": web_chat.log,
        "telegram bridge": telegram_log,
    }
    texts = {where: path.read_text(errors="replace") for where, path in logs.items()}
    assert all(texts.values()), {where: len(text) for where, text in texts.items()}
    assert f"referral created: {reference}" in texts["intake service and dashboard"]
    assert f"referral withdrawn: {reference}" in texts["intake service and dashboard"]
    secrets = [*VARIANTS, str(PARENT.id), PARENT.first_name, PARENT.username]
    leaks = [
        (secret, where)
        for where, text in texts.items()
        for secret in secrets
        if secret.lower() in text.lower()
    ]
    assert leaks == [], leaks
