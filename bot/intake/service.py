"""What happens to a referral: creation exactly once, and withdrawal with erasure.

Kept apart from the HTTP layer so the staff dashboard and tests can use the same rules.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.intake import reference as references
from bot.intake.contact import InvalidContactError, email_lookup_form, normalise_phone
from bot.intake.crypto import blind_index
from bot.intake.models import (
    AuditEvent,
    Referral,
    ReferralNote,
    ReferralStatus,
    ReferralStatusChange,
)
from bot.intake.schemas import ReferralIn

log = logging.getLogger("bot.intake")

# Each draw collides with probability (referrals / 2.4e8); five in a row means something is wrong.
MAX_REFERENCE_DRAWS = 5


class ReferenceTakenError(Exception):
    """The reference the assistant chose already belongs to another referral."""


class IdempotencyConflictError(Exception):
    """The idempotency key was already used for a different request."""


@dataclass(frozen=True)
class Submission:
    """The stored referral and whether this request created it (False: a replay)."""

    referral: Referral
    created: bool


def _request_hash(index_key: bytes, data: ReferralIn) -> str:
    canonical = json.dumps(data.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return blind_index(index_key, "request", canonical)


def _contact_indexes(index_key: bytes, contact: str) -> list[str]:
    """The blind-index value(s) a typed phone number or e-mail address would be stored under."""
    contact = contact.strip()
    try:
        if "@" in contact:
            return [blind_index(index_key, "email", email_lookup_form(contact))]
        return [blind_index(index_key, "phone", normalise_phone(contact))]
    except InvalidContactError:
        return []


def submit_referral(
    sessions: sessionmaker[Session], data: ReferralIn, idempotency_key: str, index_key: bytes
) -> Submission:
    """Store the referral once per idempotency key.

    A replay with the same body returns the stored referral; with another body it raises
    IdempotencyConflictError. After a withdrawal the body can no longer be compared (its hash
    is erased with the personal data), so a replay then returns the withdrawn referral.
    """
    request_hash = _request_hash(index_key, data)
    for _ in range(MAX_REFERENCE_DRAWS):
        try:
            with sessions.begin() as session:
                existing = session.scalar(
                    select(Referral).where(Referral.idempotency_key == idempotency_key)
                )
                if existing is not None:
                    if existing.request_hash not in (None, request_hash):
                        raise IdempotencyConflictError
                    return Submission(existing, created=False)
                referral = _new_referral(data, idempotency_key, request_hash, index_key)
                session.add(referral)
                session.flush()
                session.add(
                    ReferralStatusChange(
                        referral_id=referral.id, to_status=ReferralStatus.NEW, by="system"
                    )
                )
                session.add(
                    AuditEvent(
                        actor="system",
                        action="referral.created",
                        object_type="referral",
                        object_id=str(referral.id),
                        detail={
                            "reference": referral.reference,
                            "channel": data.channel,
                            "consent_version": data.consent_version,
                        },
                    )
                )
        except IntegrityError:
            # A reference collision, or a concurrent request with the same key: look again.
            if data.reference and _reference_taken(sessions, data.reference, idempotency_key):
                raise ReferenceTakenError from None
            continue
        log.info("referral created: %s", references.display(referral.reference))
        return Submission(referral, created=True)
    raise RuntimeError(f"no free reference after {MAX_REFERENCE_DRAWS} draws")


def _reference_taken(sessions: sessionmaker[Session], reference: str, key: str) -> bool:
    with sessions() as session:
        query = select(Referral.idempotency_key).where(Referral.reference == reference)
        owner = session.scalar(query)
    return owner is not None and owner != key


def _new_referral(
    data: ReferralIn, idempotency_key: str, request_hash: str, index_key: bytes
) -> Referral:
    return Referral(
        reference=data.reference or references.new_reference(),
        idempotency_key=idempotency_key,
        request_hash=request_hash,
        status=ReferralStatus.NEW,
        channel=data.channel,
        consent_version=data.consent_version,
        child_first_name=data.child_first_name,
        child_age=data.child_age,
        child_class=data.child_class,
        absence_duration=data.absence_duration,
        absence_extent=data.absence_extent,
        signs=data.signs,
        check_signals=list(data.check_signals),
        both_parents_know=data.both_parents_know,
        parent_name=data.parent_name,
        phone=data.phone,
        email=data.email,
        contact_preference=data.contact_preference,
        contact_time=data.contact_time,
        phone_index=blind_index(index_key, "phone", data.phone) if data.phone else None,
        email_index=(blind_index(index_key, "email", data.email.lower()) if data.email else None),
    )


def withdraw_referral(
    sessions: sessionmaker[Session],
    reference_text: str,
    contact: str,
    withdrawal_key: str | None,
    index_key: bytes,
) -> bool:
    """Erase a referral's personal data and mark it withdrawn; False when nothing matches.

    The match needs the reference and the phone or e-mail it was made with. Once erased, the
    contact can no longer be checked, so a repeat finds nothing, unless it carries the same
    withdrawal key (a retried request), which gets the same success again.
    Raises IdempotencyConflictError when the withdrawal key was used for another reference.
    """
    reference = references.parse(reference_text)
    indexes = _contact_indexes(index_key, contact)
    if reference is None or not indexes:
        return False
    with sessions.begin() as session:
        if withdrawal_key is not None:
            earlier = session.scalar(
                select(Referral).where(Referral.withdrawal_key == withdrawal_key)
            )
            if earlier is not None:
                if earlier.reference != reference:
                    raise IdempotencyConflictError
                return True
        referral = session.scalar(
            select(Referral)
            .where(
                Referral.reference == reference,
                or_(Referral.phone_index.in_(indexes), Referral.email_index.in_(indexes)),
            )
            .with_for_update()
        )
        if referral is None:
            return False
        previous = erase_and_withdraw(session, referral, by="parent")
        referral.withdrawal_key = withdrawal_key
        session.add(
            AuditEvent(
                actor="parent",
                action="referral.withdrawn",
                object_type="referral",
                object_id=str(referral.id),
                detail={"reference": referral.reference, "from_status": previous.value},
            )
        )
    log.info("referral withdrawn: %s", references.display(reference))
    return True


def erase_and_withdraw(session: Session, referral: Referral, by: str) -> ReferralStatus:
    """Withdraw a referral: its personal fields, the notes in its history and the team's notes
    are erased, and the status becomes "ingetrokken"; returns the status it had.

    The one rule for a parent's withdrawal (withdraw_referral) and a staff member who sets
    "ingetrokken" by hand on the dashboard: either way nothing personal is left.
    """
    previous = referral.status
    _erase_personal_data(referral)
    # The team's internal notes may hold personal data too.
    session.execute(delete(ReferralNote).where(ReferralNote.referral_id == referral.id))
    referral.status = ReferralStatus.WITHDRAWN
    session.add(
        ReferralStatusChange(
            referral_id=referral.id,
            from_status=previous,
            to_status=ReferralStatus.WITHDRAWN,
            by=by,
        )
    )
    return previous


def _erase_personal_data(referral: Referral) -> None:
    """Everything that could identify the family goes, including notes in the history."""
    for field in Referral.PERSONAL_FIELDS:
        setattr(referral, field, None)
    for change in referral.history:
        change.note = None
