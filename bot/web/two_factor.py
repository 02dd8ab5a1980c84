"""Two-step login for staff: TOTP codes from an authenticator app (RFC 6238, via pyotp) and
one-time recovery codes.

- The TOTP secret lives only in encrypted columns (Fernet under LANS_DATA_KEY, the same
  column type as a referral's personal fields): a copy of the database cannot produce codes.
- A code is accepted for the current 30-second step and one step either side (clock drift).
  The newest accepted step is stored; its code and every older one are refused from then on
  (replay), with a conditional UPDATE so two parallel requests cannot both use one code.
- Recovery codes are stored only as argon2id hashes, the project's password hasher; each one
  works once (again a conditional UPDATE).

Counting wrong codes is the login throttle's job (bot.web.auth.begin_login): the dashboard
counts a code attempt exactly like a password attempt.
"""

from __future__ import annotations

import secrets
import time

import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from markupsafe import Markup
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.intake.columns import utcnow
from bot.intake.models import StaffRecoveryCode, StaffSession, StaffUser
from bot.intake.reference import ALPHABET
from bot.web.auth import audit, token_hash

ISSUER = "LANS-dashboard"
STEP_SECONDS = 30
DRIFT_STEPS = 1
CODE_DIGITS = 6
RECOVERY_CODE_COUNT = 10
# 10 characters of the reference alphabet (no look-alikes): 25**10, about 2**46 codes.
RECOVERY_CODE_LENGTH = 10

_hasher = PasswordHasher()


# ---------- codes ----------


def new_secret() -> str:
    """A fresh TOTP secret: 32 base32 characters (160 bits, RFC 4226's recommended length)."""
    return pyotp.random_base32()


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=CODE_DIGITS, interval=STEP_SECONDS)


def clean_code(text: str) -> str | None:
    """The six digits of a typed code ("123 456" and "123-456" too), else None."""
    digits = "".join(char for char in text if char not in " -\t")
    if len(digits) == CODE_DIGITS and digits.isascii() and digits.isdigit():
        return digits
    return None


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step (of now and one either side) whose code `code` is, or None."""
    totp = _totp(secret)
    current = totp.timecode(time.time() if now is None else now)
    for step in (current, current - DRIFT_STEPS, current + DRIFT_STEPS):
        expected = totp.generate_otp(step)
        if secrets.compare_digest(code.encode("ascii"), expected.encode("ascii")):
            return step
    return None


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return _totp(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> Markup:
    """The URI as a QR code in inline SVG, drawn here (no external service, no script).

    Sized by CSS through its viewBox, so it shrinks on a narrow screen; its <title> names it
    for screen readers. It holds only geometry and our own title: safe to mark as markup.
    """
    svg = segno.make(uri, error="m").svg_inline(
        scale=1,
        border=4,
        dark="#000",
        light="#fff",
        omitsize=True,
        title="QR-code om in uw app te scannen",
        svgclass="qr-code",
    )
    return Markup(svg.replace("<svg ", '<svg role="img" focusable="false" ', 1))


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# ---------- enrolment ----------


def is_enrolled(user: StaffUser) -> bool:
    """Whether two-step login is on (without reading the encrypted secret)."""
    return user.totp_enrolled_at is not None


def pending_secret(user: StaffUser) -> str:
    """The secret being set up: the stored one (a reload shows the same QR code), else new."""
    if user.totp_pending_secret is None:
        user.totp_pending_secret = new_secret()
    return user.totp_pending_secret


def finish_enrolment(
    session: Session, user: StaffUser, code: str, keep_token: str | None
) -> list[str] | None:
    """Turn two-step login on when `code` fits the pending secret; the new recovery codes (to
    be shown once), or None when the code does not fit. The account's other logins end: they
    were made with the password alone."""
    secret = user.totp_pending_secret
    digits = clean_code(code)
    if secret is None or digits is None:
        return None
    step = matching_step(secret, digits)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_pending_secret = None
    user.totp_last_step = step  # the code just used cannot log in as well
    user.totp_enrolled_at = utcnow()
    codes = _new_recovery_codes(session, user)
    others = delete(StaffSession).where(StaffSession.user_id == user.id)
    if keep_token is not None:
        others = others.where(StaffSession.token_hash != token_hash(keep_token))
    session.execute(others)
    audit(session, user.username, "account.2fa_enrolled", "staff_user", user.id,
          username=user.username)  # fmt: skip
    return codes


def reset(session: Session, user: StaffUser, actor: str) -> None:
    """An administrator turns two-step login off for `user` (a lost phone): secrets and
    recovery codes go, every login of the account ends. An administrator (LANS_ADMIN_REQUIRE_2FA)
    and, with LANS_STAFF_REQUIRE_2FA, any member sets it up again at the next login."""
    user.totp_secret = None
    user.totp_pending_secret = None
    user.totp_last_step = None
    user.totp_enrolled_at = None
    session.execute(delete(StaffRecoveryCode).where(StaffRecoveryCode.user_id == user.id))
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    audit(session, actor, "account.2fa_reset", "staff_user", user.id, username=user.username)


# ---------- the second login step ----------


def use_code(session: Session, user: StaffUser, code: str) -> bool:
    """Whether `code` is a valid, unused code of the account's app; using it marks its step."""
    digits = clean_code(code)
    if user.totp_secret is None or digits is None:
        return False
    step = matching_step(user.totp_secret, digits)
    if step is None:
        return False
    marked = session.execute(
        update(StaffUser)
        .where(
            StaffUser.id == user.id,
            or_(StaffUser.totp_last_step.is_(None), StaffUser.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    session.expire(user, ["totp_last_step"])
    return marked.rowcount == 1


def clean_recovery_code(text: str) -> str | None:
    """A typed recovery code in canonical form (upper case, no spaces or dashes), else None."""
    code = "".join(char for char in text.upper() if char not in " -\t")
    if len(code) == RECOVERY_CODE_LENGTH and all(char in ALPHABET for char in code):
        return code
    return None


def use_recovery_code(session: Session, user: StaffUser, text: str) -> int | None:
    """Use one recovery code: the number of unused codes left, or None when it is not one of
    the account's unused codes."""
    code = clean_recovery_code(text)
    if code is None or not is_enrolled(user):
        return None
    rows = session.execute(
        select(StaffRecoveryCode.id, StaffRecoveryCode.code_hash).where(
            StaffRecoveryCode.user_id == user.id, StaffRecoveryCode.used_at.is_(None)
        )
    ).all()
    for row in rows:
        if _matches(row.code_hash, code):
            used = session.execute(
                update(StaffRecoveryCode)
                .where(StaffRecoveryCode.id == row.id, StaffRecoveryCode.used_at.is_(None))
                .values(used_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            if used.rowcount != 1:
                return None  # a parallel request used it a moment ago
            return unused_recovery_codes(session, user)
    return None


def unused_recovery_codes(session: Session, user: StaffUser) -> int:
    query = select(func.count(StaffRecoveryCode.id)).where(
        StaffRecoveryCode.user_id == user.id, StaffRecoveryCode.used_at.is_(None)
    )
    return session.scalar(query) or 0


def display_recovery_code(code: str) -> str:
    """The form shown to people: ACDEF34679 -> ACDEF-34679."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def _new_recovery_codes(session: Session, user: StaffUser) -> list[str]:
    """Replace the account's recovery codes with fresh ones; returns them in display form."""
    session.execute(delete(StaffRecoveryCode).where(StaffRecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    session.add_all(
        StaffRecoveryCode(user_id=user.id, code_hash=_hasher.hash(code)) for code in codes
    )
    return [display_recovery_code(code) for code in codes]


def _matches(stored: str, code: str) -> bool:
    try:
        return _hasher.verify(stored, code)
    except (VerificationError, InvalidHashError):
        return False
