"""Staff accounts, passwords (argon2id via argon2-cffi), server-side logins and throttling.

Shared by the dashboard and the `python -m bot.web.accounts` command. Nothing here logs a
password or a session token; the database holds only hashes of both.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.intake.columns import utcnow
from bot.intake.models import AuditEvent, LoginFailure, StaffRole, StaffSession, StaffUser

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


def _token_hash(token: str) -> str:
    # The token is 256 random bits: a plain SHA-256 is enough to keep it out of the table.
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def login_locked(session: Session, username: str, max_failures: int, window: timedelta) -> bool:
    since = utcnow() - window
    # Housekeeping: failures older than the window no longer count for anyone.
    session.execute(delete(LoginFailure).where(LoginFailure.at <= since))
    failures = session.scalar(
        select(func.count(LoginFailure.id)).where(
            LoginFailure.username == username[:40], LoginFailure.at > since
        )
    )
    return (failures or 0) >= max_failures


def authenticate(session: Session, username: str, password: str) -> StaffUser | None:
    """The active account for this username and password, or None (and a failure counted)."""
    username = normalise_username(username)[:40]
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    stored = user.password_hash if user is not None and user.active else _DUMMY_HASH
    try:
        _hasher.verify(stored, password[:MAX_PASSWORD_LENGTH])
        ok = user is not None and user.active
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None:
        session.add(LoginFailure(username=username))
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    session.execute(delete(LoginFailure).where(LoginFailure.username == username))
    return user


def start_session(session: Session, user: StaffUser, lifetime: timedelta) -> str:
    """A new login for `user`; returns the token for the (signed) cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        StaffSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
        )
    )
    # Housekeeping: logins that ended on their own.
    session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))
    return token


def resume_session(session: Session, token: str, idle: timedelta) -> StaffMember | None:
    """The staff member of a live login, refreshing its idle timer; None when it has ended."""
    now = utcnow()
    row = session.scalar(select(StaffSession).where(StaffSession.token_hash == _token_hash(token)))
    if row is None:
        return None
    if row.expires_at <= now or row.last_seen_at + idle <= now or not row.user.active:
        session.delete(row)
        return None
    row.last_seen_at = now
    return StaffMember(id=row.user.id, username=row.user.username, role=row.user.role)


def end_session(session: Session, token: str) -> None:
    session.execute(delete(StaffSession).where(StaffSession.token_hash == _token_hash(token)))
