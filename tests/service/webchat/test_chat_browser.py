"""The students' web chat in Debian's headless Chromium (Playwright), served by its own
`python -m bot.intake.serve` process that relays to the REAL Rasa server of the session
fixture. A student chats, leaves an anonymous question, a staff member answers it in the
dashboard, the student reads the answer with the code. Screenshots (phone viewport) go to
test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from intake.conftest import Secrets
from local_servers import on_free_ports
from web.helpers import create_staff_account

from bot.intake.process import IntakeService, running_intake
from bot.intake.settings import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
STAFF = ("femke.lans", "medewerker-wachtwoord-7")
PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed at /usr/bin/chromium "
        "(apt-get install chromium; .ci/run does this)",
    ),
]

UNLABELLED_CONTROLS = """
() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
      .filter((el) => el.labels.length === 0).map((el) => el.name)
"""


@pytest.fixture(scope="module")
def service(
    tmp_path_factory: pytest.TempPathFactory, test_secrets: Secrets, engine
) -> Iterator[IntakeService]:
    folder = tmp_path_factory.mktemp("webchat")
    env = {
        "DATABASE_URL": f"sqlite:///{folder / 'chat.sqlite3'}",
        "INTAKE_API_TOKEN": test_secrets.token,
        "LANS_DATA_KEY": test_secrets.data_key,
        "LANS_BLIND_INDEX_KEY": test_secrets.index_key,
        "RASA_URL": engine.rasa_url,
    }
    create_staff_account(env, *STAFF)
    with on_free_ports(lambda port: running_intake(port, folder, env)) as running:
        yield running


def _shot(page, name: str) -> None:
    assert page.evaluate(UNLABELLED_CONTROLS) == [], name
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header at the top of the picture
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_student_chats_asks_anonymously_and_reads_the_staff_answer(
    service: IntakeService, browser
) -> None:
    from playwright.sync_api import expect

    student = browser.new_context(viewport=PHONE, locale="nl-NL", is_mobile=True, has_touch=True)
    page = student.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{service.url}/chat")
    assert page.locator("html").get_attribute("lang") == "nl"
    expect(page.locator(".bot-note")).to_contain_text("chatbot")
    help_lines = page.get_by_role("navigation", name="Direct hulp")
    for number in ("112", "113", "0800-0113", "0800-0432", "Kindertelefoon"):
        expect(help_lines).to_contain_text(number)
    _shot(page, "chat-01-phone-start")

    # The student says who they are, then what is going on; the answer says "je".
    page.get_by_role("button", name="Ik ben leerling").click()
    expect(page.locator(".log .turn.me").last).to_contain_text("Ik ben leerling")
    page.get_by_label("Jouw bericht").fill("ik durf niet naar school")
    page.get_by_role("button", name="Versturen", exact=True).click()
    expect(page.locator(".log .turn.me").last).to_contain_text("ik durf niet naar school")
    answers = page.locator(".log .turn.bot")
    expect(answers.last).to_be_visible()
    count_before = page.locator(".log .turn").count()
    last_answers = " ".join(
        page.locator(".log .turn").nth(i).inner_text() for i in range(count_before)
    ).split("ik durf niet naar school", 1)[-1]
    assert re.search(r"\b(je|jij|jou|jouw)\b", last_answers, re.IGNORECASE), last_answers
    assert not re.search(r"\b(u|uw)\b", last_answers), last_answers
    # The help lines stay one tap away at the top while scrolling (sticky header).
    page.mouse.wheel(0, 2000)
    expect(help_lines).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(page, "chat-02-phone-conversation")

    # An anonymous question for a staff member: a pickup code to keep.
    page.get_by_label("Jouw vraag").fill("Mag ik de eerste weken later op de dag beginnen?")
    page.get_by_role("button", name="Vraag versturen").click()
    expect(page.locator(".code")).to_contain_text("Bewaar deze code")
    code = page.locator(".pickup").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    page.get_by_label("Je code (bijvoorbeeld KM7Q-4XTA)").fill(code)
    page.get_by_role("button", name="Antwoord ophalen").click()
    expect(page.get_by_role("alert")).to_contain_text("nog geen antwoord")
    _shot(page, "chat-03-phone-question")

    # A staff member answers it in the dashboard.
    staff = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    desk = staff.new_page()
    desk.set_default_timeout(15_000)
    desk.goto(f"{service.url}/staff/login")
    desk.get_by_label("Gebruikersnaam").fill(STAFF[0])
    desk.get_by_label("Wachtwoord").fill(STAFF[1])
    desk.get_by_role("button", name="Inloggen").click()
    expect(desk.get_by_role("heading", name="Wachtrij")).to_be_visible()
    desk.locator("table").get_by_role("link", name="Vraag 1").click()
    expect(desk.locator(".quote")).to_contain_text("later op de dag beginnen")
    desk.get_by_label("Antwoord", exact=True).fill(
        "Dat kan soms. Bespreek het met je mentor, die denkt met je mee."
    )
    desk.get_by_role("button", name="Antwoord opslaan").click()
    expect(desk.get_by_role("status")).to_contain_text("Antwoord opgeslagen")
    staff.close()

    # The student reads the answer with the code (typed in lower case with a space).
    page.get_by_label("Je code (bijvoorbeeld KM7Q-4XTA)").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Antwoord ophalen").click()
    expect(page.locator(".answer")).to_contain_text("Bespreek het met je mentor")
    _shot(page, "chat-04-phone-answer")

    # A wrong code gets one clear, general answer.
    page.get_by_label("Je code (bijvoorbeeld KM7Q-4XTA)").fill("ABCD-EFGH")
    page.get_by_role("button", name="Antwoord ophalen").click()
    expect(page.get_by_role("alert")).to_contain_text("Met deze code vind ik geen vraag")
    expect(page.locator(".answer")).to_have_count(0)
    student.close()

    log = service.log.read_text()
    for secret in ("durf", "later op de dag", "mentor", code):
        assert secret.lower() not in log.lower(), secret


def test_the_chat_works_in_a_browser_without_javascript(service: IntakeService, browser) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{service.url}/chat")
    page.get_by_label("Jouw bericht").fill("wat is schoolweigering?")
    page.get_by_role("button", name="Versturen", exact=True).click()
    expect(page.locator(".log .turn.bot").first).to_be_visible()
    assert "schoolweigering" in page.locator(".log").inner_text().lower()
    context.close()
