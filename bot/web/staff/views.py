"""The dashboard's pages: login, queue, referral, question, export, audit, accounts.

Every page needs a live login (else a redirect to /staff/login); every POST checks the CSRF
token. Personal data appear only on a referral's own page, and opening it is audited.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.intake import reference as references
from bot.intake.columns import utcnow
from bot.intake.models import (
    AnonymousQuestion,
    AuditEvent,
    QuestionStatus,
    Referral,
    ReferralNote,
    ReferralStatus,
    ReferralStatusChange,
    StaffRole,
    StaffUser,
)
from bot.intake.questions import expire_questions
from bot.intake.service import erase_and_withdraw
from bot.web.auth import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    AccountError,
    audit,
    authenticate,
    begin_login,
    create_account,
    end_session,
    login_address,
    login_failed,
    login_succeeded,
    login_throttle,
    normalise_username,
    password_step_passed,
    refusal_text,
    set_active,
    set_password,
    start_session,
)
from bot.web.staff.context import (
    CODE_PAGE,
    ENROL_PAGE,
    Admin,
    AnyLogin,
    Board,
    Form,
    LoginRequired,
    Staff,
    current_staff,
    flash,
    render,
    two_step_required,
)
from bot.web.staff.own_password import change_password, password_matches
from bot.web.staff.two_step import CODE_STEP_TIME
from bot.web.two_factor import is_enrolled

router = APIRouter(prefix="/staff", include_in_schema=False)

try:
    LOCAL_TIME = ZoneInfo("Europe/Amsterdam")
except Exception:  # no time zone data on this machine: show UTC
    LOCAL_TIME = ZoneInfo("UTC")

MAX_NOTE = 2000
MAX_ANSWER = 2000
QUEUE_PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 100
PREVIEW_CHARS = 80

KIND_REFERRAL = "aanmelding"
KIND_QUESTION = "vraag"
KINDS = (KIND_REFERRAL, KIND_QUESTION)
NOBODY = "-"

ERROR_TEXTS = {
    400: "Dit verzoek klopt niet. Ga terug en probeer het opnieuw.",
    403: "Dit mag u niet met uw account.",
    404: "Deze pagina bestaat niet (meer).",
    405: "Dit verzoek klopt niet. Ga terug en probeer het opnieuw.",
}

FIELD_LABELS = [
    ("child_first_name", "Voornaam kind"),
    ("child_age", "Leeftijd"),
    ("child_class", "Klas of groep"),
    ("absence_duration", "Hoe lang al"),
    ("absence_extent", "Hoeveel school gemist"),
    ("signs", "Signalen volgens de ouder"),
    ("both_parents_know", "Weten beide ouders ervan?"),
    ("parent_name", "Naam ouder"),
    ("phone", "Telefoon"),
    ("email", "E-mail"),
    ("contact_preference", "Liefst contact via"),
    ("contact_time", "Beste tijd voor contact"),
]

# The codes the early-signs check sends (actions/check_form.py), said for the team.
SIGNAL_LABELS = {
    "absence": "mist schooldagen",
    "resistance": "wil niet naar school of verzet zich",
    "reactions": "lichamelijke of emotionele klachten als school eraan komt",
    "weekend": "klachten zijn weg in het weekend of de vakantie",
    "parents_know": "is thuis en de ouders weten dat",
    "parents_tried": "ouders hebben al veel geprobeerd",
    "event": "ingrijpende gebeurtenis",
    "mood": "minder contact, weinig energie of somber",
    "antisocial": "ook gedrag dat niet mag (past minder bij schoolweigering)",
    "hidden_absence": "soms weg zonder dat de ouders het weten (past meer bij spijbelen)",
}


# ---------- template filters ----------


def age_text(moment: datetime | None, now: datetime | None = None) -> str:
    """How long ago, in plain Dutch: "12 min", "5 uur", "3 dagen"."""
    if moment is None:
        return ""
    seconds = max(0, int(((now or utcnow()) - moment).total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} uur"
    return f"{seconds // 86400} dagen"


def local_time(moment: datetime | None) -> str:
    """A moment in the school's time zone, with the zone named: "07-12-2026 20:15 CET"."""
    if moment is None:
        return ""
    return moment.astimezone(LOCAL_TIME).strftime("%d-%m-%Y %H:%M %Z")


def preview(text: str | None, limit: int = PREVIEW_CHARS) -> str:
    """The start of a question on one line: at most `limit` characters, cut between words."""
    if not text:
        return ""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:") + "…"


def signal_text(code: str) -> str:
    return SIGNAL_LABELS.get(code, code.replace("_", " "))


ACTION_LABELS = {
    "referral.created": "aanmelding binnengekomen",
    "referral.withdrawn": "aanmelding ingetrokken door de ouder",
    "referral.viewed": "aanmelding bekeken",
    "referral.status_changed": "status gewijzigd",
    "referral.assigned": "toegewezen",
    "referral.note_added": "notitie toegevoegd",
    "question.created": "anonieme vraag binnengekomen",
    "question.viewed": "vraag bekeken",
    "question.answered": "vraag beantwoord",
    "queue.exported": "wachtrij geëxporteerd (CSV)",
    "staff.login": "ingelogd",
    "staff.login_failed": "inloggen mislukt (verkeerd wachtwoord of onbekende naam)",
    "staff.login_locked": "inloggen geblokkeerd na te veel mislukte pogingen",
    "referral.withdrawn_by_staff": "aanmelding ingetrokken door het team (gegevens gewist)",
    "staff.logout": "uitgelogd",
    "staff.2fa_passed": "tweede inlogstap gelukt",
    "staff.2fa_failed": "tweede inlogstap mislukt: verkeerde code",
    "staff.2fa_recovery_used": "ingelogd met een herstelcode",
    "account.2fa_enrolled": "inloggen in twee stappen aangezet",
    "account.2fa_reset": "inloggen in twee stappen uitgezet door een beheerder",
    "account.created": "account aangemaakt",
    "account.deactivated": "account gedeactiveerd",
    "account.activated": "account weer actief",
    "account.password_reset": "nieuw wachtwoord ingesteld",
    "account.password_changed": "eigen wachtwoord gewijzigd",
    "retention.run": "bewaartermijnen toegepast: oude gegevens gewist",
    "account.password_change_failed": "eigen wachtwoord wijzigen mislukt: huidig wachtwoord klopt "
    "niet",
}
OBJECT_LABELS = {
    "referral": "aanmelding",
    "question": "vraag",
    "staff_user": "account",
    "queue": "wachtrij",
    "retention": "bewaartermijnen",
}
# Who did it, when it was not a staff member.
ACTOR_LABELS = {"system": "systeem", "parent": "ouder", "student": "leerling"}
# What a retention run erased (bot/retention/run.py) and where it could not.
RETENTION_LABELS = {
    "conversations": "gesprekken",
    "conversation_events": "gebeurtenissen in gesprekken",
    "old_session_events": "oude gespreksdelen",
    "questions": "anonieme vragen",
    "closed_referrals": "afgesloten aanmeldingen",
    "withdrawn_referrals": "ingetrokken aanmeldingen",
    "staff_sessions": "beëindigde logins",
    "login_failures": "oude mislukte inlogpogingen",
    "chat_transcripts": "webchatgesprekken in het geheugen",
    "tracker store": "gesprekkenopslag",
    "intake database": "database van de aanmeldingen",
}
DETAIL_LABELS = {
    "reference": "kenmerk",
    "from_status": "van",
    "to_status": "naar",
    "from_assignee": "van",
    "to_assignee": "naar",
    "rows": "regels",
    "filters": "filters",
    "note_id": "notitie",
    "username": "gebruiker",
    "role": "rol",
    "channel": "kanaal",
    "consent_version": "versie toestemming",
    "changed": "antwoord aangepast",
    "account": "account",
    "reason": "per",
    "minutes": "minuten",
    "searched": "gezocht",
    "counts": "gewist",
    "failed": "niet gelukt bij",
    "method": "met",
    "remaining": "herstelcodes over",
}
# The queue's filters as the page names them (the export's audit entry lists them).
FILTER_LABELS = {"type": "soort", "status": "status", "assignee": "toegewezen aan", "q": "zoek"}


def _detail_value(key: str, value: object) -> str:
    if value is None:
        return "niemand"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if key == "reference" and isinstance(value, str) and len(value) == references.LENGTH:
        return references.display(value)
    if key == "counts" and isinstance(value, dict):
        return ", ".join(f"{RETENTION_LABELS.get(k, k)} {v}" for k, v in value.items()) or "niets"
    if isinstance(value, dict):
        return (
            ", ".join(
                f"{FILTER_LABELS.get(k, k)} = {'niemand' if v == NOBODY else v}"
                for k, v in value.items()
            )
            or "geen"
        )
    if isinstance(value, list | tuple):
        return ", ".join(RETENTION_LABELS.get(str(v), str(v)) for v in value) or "niets"
    return str(value)


def actor_text(actor: str | None) -> str:
    """Who did it, in Dutch: a staff member's username, or systeem, ouder, leerling."""
    return ACTOR_LABELS.get(actor or "", actor or "")


def audit_row(event: AuditEvent) -> dict[str, str]:
    """An audit event in plain Dutch: what happened, to which object, with which details."""
    detail = event.detail or {}
    kind = OBJECT_LABELS.get(event.object_type, event.object_type)
    if "reference" in detail:
        target = f"{kind} {_detail_value('reference', detail['reference'])}"
    elif event.object_type == "staff_user" and "username" in detail:
        target = f"{kind} {detail['username']}"
    else:
        target = f"{kind} {event.object_id}" if event.object_id else kind
    details = "; ".join(
        f"{DETAIL_LABELS.get(key, key)}: {_detail_value(key, value)}"
        for key, value in detail.items()
        if key not in ("reference", "username")
    )
    return {
        "what": ACTION_LABELS.get(event.action, event.action),
        "target": target,
        "details": details,
    }


FILTERS = {
    "age": age_text,
    "local": local_time,
    "signal": signal_text,
    "audit_row": audit_row,
    "preview": preview,
    "actor": actor_text,
}


def error_page(request: Request, status_code: int, message: str) -> Response:
    return render(request, "error.html", status_code=status_code, message=message)


# ---------- helpers ----------


def _clean_text(value: object, maximum: int) -> str | None:
    """Trimmed text of 1..maximum characters without control characters, else None."""
    if not isinstance(value, str):
        return None
    value = value.replace("\r\n", "\n").strip()
    if not 1 <= len(value) <= maximum:
        return None
    for char in value:
        if char not in "\n\t" and unicodedata.category(char) in ("Cc", "Cs"):
            return None
    return value


def _field(form: Any, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _referral_or_404(session: Session, referral_id: int) -> Referral:
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise HTTPException(404)
    return referral


def _question_or_404(session: Session, question_id: int) -> AnonymousQuestion:
    question = session.get(AnonymousQuestion, question_id)
    if question is None:
        raise HTTPException(404)
    return question


def _active_usernames(session: Session) -> list[str]:
    query = select(StaffUser.username).where(StaffUser.active).order_by(StaffUser.username)
    return list(session.scalars(query))


# ---------- login / logout ----------


@router.get("/login")
def login_page(request: Request, board: Board) -> Response:
    try:
        current_staff(request)
    except LoginRequired:
        return render(request, "login.html", title="Inloggen")
    return RedirectResponse("/staff/", status_code=303)  # already logged in


@router.post("/login")
def login(request: Request, board: Board, form: Form) -> Response:
    username = normalise_username(_field(form, "username"))[:40]
    password = _field(form, "password")
    # The attempt counts (per username and per address) before the slow password check.
    throttle = login_throttle(board.settings)
    address = login_address(board.settings, request)
    attempt = begin_login(board.sessions, throttle, username, address)
    if attempt.refused:
        refused = render(
            request,
            "login.html",
            status_code=429,
            title="Inloggen",
            error=refusal_text(attempt),
            username=username,
        )
        refused.headers["Retry-After"] = str(attempt.retry_after)
        return refused
    next_page = "/staff/"
    with board.sessions.begin() as session:
        user = authenticate(session, username, password)
        if user is not None and is_enrolled(user):
            # Half a login: only the code page (bot/web/staff/two_step.py) completes it.
            password_step_passed(session, attempt)
            lifetime = min(CODE_STEP_TIME, board.lifetime)
            token = start_session(session, user, lifetime, code_pending=True)
            next_page = CODE_PAGE
        elif user is not None:
            login_succeeded(session, attempt)
            token = start_session(session, user, board.lifetime)
            audit(session, user.username, "staff.login", "staff_user", user.id)
            if two_step_required(board.settings, user.role == StaffRole.ADMIN):
                next_page = ENROL_PAGE
    if user is None:
        login_failed(board.sessions, throttle, attempt, address)
        return render(
            request,
            "login.html",
            status_code=401,
            title="Inloggen",
            error="Gebruikersnaam of wachtwoord klopt niet.",
            username=username,
        )
    request.session.clear()
    request.session["sid"] = token
    return RedirectResponse(next_page, status_code=303)


@router.post("/logout")
def logout(request: Request, board: Board, staff: AnyLogin, form: Form) -> Response:
    """Ends the login at any stage (also one that waits for its second step)."""
    token = request.session.get("sid")
    with board.sessions.begin() as session:
        if isinstance(token, str):
            end_session(session, token)
        audit(session, staff.username, "staff.logout", "staff_user", staff.id)
    request.session.clear()
    return RedirectResponse("/staff/login", status_code=303)


# ---------- queue ----------


@dataclass(frozen=True)
class QueueItem:
    kind: str
    id: int
    label: str
    url: str
    status: str
    assignee: str | None
    created_at: datetime
    waiting: bool
    preview: str = ""


# The labels the queue shows: "Vraag 3" (also "vraag3", "#3", "3") and "K7M-4QX" (also
# "aanmelding k7m 4qx" or a part of it).
QUESTION_LABEL = re.compile(r"^(vraag)?\s*#?\s*(\d{1,9})$", re.IGNORECASE)
REFERRAL_WORD = re.compile(r"^aanmelding\b", re.IGNORECASE)


@dataclass(frozen=True)
class Search:
    question_id: int | None = None
    reference: str | None = None  # (part of) a reference: upper case, no dash

    @property
    def active(self) -> bool:
        return self.question_id is not None or self.reference is not None


def parse_search(text: str) -> Search:
    text = text.strip()
    match = QUESTION_LABEL.match(text)
    if match:
        number = int(match.group(2))
        if match.group(1):
            return Search(question_id=number)
        # A bare number: a question's number, or digits of a reference.
        return Search(question_id=number, reference=match.group(2)[:12])
    text = REFERRAL_WORD.sub("", text).strip()
    wanted = references.parse(text) or "".join(char for char in text.upper() if char.isalnum())
    return Search(reference=wanted[:12] or None)


def _queue(session: Session, kind: str, status: str, assignee: str, search: str) -> list[QueueItem]:
    """Every item that passes the filters, newest first (without the question previews)."""
    items: list[QueueItem] = []
    wanted = parse_search(search)
    if kind in ("", KIND_REFERRAL) and (not wanted.active or wanted.reference is not None):
        query = select(
            Referral.id, Referral.reference, Referral.status, Referral.assignee, Referral.created_at
        )
        if status:
            query = query.where(Referral.status == status)
        if assignee == NOBODY:
            query = query.where(Referral.assignee.is_(None))
        elif assignee:
            query = query.where(Referral.assignee == assignee)
        if wanted.reference is not None:
            query = query.where(Referral.reference.contains(wanted.reference, autoescape=True))
        referral_statuses = {member.value for member in ReferralStatus}
        if not status or status in referral_statuses:
            for row in session.execute(query.order_by(Referral.created_at.desc())):
                items.append(
                    QueueItem(
                        kind=KIND_REFERRAL,
                        id=row.id,
                        label=references.display(row.reference),
                        url=f"/staff/aanmeldingen/{row.id}",
                        status=row.status.value,
                        assignee=row.assignee,
                        created_at=row.created_at,
                        waiting=row.status == ReferralStatus.NEW,
                    )
                )
    if (
        kind in ("", KIND_QUESTION)
        and assignee in ("", NOBODY)
        and (not wanted.active or wanted.question_id is not None)
    ):
        query = select(AnonymousQuestion.id, AnonymousQuestion.status, AnonymousQuestion.created_at)
        if wanted.question_id is not None:
            query = query.where(AnonymousQuestion.id == wanted.question_id)
        question_statuses = {member.value for member in QuestionStatus}
        if not status or status in question_statuses:
            if status:
                query = query.where(AnonymousQuestion.status == status)
            for row in session.execute(query.order_by(AnonymousQuestion.created_at.desc())):
                items.append(
                    QueueItem(
                        kind=KIND_QUESTION,
                        id=row.id,
                        label=f"Vraag {row.id}",
                        url=f"/staff/vragen/{row.id}",
                        status=row.status.value,
                        assignee=None,
                        created_at=row.created_at,
                        waiting=row.status == QuestionStatus.NEW,
                    )
                )
    items.sort(key=lambda item: item.created_at, reverse=True)
    return items


def _with_previews(session: Session, items: list[QueueItem]) -> list[QueueItem]:
    """The shown page's questions get the start of their text (decrypted for this page only)."""
    ids = [item.id for item in items if item.kind == KIND_QUESTION]
    if not ids:
        return items
    rows = session.execute(
        select(AnonymousQuestion.id, AnonymousQuestion.question).where(
            AnonymousQuestion.id.in_(ids)
        )
    )
    texts = {row.id: row.question for row in rows}
    return [
        replace(item, preview=preview(texts.get(item.id)) or "(gewist)")
        if item.kind == KIND_QUESTION
        else item
        for item in items
    ]


def _filters(request: Request) -> dict[str, str]:
    params = request.query_params
    kind = params.get("type", "")
    status = params.get("status", "")
    statuses = {m.value for m in ReferralStatus} | {m.value for m in QuestionStatus}
    return {
        "type": kind if kind in KINDS else "",
        "status": status if status in statuses else "",
        "assignee": params.get("assignee", "")[:40],
        "q": params.get("q", "")[:40].strip(),
    }


@dataclass(frozen=True)
class Paging:
    number: int
    count: int
    size: int
    total: int
    previous_url: str | None
    next_url: str | None

    @property
    def first(self) -> int:
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.number * self.size, self.total)


def _paging(request: Request, total: int, size: int) -> Paging:
    """Which page (?pagina=N, 1-based, clamped) and links to its neighbours, filters kept."""
    count = max(1, math.ceil(total / size))
    raw = request.query_params.get("pagina", "1")
    number = min(max(int(raw), 1), count) if raw.isdigit() and len(raw) < 7 else 1

    def url(page: int) -> str:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "pagina"]
        params.append(("pagina", str(page)))
        return f"{request.url.path}?{urlencode(params)}"

    return Paging(
        number=number,
        count=count,
        size=size,
        total=total,
        previous_url=url(number - 1) if number > 1 else None,
        next_url=url(number + 1) if number < count else None,
    )


@router.get("/")
def queue_page(request: Request, board: Board, staff: Staff) -> Response:
    filters = _filters(request)
    with board.sessions.begin() as session:
        expire_questions(session)
        items = _queue(
            session, filters["type"], filters["status"], filters["assignee"], filters["q"]
        )
        paging = _paging(request, len(items), QUEUE_PAGE_SIZE)
        shown = _with_previews(session, items[paging.first - 1 : paging.last])
        usernames = _active_usernames(session)
    # The summary describes exactly the items that pass the filters (all pages).
    waiting = [item for item in items if item.waiting]
    oldest = min(waiting, key=lambda item: item.created_at) if waiting else None
    return render(
        request,
        "queue.html",
        title="Wachtrij",
        items=shown,
        total=len(items),
        paging=paging,
        filtered=any(filters.values()),
        newest=items[0] if items else None,
        oldest=oldest,
        waiting_count=len(waiting),
        filters=filters,
        usernames=usernames,
        referral_statuses=[m.value for m in ReferralStatus],
        question_statuses=[m.value for m in QuestionStatus if m != QuestionStatus.NEW],
        export_query=urlencode([(k, v) for k, v in filters.items() if v]),
        zone=LOCAL_TIME.key,
    )


def _csv_cell(value: object) -> str:
    """Text that a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@router.get("/export.csv")
def export_csv(request: Request, board: Board, staff: Staff) -> Response:
    """The queue as it is filtered, without personal data; every export is audited."""
    filters = _filters(request)
    with board.sessions.begin() as session:
        expire_questions(session)
        items = _queue(
            session, filters["type"], filters["status"], filters["assignee"], filters["q"]
        )
        audit(
            session,
            staff.username,
            "queue.exported",
            "queue",
            None,
            rows=len(items),
            # The search text may be a name: the audit log keeps only that a search was used.
            filters={key: value for key, value in filters.items() if value and key != "q"},
            searched=bool(filters["q"]),
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [
            "soort",
            "kenmerk",
            "status",
            "toegewezen aan",
            f"ingediend (tijdzone {LOCAL_TIME.key})",
            "tijd sinds indienen",
        ]
    )
    now = utcnow()
    for item in items:
        writer.writerow(
            [
                _csv_cell(item.kind),
                _csv_cell(item.label),
                _csv_cell(item.status),
                _csv_cell(item.assignee or ""),
                item.created_at.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M %Z"),
                age_text(item.created_at, now),
            ]
        )
    stamp = now.astimezone(LOCAL_TIME).strftime("%Y%m%d-%H%M")
    return Response(
        "\ufeff" + buffer.getvalue(),  # the BOM makes Excel read UTF-8
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="lans-wachtrij-{stamp}.csv"'},
    )


# ---------- referral ----------


@router.get("/aanmeldingen/{referral_id}")
def referral_page(request: Request, board: Board, staff: Staff, referral_id: int) -> Response:
    with board.sessions.begin() as session:
        referral = _referral_or_404(session, referral_id)
        audit(
            session,
            staff.username,
            "referral.viewed",
            "referral",
            referral.id,
            reference=referral.reference,
        )
        fields = [(label, getattr(referral, name)) for name, label in FIELD_LABELS]
        history = list(
            session.scalars(
                select(ReferralStatusChange)
                .where(ReferralStatusChange.referral_id == referral.id)
                .order_by(ReferralStatusChange.id.desc())
            )
        )
        notes = list(
            session.scalars(
                select(ReferralNote)
                .where(ReferralNote.referral_id == referral.id)
                .order_by(ReferralNote.id.desc())
            )
        )
        usernames = _active_usernames(session)
        erased = referral.status == ReferralStatus.WITHDRAWN
        return render(
            request,
            "referral.html",
            title=f"Aanmelding {references.display(referral.reference)}",
            referral=referral,
            reference=references.display(referral.reference),
            fields=fields,
            signals=referral.check_signals or [],
            history=history,
            notes=notes,
            usernames=usernames,
            statuses=[m.value for m in ReferralStatus],
            erased=erased,
        )


@router.post("/aanmeldingen/{referral_id}/status")
def change_status(
    request: Request, board: Board, staff: Staff, form: Form, referral_id: int
) -> Response:
    wanted = _field(form, "status")
    if wanted not in {m.value for m in ReferralStatus}:
        raise HTTPException(400)
    note_text = _field(form, "note").strip()
    note = _clean_text(note_text, MAX_NOTE) if note_text else None
    if note_text and note is None:
        flash(request, f"De toelichting is te lang (hoogstens {MAX_NOTE} tekens).")
        return RedirectResponse(f"/staff/aanmeldingen/{referral_id}", status_code=303)
    with board.sessions.begin() as session:
        referral = _referral_or_404(session, referral_id)
        new_status = ReferralStatus(wanted)
        if referral.status == ReferralStatus.WITHDRAWN:
            message = "Deze aanmelding is ingetrokken; de status kan niet meer veranderen."
        elif new_status == referral.status:
            message = "De status was al zo."
        elif new_status == ReferralStatus.WITHDRAWN:
            # As when the parent withdraws: the personal data and notes go (a note given
            # here is not kept either: it could hold personal data).
            previous = erase_and_withdraw(session, referral, by=staff.username)
            audit(
                session,
                staff.username,
                "referral.withdrawn_by_staff",
                "referral",
                referral.id,
                reference=referral.reference,
                from_status=previous.value,
            )
            message = "Ingetrokken: de persoonsgegevens en notities zijn gewist."
        else:
            previous = referral.status
            referral.status = new_status
            session.add(
                ReferralStatusChange(
                    referral_id=referral.id,
                    from_status=previous,
                    to_status=new_status,
                    by=staff.username,
                    note=note,
                )
            )
            audit(
                session,
                staff.username,
                "referral.status_changed",
                "referral",
                referral.id,
                reference=referral.reference,
                from_status=previous.value,
                to_status=new_status.value,
            )
            message = f"Status gewijzigd naar: {new_status.value}."
    flash(request, message)
    return RedirectResponse(f"/staff/aanmeldingen/{referral_id}", status_code=303)


@router.post("/aanmeldingen/{referral_id}/toewijzen")
def assign(request: Request, board: Board, staff: Staff, form: Form, referral_id: int) -> Response:
    wanted = _field(form, "assignee")
    with board.sessions.begin() as session:
        referral = _referral_or_404(session, referral_id)
        if wanted and wanted not in _active_usernames(session):
            raise HTTPException(400)
        previous = referral.assignee
        referral.assignee = wanted or None
        audit(
            session,
            staff.username,
            "referral.assigned",
            "referral",
            referral.id,
            reference=referral.reference,
            from_assignee=previous,
            to_assignee=wanted or None,
        )
    flash(request, f"Toegewezen aan: {wanted}." if wanted else "Niemand toegewezen.")
    return RedirectResponse(f"/staff/aanmeldingen/{referral_id}", status_code=303)


@router.post("/aanmeldingen/{referral_id}/notities")
def add_note(
    request: Request, board: Board, staff: Staff, form: Form, referral_id: int
) -> Response:
    text = _clean_text(_field(form, "text"), MAX_NOTE)
    if text is None:
        flash(request, f"Een notitie heeft 1 tot {MAX_NOTE} tekens.")
        return RedirectResponse(f"/staff/aanmeldingen/{referral_id}", status_code=303)
    with board.sessions.begin() as session:
        referral = _referral_or_404(session, referral_id)
        if referral.status == ReferralStatus.WITHDRAWN:
            flash(request, "Deze aanmelding is ingetrokken; er kunnen geen notities bij.")
            return RedirectResponse(f"/staff/aanmeldingen/{referral_id}", status_code=303)
        note = ReferralNote(referral_id=referral.id, author=staff.username, text=text)
        session.add(note)
        session.flush()
        audit(
            session,
            staff.username,
            "referral.note_added",
            "referral",
            referral.id,
            reference=referral.reference,
            note_id=note.id,
        )
    flash(request, "Notitie toegevoegd.")
    return RedirectResponse(f"/staff/aanmeldingen/{referral_id}", status_code=303)


# ---------- anonymous questions ----------


@router.get("/vragen/{question_id}")
def question_page(request: Request, board: Board, staff: Staff, question_id: int) -> Response:
    with board.sessions.begin() as session:
        expire_questions(session)
        question = _question_or_404(session, question_id)
        audit(session, staff.username, "question.viewed", "question", question.id)
        return render(
            request,
            "question.html",
            title=f"Vraag {question.id}",
            question=question,
            expired=question.status == QuestionStatus.EXPIRED,
            max_answer=MAX_ANSWER,
        )


@router.post("/vragen/{question_id}/antwoord")
def answer_question(
    request: Request, board: Board, staff: Staff, form: Form, question_id: int
) -> Response:
    text = _clean_text(_field(form, "answer"), MAX_ANSWER)
    if text is None:
        flash(request, f"Een antwoord heeft 1 tot {MAX_ANSWER} tekens.")
        return RedirectResponse(f"/staff/vragen/{question_id}", status_code=303)
    with board.sessions.begin() as session:
        expire_questions(session)
        question = _question_or_404(session, question_id)
        if question.status == QuestionStatus.EXPIRED:
            flash(request, "Deze vraag is verlopen; er kan geen antwoord meer bij.")
            return RedirectResponse(f"/staff/vragen/{question_id}", status_code=303)
        if question.status == QuestionStatus.ANSWERED and question.answer == text:
            # Saving the same answer again changes nothing: not who answered, nor when.
            flash(request, "Het antwoord was al zo. Er is niets veranderd.")
            return RedirectResponse(f"/staff/vragen/{question_id}", status_code=303)
        changed = question.status == QuestionStatus.ANSWERED
        question.answer = text
        question.status = QuestionStatus.ANSWERED
        question.answered_at = utcnow()
        question.answered_by = staff.username
        audit(
            session, staff.username, "question.answered", "question", question.id, changed=changed
        )
    flash(request, "Antwoord opgeslagen. De leerling kan het lezen met de ophaalcode.")
    return RedirectResponse(f"/staff/vragen/{question_id}", status_code=303)


# ---------- audit ----------


@router.get("/audit")
def audit_page(request: Request, board: Board, staff: Staff) -> Response:
    with board.sessions.begin() as session:
        total = session.scalar(select(func.count(AuditEvent.id))) or 0
        paging = _paging(request, total, AUDIT_PAGE_SIZE)
        events = list(
            session.scalars(
                select(AuditEvent)
                .order_by(AuditEvent.id.desc())
                .offset(max(paging.first - 1, 0))
                .limit(AUDIT_PAGE_SIZE)
            )
        )
    return render(
        request, "audit.html", title="Logboek", events=events, paging=paging, zone=LOCAL_TIME.key
    )


# ---------- accounts (admin) ----------


@router.get("/accounts")
def accounts_page(request: Request, board: Board, staff: Admin) -> Response:
    with board.sessions.begin() as session:
        users = list(session.scalars(select(StaffUser).order_by(StaffUser.username)))
    return render(request, "accounts.html", title="Accounts", users=users)


@router.post("/accounts")
def create_account_form(request: Request, board: Board, staff: Admin, form: Form) -> Response:
    role = StaffRole.ADMIN if _field(form, "role") == "admin" else StaffRole.STAFF
    try:
        with board.sessions.begin() as session:
            user = create_account(
                session, _field(form, "username"), _field(form, "password"), role, staff.username
            )
            name = user.username
    except AccountError as error:
        flash(request, str(error))
    else:
        flash(request, f"Account aangemaakt: {name}.")
    return RedirectResponse("/staff/accounts", status_code=303)


def _user_or_404(session: Session, user_id: int) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None:
        raise HTTPException(404)
    return user


@router.post("/accounts/{user_id}/deactiveren")
def deactivate(request: Request, board: Board, staff: Admin, form: Form, user_id: int) -> Response:
    if user_id == staff.id:
        flash(request, "U kunt uw eigen account niet deactiveren.")
        return RedirectResponse("/staff/accounts", status_code=303)
    with board.sessions.begin() as session:
        user = _user_or_404(session, user_id)
        set_active(session, user, False, staff.username)
        name = user.username
    flash(request, f"Account gedeactiveerd: {name}.")
    return RedirectResponse("/staff/accounts", status_code=303)


@router.post("/accounts/{user_id}/activeren")
def activate(request: Request, board: Board, staff: Admin, form: Form, user_id: int) -> Response:
    with board.sessions.begin() as session:
        user = _user_or_404(session, user_id)
        set_active(session, user, True, staff.username)
        name = user.username
    flash(request, f"Account weer actief: {name}.")
    return RedirectResponse("/staff/accounts", status_code=303)


@router.post("/accounts/{user_id}/wachtwoord")
def reset_password(
    request: Request, board: Board, staff: Admin, form: Form, user_id: int
) -> Response:
    try:
        with board.sessions.begin() as session:
            user = _user_or_404(session, user_id)
            set_password(session, user, _field(form, "password"), staff.username)
            name = user.username
    except AccountError as error:
        flash(request, str(error))
    else:
        flash(request, f"Nieuw wachtwoord ingesteld voor {name}. Die moet opnieuw inloggen.")
    return RedirectResponse("/staff/accounts", status_code=303)


# ---------- one's own password ----------

PASSWORD_TEXTS = {
    "wrong": "Uw huidige wachtwoord klopt niet.",
    "locked": "U heeft te vaak een verkeerd huidig wachtwoord getypt. Probeer het over {minutes} "
    "minuten opnieuw.",
    "mismatch": "De twee nieuwe wachtwoorden zijn niet hetzelfde.",
    "same": "Het nieuwe wachtwoord is hetzelfde als het huidige. Kies een ander wachtwoord.",
    "done": "Uw wachtwoord is gewijzigd. Op andere apparaten bent u nu uitgelogd.",
}


def _password_page(request: Request, status_code: int = 200, error: str = "") -> Response:
    return render(
        request,
        "password.html",
        status_code=status_code,
        title="Wachtwoord wijzigen",
        error=error,
        min_length=MIN_PASSWORD_LENGTH,
    )


@router.get("/wachtwoord")
def own_password_page(request: Request, board: Board, staff: Staff) -> Response:
    return _password_page(request)


@router.post("/wachtwoord")
def change_own_password(request: Request, board: Board, staff: Staff, form: Form) -> Response:
    """A staff member sets a new password after giving the current one; the other logins of
    the account end, this one goes on. Wrong current passwords are audited and throttled."""
    current = _field(form, "current")[:MAX_PASSWORD_LENGTH]
    new = _field(form, "new")
    repeated = _field(form, "repeat")
    settings = board.settings
    window = timedelta(minutes=settings.staff_login_window_minutes)
    minutes = round(settings.staff_login_window_minutes)
    token = request.session.get("sid")
    with board.sessions.begin() as session:
        failures = session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action == "account.password_change_failed",
                AuditEvent.object_id == str(staff.id),
                AuditEvent.at > utcnow() - window,
            )
        )
        if (failures or 0) >= settings.staff_login_max_failures:
            return _password_page(request, 429, PASSWORD_TEXTS["locked"].format(minutes=minutes))
        user = session.get(StaffUser, staff.id)
        if user is None or not password_matches(user, current):
            audit(
                session,
                staff.username,
                "account.password_change_failed",
                "staff_user",
                staff.id,
                username=staff.username,
            )
            error, status_code = PASSWORD_TEXTS["wrong"], 400
        elif new != repeated:
            error, status_code = PASSWORD_TEXTS["mismatch"], 400
        elif new == current:
            error, status_code = PASSWORD_TEXTS["same"], 400
        else:
            try:
                change_password(session, user, new, token if isinstance(token, str) else "")
            except AccountError as problem:
                error, status_code = str(problem), 400
            else:
                error, status_code = "", 303
    if status_code != 303:
        return _password_page(request, status_code, error)
    flash(request, PASSWORD_TEXTS["done"])
    return RedirectResponse("/staff/", status_code=303)
