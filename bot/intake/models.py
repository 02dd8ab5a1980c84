"""The intake queue's tables (SQLAlchemy 2 typed declarative models).

Personal fields are encrypted at rest (see types.Encrypted); the phone and e-mail also get a
keyed hash column so a withdrawal can find its referral without decrypting the whole table.
Alembic migrations in bot/intake/migrations must match these models (a test checks it).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, MetaData, String
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.intake.columns import Encrypted, UTCDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with constraint names that are stable across backends."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ReferralStatus(str, Enum):
    """Where a referral is in the LANS team's process; the Dutch words staff see."""

    NEW = "nieuw"
    IN_PROGRESS = "in behandeling"
    INVITED = "uitgenodigd voor onderzoeksfase"
    COMPLETED = "afgerond"
    REFERRED_ELSEWHERE = "doorverwezen"
    WITHDRAWN = "ingetrokken"


class QuestionStatus(str, Enum):
    """Life cycle of a student's anonymous question."""

    NEW = "nieuw"
    ANSWERED = "beantwoord"
    EXPIRED = "verlopen"


def _enum_column(enum: type[Enum], name: str) -> SAEnum:
    """A portable VARCHAR + CHECK for a Python enum, storing the Dutch values (not names)."""
    return SAEnum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=40,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Referral(Base):
    """A parent's consented referral (aanmelding) for the LANS programme."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    # Keyed hash of the validated request; NULL once the personal data are erased.
    request_hash: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[ReferralStatus] = mapped_column(_enum_column(ReferralStatus, "status"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    channel: Mapped[str] = mapped_column(String(20))
    consent_version: Mapped[str] = mapped_column(String(20))
    assignee: Mapped[str | None] = mapped_column(String(100))
    # Idempotency key of the withdrawal, so a retried withdrawal gets the same answer.
    withdrawal_key: Mapped[str | None] = mapped_column(String(128), unique=True)

    # Personal data: encrypted, and set to NULL when the parent withdraws.
    child_first_name: Mapped[str | None] = mapped_column(Encrypted)
    child_age: Mapped[int | None] = mapped_column(Encrypted)
    child_class: Mapped[str | None] = mapped_column(Encrypted)
    absence_duration: Mapped[str | None] = mapped_column(Encrypted)
    absence_extent: Mapped[str | None] = mapped_column(Encrypted)
    signs: Mapped[str | None] = mapped_column(Encrypted)
    check_signals: Mapped[list[str] | None] = mapped_column(Encrypted)
    both_parents_know: Mapped[str | None] = mapped_column(Encrypted)
    parent_name: Mapped[str | None] = mapped_column(Encrypted)
    phone: Mapped[str | None] = mapped_column(Encrypted)
    email: Mapped[str | None] = mapped_column(Encrypted)
    contact_preference: Mapped[str | None] = mapped_column(Encrypted)
    contact_time: Mapped[str | None] = mapped_column(Encrypted)
    # Blind indexes: HMAC-SHA256 of the normalised phone / lower-cased e-mail.
    phone_index: Mapped[str | None] = mapped_column(String(64), index=True)
    email_index: Mapped[str | None] = mapped_column(String(64), index=True)

    history: Mapped[list[ReferralStatusChange]] = relationship(
        back_populates="referral", order_by="ReferralStatusChange.id"
    )

    __table_args__ = (Index("ix_referrals_status_created_at", "status", "created_at"),)

    PERSONAL_FIELDS = (
        "child_first_name",
        "child_age",
        "child_class",
        "absence_duration",
        "absence_extent",
        "signs",
        "check_signals",
        "both_parents_know",
        "parent_name",
        "phone",
        "email",
        "contact_preference",
        "contact_time",
        "phone_index",
        "email_index",
        "request_hash",
    )


class ReferralStatusChange(Base):
    """One step in a referral's status history (who moved it, when, from what to what)."""

    __tablename__ = "referral_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    from_status: Mapped[ReferralStatus | None] = mapped_column(
        _enum_column(ReferralStatus, "from_status")
    )
    to_status: Mapped[ReferralStatus] = mapped_column(_enum_column(ReferralStatus, "to_status"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Encrypted)

    referral: Mapped[Referral] = relationship(back_populates="history")


class AnonymousQuestion(Base):
    """A student's anonymous question; the student reads the answer with a pickup code.

    Only a keyed hash of the pickup code is stored, so the table alone cannot open answers.
    """

    __tablename__ = "anonymous_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pickup_code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    question: Mapped[str | None] = mapped_column(Encrypted)
    answer: Mapped[str | None] = mapped_column(Encrypted)
    status: Mapped[QuestionStatus] = mapped_column(_enum_column(QuestionStatus, "status"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # Username of the staff member who answered (staff accounts are not personal data here).
    answered_by: Mapped[str | None] = mapped_column(String(100))


class AuditEvent(Base):
    """Who did what to which object; `detail` never holds personal data."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class StaffRole(str, Enum):
    """What a dashboard account may do: staff work the queue, admins also manage accounts."""

    STAFF = "staff"
    ADMIN = "admin"


class StaffUser(Base):
    """A personal dashboard account; only an argon2 hash of the password is stored."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[StaffRole] = mapped_column(_enum_column(StaffRole, "role"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Two-step login (bot/web/two_factor.py). Both TOTP secrets are Fernet-encrypted under
    # LANS_DATA_KEY: a copy of the database alone cannot produce codes. Deferred: they are
    # read (and decrypted) only when a code is checked, so tools without the key (the
    # accounts CLI) can load accounts.
    totp_secret: Mapped[str | None] = mapped_column(Encrypted, deferred=True)
    # Shown during enrolment; it becomes totp_secret once the member typed a valid code.
    totp_pending_secret: Mapped[str | None] = mapped_column(Encrypted, deferred=True)
    # The newest 30-second time step whose code was accepted: that code, and any older one,
    # is refused from then on (replay).
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # Set exactly while totp_secret is: whether two-step login is on, without decrypting.
    totp_enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StaffRecoveryCode(Base):
    """A one-time recovery code for the second login step; only its argon2id hash is kept."""

    __tablename__ = "staff_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StaffSession(Base):
    """A logged-in browser; the cookie holds a random token, the table only its hash.

    Logout and deactivation delete rows, so a copied cookie stops working at once.
    """

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # True between a right password and the second step (code or recovery code): such a login
    # opens no dashboard page and ends after a few minutes.
    code_pending: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[StaffUser] = relationship()


class LoginFailure(Base):
    """One failed (or still being checked) login, counted per username and per address for
    throttling. No password; the address only as a keyed hash (IPv6 per /64), and the row is
    erased once it no longer counts (STAFF_LOGIN_WINDOW_MINUTES)."""

    __tablename__ = "staff_login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    address: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_staff_login_failures_username_at", "username", "at"),
        Index("ix_staff_login_failures_address_at", "address", "at"),
    )


class ReferralNote(Base):
    """An internal note of the LANS team on a referral; encrypted, erased on withdrawal."""

    __tablename__ = "referral_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author: Mapped[str] = mapped_column(String(100))
    text: Mapped[str | None] = mapped_column(Encrypted)


class StaffNotification(Base):
    """A notification for the LANS team that still has to go out (bot/notify): one row per
    new referral or question and per channel, written in the same transaction as the item, and
    deleted once sent. It holds no personal data: the kind, the reference (referrals only),
    the item's id for the dashboard link and its time.

    A worker claims a row by setting claim_token and claimed_until (a lease), so two replicas
    never send the same row at once; a send that failed is released with a later due_at.
    """

    __tablename__ = "staff_notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))  # "email" or "telegram"
    kind: Mapped[str] = mapped_column(String(20))  # "referral" or "question"
    object_id: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When it may be sent: at once, or at the next daily digest.
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    digest: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_staff_notifications_due_at", "due_at"),)
