"""The queue, the Logboek, the export and one's own password, as a browser trial found them
(issue 22): question previews, search by every label shown, a summary that follows the filters,
an unchanged answer that is not re-stamped, Dutch in the log, times in Europe/Amsterdam with the
zone named, paging, and staff who change their own password. Real databases (SQLite, and
PostgreSQL when installed) through the intake service's app."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from intake.helpers import post_referral, valid_body
from sqlalchemy import func, select, update

from bot.intake.models import AnonymousQuestion, AuditEvent, Referral, StaffSession
from bot.web.staff.views import AUDIT_PAGE_SIZE, QUEUE_PAGE_SIZE

from .helpers import ADMIN, STAFF, csrf_token, login, make_accounts, post_form

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ROW = re.compile(r"<tr(?: class=\"waiting\")?>\s*<td><a href=\"([^\"]+)\">([^<]+)</a>")


def _ask(client: TestClient, auth: dict[str, str], text: str) -> int:
    response = client.post("/api/v1/questions", json={"question": text}, headers=auth)
    assert response.status_code == 201, response.text
    with client.app.state.sessions() as session:
        return session.scalar(select(func.max(AnonymousQuestion.id)))


def _refer(client: TestClient, auth: dict[str, str]) -> tuple[int, str]:
    created = post_referral(client, valid_body(), auth)
    assert created.status_code == 201, created.text
    reference = created.json()["reference"]
    with client.app.state.sessions() as session:
        referral_id = session.scalar(
            select(Referral.id).where(Referral.reference == reference.replace("-", ""))
        )
    return referral_id, reference


def _rows(page: str) -> list[str]:
    """The labels of the queue's rows, top to bottom."""
    return [html.unescape(label) for _url, label in ROW.findall(page)]


def _summary(page: str) -> str:
    section = re.search(r'<section class="summary".*?</section>', page, re.S)
    assert section, "no summary on the queue page"
    return " ".join(re.sub(r"<[^>]+>", " ", section.group(0)).split())


def test_the_queue_previews_each_question_escaped_and_cut_at_80_characters(
    client: TestClient, auth: dict[str, str]
) -> None:
    make_accounts(client)
    long_text = (
        "Ik durf <b>niet</b> naar school sinds de zomer, want in de klas lachen ze me uit en "
        "mijn buik doet elke ochtend pijn. Wat kan ik doen?"
    )
    question_id = _ask(client, auth, long_text)
    _ask(client, auth, "Mag ik later   beginnen?\nGroetjes")
    _refer(client, auth)
    assert login(client).status_code == 303
    page = client.get("/staff/").text
    cells = [html.unescape(cell) for cell in re.findall(r'<td class="preview">([^<]*)</td>', page)]
    # Newest first: the short question on one line, then the long one cut between words.
    assert cells[0] == "—"  # the referral: no personal data in the queue
    assert cells[1] == "Mag ik later beginnen? Groetjes"
    assert cells[2].startswith("Ik durf <b>niet</b> naar school sinds de zomer")
    assert cells[2].endswith("…") and len(cells[2]) <= 81
    assert long_text.startswith(cells[2][:-1])
    assert "Wat kan ik doen?" not in page  # the rest stays on the question's own page
    assert "<b>niet</b>" not in page and "&lt;b&gt;niet&lt;/b&gt;" in page
    assert f'href="/staff/vragen/{question_id}"' in page


def test_search_finds_every_label_the_queue_shows(client: TestClient, auth: dict[str, str]) -> None:
    make_accounts(client)
    first = _ask(client, auth, "Eerste vraag")
    second = _ask(client, auth, "Tweede vraag")
    _referral_id, reference = _refer(client, auth)
    assert login(client).status_code == 303

    def found(text: str) -> list[str]:
        response = client.get("/staff/", params={"q": text})
        assert response.status_code == 200
        return _rows(response.text)

    assert found(f"Vraag {second}") == [f"Vraag {second}"]
    assert found(f"vraag{first}") == [f"Vraag {first}"]
    assert found(f"  VRAAG  {first} ") == [f"Vraag {first}"]
    assert found(f"#{second}") == [f"Vraag {second}"]
    assert f"Vraag {first}" in found(str(first))  # a bare number: the question's number
    assert found(reference) == [reference]
    assert found(reference.lower().replace("-", " ")) == [reference]
    assert found(f"Aanmelding {reference}") == [reference]
    assert found(reference[:3]) == [reference]
    assert found("Vraag 999") == []
    # The search field says what it finds.
    assert "Zoek op kenmerk of vraagnummer" in client.get("/staff/").text


def test_the_summary_follows_the_filters(client: TestClient, auth: dict[str, str]) -> None:
    make_accounts(client)
    _refer(client, auth)
    _refer(client, auth)
    waiting_question = _ask(client, auth, "Nog geen antwoord")
    answered = _ask(client, auth, "Wel een antwoord")
    assert login(client).status_code == 303
    page = f"/staff/vragen/{answered}"
    assert (
        post_form(client, f"{page}/antwoord", {"answer": "Hier is het."}, page).status_code == 303
    )

    everything = _summary(client.get("/staff/").text)
    assert everything.startswith("3 wachten op een eerste reactie"), everything
    assert "Met deze filters" not in everything

    answered_only = _summary(client.get("/staff/?status=beantwoord").text)
    assert "Met deze filters: 1 item, waarvan 0 wachten" in answered_only, answered_only
    assert "Wacht het langst" not in answered_only
    assert f"Vraag {answered}" in answered_only  # the newest of the selection

    questions = _summary(client.get("/staff/?type=vraag").text)
    assert "Met deze filters: 2 items, waarvan 1 wacht " in questions, questions
    assert f"Wacht het langst: Vraag {waiting_question}" in questions

    referrals = _summary(client.get("/staff/?type=aanmelding&status=nieuw").text)
    assert "Met deze filters: 2 items, waarvan 2 wachten" in referrals, referrals


def test_saving_an_unchanged_answer_keeps_who_answered_and_when(
    client: TestClient, auth: dict[str, str]
) -> None:
    make_accounts(client)
    question_id = _ask(client, auth, "Mag ik later beginnen?")
    assert login(client).status_code == 303
    page = f"/staff/vragen/{question_id}"
    assert post_form(client, f"{page}/antwoord", {"answer": "Ja, vraag je mentor."}, page)
    earlier = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    with client.app.state.sessions.begin() as session:
        session.execute(
            update(AnonymousQuestion)
            .where(AnonymousQuestion.id == question_id)
            .values(answered_at=earlier, answered_by="iemand.anders")
        )

    def stamp() -> tuple[datetime, str]:
        with client.app.state.sessions() as session:
            row = session.get(AnonymousQuestion, question_id)
            return row.answered_at, row.answered_by

    def answers() -> int:
        with client.app.state.sessions() as session:
            return session.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.action == "question.answered")
            )

    # The same text again (with the browser's line endings): nothing changes.
    same = post_form(client, f"{page}/antwoord", {"answer": "Ja, vraag je mentor.\r\n"}, page)
    assert same.status_code == 303
    assert stamp() == (earlier, "iemand.anders")
    assert answers() == 1
    shown = client.get(page).text
    assert "Het antwoord was al zo. Er is niets veranderd." in shown
    assert "Beantwoord door iemand.anders op 02-03-2026 10:30 CET" in shown

    # Another text: a new answer, stamped now, by whoever saved it.
    other = post_form(
        client, f"{page}/antwoord", {"answer": "Ja, bespreek het met je mentor."}, page
    )
    assert other.status_code == 303
    at, by = stamp()
    assert at > earlier and by == STAFF[0]
    assert answers() == 2


def test_the_export_and_its_log_entry_are_dutch_with_amsterdam_time(
    client: TestClient, auth: dict[str, str]
) -> None:
    make_accounts(client)
    summer_id, summer_ref = _refer(client, auth)
    winter_id, winter_ref = _refer(client, auth)
    with client.app.state.sessions.begin() as session:
        for referral_id, moment in (
            (summer_id, datetime(2026, 7, 1, 10, 0, tzinfo=UTC)),
            (winter_id, datetime(2026, 1, 15, 10, 0, tzinfo=UTC)),
        ):
            session.execute(
                update(Referral).where(Referral.id == referral_id).values(created_at=moment)
            )
    assert login(client).status_code == 303

    # On screen: Amsterdam time with the zone named, and the page says which zone that is.
    queue = client.get("/staff/").text
    assert "01-07-2026 12:00 CEST" in queue and "15-01-2026 11:00 CET" in queue
    assert "tijdzone Europe/Amsterdam" in queue

    # The export: the same times, the zone in the header and in every value.
    export = client.get("/staff/export.csv", params={"type": "aanmelding", "q": summer_ref})
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "soort;kenmerk;status;toegewezen aan;ingediend (tijdzone Europe/Amsterdam);"
        "tijd sinds indienen"
    )
    assert len(lines) == 2 and f";{summer_ref};" in lines[1]
    assert ";2026-07-01 12:00 CEST;" in lines[1]
    everything = client.get("/staff/export.csv").content.decode("utf-8-sig")
    assert ";2026-01-15 11:00 CET;" in everything and winter_ref in everything

    # The Logboek says it in Dutch: no "searched", no key=value, no True/False.
    log = client.get("/staff/audit").text
    rows = re.findall(r"<td>wachtrij geëxporteerd \(CSV\)</td>.*?</tr>", log, re.S)
    texts = [html.unescape(" ".join(re.sub(r"<[^>]+>", " ", row).split())) for row in rows]
    assert len(texts) == 2, log
    newest, searched = texts
    assert "regels: 2; filters: geen; gezocht: nee" in newest, newest
    assert "regels: 1; filters: soort = aanmelding; gezocht: ja" in searched, searched
    assert summer_ref not in searched  # the search text itself is not logged
    table = " ".join(re.sub(r"<[^>]+>", " ", log.split("<table>", 1)[1]).split())
    assert "searched" not in table and "type=" not in table and "True" not in table
    moments = re.findall(r"<td>(\d\d-\d\d-\d{4} \d\d:\d\d (CET|CEST))</td>", log)
    assert moments, "no times with a zone in the Logboek"
    now = datetime.now(AMSTERDAM).strftime("%Z")
    assert all(zone == now for _moment, zone in moments)


def test_the_queue_and_the_logboek_are_paged(client: TestClient, auth: dict[str, str]) -> None:
    make_accounts(client)
    count = QUEUE_PAGE_SIZE * 2 + 7
    ids = [_ask(client, auth, f"Vraag nummer {n}") for n in range(count)]
    assert login(client).status_code == 303

    first = client.get("/staff/?type=vraag").text
    assert _rows(first) == [f"Vraag {i}" for i in reversed(ids)][:QUEUE_PAGE_SIZE]
    assert (
        f"{count} items, nieuwste eerst: 1 tot en met {QUEUE_PAGE_SIZE} (pagina 1 van 3)" in first
    )
    assert "Vorige pagina" not in first
    links = dict(re.findall(r'<a href="([^"]+)" rel="(next|prev)">', first))
    next_url = html.unescape(next(url for url, rel in links.items() if rel == "next"))
    assert next_url == "/staff/?type=vraag&pagina=2"  # the filters stay

    second = client.get(next_url).text
    assert (
        _rows(second)
        == [f"Vraag {i}" for i in reversed(ids)][QUEUE_PAGE_SIZE : 2 * QUEUE_PAGE_SIZE]
    )
    assert "Vorige pagina" in second and "Volgende pagina" in second
    last = client.get("/staff/?type=vraag&pagina=3").text
    assert _rows(last) == [f"Vraag {i}" for i in reversed(ids)][2 * QUEUE_PAGE_SIZE :]
    assert "Volgende pagina" not in last
    # Out of range or nonsense: the nearest real page.
    assert _rows(client.get("/staff/?type=vraag&pagina=99").text) == _rows(last)
    assert _rows(client.get("/staff/?type=vraag&pagina=-1").text) == _rows(first)
    assert _rows(client.get("/staff/?type=vraag&pagina=x").text) == _rows(first)
    # The summary counts every page, not just the one shown.
    assert f"Met deze filters: {count} items, waarvan {count} wachten" in _summary(first)

    # The Logboek: one page of the newest events, then the older ones.
    for n in range(AUDIT_PAGE_SIZE):
        client.get(f"/staff/vragen/{ids[n % len(ids)]}")
    with client.app.state.sessions() as session:
        events = session.scalar(select(func.count(AuditEvent.id)))
    assert events > AUDIT_PAGE_SIZE
    log = client.get("/staff/audit").text
    assert log.count("<tr>") - 1 == AUDIT_PAGE_SIZE  # minus the header row
    assert f"{events} gebeurtenissen: 1 tot en met {AUDIT_PAGE_SIZE}" in log
    older = client.get("/staff/audit?pagina=2").text
    assert older.count("<tr>") - 1 == min(events - AUDIT_PAGE_SIZE, AUDIT_PAGE_SIZE)
    assert "anonieme vraag binnengekomen" in older  # the oldest events are on a later page


def test_staff_change_their_own_password_after_giving_the_current_one(client: TestClient) -> None:
    make_accounts(client)
    other_device = TestClient(client.app)  # the same service, another browser
    assert login(other_device).status_code == 303
    assert login(client).status_code == 303
    page = "/staff/wachtwoord"
    form = client.get(page).text
    assert 'autocomplete="current-password"' in form and "Huidig wachtwoord" in form
    assert 'href="/staff/wachtwoord"' in client.get("/staff/").text  # in the menu

    new = "een-nieuw-wachtwoord-2026"
    wrong = post_form(client, page, {"current": "niet-het-goede", "new": new, "repeat": new}, page)
    assert wrong.status_code == 400 and "Uw huidige wachtwoord klopt niet." in wrong.text
    mismatch = post_form(client, page, {"current": STAFF[1], "new": new, "repeat": new + "x"}, page)
    assert mismatch.status_code == 400 and "niet hetzelfde" in mismatch.text
    short = post_form(client, page, {"current": STAFF[1], "new": "kort", "repeat": "kort"}, page)
    assert short.status_code == 400 and "minstens 12 tekens" in short.text
    same = post_form(client, page, {"current": STAFF[1], "new": STAFF[1], "repeat": STAFF[1]}, page)
    assert same.status_code == 400 and "hetzelfde als het huidige" in same.text

    changed = post_form(client, page, {"current": STAFF[1], "new": new, "repeat": new}, page)
    assert changed.status_code == 303 and changed.headers["location"] == "/staff/"
    assert "Uw wachtwoord is gewijzigd" in client.get("/staff/").text  # still logged in here
    # The other device's login has ended.
    assert other_device.get("/staff/", follow_redirects=False).headers["location"] == (
        "/staff/login"
    )
    with client.app.state.sessions() as session:
        assert session.scalar(select(func.count(StaffSession.id))) == 1
        actions = list(
            session.scalars(
                select(AuditEvent.action).where(AuditEvent.action.like("account.password%"))
            )
        )
        details = repr(list(session.scalars(select(AuditEvent.detail))))
    assert actions == ["account.password_change_failed", "account.password_changed"]
    assert "niet-het-goede" not in details and new not in details and STAFF[1] not in details
    log = client.get("/staff/audit").text
    assert "eigen wachtwoord gewijzigd" in log
    assert "eigen wachtwoord wijzigen mislukt" in log

    # The old password no longer logs in, the new one does.
    fresh = TestClient(client.app)
    assert login(fresh, (STAFF[0], STAFF[1])).status_code == 401
    assert login(fresh, (STAFF[0], new)).status_code == 303


def test_guessing_the_current_password_is_throttled(client: TestClient) -> None:
    make_accounts(client)
    assert login(client, ADMIN).status_code == 303
    page = "/staff/wachtwoord"
    new = "een-nieuw-wachtwoord-2026"
    for attempt in range(5):
        guess = post_form(
            client, page, {"current": f"gok-{attempt}", "new": new, "repeat": new}, page
        )
        assert guess.status_code == 400
    # Now even the right password is refused for a while.
    locked = post_form(client, page, {"current": ADMIN[1], "new": new, "repeat": new}, page)
    assert locked.status_code == 429 and "te vaak" in locked.text
    fresh_token = csrf_token(client, page)
    assert fresh_token  # the page itself still opens
    with client.app.state.sessions() as session:
        failed = session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action == "account.password_change_failed"
            )
        )
    assert failed == 5


def test_the_logboek_says_who_and_what_in_dutch(
    client: TestClient, auth: dict[str, str], settings
) -> None:
    """Events that no staff member made (a referral from the assistant, a parent's withdrawal,
    a student's question, a retention run) read in Dutch too."""
    from intake.helpers import withdraw

    from bot.retention.run import run_retention
    from bot.retention.settings import RetentionSettings

    make_accounts(client)
    referral_id, reference = _refer(client, auth)
    _ask(client, auth, "Mag ik later beginnen?")
    assert withdraw(client, reference, "06 12345678", auth).status_code == 200
    assert login(client).status_code == 303
    # The status history says who, in Dutch (before the retention run erases the referral).
    history = client.get(f"/staff/aanmeldingen/{referral_id}").text
    rows = " ".join(re.sub(r"<[^>]+>", " ", history.split("Statusgeschiedenis", 1)[1]).split())
    assert "systeem" in rows and "ouder" in rows and "system" not in rows and "parent" not in rows
    retention = RetentionSettings(_env_file=None, lans_tracker_database_url=None)
    run_retention(settings, retention, sessions=client.app.state.sessions)

    log = client.get("/staff/audit").text
    table = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", log.split("<table", 1)[1]).split()))
    for dutch in (
        "systeem aanmelding binnengekomen",
        "ouder aanmelding ingetrokken door de ouder",
        "leerling anonieme vraag binnengekomen",
        "systeem bewaartermijnen toegepast: oude gegevens gewist bewaartermijnen gewist:",
        "anonieme vragen 0",
    ):
        assert dutch in table, (dutch, table)
    # No English actor, no internal action code, no Python repr.
    for english in ("system", "parent", "student", "retention", "counts", "[", "{", "_"):
        assert english not in table, (english, table)
    assert not re.search(r"\b[a-z]+\.[a-z_]+\b", table), table
