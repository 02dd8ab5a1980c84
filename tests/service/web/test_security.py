"""The dashboard refuses what it must: no login, no CSRF token, wrong role, too many tries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from intake.helpers import post_referral, raw_rows, valid_body, withdraw
from sqlalchemy import URL, select, update

from bot.intake.columns import utcnow
from bot.intake.models import AuditEvent, Referral, ReferralNote, StaffSession, StaffUser

from .helpers import ADMIN, STAFF, csrf_token, login, make_accounts, post_form

SCRIPT = "<script>alert(1)</script>"
SQL = "'; DROP TABLE referrals;--"

GET_PAGES = [
    "/staff/",
    "/staff/?type=aanmelding&status=nieuw",
    "/staff/audit",
    "/staff/accounts",
    "/staff/export.csv",
    "/staff/aanmeldingen/1",
    "/staff/vragen/1",
    "/staff/wachtwoord",
]
POST_PAGES = [
    "/staff/logout",
    "/staff/aanmeldingen/1/status",
    "/staff/aanmeldingen/1/toewijzen",
    "/staff/aanmeldingen/1/notities",
    "/staff/vragen/1/antwoord",
    "/staff/accounts",
    "/staff/accounts/1/deactiveren",
    "/staff/accounts/1/activeren",
    "/staff/accounts/1/wachtwoord",
    "/staff/wachtwoord",
]


def _referral(client: TestClient, auth: dict[str, str], **changes) -> tuple[int, str]:
    created = post_referral(client, valid_body(**changes), auth)
    assert created.status_code == 201, created.text
    reference = created.json()["reference"]
    with client.app.state.sessions() as session:
        referral_id = session.scalar(
            select(Referral.id).where(Referral.reference == reference.replace("-", ""))
        )
    return referral_id, reference


def test_every_page_refuses_without_a_login(client: TestClient, auth: dict[str, str]) -> None:
    make_accounts(client)
    _referral(client, auth)
    for page in GET_PAGES:
        response = client.get(page, follow_redirects=False)
        assert response.status_code == 303, page
        assert response.headers["location"] == "/staff/login", page
    token = csrf_token(client)  # a valid CSRF token does not replace a login
    for page in POST_PAGES:
        response = client.post(
            page,
            data={"csrf_token": token, "status": "afgerond", "text": "x", "password": "x" * 20},
            follow_redirects=False,
        )
        assert response.status_code == 303, page
        assert response.headers["location"] == "/staff/login", page
    with client.app.state.sessions() as session:
        assert session.scalar(select(Referral.status)).value == "nieuw"
        assert session.scalars(select(ReferralNote)).all() == []


def test_a_forged_session_cookie_is_refused(client: TestClient) -> None:
    client.cookies.set("lans_staff", "eyJzaWQiOiAiYWJjIn0=.forged.signature", path="/staff")
    response = client.get("/staff/", follow_redirects=False)
    assert response.status_code == 303


def test_login_form_needs_a_csrf_token(client: TestClient) -> None:
    make_accounts(client)
    response = client.post(
        "/staff/login",
        data={"username": STAFF[0], "password": STAFF[1]},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert client.get("/staff/", follow_redirects=False).status_code == 303


def test_forms_without_or_with_a_wrong_csrf_token_are_refused(
    client: TestClient, auth: dict[str, str]
) -> None:
    make_accounts(client)
    referral_id, _ = _referral(client, auth)
    assert login(client).status_code == 303
    path = f"/staff/aanmeldingen/{referral_id}/notities"
    missing = client.post(path, data={"text": "zonder token"}, follow_redirects=False)
    assert missing.status_code == 403
    wrong = client.post(
        path, data={"text": "fout token", "csrf_token": "abc123"}, follow_redirects=False
    )
    assert wrong.status_code == 403
    good_token = csrf_token(client, "/staff/")
    client.cookies.delete("lans_staff_csrf", path="/staff")
    no_cookie = client.post(
        path, data={"text": "geen cookie", "csrf_token": good_token}, follow_redirects=False
    )
    assert no_cookie.status_code == 403
    status = client.post(
        f"/staff/aanmeldingen/{referral_id}/status",
        data={"status": "afgerond"},
        follow_redirects=False,
    )
    assert status.status_code == 403
    with client.app.state.sessions() as session:
        assert session.scalars(select(ReferralNote)).all() == []
        assert session.scalar(select(Referral.status)).value == "nieuw"
    ok = post_form(client, path, {"text": "met token"})
    assert ok.status_code == 303
    with client.app.state.sessions() as session:
        assert [note.text for note in session.scalars(select(ReferralNote))] == ["met token"]


def test_hostile_text_is_shown_as_text(client: TestClient, auth: dict[str, str]) -> None:
    make_accounts(client)
    referral_id, _ = _referral(
        client,
        auth,
        child_first_name=SCRIPT,
        parent_name=SQL,
        signs=f"{SCRIPT} {SQL}",
        contact_time='"><img src=x onerror=alert(1)>',
        check_signals=[SCRIPT],
    )
    question = client.post("/api/v1/questions", json={"question": SCRIPT + SQL}, headers=auth)
    assert question.status_code == 201
    assert login(client).status_code == 303
    post_form(client, f"/staff/aanmeldingen/{referral_id}/notities", {"text": SCRIPT + SQL})
    post_form(
        client, f"/staff/aanmeldingen/{referral_id}/status", {"status": "afgerond", "note": SCRIPT}
    )
    page = client.get(f"/staff/aanmeldingen/{referral_id}")
    assert page.status_code == 200
    assert SCRIPT not in page.text
    assert "<img src=x" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "&#39;; DROP TABLE referrals;--" in page.text
    with client.app.state.sessions() as session:
        question_id = session.scalar(
            select(AuditEvent.object_id).where(AuditEvent.action == "question.created")
        )
    question_page = client.get(f"/staff/vragen/{question_id}")
    assert SCRIPT not in question_page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in question_page.text
    post_form(
        client,
        f"/staff/vragen/{question_id}/antwoord",
        {"answer": SCRIPT},
        f"/staff/vragen/{question_id}",
    )
    for path in ("/staff/", f"/staff/vragen/{question_id}", "/staff/audit"):
        assert SCRIPT not in client.get(path).text, path
    # The SQL was stored as text and did nothing.
    assert client.get("/staff/").status_code == 200
    with client.app.state.sessions() as session:
        assert session.scalar(select(Referral.parent_name)) == SQL


def test_csv_export_neutralises_formulas_and_is_audited(
    client: TestClient, auth: dict[str, str]
) -> None:
    make_accounts(client)
    _referral(client, auth)
    assert login(client).status_code == 303
    export = client.get("/staff/export.csv?type=aanmelding")
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    assert "attachment" in export.headers["content-disposition"]
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("soort;kenmerk;status")
    assert len(lines) == 2 and "Sam" not in lines[1] and "Ria" not in lines[1]
    with client.app.state.sessions() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "queue.exported"))
    assert event is not None and event.actor == STAFF[0] and event.detail["rows"] == 1
    # A search text can be a name: the audit log only records that there was a search.
    assert client.get("/staff/export.csv?q=Ria").status_code == 200
    with client.app.state.sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "queue.exported"))
        searched = [event.detail for event in events if event.detail["searched"]]
    assert len(searched) == 1 and "Ria" not in str(searched)


def test_a_staff_member_cannot_manage_accounts(client: TestClient) -> None:
    make_accounts(client)
    assert login(client, STAFF).status_code == 303
    assert client.get("/staff/accounts").status_code == 403
    token = csrf_token(client, "/staff/")
    for path, data in [
        ("/staff/accounts", {"username": "indringer", "password": "x" * 20, "role": "admin"}),
        ("/staff/accounts/1/deactiveren", {}),
        ("/staff/accounts/1/wachtwoord", {"password": "y" * 20}),
    ]:
        response = client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 403, path
    with client.app.state.sessions() as session:
        users = {u.username: u for u in session.scalars(select(StaffUser))}
    assert set(users) == {ADMIN[0], STAFF[0]}
    assert all(user.active for user in users.values())


def test_an_admin_manages_accounts(client: TestClient) -> None:
    make_accounts(client)
    assert login(client, ADMIN).status_code == 303
    assert client.get("/staff/accounts").status_code == 200
    created = post_form(
        client,
        "/staff/accounts",
        {"username": "Nieuwe.Collega", "password": "nieuw-wachtwoord-1", "role": "staff"},
        "/staff/accounts",
    )
    assert created.status_code == 303
    too_short = post_form(
        client,
        "/staff/accounts",
        {"username": "kort", "password": "kort", "role": "staff"},
        "/staff/accounts",
    )
    assert too_short.status_code == 303
    assert "minstens 12 tekens" in client.get("/staff/accounts").text
    with client.app.state.sessions() as session:
        new = session.scalar(select(StaffUser).where(StaffUser.username == "nieuwe.collega"))
        staff_id = session.scalar(select(StaffUser.id).where(StaffUser.username == STAFF[0]))
        assert session.scalar(select(StaffUser).where(StaffUser.username == "kort")) is None
    assert new is not None and new.role.value == "staff"

    # The staff member is logged in elsewhere; deactivation ends that login at once.
    other = TestClient(client.app)
    assert login(other, STAFF).status_code == 303
    assert other.get("/staff/").status_code == 200
    post_form(client, f"/staff/accounts/{staff_id}/deactiveren", {}, "/staff/accounts")
    assert other.get("/staff/", follow_redirects=False).status_code == 303
    assert login(other, STAFF).status_code == 401
    post_form(client, f"/staff/accounts/{staff_id}/activeren", {}, "/staff/accounts")
    post_form(
        client,
        f"/staff/accounts/{staff_id}/wachtwoord",
        {"password": "ander-wachtwoord-2"},
        "/staff/accounts",
    )
    assert login(other, STAFF).status_code == 401
    assert login(other, (STAFF[0], "ander-wachtwoord-2")).status_code == 303
    actions = set(client.app.state.sessions().scalars(select(AuditEvent.action)))
    assert {"account.created", "account.deactivated", "account.password_reset"} <= actions


def test_login_is_throttled_after_repeated_failures(client: TestClient) -> None:
    make_accounts(client)
    limit = client.app.state.settings.staff_login_max_failures
    for _ in range(limit):
        wrong = login(client, (STAFF[0], "verkeerd-wachtwoord"))
        assert wrong.status_code == 401
        assert "klopt niet" in wrong.text
    locked = login(client, STAFF)  # even the right password is refused now
    assert locked.status_code == 429
    assert "Te vaak" in locked.text
    assert client.get("/staff/", follow_redirects=False).status_code == 303
    assert login(client, ADMIN).status_code == 303  # other accounts are not locked
    # After the window, the account opens again.
    with client.app.state.sessions.begin() as session:
        from bot.intake.models import LoginFailure

        session.execute(update(LoginFailure).values(at=utcnow() - timedelta(hours=1)))
    fresh = TestClient(client.app)
    assert login(fresh, STAFF).status_code == 303


def test_logout_ends_the_session(client: TestClient) -> None:
    make_accounts(client)
    assert login(client).status_code == 303
    stolen = client.cookies.get("lans_staff")
    assert stolen
    response = post_form(client, "/staff/logout", {})
    assert response.status_code == 303 and response.headers["location"] == "/staff/login"
    assert client.get("/staff/", follow_redirects=False).status_code == 303
    replay = TestClient(client.app)
    replay.cookies.set("lans_staff", stolen, path="/staff")
    assert replay.get("/staff/", follow_redirects=False).status_code == 303
    with client.app.state.sessions() as session:
        assert session.scalars(select(StaffSession)).all() == []


@pytest.mark.parametrize("column", ["expires_at", "last_seen_at"])
def test_an_expired_session_is_refused(client: TestClient, column: str) -> None:
    make_accounts(client)
    assert login(client).status_code == 303
    assert client.get("/staff/").status_code == 200
    with client.app.state.sessions.begin() as session:
        session.execute(update(StaffSession).values({column: utcnow() - timedelta(days=2)}))
    response = client.get("/staff/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/staff/login"


def test_session_cookie_flags(client: TestClient) -> None:
    make_accounts(client)
    response = login(client)
    cookie = next(
        value
        for name, value in response.headers.multi_items()
        if name == "set-cookie" and value.startswith("lans_staff=")
    )
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    assert "path=/staff" in cookie.lower()
    assert "max-age=" in cookie.lower()
    page = client.get("/staff/")
    assert page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


def test_passwords_are_stored_as_argon2_hashes(client: TestClient, database_url: URL) -> None:
    make_accounts(client)
    login(client)
    rows = raw_rows(database_url, "SELECT * FROM staff_users")
    assert len(rows) == 2
    dump = repr(rows)
    for _name, password in (ADMIN, STAFF):
        assert password not in dump
    assert all(row["password_hash"].startswith("$argon2id$") for row in rows)
    sessions = raw_rows(database_url, "SELECT * FROM staff_sessions")
    assert client.cookies.get("lans_staff") not in repr(sessions)


def test_staff_work_on_a_referral_is_recorded(client: TestClient, auth: dict[str, str]) -> None:
    make_accounts(client)
    referral_id, reference = _referral(client, auth)
    assert login(client).status_code == 303
    queue = client.get("/staff/")
    assert reference in queue.text and "Sam" not in queue.text  # no personal data in the queue
    assert client.get(f"/staff/?q={reference.lower()}").text.count(reference) >= 1
    assert reference not in client.get("/staff/?q=XXXXXX").text
    detail = client.get(f"/staff/aanmeldingen/{referral_id}")
    assert "Sam" in detail.text and "Ria de Vries" in detail.text and "+31612345678" in detail.text
    page = f"/staff/aanmeldingen/{referral_id}"
    post_form(client, f"{page}/status", {"status": "in behandeling"}, page)
    post_form(client, f"{page}/toewijzen", {"assignee": STAFF[0]}, page)
    post_form(client, f"{page}/notities", {"text": "Moeder gebeld, terugbellen dinsdag."}, page)
    detail = client.get(page)
    assert "Moeder gebeld" in detail.text and "in behandeling" in detail.text
    assert reference in client.get(f"/staff/?assignee={STAFF[0]}").text
    assert reference not in client.get("/staff/?assignee=-").text
    assert reference in client.get("/staff/?status=in+behandeling").text
    assert reference not in client.get("/staff/?type=vraag").text
    unknown = post_form(client, f"{page}/toewijzen", {"assignee": "onbekend"}, page)
    assert unknown.status_code == 400
    with client.app.state.sessions() as session:
        actions = [
            e.action
            for e in session.scalars(select(AuditEvent).where(AuditEvent.actor == STAFF[0]))
        ]
    assert actions.count("referral.viewed") >= 1
    assert {
        "staff.login",
        "referral.status_changed",
        "referral.assigned",
        "referral.note_added",
    } <= set(actions)
    audit_page = client.get("/staff/audit")
    assert "aanmelding bekeken" in audit_page.text and STAFF[0] in audit_page.text
    assert f"aanmelding {reference}" in audit_page.text
    assert "Moeder gebeld" not in audit_page.text

    # A withdrawal erases the team's notes too.
    assert withdraw(client, reference, "06-12345678", auth).status_code == 200
    with client.app.state.sessions() as session:
        assert session.scalars(select(ReferralNote)).all() == []
    detail = client.get(page)
    assert (
        "ingetrokken" in detail.text
        and "Moeder gebeld" not in detail.text
        and "Sam" not in detail.text
    )


def test_cookies_are_secure_when_configured(settings, auth: dict[str, str]) -> None:
    from bot.intake.api import create_app

    secure = settings.model_copy(update={"staff_cookie_secure": True})
    with TestClient(create_app(secure), base_url="https://testserver") as client:
        make_accounts(client)
        response = login(client)
        assert response.status_code == 303
        cookies = [v.lower() for k, v in response.headers.multi_items() if k == "set-cookie"]
        assert cookies and all("; secure" in cookie for cookie in cookies)
        login_page = client.get("/staff/login", follow_redirects=False)
        assert login_page.status_code == 303  # already logged in: to the queue


def test_malformed_dashboard_urls_are_a_plain_404(client: TestClient) -> None:
    make_accounts(client)
    login(client)
    for path in ("/staff/aanmeldingen/abc", "/staff/vragen/999999", "/staff/bestaat-niet"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "bestaat niet" in response.text and "<html" in response.text
    api = client.post("/api/v1/questions", json={"question": ""}, headers={"x": "y"})
    assert api.status_code == 401
