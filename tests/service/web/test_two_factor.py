"""Two-step login of the dashboard (issue 18): set-up with an authenticator app, the second
login step, replay, recovery codes, the throttle, the policy and the CLI reset. The real app on
a real database (SQLite, and PostgreSQL when installed); the codes are computed with pyotp
from the secret as the page shows it, as an authenticator app would."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pyotp
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from httpx import Response
from intake.conftest import Secrets
from intake.helpers import raw_rows
from sqlalchemy import URL, select, update

from bot.intake.api import create_app
from bot.intake.columns import utcnow
from bot.intake.models import AuditEvent, LoginFailure, Referral, StaffSession, StaffUser
from bot.intake.settings import PROJECT_ROOT, Settings
from bot.web import two_factor

from .helpers import ADMIN, STAFF, csrf_token, login, make_accounts, post_form
from .two_step_helpers import code_at, fresh_step

SETUP = "/staff/twee-stappen"
CODE = "/staff/login/code"
WRONG_CODE_TEXT = "Deze code klopt niet of is verlopen. Probeer de nieuwe code uit uw app."

_SECRET = re.compile(r'<p class="secret" id="sleutel">([A-Z2-7 ]+)</p>')
_RECOVERY = re.compile(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>")

# What a complete login may open; a half login must open none of it.
GET_PAGES = ["/staff/", "/staff/audit", "/staff/accounts", "/staff/export.csv",
             "/staff/wachtwoord", "/staff/aanmeldingen/1", "/staff/vragen/1"]  # fmt: skip


def time_passes(client: TestClient, username: str) -> None:
    """As if the account's last code was used a minute ago (so this step's code is new)."""
    step = int(time.time() // 30)
    with client.app.state.sessions.begin() as session:
        session.execute(
            update(StaffUser).where(StaffUser.username == username).values(totp_last_step=step - 2)
        )


def second_step(client: TestClient, **fields: str) -> Response:
    return post_form(client, CODE, fields, CODE)


def enrol(client: TestClient) -> tuple[str, list[str], str]:
    """Set up two-step login for the logged-in member; returns the secret, the recovery codes
    and the code that turned it on."""
    page = client.get(SETUP)
    assert page.status_code == 200, page.text
    match = _SECRET.search(page.text)
    assert match, "no secret on the set-up page"
    secret = match.group(1).replace(" ", "")
    fresh_step()
    code = code_at(secret)
    done = post_form(client, SETUP, {"code": code}, SETUP)
    assert done.status_code == 200, done.text
    codes = _RECOVERY.findall(done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    return secret, codes, code


def actions(client: TestClient) -> list[str]:
    with client.app.state.sessions() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_set_up_shows_a_qr_code_and_needs_a_valid_code(
    client: TestClient, database_url: URL, test_secrets: Secrets
) -> None:
    make_accounts(client)
    assert login(client).status_code == 303
    page = client.get(SETUP)
    assert page.status_code == 200
    # The QR code is inline SVG drawn by the server: no image from elsewhere, no script.
    assert '<svg role="img"' in page.text and "<title>QR-code" in page.text
    assert "<script" not in page.text and "<img" not in page.text
    assert 'autocomplete="one-time-code"' in page.text and 'inputmode="numeric"' in page.text
    secret = _SECRET.search(page.text).group(1).replace(" ", "")
    assert len(secret) == 32
    assert _SECRET.search(client.get(SETUP).text).group(1).replace(" ", "") == secret  # reload

    # While it is being set up, the secret is stored encrypted, never as it is.
    (row,) = raw_rows(database_url, "SELECT * FROM staff_users WHERE username = :u", u=STAFF[0])
    assert row["totp_secret"] is None and secret not in repr(row)
    pending = json.loads(Fernet(test_secrets.data_key).decrypt(row["totp_pending_secret"]))
    assert pending == secret

    # A wrong code does not turn it on.
    fresh_step()
    wrong = post_form(client, SETUP, {"code": code_at(secret, 3)}, SETUP)
    assert wrong.status_code == 400 and WRONG_CODE_TEXT in wrong.text
    assert "<code>" not in wrong.text
    with client.app.state.sessions() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.username == STAFF[0]))
        assert not two_factor.is_enrolled(user)

    fresh_step()
    done = post_form(client, SETUP, {"code": code_at(secret)}, SETUP)
    assert done.status_code == 200
    codes = _RECOVERY.findall(done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "U ziet deze codes alleen nu" in done.text

    # The codes are shown once: the page now only says that it is on.
    later = client.get(SETUP)
    assert "staat aan" in later.text and "nog 10 herstelcodes" in later.text
    assert not any(code in later.text for code in codes)
    assert "<svg" not in later.text and secret not in later.text

    # At rest: the secret encrypted under LANS_DATA_KEY, the recovery codes argon2id hashes.
    (row,) = raw_rows(database_url, "SELECT * FROM staff_users WHERE username = :u", u=STAFF[0])
    assert row["totp_pending_secret"] is None
    assert row["totp_secret"] != secret and secret not in row["totp_secret"]
    assert json.loads(Fernet(test_secrets.data_key).decrypt(row["totp_secret"])) == secret
    hashes = raw_rows(database_url, "SELECT code_hash, used_at FROM staff_recovery_codes")
    assert len(hashes) == 10 and all(h["code_hash"].startswith("$argon2id$") for h in hashes)
    dump = repr(hashes)
    assert not any(code in dump or code.replace("-", "") in dump for code in codes)
    assert "account.2fa_enrolled" in actions(client)


def test_login_needs_the_code_and_a_half_login_opens_nothing(client: TestClient, auth) -> None:
    from intake.helpers import post_referral, valid_body

    make_accounts(client)
    assert post_referral(client, valid_body(), auth).status_code == 201
    assert login(client).status_code == 303
    secret, _codes, _used = enrol(client)
    post_form(client, "/staff/logout", {})

    first = login(client)
    assert first.status_code == 303 and first.headers["location"] == CODE
    # Half logged in: every page sends to the code page, every form is refused unexecuted.
    for page in [*GET_PAGES, SETUP]:
        response = client.get(page, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == CODE, page
    token = csrf_token(client, CODE)
    for path, data in [
        ("/staff/aanmeldingen/1/status", {"status": "afgerond"}),
        ("/staff/aanmeldingen/1/notities", {"text": "niet toegestaan"}),
        ("/staff/accounts", {"username": "indringer", "password": "x" * 20}),
        ("/staff/wachtwoord", {"current": STAFF[1], "new": "n" * 14, "repeat": "n" * 14}),
        (SETUP, {"code": code_at(secret)}),
    ]:
        refused = client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
        assert refused.status_code == 303 and refused.headers["location"] == CODE, path
    with client.app.state.sessions() as session:
        assert session.scalar(select(Referral.status)).value == "nieuw"
        assert session.scalar(select(StaffUser).where(StaffUser.username == "indringer")) is None
    # The code page has the accessible fields and no menu of the dashboard.
    page = client.get(CODE)
    assert 'autocomplete="one-time-code"' in page.text and 'inputmode="numeric"' in page.text
    assert 'href="/staff/audit"' not in page.text
    assert client.get("/staff/login", follow_redirects=False).headers["location"] == CODE

    # The code completes the login with a new token; the half login's token is gone.
    half_cookie = client.cookies.get("lans_staff")
    time_passes(client, STAFF[0])
    fresh_step()
    done = second_step(client, code=code_at(secret))
    assert done.status_code == 303 and done.headers["location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert client.get(CODE, follow_redirects=False).headers["location"] == "/staff/"
    stale = TestClient(client.app)
    stale.cookies.set("lans_staff", half_cookie, path="/staff")
    assert stale.get("/staff/", follow_redirects=False).headers["location"] == "/staff/login"
    assert {"staff.2fa_passed", "staff.login"} <= set(actions(client)[-3:])
    logboek = client.get("/staff/audit").text
    assert "tweede inlogstap gelukt" in logboek and "inloggen in twee stappen aangezet" in logboek


def test_a_half_login_ends_by_itself_and_by_logout(client: TestClient) -> None:
    make_accounts(client)
    login(client)
    enrol(client)
    post_form(client, "/staff/logout", {})
    assert login(client).headers["location"] == CODE
    with client.app.state.sessions() as session:
        row = session.scalar(select(StaffSession).where(StaffSession.code_pending))
        assert row.expires_at - row.created_at <= timedelta(minutes=10)
    out = post_form(client, "/staff/logout", {}, CODE)
    assert out.status_code == 303 and out.headers["location"] == "/staff/login"
    assert client.get(CODE, follow_redirects=False).headers["location"] == "/staff/login"
    assert login(client).headers["location"] == CODE
    with client.app.state.sessions.begin() as session:
        session.execute(update(StaffSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert client.get(CODE, follow_redirects=False).headers["location"] == "/staff/login"


def test_codes_allow_one_step_of_drift_and_refuse_replay(client: TestClient) -> None:
    make_accounts(client)
    login(client)
    secret, _, used = enrol(client)
    other = TestClient(client.app)

    # The enrolment's own code cannot log in as well.
    assert login(other).headers["location"] == CODE
    replay = second_step(other, code=used)
    assert replay.status_code == 401 and WRONG_CODE_TEXT in replay.text

    # Two steps away is too far; one step ahead (a phone whose clock runs fast) is fine.
    fresh_step()
    assert second_step(other, code=code_at(secret, 2)).status_code == 401
    fresh_step()
    assert second_step(other, code=code_at(secret, -2)).status_code == 401
    fresh_step()
    ahead = code_at(secret, 1)
    assert second_step(other, code=ahead).status_code == 303
    assert other.get("/staff/").status_code == 200

    # The same code again, in another browser, in the same window: refused.
    third = TestClient(client.app)
    assert login(third).headers["location"] == CODE
    again = second_step(third, code=ahead)
    assert again.status_code == 401 and WRONG_CODE_TEXT in again.text
    # So is an older code that has not been used yet (its step is before the used one).
    assert second_step(third, code=code_at(secret)).status_code == 401
    # Spaces in "123 456" are fine; letters are not a code.
    time_passes(client, STAFF[0])
    fresh_step()
    spaced = code_at(secret)
    assert second_step(third, code="abcdef").status_code == 401
    with client.app.state.sessions.begin() as session:
        session.execute(update(LoginFailure).values(at=utcnow() - timedelta(hours=1)))
    assert second_step(third, code=f"{spaced[:3]} {spaced[3:]}").status_code == 303


def test_matching_step_allows_exactly_one_step_either_side() -> None:
    secret = two_factor.new_secret()
    now = 1_800_000_015.0  # the middle of a step
    step = int(now // 30)
    totp = pyotp.TOTP(secret)
    for offset in (-1, 0, 1):
        assert two_factor.matching_step(secret, totp.at(now + 30 * offset), now) == step + offset
    for offset in (-3, -2, 2, 3):
        assert two_factor.matching_step(secret, totp.at(now + 30 * offset), now) is None


def test_one_code_used_by_two_browsers_at_once_logs_in_only_one(client: TestClient) -> None:
    make_accounts(client)
    login(client)
    secret, _, _ = enrol(client)
    browsers = [TestClient(client.app) for _ in range(4)]
    for browser in browsers:
        assert login(browser).headers["location"] == CODE
    tokens = [csrf_token(browser, CODE) for browser in browsers]
    time_passes(client, STAFF[0])
    fresh_step()
    code = code_at(secret)

    def post(number: int) -> int:
        data = {"code": code, "csrf_token": tokens[number]}
        return browsers[number].post(CODE, data=data, follow_redirects=False).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(post, range(4)))
    # One logs in; the others are refused: a wrong code (401) or, counted as failures in
    # flight by the login throttle, not even checked (429).
    assert statuses.count(303) == 1 and set(statuses) - {303} <= {401, 429}, statuses


def test_wrong_codes_count_in_the_login_throttle(client: TestClient) -> None:
    make_accounts(client)
    login(client)
    secret, _, _ = enrol(client)
    post_form(client, "/staff/logout", {})
    limit = client.app.state.settings.staff_login_max_failures
    assert limit == 5
    # Two wrong passwords, then the right one: they keep counting until the code is right,
    # so a known password does not buy unlimited guesses at the code.
    for _ in range(2):
        assert login(client, (STAFF[0], "verkeerd-wachtwoord")).status_code == 401
    assert login(client).headers["location"] == CODE
    for _ in range(limit - 2):
        fresh_step()
        wrong = second_step(client, code=code_at(secret, 5))
        assert wrong.status_code == 401 and WRONG_CODE_TEXT in wrong.text
    time_passes(client, STAFF[0])
    fresh_step()
    locked = second_step(client, code=code_at(secret))  # even the right code waits now
    assert locked.status_code == 429 and "Te vaak een verkeerde code" in locked.text
    assert "Retry-After" in locked.headers
    assert client.get("/staff/", follow_redirects=False).headers["location"] == CODE
    # The password step is locked too, for this username only.
    assert login(TestClient(client.app)).status_code == 429
    assert login(TestClient(client.app), ADMIN).status_code == 303
    events = actions(client)
    assert events.count("staff.2fa_failed") == limit - 2
    assert events.count("staff.login_locked") == 1
    assert "tweede inlogstap mislukt" in admin_logboek(client)

    # After the window the right code works, and a success clears the username's failures.
    with client.app.state.sessions.begin() as session:
        session.execute(update(LoginFailure).values(at=utcnow() - timedelta(hours=1)))
    fresh_step()
    assert second_step(client, code=code_at(secret)).status_code == 303
    with client.app.state.sessions() as session:
        assert session.scalars(select(LoginFailure)).all() == []


def admin_logboek(client: TestClient) -> str:
    """The Logboek as an administrator sees it (another browser)."""
    admin = TestClient(client.app)
    assert login(admin, ADMIN).status_code == 303
    return admin.get("/staff/audit").text


def test_a_recovery_code_works_once(client: TestClient, database_url: URL) -> None:
    make_accounts(client)
    login(client)
    _secret, codes, _used = enrol(client)
    post_form(client, "/staff/logout", {})

    assert login(client).headers["location"] == CODE
    used = second_step(client, recovery=codes[0])
    assert used.status_code == 303 and used.headers["location"] == "/staff/"
    queue = client.get("/staff/")
    assert queue.status_code == 200 and "herstelcode" in queue.text and "nog 9" in queue.text
    post_form(client, "/staff/logout", {})

    assert login(client).headers["location"] == CODE
    again = second_step(client, recovery=codes[0])
    assert again.status_code == 401 and "al gebruikt" in again.text
    # Typed in lower case without the dash, another code works.
    other = second_step(client, recovery=codes[1].replace("-", "").lower())
    assert other.status_code == 303
    rows = raw_rows(database_url, "SELECT used_at FROM staff_recovery_codes")
    assert sum(row["used_at"] is not None for row in rows) == 2
    events = actions(client)
    assert events.count("staff.2fa_recovery_used") == 2
    assert events.count("staff.2fa_failed") == 1
    assert "ingelogd met een herstelcode" in client.get("/staff/audit").text


def test_the_policy_sends_members_to_the_set_up_first(settings: Settings) -> None:
    required = settings.model_copy(update={"lans_staff_require_2fa": True})
    with TestClient(create_app(required)) as client:
        make_accounts(client)
        first = login(client)
        assert first.status_code == 303 and first.headers["location"] == SETUP
        for page in GET_PAGES:
            response = client.get(page, follow_redirects=False)
            assert response.status_code == 303 and response.headers["location"] == SETUP, page
        refused = post_form(client, "/staff/aanmeldingen/1/notities", {"text": "x"}, SETUP)
        assert refused.status_code == 303 and refused.headers["location"] == SETUP
        page = client.get(SETUP)
        assert page.status_code == 200 and "Dit is verplicht" in page.text
        assert 'href="/staff/audit"' not in page.text  # no menu until it is set up
        assert "Uitloggen" in page.text
        secret, _codes, _used = enrol(client)
        assert client.get("/staff/").status_code == 200

        # Next time: the password, then the code.
        post_form(client, "/staff/logout", {})
        assert login(client).headers["location"] == CODE
        time_passes(client, STAFF[0])
        fresh_step()
        assert second_step(client, code=code_at(secret)).status_code == 303
        assert client.get("/staff/").status_code == 200


def test_the_policy_off_leaves_it_to_each_member(client: TestClient) -> None:
    make_accounts(client)
    done = login(client)
    assert done.headers["location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert "Dit is verplicht" not in client.get(SETUP).text


def test_administrators_must_set_it_up_by_default(settings: Settings) -> None:
    """LANS_ADMIN_REQUIRE_2FA is on unless switched off: an administrator without two-step
    login opens nothing but the set-up page (and logout); a member does not have to."""
    default = Settings.model_fields["lans_admin_require_2fa"].default
    assert default is True and Settings(_env_file=None).lans_admin_require_2fa is True
    assert settings.lans_staff_require_2fa is False
    defaults = settings.model_copy(update={"lans_admin_require_2fa": default})
    with TestClient(create_app(defaults)) as client:
        make_accounts(client)
        first = login(client, ADMIN)
        assert first.status_code == 303 and first.headers["location"] == SETUP
        for page in GET_PAGES:
            response = client.get(page, follow_redirects=False)
            assert response.status_code == 303 and response.headers["location"] == SETUP, page
        for path, data in (
            ("/staff/aanmeldingen/1/notities", {"text": "x"}),
            ("/staff/accounts", {"username": "nieuw.lid", "password": "x" * 16}),
            ("/staff/accounts/2/deactiveren", {}),
        ):
            refused = post_form(client, path, data, SETUP)
            assert refused.status_code == 303 and refused.headers["location"] == SETUP, path
        page = client.get(SETUP)
        assert page.status_code == 200 and "Dit is verplicht" in page.text
        assert 'href="/staff/audit"' not in page.text and "Uitloggen" in page.text
        with client.app.state.sessions() as session:
            users = session.scalars(select(StaffUser.username)).all()
            active = session.scalars(select(StaffUser.active)).all()
        assert sorted(users) == sorted([ADMIN[0], STAFF[0]])  # nothing was created
        assert all(active)  # nor deactivated

        # A member (not an administrator) follows LANS_STAFF_REQUIRE_2FA, off here.
        member = TestClient(client.app)
        done = login(member, STAFF)
        assert done.status_code == 303 and done.headers["location"] == "/staff/"
        assert member.get("/staff/").status_code == 200
        assert "Dit is verplicht" not in member.get(SETUP).text

        # Once it is on, the administrator opens everything (after the code, next time).
        secret, _codes, _used = enrol(client)
        assert client.get("/staff/audit").status_code == 200
        post_form(client, "/staff/logout", {})
        assert login(client, ADMIN).headers["location"] == CODE
        time_passes(client, ADMIN[0])
        fresh_step()
        assert second_step(client, code=code_at(secret)).status_code == 303
        assert client.get("/staff/accounts").status_code == 200


def test_both_policies_send_everyone_to_the_set_up(settings: Settings) -> None:
    both = settings.model_copy(
        update={"lans_admin_require_2fa": True, "lans_staff_require_2fa": True}
    )
    with TestClient(create_app(both)) as client:
        make_accounts(client)
        for account in (ADMIN, STAFF):
            browser = TestClient(client.app)
            assert login(browser, account).headers["location"] == SETUP
            queue = browser.get("/staff/", follow_redirects=False)
            assert queue.status_code == 303 and queue.headers["location"] == SETUP


def test_administrators_without_the_policy_can_work(settings: Settings) -> None:
    """With LANS_ADMIN_REQUIRE_2FA=false (a local demo) an administrator works without it."""
    off = settings.model_copy(update={"lans_admin_require_2fa": False})
    with TestClient(create_app(off)) as client:
        make_accounts(client)
        done = login(client, ADMIN)
        assert done.status_code == 303 and done.headers["location"] == "/staff/"
        for page in ("/staff/", "/staff/audit", "/staff/accounts"):
            assert client.get(page).status_code == 200, page
        assert "Dit is verplicht" not in client.get(SETUP).text


def _cli(args: list[str], database_url: URL, secrets: Secrets) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "DATABASE_URL": database_url.render_as_string(hide_password=False),
        "INTAKE_API_TOKEN": secrets.token,
        "LANS_DATA_KEY": secrets.data_key,
        "LANS_BLIND_INDEX_KEY": secrets.index_key,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.web.accounts", *args],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


def two_step_column(admin: TestClient, username: str) -> str:
    """What the accounts page says about the account's two-step login ("aan" or "uit")."""
    page = admin.get("/staff/accounts").text
    row = re.search(rf"<td>{re.escape(username)}</td>(.*?)</tr>", page, re.DOTALL)
    assert row, username
    return re.findall(r"<td>(aan|uit)</td>", row.group(1))[0]


def test_an_admin_resets_two_step_login_with_the_cli(
    client: TestClient, database_url: URL, test_secrets: Secrets
) -> None:
    make_accounts(client)
    admin = TestClient(client.app)
    assert login(admin, ADMIN).status_code == 303
    assert two_step_column(admin, STAFF[0]) == "uit"
    login(client)
    enrol(client)
    assert client.get("/staff/").status_code == 200
    assert two_step_column(admin, STAFF[0]) == "aan"

    reset = _cli(["reset-2fa", "--username", STAFF[0]], database_url, test_secrets)
    assert reset.returncode == 0, reset.stderr
    assert f"uitgezet voor {STAFF[0]}" in reset.stdout
    # The member's logins ended; the secret and the recovery codes are gone.
    assert client.get("/staff/", follow_redirects=False).headers["location"] == "/staff/login"
    (row,) = raw_rows(database_url, "SELECT * FROM staff_users WHERE username = :u", u=STAFF[0])
    assert row["totp_secret"] is None and row["totp_enrolled_at"] is None
    assert raw_rows(database_url, "SELECT * FROM staff_recovery_codes") == []
    with client.app.state.sessions() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "account.2fa_reset"))
    assert event is not None and event.actor == "cli" and event.detail["username"] == STAFF[0]
    assert two_step_column(admin, STAFF[0]) == "uit"
    assert "inloggen in twee stappen uitgezet door een beheerder" in admin.get("/staff/audit").text
    # The password alone logs in again (the policy is off here); set-up starts anew.
    assert login(client).headers["location"] == "/staff/"
    assert "<svg" in client.get(SETUP).text

    again = _cli(["reset-2fa", "--username", STAFF[0]], database_url, test_secrets)
    assert again.returncode == 0 and "stond niet aan" in again.stdout
    unknown = _cli(["reset-2fa", "--username", "niemand"], database_url, test_secrets)
    assert unknown.returncode == 1 and "bestaat niet" in unknown.stderr
    listed = _cli(["list"], database_url, test_secrets)
    assert listed.returncode == 0 and STAFF[0] in listed.stdout


def test_the_two_step_pages_need_the_password_first(client: TestClient) -> None:
    make_accounts(client)
    for page in (SETUP, CODE):
        response = client.get(page, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/staff/login"
    token = csrf_token(client)
    for path, data in ((SETUP, {"code": "123456"}), (CODE, {"code": "123456"}),
                       (CODE, {"recovery": "ACDEF-34679"})):  # fmt: skip
        response = client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/staff/login"
    # Without a CSRF token the code form is refused like every other form.
    login(client)
    enrol(client)
    post_form(client, "/staff/logout", {})
    login(client)
    assert client.post(CODE, data={"code": "123456"}, follow_redirects=False).status_code == 403
