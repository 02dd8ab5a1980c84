"""The dashboard after the security review (issue 18): failed logins count per username and
per client address, before the password check and atomically, with a growing delay; failures
and locks are in the Logboek without the password; "ingetrokken" set by staff erases like a
parent's withdrawal. Real HTTP to uvicorn, real database."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from intake.helpers import valid_body
from sqlalchemy import select, text

from bot.intake.models import (
    AuditEvent,
    Referral,
    ReferralNote,
    ReferralStatus,
    ReferralStatusChange,
    StaffRole,
)
from bot.intake.settings import Settings
from bot.web.auth import create_account

from .conftest import Served, csrf

ADMIN = ("beheerder", "beheer-wachtwoord-1")
STAFF = ("medewerker", "medewerker-wachtwoord-1")
WRONG = "geheim-verkeerd-wachtwoord-7"


def accounts(served: Served) -> None:
    with served.app.state.sessions.begin() as session:
        create_account(session, ADMIN[0], ADMIN[1], StaffRole.ADMIN, "test")
        create_account(session, STAFF[0], STAFF[1], StaffRole.STAFF, "test")


def login(browser: httpx.Client, username: str, password: str) -> httpx.Response:
    token = csrf(browser, "/staff/login")
    data = {"username": username, "password": password, "csrf_token": token}
    return browser.post("/staff/login", data=data, follow_redirects=False)


def test_parallel_wrong_passwords_cannot_pass_the_lock(serve):
    served: Served = serve(staff_login_delay_seconds=0, staff_login_max_failures=5)
    accounts(served)
    browsers = [served.client(f"198.51.100.{n}") for n in range(1, 25)]
    tokens = [csrf(browser, "/staff/login") for browser in browsers]

    def attempt(number: int) -> int:
        data = {"username": STAFF[0], "password": WRONG, "csrf_token": tokens[number]}
        return browsers[number].post("/staff/login", data=data).status_code

    with ThreadPoolExecutor(len(browsers)) as pool:
        statuses = list(pool.map(attempt, range(len(browsers))))
    for browser in browsers:
        browser.close()
    # Every attempt was counted before its password was checked: at most five were checked,
    # and the ones that were still count; the rest of the five follow one by one.
    # (All of them may be refused: each saw the others still counting.)
    checked = statuses.count(401)
    assert checked <= 5 and set(statuses) <= {401, 429}, statuses
    with served.client("198.51.100.99") as late:
        for _ in range(5 - checked):
            assert login(late, STAFF[0], WRONG).status_code == 401
        locked = login(late, *STAFF)  # even the right password waits now
        assert locked.status_code == 429 and "Te vaak" in locked.text


def test_one_address_cannot_try_many_usernames(serve):
    served: Served = serve(staff_login_max_failures_per_address=8)
    accounts(served)
    with served.client("2001:db8:5:6::1") as attacker:
        statuses = [login(attacker, f"naam{n}", WRONG).status_code for n in range(10)]
    assert statuses == [401] * 8 + [429] * 2
    # The same /64 is the same client; a real account's right password waits there too.
    with served.client("2001:db8:5:6::beef") as same_network:
        assert login(same_network, *STAFF).status_code == 429
    # Elsewhere nobody is locked out: the usernames were never locked.
    with served.client("2001:db8:5:7::1") as colleague:
        assert login(colleague, *STAFF).status_code == 303


def test_the_delay_grows_after_each_failure(serve):
    default = Settings.model_fields["staff_login_delay_seconds"].default
    assert default == 1.0
    served: Served = serve(staff_login_delay_seconds=default)  # 1 s, 2 s, 4 s; locked at five
    accounts(served)
    waits = []
    with served.client("192.0.2.10") as browser:
        # The first mistake is free: a retyped password is checked at once.
        assert login(browser, STAFF[0], WRONG).status_code == 401
        assert login(browser, STAFF[0], WRONG).status_code == 401
        for _ in range(3):
            too_soon = login(browser, *STAFF)  # not even checked, right password or not
            assert too_soon.status_code == 429 and "Te snel" in too_soon.text
            waits.append(int(too_soon.headers["retry-after"]))
            time.sleep(waits[-1] + 0.2)
            assert login(browser, STAFF[0], WRONG).status_code == 401
    # Retry-After is what is left of 1, 2 and 4 s when the too-early attempt arrives.
    assert waits[0] == 1 and 1 < waits[1] <= 2 and 2 < waits[2] <= 4, waits
    # The fifth failure locked the username for the window.
    with served.client("192.0.2.10") as browser:
        locked = login(browser, *STAFF)
        assert locked.status_code == 429 and "Te vaak" in locked.text


def test_failed_logins_and_locks_are_in_the_logboek_without_the_password(serve):
    served: Served = serve(staff_login_delay_seconds=0, staff_login_max_failures=3)
    accounts(served)
    with served.client("192.0.2.20") as browser:
        for _ in range(3):
            assert login(browser, STAFF[0], WRONG).status_code == 401
        # A password typed into the username field is never written down.
        assert login(browser, WRONG, "x").status_code == 401
    with served.client("192.0.2.21") as admin:
        assert login(admin, *ADMIN).status_code == 303
        logboek = admin.get("/staff/audit")
    assert logboek.status_code == 200
    assert "inloggen mislukt" in logboek.text and "inloggen geblokkeerd" in logboek.text
    assert WRONG not in logboek.text and "192.0.2" not in logboek.text
    with served.app.state.sessions() as session:
        events = session.scalars(select(AuditEvent)).all()
        actions = [e.action for e in events]
        assert actions.count("staff.login_failed") == 4
        assert actions.count("staff.login_locked") == 1
        stored = " ".join(f"{e.actor} {e.object_id} {e.detail}" for e in events)
        assert WRONG not in stored and "192.0.2" not in stored
        # The failures table keeps a keyed hash of the address, never the address.
        addresses = session.execute(text("SELECT address FROM staff_login_failures")).all()
        assert addresses and all(row[0] and "192.0.2" not in row[0] for row in addresses)


def test_ingetrokken_set_by_staff_erases_like_a_withdrawal(serve, auth: dict[str, str]):
    served: Served = serve()
    accounts(served)
    with served.client() as api:
        created = api.post(
            "/api/v1/referrals",
            json=valid_body(parent_name="Gerarda Tuinstra", email="g.tuinstra@example.nl"),
            headers={**auth, "Idempotency-Key": "staff-withdraw-0001"},
        )
        assert created.status_code == 201, created.text
    with served.app.state.sessions() as session:
        referral_id = session.scalar(select(Referral.id))
    page = f"/staff/aanmeldingen/{referral_id}"
    with served.client() as staff:
        assert login(staff, *STAFF).status_code == 303
        note = {"text": "Moeder (Gerarda) belt dinsdag terug", "csrf_token": csrf(staff, page)}
        assert staff.post(f"{page}/notities", data=note).status_code == 200
        change = {
            "status": ReferralStatus.WITHDRAWN.value,
            "note": "Gerarda wil stoppen",
            "csrf_token": csrf(staff, page),
        }
        after = staff.post(f"{page}/status", data=change)
        assert after.status_code == 200 and "gewist" in after.text
        assert "Gerarda" not in after.text and "Tuinstra" not in after.text
    with served.app.state.sessions() as session:
        referral = session.get(Referral, referral_id)
        assert referral.status == ReferralStatus.WITHDRAWN
        for field in Referral.PERSONAL_FIELDS:
            assert getattr(referral, field) is None, field
        assert session.scalars(select(ReferralNote)).all() == []
        history = session.scalars(select(ReferralStatusChange)).all()
        assert all(change.note is None for change in history)
        assert history[-1].by == STAFF[0]
        actions = session.scalars(select(AuditEvent.action)).all()
        assert "referral.withdrawn_by_staff" in actions
    # The parent's own withdrawal finds nothing any more: the contact is gone.
    with served.client() as api:
        again = api.post(
            "/api/v1/referrals/withdraw",
            json={"reference": created.json()["reference"], "contact": "g.tuinstra@example.nl"},
            headers=auth,
        )
        assert again.status_code == 404
