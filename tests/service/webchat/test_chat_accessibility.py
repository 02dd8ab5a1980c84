"""The students' web chat as the browser trial of issue 22 used it: Debian's headless Chromium
on a phone, the real intake service relaying to the REAL Rasa server of the session fixture.

- Every state of the page (empty, with messages and buttons, after asking a question, after
  reading an answer, with a notice) passes axe-core's WCAG 2.0/2.1 A and AA rules and best
  practices, the keyboard check (Tab reaches every control in order, visible focus, nothing
  hidden behind the sticky top bar) and fits the screen, also at 200 % zoom.
- After each send the page opens at the student's own newest message, below the top bar, with
  and without JavaScript.
- The assistant speaks to a student with "je" only: in the welcome and when reading an answer
  in the conversation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from a11y import PHONE, ZOOMED_PHONE, check_page
from local_servers import on_free_ports
from web.helpers import create_staff_account

from bot.intake.process import IntakeService, running_intake

CHROMIUM = Path("/usr/bin/chromium")
STAFF = ("femke.lans", "medewerker-wachtwoord-7")
SMALL_PHONE = {"width": 320, "height": 568}
FORMAL = re.compile(r"\b(u|uw|bent u|heeft u|kunt u)\b", re.IGNORECASE)
CODE_FIELD = "Je code (bijvoorbeeld KM7Q-4XTA)"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed at /usr/bin/chromium "
        "(apt-get install chromium; .ci/run does this)",
    ),
]


@pytest.fixture(scope="module")
def service(
    tmp_path_factory: pytest.TempPathFactory, intake_env: dict[str, str], engine
) -> Iterator[IntakeService]:
    """The web chat on the database and keys of the intake service that the action server
    uses, so an answer can also be read in the conversation."""
    folder = tmp_path_factory.mktemp("webchat-a11y")
    env = {**intake_env, "RASA_URL": engine.rasa_url}
    create_staff_account(env, *STAFF)
    with on_free_ports(lambda port: running_intake(port, folder, env)) as running:
        yield running


def _send(page, text: str) -> None:
    from playwright.sync_api import expect

    page.get_by_label("Jouw bericht").fill(text)
    page.get_by_role("button", name="Versturen", exact=True).click()
    expect(page.locator(".log .turn.me").last).to_contain_text(text)
    page.wait_for_load_state()


def _bot_text_after(page, text: str) -> str:
    """What the assistant said after the student's message `text` (the newest exchange)."""
    turns = page.locator(".log .turn")
    texts = [turns.nth(i).inner_text() for i in range(turns.count())]
    mine = max(i for i, turn in enumerate(texts) if turn.startswith("Jij") and text in turn)
    return "\n".join(texts[mine + 1 :])


def _assert_newest_exchange_below_the_bar(page, text: str) -> None:
    """The page opened at the student's own newest message, fully visible below the top bar."""
    newest = page.locator("#laatste")
    assert text in newest.inner_text()
    assert "me" in (newest.get_attribute("class") or "")
    bar = page.locator("header.top").bounding_box()
    box = newest.bounding_box()
    height = page.viewport_size["height"]
    assert bar is not None and box is not None
    assert box["y"] >= bar["y"] + bar["height"] - 1, (box, bar)  # not behind the bar
    assert box["y"] + box["height"] <= height, (box, height)  # not below the screen
    assert box["y"] < height / 2, (box, height)  # and the answers start on the same screen


def _answer_in_the_dashboard(browser, url: str, question: str, text: str) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    desk = context.new_page()
    desk.set_default_timeout(15_000)
    desk.goto(f"{url}/staff/login")
    desk.get_by_label("Gebruikersnaam").fill(STAFF[0])
    desk.get_by_label("Wachtwoord").fill(STAFF[1])
    desk.get_by_role("button", name="Inloggen").click()
    expect(desk.get_by_role("heading", name="Wachtrij")).to_be_visible()
    # The queue shows the start of each question: open this one.
    row = desk.locator("table tbody tr").filter(has_text=question[:40])
    row.get_by_role("link", name=re.compile(r"^Vraag \d+$")).click()
    desk.get_by_label("Antwoord", exact=True).fill(text)
    desk.get_by_role("button", name="Antwoord opslaan").click()
    expect(desk.get_by_role("status")).to_contain_text("Antwoord opgeslagen")
    context.close()


def test_every_state_of_the_chat_is_accessible_and_speaks_to_the_student_with_je(
    service: IntakeService, browser
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, locale="nl-NL", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{service.url}/chat")
    check_page(page, "chat, empty")

    # The welcome: one register, "je".
    _send(page, "hoi")
    welcome = _bot_text_after(page, "hoi")
    assert welcome.strip(), "no answer to hoi"
    assert not FORMAL.search(welcome), welcome
    _assert_newest_exchange_below_the_bar(page, "hoi")
    _send(page, "ik durf niet naar school, ik heb elke ochtend buikpijn")
    _assert_newest_exchange_below_the_bar(page, "ik heb elke ochtend buikpijn")
    expect(page.locator(".choices button").first).to_be_visible()
    check_page(page, "chat, with messages and buttons")

    # A button: the page opens at the pressed button's text, the student's side.
    first_choice = page.locator(".choices button").first.inner_text().strip()
    page.locator(".choices button").first.click()
    expect(page.locator(".log .turn.me").last).to_contain_text(first_choice)
    _assert_newest_exchange_below_the_bar(page, first_choice)

    # The question box, a code, and the answer read on the page.
    question = "Mag ik de eerste weken later op de dag beginnen? (toegankelijkheidstest)"
    page.get_by_label("Jouw vraag").fill(question)
    page.get_by_role("button", name="Vraag versturen").click()
    expect(page.locator(".code")).to_contain_text("Bewaar deze code")
    code = page.locator(".pickup").inner_text().strip()
    check_page(page, "chat, after asking a question")
    page.get_by_label(CODE_FIELD).fill("ABCD-EFGH")
    page.get_by_role("button", name="Antwoord ophalen").click()
    expect(page.get_by_role("alert")).to_contain_text("Met deze code vind ik geen vraag")
    check_page(page, "chat, with a notice")

    _answer_in_the_dashboard(
        browser, service.url, question, "Dat kan soms. Bespreek het met je mentor."
    )
    page.get_by_label(CODE_FIELD).fill(code)
    page.get_by_role("button", name="Antwoord ophalen").click()
    expect(page.locator(".answer")).to_contain_text("Bespreek het met je mentor")
    check_page(page, "chat, after reading an answer")

    # Reading the answer in the conversation: "je" from the question to the answer.
    _send(page, "antwoord ophalen")
    asked = _bot_text_after(page, "antwoord ophalen")
    assert "code" in asked.lower(), asked
    assert not FORMAL.search(asked), asked
    _send(page, code)
    answer = _bot_text_after(page, code)
    assert "Bespreek het met je mentor" in answer, answer
    assert not FORMAL.search(answer.replace("Bespreek het met je mentor", "")), answer
    context.close()


def test_the_newest_exchange_shows_below_the_bar_on_a_small_phone_and_without_javascript(
    service: IntakeService, browser
) -> None:
    for viewport, scripts in ((SMALL_PHONE, True), (PHONE, False)):
        context = browser.new_context(
            viewport=viewport, is_mobile=True, has_touch=True, java_script_enabled=scripts
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{service.url}/chat")
        page.get_by_role("button", name="Ik ben leerling").click()
        for text in ("wat is schoolweigering?", "wat kan ik zelf doen?", "wat is LANS?"):
            _send(page, text)
            _assert_newest_exchange_below_the_bar(page, text)
        context.close()


def test_the_chat_at_200_percent_zoom_on_a_phone(service: IntakeService, browser) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport=ZOOMED_PHONE, device_scale_factor=4, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{service.url}/chat")
    # The top bar does not take the screen: at this height it scrolls away with the page.
    bar = page.locator("header.top").bounding_box()
    assert bar is not None
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(300)
    assert page.locator("header.top").bounding_box()["y"] < 0 or bar["height"] < 140
    page.evaluate("window.scrollTo(0, 0)")
    check_page(page, "chat at 200 %, empty")
    page.get_by_role("button", name="Ik ben leerling").click()
    expect(page.locator(".log .turn.me").last).to_contain_text("Ik ben leerling")
    _send(page, "wat is LANS?")
    newest = page.locator("#laatste").bounding_box()
    assert newest is not None and 0 <= newest["y"] < ZOOMED_PHONE["height"], newest
    check_page(page, "chat at 200 %, with messages and buttons")
    context.close()
