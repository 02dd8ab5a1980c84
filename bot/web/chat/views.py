"""The web chat's page and forms. Everything works without JavaScript (plain form POSTs).

GET  /chat            the page: transcript, buttons, message form, question box, pickup form
POST /chat/bericht    a typed message -> Rasa -> back to the page (303)
POST /chat/knop       a button Rasa offered (by number; the payload never comes from the browser)
POST /chat/opnieuw    forget this conversation (Rasa /restart, new session id)
POST /chat/vraag      leave an anonymous question for a staff member -> pickup code
POST /chat/antwoord   read the answer with a pickup code
"""

from __future__ import annotations

import contextlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi_csrf_protect.exceptions import CsrfProtectError
from itsdangerous import BadData, URLSafeTimedSerializer
from pydantic import ValidationError
from starlette.datastructures import FormData

from bot.intake.anonymity import has_contact_details
from bot.intake.questions import (
    QuestionGoneError,
    create_question,
    display_code,
    find_by_code,
    parse_code,
)
from bot.intake.schemas import QuestionIn
from bot.retention.defaults import chat_days_from_env
from bot.web.chat.app import CSRF_MAX_AGE, SESSION_COOKIE, WebChat
from bot.web.chat.state import (
    START_BUTTONS,
    ChatState,
    Turn,
    new_session_id,
    pseudonym,
    valid_session_id,
)
from bot.web.client_ip import client_key
from bot.web.rasa_rest import RasaUnavailable, typed_text

router = APIRouter(prefix="/chat", include_in_schema=False)

RESTART = "/restart"
# The conversation store's retention period, named in the page's privacy footer (read once).
CHAT_DAYS = f"{chat_days_from_env():g}"

TEXT = {
    "empty": "Je hebt nog niets getypt. Typ eerst je bericht.",
    "too_long": "Je bericht is te lang: maximaal {limit} tekens. Maak het korter, of stuur het "
    "in een paar losse berichten.",
    "too_fast": "Je stuurt veel berichten snel na elkaar. Wacht een minuutje en probeer het dan "
    "opnieuw. Je tekst staat nog in het vak.",
    "unreachable": "Het lukt de chatbot nu even niet om te antwoorden. Dat ligt niet aan jou. "
    "Je bericht staat nog in het vak: probeer het over een paar minuten opnieuw. "
    "Is het dringend? Bel dan 113 (0800-0113) of de Kindertelefoon (0800-0432), of 112 bij gevaar.",
    # Also what you see while an action server restarts: Rasa then answers nothing.
    "no_answer": "Er kwam even geen antwoord. Misschien ging er iets mis. Stuur je bericht zo "
    "nog een keer, of zeg het anders.",
    "old_button": "Die knop hoort bij een eerder bericht. Typ je antwoord, of kies een knop "
    "hieronder.",
    "question_empty": "Typ eerst je vraag.",
    "question_too_long": "Je vraag is te lang: maximaal 1000 tekens.",
    "question_invalid": "Deze vraag kan ik niet opslaan. Gebruik gewone tekst.",
    # As in the conversation (utter_question_personal): the question stays anonymous.
    "question_personal": "Er staat een telefoonnummer of e-mailadres in je vraag. Haal dat "
    "eruit, dan blijft je vraag anoniem.",
    "question_too_fast": "Je hebt net al een paar vragen gesteld. Probeer het later opnieuw.",
    "pickup_too_fast": "Je hebt veel codes geprobeerd. Wacht tien minuten en probeer het dan "
    "opnieuw.",
    "pickup_paused": "Er zijn net heel veel verkeerde codes geprobeerd, daarom kan ophalen nu "
    "even niet. Probeer het over een uur opnieuw; je code blijft geldig.",
    "pickup_unknown": "Met deze code vind ik geen vraag. Kijk of je de code goed hebt "
    "overgenomen. Een vraag en het antwoord worden na een tijdje gewist; dan werkt de code "
    "ook niet meer.",
    "pickup_pending": "Er is nog geen antwoord op je vraag. Kijk later nog eens. Bewaar je code.",
    "stale_form": "Dit formulier was verlopen. Probeer het nog een keer.",
}


def chat(request: Request) -> WebChat:
    return request.app.state.web_chat


Chat = Annotated[WebChat, Depends(chat)]


class ChatCsrfRefused(Exception):
    """A form without a valid CSRF token: the page is shown again with a notice (403)."""


async def checked_form(request: Request) -> FormData:
    form = await request.form()
    web = chat(request)
    try:
        await web.csrf.validate_csrf(request, secret_key=web.secret.decode())
    except CsrfProtectError:
        raise ChatCsrfRefused from None
    return form


Form = Annotated[FormData, Depends(checked_form)]


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _csrf_token(request: Request, web: WebChat) -> tuple[str, str | None]:
    """The page's CSRF token: the one behind a still valid cookie, or a new pair."""
    cookie = request.cookies.get(web.csrf._cookie_key)
    if cookie:
        serializer = URLSafeTimedSerializer(web.secret.decode(), salt="fastapi-csrf-token")
        try:
            token = serializer.loads(cookie, max_age=CSRF_MAX_AGE)
            if isinstance(token, str):
                return token, None
        except BadData:
            pass
    token, signed = web.csrf.generate_csrf_tokens(web.secret.decode())
    return token, signed


def _session_id(request: Request) -> str | None:
    return valid_session_id(request.cookies.get(SESSION_COOKIE))


def _issued_session(request: Request, web: WebChat) -> str:
    """The browser's session id when this server issued it and it is still alive; otherwise a
    fresh one. An id the server does not know (made up, planted by someone else, or expired)
    is never taken over: no session fixation.
    """
    session_id = _session_id(request)
    if session_id is not None and web.store.get(session_id) is not None:
        return session_id
    return new_session_id()


def _set_session_cookie(response: Response, web: WebChat, session_id: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        path="/chat",
        httponly=True,
        samesite="lax",
        secure=web.settings.chat_cookie_secure,
    )


def _client_ip(request: Request) -> str:
    """The rate-limit key of the client's address (IPv6: its /64)."""
    return client_key(request)


def render(
    request: Request,
    web: WebChat,
    state: ChatState | None,
    status_code: int = 200,
    session_id: str | None = None,
    **context: Any,
) -> HTMLResponse:
    token, signed = _csrf_token(request, web)
    html = web.templates.get_template("chat.html").render(
        csrf_token=token,
        turns=state.turns if state else [],
        buttons=state.buttons if state else START_BUTTONS,
        code=state.code if state else None,
        code_expires=state.code_expires if state else None,
        max_chars=web.settings.chat_max_message_chars,
        expiry_days=web.settings.question_expiry_days,
        idle_minutes=int(web.settings.chat_idle_minutes),
        chat_days=CHAT_DAYS,
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    if signed is not None:
        web.csrf.set_csrf_cookie(signed, response)
    if session_id is not None:
        _set_session_cookie(response, web, session_id)
    return response


def _redirect(web: WebChat, session_id: str, anchor: str = "laatste") -> RedirectResponse:
    response = RedirectResponse(f"/chat#{anchor}", status_code=303)
    _set_session_cookie(response, web, session_id)
    return response


def csrf_refused(request: Request) -> Response:
    web = chat(request)
    return render(request, web, web.store.get(_session_id(request)), 403, notice=TEXT["stale_form"])


@router.get("")
@router.get("/")
def page(request: Request, web: Chat) -> Response:
    return render(request, web, web.store.get(_session_id(request)))


async def _relay(
    request: Request, web: WebChat, session_id: str, shown: str, message: str, draft: str
) -> Response:
    """Send `message` to Rasa; on success add both sides to the transcript and redirect."""
    state = web.store.get_or_create(session_id)
    ip = _client_ip(request)
    sender = pseudonym(web.secret, session_id)
    if not (
        web.limits.allow(web.limits.message_session, "chat-message", sender)
        and web.limits.allow(web.limits.message_ip, "chat-message-ip", ip)
    ):
        return render(request, web, state, 429, session_id, notice=TEXT["too_fast"], draft=draft)
    try:
        answers = await web.rasa.send(sender, message)
    except RasaUnavailable:
        return render(request, web, state, 503, session_id, notice=TEXT["unreachable"], draft=draft)
    state.add(Turn("jij", shown))
    buttons = []
    for answer in answers:
        if answer.text:
            state.add(Turn("bot", answer.text))
        buttons = answer.buttons or buttons
    if not answers:
        state.add(Turn("bot", TEXT["no_answer"]))
    state.buttons = buttons
    return _redirect(web, session_id)


@router.post("/bericht")
async def message(request: Request, web: Chat, form: Form) -> Response:
    session_id = _issued_session(request, web)
    raw = _field(form, "bericht")
    text = raw.strip()
    state = web.store.get(session_id)
    limit = web.settings.chat_max_message_chars
    # Leading whitespace and "/" go until none is left: only buttons send intents to Rasa.
    to_rasa = typed_text(text)
    if not to_rasa:
        return render(request, web, state, 422, session_id, notice=TEXT["empty"], draft=raw)
    if len(text) > limit:
        notice = TEXT["too_long"].format(limit=limit)
        return render(request, web, state, 422, session_id, notice=notice, draft=raw[:20_000])
    return await _relay(request, web, session_id, text, to_rasa, raw)


@router.post("/knop")
async def button(request: Request, web: Chat, form: Form) -> Response:
    session_id = _issued_session(request, web)
    state = web.store.get(session_id)
    offered = state.buttons if state else START_BUTTONS
    choice = _field(form, "knop")
    title = _field(form, "titel")
    index = int(choice) if choice.isdigit() else -1
    # The page numbers the buttons; the title guards against a page older than the state.
    if not (0 <= index < len(offered)) or (title and offered[index].title != title):
        return render(request, web, state, 409, session_id, notice=TEXT["old_button"])
    picked = offered[index]
    return await _relay(request, web, session_id, picked.title, picked.payload, "")


@router.post("/opnieuw")
async def restart(request: Request, web: Chat, form: Form) -> Response:
    old = _session_id(request)
    if old is not None:
        web.store.drop(old)
        with contextlib.suppress(RasaUnavailable):  # the old pseudonym is never used again
            await web.rasa.send(pseudonym(web.secret, old), RESTART)
    return _redirect(web, new_session_id(), anchor="bericht")


@router.post("/vraag")
def ask(request: Request, web: Chat, form: Form) -> Response:
    session_id = _issued_session(request, web)
    state = web.store.get_or_create(session_id)
    raw = _field(form, "vraag")
    text = raw.strip()

    def refuse(status_code: int, key: str) -> Response:
        return render(
            request,
            web,
            state,
            status_code,
            session_id,
            question_notice=TEXT[key],
            question_draft=raw[:20_000],
        )

    if not text:
        return refuse(422, "question_empty")
    if len(text) > 1000:
        return refuse(422, "question_too_long")
    try:
        body = QuestionIn(question=text)
    except ValidationError:
        return refuse(422, "question_invalid")
    if has_contact_details(body.question):
        return refuse(422, "question_personal")
    sender = pseudonym(web.secret, session_id)
    if not (
        web.limits.allow(web.limits.question, "chat-question", sender)
        and web.limits.allow(web.limits.question_ip, "chat-question-ip", _client_ip(request))
    ):
        return refuse(429, "question_too_fast")
    created = create_question(
        web.sessions, body.question, web.index_key, web.settings.question_expiry_days
    )
    state.code = display_code(created.code)
    state.code_expires = created.expires_at
    return _redirect(web, session_id, anchor="vraag")


@router.post("/antwoord")
def pick_up(request: Request, web: Chat, form: Form) -> Response:
    session_id = _issued_session(request, web)
    state = web.store.get_or_create(session_id)
    code = _field(form, "code")[:40]

    def answer(status_code: int = 200, **context: Any) -> Response:
        return render(request, web, state, status_code, session_id, pickup_code=code, **context)

    # This session first, then the address's ceiling, then the service-wide budget of wrong
    # codes (shared with the API the conversation uses).
    if not (
        web.limits.allow(web.limits.pickup, "chat-pickup", pseudonym(web.secret, session_id))
        and web.limits.allow(web.limits.pickup_ip, "chat-pickup-ip", _client_ip(request))
    ):
        return answer(429, pickup_notice=TEXT["pickup_too_fast"])
    if not web.pickups.open():
        return answer(429, pickup_notice=TEXT["pickup_paused"])
    try:
        question = find_by_code(web.sessions, code, web.index_key)
    except QuestionGoneError:
        question = None
    else:
        if question is None and parse_code(code) is not None:
            web.pickups.failed()
    if question is None:
        return answer(404, pickup_notice=TEXT["pickup_unknown"])
    if question.status.value != "beantwoord" or not question.answer:
        return answer(pickup_notice=TEXT["pickup_pending"])
    return answer(pickup_answer=question.answer, pickup_question=question.question)
