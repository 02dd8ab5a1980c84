"""A staff member changes their own password (the dashboard's "Wachtwoord wijzigen").

Unlike an administrator's reset (bot.web.auth.set_password), the login in use goes on: only the
account's other logins end, so a stolen session elsewhere is closed at once.
"""

from __future__ import annotations

import hashlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.intake.columns import utcnow
from bot.intake.models import StaffSession, StaffUser
from bot.web.auth import MAX_PASSWORD_LENGTH, audit, hash_password

_hasher = PasswordHasher()


def password_matches(user: StaffUser, password: str) -> bool:
    """Whether `password` is the account's current password (argon2id verification)."""
    try:
        return _hasher.verify(user.password_hash, password[:MAX_PASSWORD_LENGTH])
    except (VerificationError, InvalidHashError):
        return False


def change_password(session: Session, user: StaffUser, password: str, keep_token: str) -> None:
    """Set a new password (AccountError when it is too short or too long); every login of the
    account except the one with `keep_token` ends."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    # The same digest bot.web.auth stores for a login token.
    keep = hashlib.sha256(keep_token.encode("ascii")).hexdigest()
    session.execute(
        delete(StaffSession).where(StaffSession.user_id == user.id, StaffSession.token_hash != keep)
    )
    audit(session, user.username, "account.password_changed", "staff_user", user.id,
          username=user.username)  # fmt: skip
