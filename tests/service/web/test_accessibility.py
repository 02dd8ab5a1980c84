"""Every page of the staff dashboard in Debian's headless Chromium, checked for accessibility
(issue 22): axe-core's WCAG 2.0/2.1 A and AA rules and best practices, the keyboard (Tab reaches
every control in order, with a visible focus), on a laptop and at 200 % zoom on a phone width.
The pages are real: `python -m bot.intake.serve` on a temporary SQLite database, with a
referral and an anonymous question that came in through the API."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from a11y import ZOOMED_PHONE, check_page
from intake.conftest import Secrets
from intake.helpers import valid_body
from local_servers import on_free_ports

from bot.intake.process import IntakeService, running_intake
from bot.intake.settings import PROJECT_ROOT
from web.helpers import create_staff_account, dashboard_env, needs_chromium

SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
ADMIN = ("anna.beheer", "beheerder-wachtwoord-9")
LAPTOP = {"width": 1280, "height": 800}

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, test_secrets: Secrets
) -> Iterator[IntakeService]:
    folder = tmp_path_factory.mktemp("a11y")
    env = dashboard_env(
        folder,
        test_secrets,
        # The administrator works without two-step login (test_two_factor*.py test it).
        LANS_ADMIN_REQUIRE_2FA="false",
    )
    create_staff_account(env, *ADMIN, admin=True)
    create_staff_account(env, "bram.lans", "medewerker-wachtwoord-9")
    with on_free_ports(lambda port: running_intake(port, folder, env)) as service:
        auth = {"Authorization": f"Bearer {test_secrets.token}"}
        for n in range(2):
            created = httpx.post(
                f"{service.url}/api/v1/referrals",
                json=valid_body(child_first_name=f"Noor{n}"),
                headers={**auth, "Idempotency-Key": f"a11y-test-000{n}"},
                timeout=10,
            )
            assert created.status_code == 201, created.text
        for text in ("Ik durf niet naar school. Wat kan ik doen?", "Mag ik later beginnen?"):
            asked = httpx.post(
                f"{service.url}/api/v1/questions", json={"question": text}, headers=auth, timeout=10
            )
            assert asked.status_code == 201, asked.text
        yield service


def _pages(page, url: str, size: str, shot: str) -> None:
    from playwright.sync_api import expect

    page.set_default_timeout(15_000)
    page.goto(f"{url}/staff/login")
    check_page(page, f"{size}: login")
    page.get_by_label("Gebruikersnaam").fill(ADMIN[0])
    page.get_by_label("Wachtwoord").fill("niet-het-goede-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check_page(page, f"{size}: login with an error")
    # Right after a wrong password the login may ask to wait a moment; then try again.
    for _attempt in range(10):
        page.get_by_label("Wachtwoord").fill(ADMIN[1])
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()
        if page.get_by_role("heading", name="Wachtrij").count():
            break
        page.wait_for_timeout(1000)
    expect(page.get_by_role("heading", name="Wachtrij")).to_be_visible()
    check_page(page, f"{size}: queue")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"08-queue-{shot}.png"), full_page=True)
    page.goto(f"{url}/staff/?type=vraag&status=nieuw&q=Vraag+1")
    check_page(page, f"{size}: queue, filtered and searched")

    page.goto(f"{url}/staff/aanmeldingen/1")
    expect(page.get_by_role("heading", name="Aanmelding")).to_be_visible()
    check_page(page, f"{size}: referral")
    page.get_by_label("Interne notitie (alleen voor het team)").fill("Moeder gebeld.")
    page.get_by_role("button", name="Notitie toevoegen").click()
    expect(page.get_by_role("status")).to_be_visible()
    check_page(page, f"{size}: referral with a note and a message")

    page.goto(f"{url}/staff/vragen/1")
    check_page(page, f"{size}: question")
    page.get_by_label("Antwoord", exact=True).fill("Praat er eens over met je mentor.")
    page.get_by_role("button", name="Antwoord opslaan").click()
    expect(page.get_by_role("status")).to_be_visible()
    check_page(page, f"{size}: question after the answer")

    for path, name in (
        ("/staff/audit", "Logboek"),
        ("/staff/accounts", "accounts"),
        ("/staff/wachtwoord", "own password"),
        ("/staff/vragen/999", "page not found"),
    ):
        page.goto(f"{url}{path}")
        check_page(page, f"{size}: {name}")


def test_every_dashboard_page_on_a_laptop(server: IntakeService, browser) -> None:
    context = browser.new_context(viewport=LAPTOP, locale="nl-NL")
    _pages(context.new_page(), server.url, "laptop", "laptop")
    context.close()


def test_every_dashboard_page_at_200_percent_zoom_on_a_phone(
    server: IntakeService, browser
) -> None:
    context = browser.new_context(
        viewport=ZOOMED_PHONE, device_scale_factor=4, is_mobile=True, has_touch=True
    )
    _pages(context.new_page(), server.url, "200 % on a phone", "phone-200")
    context.close()
