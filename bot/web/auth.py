"""Staff accounts, passwords (argon2id via argon2-cffi), server-side logins and throttling.

Shared by the dashboard and the `python -m bot.web.accounts` command. Nothing here logs a
password or a session token; the database holds only hashes of both.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request

from bot.intake.columns import utcnow
from bot.intake.crypto import blind_index
from bot.intake.models import AuditEvent, LoginFailure, StaffRole, StaffSession, StaffUser
from bot.web.client_ip import client_key

if TYPE_CHECKING:
    from bot.intake.settings import Settings

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message is Dutch."""


@dataclass(frozen=True)
class StaffMember:
    """The logged-in staff member, detached from any database session."""

    id: int
    username: str
    role: StaffRole
    # A login that passed the password but not yet the second step opens no page.
    code_pending: bool = False
    # Whether the account has two-step login set up (bot/web/two_factor.py).
    two_factor: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == StaffRole.ADMIN


def normalise_username(username: str) -> str:
    return username.strip().lower()


def check_username(username: str) -> str:
    username = normalise_username(username)
    if not USERNAME_PATTERN.fullmatch(username):
        raise AccountError(
            "Een gebruikersnaam heeft 2 tot 40 tekens: kleine letters, cijfers, punt, - of _."
        )
    return username


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Een wachtwoord heeft minstens {MIN_PASSWORD_LENGTH} tekens.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"Een wachtwoord heeft hoogstens {MAX_PASSWORD_LENGTH} tekens.")
    return password


def hash_password(password: str) -> str:
    return _hasher.hash(check_password(password))


def audit(session: Session, actor: str, action: str, kind: str, object_id: object, **detail):
    """One audit event; `detail` must never hold personal data or secrets."""
    session.add(
        AuditEvent(
            actor=actor,
            action=action,
            object_type=kind,
            object_id=None if object_id is None else str(object_id),
            detail=detail,
        )
    )


def create_account(
    session: Session, username: str, password: str, role: StaffRole, actor: str
) -> StaffUser:
    username = check_username(username)
    if session.scalar(select(StaffUser.id).where(StaffUser.username == username)) is not None:
        raise AccountError("Deze gebruikersnaam bestaat al.")
    user = StaffUser(username=username, password_hash=hash_password(password), role=role)
    session.add(user)
    session.flush()
    audit(
        session, actor, "account.created", "staff_user", user.id, username=username, role=role.value
    )
    return user


def set_password(session: Session, user: StaffUser, password: str, actor: str) -> None:
    """A new password; every login of that account ends."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    audit(session, actor, "account.password_reset", "staff_user", user.id, username=user.username)


def set_active(session: Session, user: StaffUser, active: bool, actor: str) -> None:
    """(De)activate an account; deactivation ends its logins at once."""
    user.active = active
    if not active:
        session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    action = "account.activated" if active else "account.deactivated"
    audit(session, actor, action, "staff_user", user.id, username=user.username)


def token_hash(token: str) -> str:
    """What the staff_sessions table keeps of a login token."""
    # The token is 256 random bits: a plain SHA-256 is enough to keep it out of the table.
    return hashlib.sha256(token.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class LoginThrottle:
    """How failed logins are counted: per username and per client address (a keyed hash of
    it, IPv6 per /64), within `window`. The first mistake is free; after k >= 2 failures of a
    username, its next attempt is only checked `first_delay * 2**(k-2)` seconds after the last
    one (a growing delay: 1, 2, 4 s with the default); at
    `per_user` failures the username, at `per_address` the address, is locked until the
    oldest counted failure leaves the window.
    """

    per_user: int
    per_address: int
    window: timedelta
    first_delay: float


@dataclass(frozen=True)
class LoginAttempt:
    """An attempt that was counted before the password check. `refused` when it may not be
    checked at all (locked, or too soon after the last failure), with the seconds to wait."""

    id: int | None
    username: str
    refused: bool = False
    retry_after: int = 0
    locked: bool = False


def login_throttle(settings: Settings) -> LoginThrottle:
    return LoginThrottle(
        per_user=settings.staff_login_max_failures,
        per_address=settings.staff_login_max_failures_per_address,
        window=timedelta(minutes=settings.staff_login_window_minutes),
        first_delay=settings.staff_login_delay_seconds,
    )


def login_address(settings: Settings, request: Request) -> str:
    """The client's address as login failures count it: a keyed hash of it (IPv6: its /64)."""
    return blind_index(settings.blind_index_key(), "login-address", client_key(request))


def refusal_text(attempt: LoginAttempt, wrong: str = "een verkeerd wachtwoord") -> str:
    """Why a login attempt was not even checked, in Dutch, with how long to wait; `wrong` names
    the mistake (the second login step says "een verkeerde code")."""
    if attempt.locked:
        minutes = max(1, round(attempt.retry_after / 60))
        return (
            f"Te vaak {wrong}. Probeer het over {minutes} minuten opnieuw, "
            "of vraag een beheerder om hulp."
        )
    return f"Te snel na {wrong}. Wacht {attempt.retry_after} seconden en probeer het dan opnieuw."


def _earlier(session: Session, column, value: str, since: datetime, own_id: int) -> list[datetime]:
    query = (
        select(LoginFailure.at)
        .where(column == value, LoginFailure.at > since, LoginFailure.id != own_id)
        .order_by(LoginFailure.at)
    )
    return list(session.scalars(query))


def begin_login(
    sessions: sessionmaker[Session], throttle: LoginThrottle, username: str, address: str
) -> LoginAttempt:
    """Count this attempt as a failure first (committed at once), then decide whether its
    password may be checked at all.

    Every attempt writes its row before it counts the others, so of any number of parallel
    attempts each sees all earlier ones still counting: no more than `per_user` attempts per
    username (and `per_address` per address) reach the password check in a window, whatever
    the concurrency. A refused attempt takes its row away again (it was never checked, so it
    does not prolong the lock); a checked one keeps it until the password proves right.
    """
    username = username[:40]
    now = utcnow()
    with sessions.begin() as session:
        row = LoginFailure(username=username, address=address, at=now)
        session.add(row)
        session.flush()
        own_id = row.id
    since = now - throttle.window
    with sessions.begin() as session:
        by_user = _earlier(session, LoginFailure.username, username, since, own_id)
        by_address = _earlier(session, LoginFailure.address, address, since, own_id)
        wait = 0.0
        locked = False
        for earlier, limit in ((by_user, throttle.per_user), (by_address, throttle.per_address)):
            if len(earlier) >= limit:
                locked = True
                # Open again when enough of the counted failures have left the window.
                opens = earlier[len(earlier) - limit] + throttle.window
                wait = max(wait, (opens - now).total_seconds())
        if len(by_user) >= 2 and not locked:
            delay = min(
                throttle.first_delay * 2 ** (len(by_user) - 2), throttle.window.total_seconds()
            )
            wait = max(wait, (by_user[-1] + timedelta(seconds=delay) - now).total_seconds())
        if wait > 0:
            session.execute(delete(LoginFailure).where(LoginFailure.id == own_id))
            return LoginAttempt(
                None, username, refused=True, retry_after=max(1, math.ceil(wait)), locked=locked
            )
    return LoginAttempt(own_id, username)


def login_failed(
    sessions: sessionmaker[Session],
    throttle: LoginThrottle,
    attempt: LoginAttempt,
    address: str,
    action: str = "staff.login_failed",
) -> None:
    """Audit a wrong password (the failure itself is already counted): in the Logboek, the
    account's name when it exists (never what was typed otherwise: it may be a password), and
    a lock when this failure starts one. Never the password, never the address.

    The second login step audits a wrong code the same way, as `action` "staff.2fa_failed"."""
    since = utcnow() - throttle.window
    with sessions.begin() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.username == attempt.username))
        name = user.username if user is not None else None
        actor = name or "onbekend"
        detail = {"username": name} if name else {"account": "onbekende gebruikersnaam"}
        audit(session, actor, action, "staff_user", user and user.id, **detail)
        counts = {
            column.key: session.scalar(
                select(func.count(LoginFailure.id)).where(column == value, LoginFailure.at > since)
            )
            for column, value in (
                (LoginFailure.username, attempt.username),
                (LoginFailure.address, address),
            )
        }
        minutes = round(throttle.window.total_seconds() / 60)
        if counts["username"] == throttle.per_user:
            audit(
                session, actor, "staff.login_locked", "staff_user", user and user.id,
                **detail, reason="gebruikersnaam", minutes=minutes,
            )  # fmt: skip
        if counts["address"] == throttle.per_address:
            audit(
                session, actor, "staff.login_locked", "staff_user", user and user.id,
                **detail, reason="adres", minutes=minutes,
            )  # fmt: skip


def login_succeeded(session: Session, attempt: LoginAttempt) -> None:
    """The password was right: this attempt and the username's failures no longer count (the
    address's other failures still do)."""
    session.execute(
        delete(LoginFailure).where(
            (LoginFailure.id == attempt.id) | (LoginFailure.username == attempt.username)
        )
    )


def password_step_passed(session: Session, attempt: LoginAttempt) -> None:
    """The password was right but a second step follows: only this attempt stops counting.

    The username's earlier failures (wrong passwords and wrong codes) keep counting until the
    second step succeeds; clearing them here would let someone who knows the password try
    codes without end, a few between each right password.
    """
    session.execute(delete(LoginFailure).where(LoginFailure.id == attempt.id))


def authenticate(session: Session, username: str, password: str) -> StaffUser | None:
    """The active account for this username and password, or None.

    Counting failures is begin_login's job: it runs before this (slow, argon2) check.
    """
    username = normalise_username(username)[:40]
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    stored = user.password_hash if user is not None and user.active else _DUMMY_HASH
    try:
        _hasher.verify(stored, password[:MAX_PASSWORD_LENGTH])
        ok = user is not None and user.active
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def start_session(
    session: Session, user: StaffUser, lifetime: timedelta, *, code_pending: bool = False
) -> str:
    """A new login for `user`; returns the token for the (signed) cookie. With `code_pending`
    it is half a login: it waits for the second step and opens no dashboard page."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        StaffSession(
            token_hash=token_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
            code_pending=code_pending,
        )
    )
    # Housekeeping: logins that ended on their own.
    session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))
    return token


def resume_session(session: Session, token: str, idle: timedelta) -> StaffMember | None:
    """The staff member of a live login, refreshing its idle timer; None when it has ended."""
    now = utcnow()
    row = session.scalar(select(StaffSession).where(StaffSession.token_hash == token_hash(token)))
    if row is None:
        return None
    if row.expires_at <= now or row.last_seen_at + idle <= now or not row.user.active:
        session.delete(row)
        return None
    row.last_seen_at = now
    return StaffMember(
        id=row.user.id,
        username=row.user.username,
        role=row.user.role,
        code_pending=row.code_pending,
        two_factor=row.user.totp_enrolled_at is not None,
    )


def end_session(session: Session, token: str) -> None:
    session.execute(delete(StaffSession).where(StaffSession.token_hash == token_hash(token)))
