"""Anonymous questions: a student asks, staff answer, the student reads it with a pickup code.

The pickup code is eight characters from the reference alphabet (no look-alikes), shown as
"XXXX-XXXX": about 1.5e11 codes, drawn with `secrets`. Only a keyed hash (HMAC) of the code is
stored, so a copy of the table cannot open answers. Expired questions are erased.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.intake.columns import utcnow
from bot.intake.crypto import blind_index
from bot.intake.models import AnonymousQuestion, AuditEvent, QuestionStatus
from bot.intake.reference import ALPHABET, parse  # noqa: F401  (the code format lives here)
from bot.intake.reference import PICKUP_CODE_LENGTH as CODE_LENGTH
from bot.intake.reference import display as display_code  # noqa: F401
from bot.intake.reference import new_pickup_code as new_code

log = logging.getLogger("bot.intake")

MAX_CODE_DRAWS = 5


def parse_code(text: str) -> str | None:
    """The canonical code in what a student typed (any case, spaces or dashes), or None."""
    return parse(text, CODE_LENGTH)


def code_hash(index_key: bytes, code: str) -> str:
    return blind_index(index_key, "pickup", code)


@dataclass(frozen=True)
class NewQuestion:
    code: str
    expires_at: datetime


class QuestionGoneError(Exception):
    """The code matched a question that has expired (and was erased)."""


def expire_questions(session: Session, now: datetime | None = None) -> int:
    """Erase the text of every question past its expiry; returns how many were erased."""
    now = now or utcnow()
    result = session.execute(
        update(AnonymousQuestion)
        .where(
            AnonymousQuestion.expires_at <= now,
            AnonymousQuestion.status != QuestionStatus.EXPIRED,
        )
        .values(status=QuestionStatus.EXPIRED, question=None, answer=None)
    )
    return result.rowcount or 0


def create_question(
    sessions: sessionmaker[Session], text: str, index_key: bytes, days: int
) -> NewQuestion:
    """Store a question; the plain code is returned once and never stored."""
    for _ in range(MAX_CODE_DRAWS):
        code = new_code()
        expires_at = utcnow() + timedelta(days=days)
        try:
            with sessions.begin() as session:
                question = AnonymousQuestion(
                    pickup_code_hash=code_hash(index_key, code),
                    question=text,
                    status=QuestionStatus.NEW,
                    expires_at=expires_at,
                )
                session.add(question)
                session.flush()
                session.add(
                    AuditEvent(
                        actor="student",
                        action="question.created",
                        object_type="question",
                        object_id=str(question.id),
                        detail={},
                    )
                )
        except IntegrityError:
            continue
        log.info("anonymous question received: %s", question.id)
        return NewQuestion(code=code, expires_at=expires_at)
    raise RuntimeError(f"no free pickup code after {MAX_CODE_DRAWS} draws")


def find_by_code(
    sessions: sessionmaker[Session], code_text: str, index_key: bytes
) -> AnonymousQuestion | None:
    """The question for a typed code; None when unknown; QuestionGoneError when expired.

    A wrong code only reads (one indexed SELECT): guessing must not cost a database write. Only
    a code that matches an expired question erases that question's text, at once.
    """
    code = parse_code(code_text)
    if code is None:
        return None
    digest = code_hash(index_key, code)
    with sessions() as session:
        question = session.scalar(
            select(AnonymousQuestion).where(AnonymousQuestion.pickup_code_hash == digest)
        )
        if question is None:
            return None
        if question.status != QuestionStatus.EXPIRED and question.expires_at > utcnow():
            session.expunge(question)
            return question
    with sessions.begin() as session:
        session.execute(
            update(AnonymousQuestion)
            .where(AnonymousQuestion.pickup_code_hash == digest)
            .values(status=QuestionStatus.EXPIRED, question=None, answer=None)
        )
    raise QuestionGoneError
