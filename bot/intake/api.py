"""The intake service's HTTP API (FastAPI): health, create a referral, withdraw a referral.

Only the action server calls it, with a bearer token; it listens on localhost by default.
Nothing personal is logged or echoed back in error messages.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.middleware.body_limit import RequestBodyLimitMiddleware

from bot.intake import reference as references
from bot.intake.crypto import install_cipher
from bot.intake.db import make_engine, make_sessionmaker
from bot.intake.models import Referral
from bot.intake.pickups import PickupGuard
from bot.intake.questions import (
    QuestionGoneError,
    create_question,
    display_code,
    find_by_code,
    parse_code,
)
from bot.intake.schemas import (
    PickupIn,
    Problem,
    QuestionAnswerOut,
    QuestionIn,
    QuestionReceipt,
    ReferralIn,
    ReferralReceipt,
    WithdrawalIn,
    WithdrawalResult,
)
from bot.intake.service import (
    IdempotencyConflictError,
    ReferenceTakenError,
    submit_referral,
    withdraw_referral,
)
from bot.intake.settings import Settings
from bot.notify.settings import NotifySettings
from bot.notify.worker import Notifier
from bot.retention.background import background_jobs
from bot.retention.settings import RetentionSettings

log = logging.getLogger("bot.intake")

MAX_BODY_BYTES = 64 * 1024
IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9_-]{8,128}$"
NOT_FOUND = "No referral matches this reference number and phone number or e-mail address."
QUESTION_NOT_FOUND = "No question matches this pickup code."
QUESTION_GONE = "This question has expired; its text and answer were erased."
PICKUPS_PAUSED = "Too many wrong pickup codes were tried; try again later."

_bearer = HTTPBearer(auto_error=False, description="The INTAKE_API_TOKEN.")

_UNAUTHORIZED = {401: {"model": Problem, "description": "Missing or wrong bearer token."}}
# What any endpoint with a JSON body can answer before it looks at the content.
_BAD_BODY = {
    400: {"model": Problem, "description": "The body is not valid JSON."},
    413: {"description": "Body larger than 64 KiB."},
    422: {"description": "Invalid body."},
}


def authorised(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Constant-time bearer token check; 401 with a WWW-Authenticate challenge otherwise."""
    given = credentials.credentials.encode("utf-8") if credentials else b""
    if not hmac.compare_digest(given, request.app.state.token):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="Missing or invalid bearer token.",
            headers={"WWW-Authenticate": "Bearer"},
        )


def _sessions(request: Request) -> sessionmaker[Session]:
    return request.app.state.sessions


def _index_key(request: Request) -> bytes:
    return request.app.state.index_key


Sessions = Annotated[sessionmaker[Session], Depends(_sessions)]
IndexKey = Annotated[bytes, Depends(_index_key)]


def create_app(settings: Settings | None = None, notify: NotifySettings | None = None) -> FastAPI:
    """The app for these settings; fails at once when a secret is missing."""
    settings = settings or Settings()
    token = settings.api_token().encode("utf-8")
    index_key = settings.blind_index_key()
    install_cipher(settings.data_cipher())
    engine = make_engine(settings.sqlalchemy_url())
    sessions = make_sessionmaker(engine)

    retention = RetentionSettings()
    # Staff notifications (bot/notify): rows stored with each new referral or question, sent
    # by a worker outside the requests; None when no channel is configured.
    notifier = Notifier.configure(notify or NotifySettings(), sessions)

    @asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[None]:
        # The scheduled retention run and the web chat's idle sweep (bot/retention).
        async with (
            background_jobs(settings, retention, sessions, app_.state.web_chat.store),
            notifier.running() if notifier else nullcontext(),
        ):
            yield
        engine.dispose()

    app = FastAPI(
        title="LANS intake service",
        version="1.0.0",
        description=(
            "The intake queue of De Berkenschutse's LANS programme. The assistant's action "
            "server posts consented referrals here and forwards withdrawals. Personal fields "
            "are encrypted at rest; responses and logs never contain them."
        ),
        lifespan=lifespan,
    )
    app.add_middleware(RequestBodyLimitMiddleware, max_body_size=MAX_BODY_BYTES)
    app.state.sessions = sessions
    app.state.token = token
    app.state.index_key = index_key
    app.state.settings = settings
    # One budget of wrong pickup codes for the API and the web chat's form (bot/intake/pickups).
    app.state.pickup_guard = pickups = PickupGuard.from_setting(settings.pickup_failure_limit)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
        # FastAPI's default echoes the input back; it may be personal data, or 10,000 characters.
        errors = [
            {"loc": list(item.get("loc", ())), "msg": item.get("msg", ""), "type": item["type"]}
            for item in error.errors()
        ]
        return JSONResponse({"detail": errors}, status_code=422)

    @app.get("/healthz", summary="Liveness and database check", tags=["health"])
    def healthz(sessions: Sessions, response: Response) -> dict[str, str]:
        """`{"status": "ok"}` when the database answers and has the schema; 503 otherwise."""
        try:
            with sessions() as session:
                session.execute(select(Referral.id).limit(1))
        except Exception:
            log.warning("health check: database unavailable", exc_info=False)
            response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
            return {"status": "unavailable"}
        return {"status": "ok"}

    @app.post(
        "/api/v1/referrals",
        summary="Submit a referral (idempotent)",
        tags=["referrals"],
        status_code=status.HTTP_201_CREATED,
        response_model=ReferralReceipt,
        dependencies=[Depends(authorised)],
        responses={
            200: {"model": ReferralReceipt, "description": "Replay: already stored, same key."},
            **_UNAUTHORIZED,
            **_BAD_BODY,
            409: {"model": Problem, "description": "Idempotency key used for another body."},
            422: {"description": "Invalid body or Idempotency-Key header."},
        },
    )
    def create_referral(
        body: ReferralIn,
        sessions: Sessions,
        index_key: IndexKey,
        response: Response,
        idempotency_key: Annotated[
            str,
            Header(
                alias="Idempotency-Key",
                pattern=IDEMPOTENCY_KEY_PATTERN,
                description="Required. 8-128 characters of A-Z a-z 0-9 _ -; the same key with "
                "the same body returns the stored referral, never a second one.",
            ),
        ],
    ) -> ReferralReceipt:
        """Store a referral the parent confirmed, exactly once per Idempotency-Key.

        201 with the new reference; 200 with the same reference when the key was seen with the
        same body (nothing new is stored); 409 when the key was seen with another body.
        """
        try:
            outcome = submit_referral(sessions, body, idempotency_key, index_key)
        except IdempotencyConflictError:
            raise HTTPException(
                status.HTTP_409_CONFLICT,
                detail="This Idempotency-Key was already used for a different referral.",
            ) from None
        except ReferenceTakenError:
            raise HTTPException(
                status.HTTP_409_CONFLICT,
                detail="This reference number belongs to another referral.",
            ) from None
        if not outcome.created:
            response.status_code = status.HTTP_200_OK
        referral = outcome.referral
        return ReferralReceipt(
            reference=references.display(referral.reference),
            status=referral.status.value,
            created_at=referral.created_at,
        )

    @app.post(
        "/api/v1/referrals/withdraw",
        summary="Withdraw a referral and erase its personal data",
        tags=["referrals"],
        response_model=WithdrawalResult,
        dependencies=[Depends(authorised)],
        responses={
            **_UNAUTHORIZED,
            **_BAD_BODY,
            404: {"model": Problem, "description": "No match (one message for every cause)."},
            409: {"model": Problem, "description": "Idempotency key used for another reference."},
            422: {"description": "Invalid body or Idempotency-Key header."},
        },
    )
    def withdraw(
        body: WithdrawalIn,
        sessions: Sessions,
        index_key: IndexKey,
        idempotency_key: Annotated[
            str | None,
            Header(
                alias="Idempotency-Key",
                pattern=IDEMPOTENCY_KEY_PATTERN,
                description="Optional but recommended: a retry with the same key gets the "
                "same 200, even though the erased contact can no longer be matched.",
            ),
        ] = None,
    ) -> WithdrawalResult:
        """Withdraw with the reference number and the phone number or e-mail address given.

        On a match the personal fields are erased and the status becomes "ingetrokken".
        Unknown reference, wrong contact and an already withdrawn referral (without the
        original Idempotency-Key) all get the same 404, so the answer reveals nothing.
        """
        try:
            found = withdraw_referral(
                sessions, body.reference, body.contact, idempotency_key, index_key
            )
        except IdempotencyConflictError:
            raise HTTPException(
                status.HTTP_409_CONFLICT,
                detail="This Idempotency-Key was already used for a different withdrawal.",
            ) from None
        if not found:
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail=NOT_FOUND)
        return WithdrawalResult()

    @app.post(
        "/api/v1/questions",
        summary="Store a student's anonymous question; returns its pickup code",
        tags=["questions"],
        status_code=status.HTTP_201_CREATED,
        response_model=QuestionReceipt,
        dependencies=[Depends(authorised)],
        responses={**_UNAUTHORIZED, **_BAD_BODY},
    )
    def ask(body: QuestionIn, sessions: Sessions, index_key: IndexKey) -> QuestionReceipt:
        """The pickup code (XXXX-XXXX) is returned once; only a keyed hash of it is stored.

        The question and its answer are erased QUESTION_EXPIRY_DAYS (default 30) days later.
        """
        created = create_question(sessions, body.question, index_key, settings.question_expiry_days)
        return QuestionReceipt(
            pickup_code=display_code(created.code), expires_at=created.expires_at
        )

    @app.post(
        "/api/v1/questions/answer",
        summary="Read the status and answer of a question with its pickup code",
        tags=["questions"],
        response_model=QuestionAnswerOut,
        dependencies=[Depends(authorised)],
        responses={
            **_UNAUTHORIZED,
            **_BAD_BODY,
            404: {"model": Problem, "description": "Unknown or malformed code (one message)."},
            410: {"model": Problem, "description": "The question expired and was erased."},
            429: {
                "model": Problem,
                "description": "The service-wide budget of wrong codes "
                "is used up: every pickup waits (Retry-After).",
            },
        },
    )
    def pick_up(body: PickupIn, sessions: Sessions, index_key: IndexKey) -> QuestionAnswerOut:
        """`nieuw` while no one answered; `beantwoord` with the answer afterwards.

        Wrong codes count against a service-wide budget (PICKUP_FAILURE_LIMIT), shared with
        the web chat's pickup form; while it is used up every pickup gets 429.
        """
        if not pickups.open():
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                detail=PICKUPS_PAUSED,
                headers={"Retry-After": str(pickups.retry_after())},
            )
        try:
            question = find_by_code(sessions, body.code, index_key)
        except QuestionGoneError:
            raise HTTPException(status.HTTP_410_GONE, detail=QUESTION_GONE) from None
        if question is None:
            if parse_code(body.code) is not None:  # a well-formed guess; typos cost nothing
                pickups.failed()
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail=QUESTION_NOT_FOUND)
        answered = question.status.value == "beantwoord"
        return QuestionAnswerOut(
            status="beantwoord" if answered else "nieuw",
            answer=question.answer if answered else None,
            answered_at=question.answered_at if answered else None,
            expires_at=question.expires_at,
        )

    from bot.web.staff import install_staff_dashboard  # the dashboard builds on this app

    install_staff_dashboard(app, settings, sessions)

    from bot.web.chat import install_web_chat  # the students' chat page at /chat

    install_web_chat(app, settings, sessions)
    return app
