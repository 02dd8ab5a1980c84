"""The dashboard in a real browser: Debian's headless Chromium driven by Playwright, against
`python -m bot.intake.serve` as its own process (tmp SQLite, throwaway secrets, loopback).

A staff member logs in (keyboard only), finds a referral that came in through the API, opens
it, changes its status, assigns it, adds a note, answers an anonymous question (the student's
pickup code then returns the answer), exports the queue and logs out. Screenshots of the main
pages go to test-artifacts/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from intake.conftest import Secrets
from intake.helpers import valid_body
from local_servers import on_free_ports

from bot.intake.process import IntakeService, running_intake
from bot.intake.settings import PROJECT_ROOT
from web.helpers import create_staff_account, dashboard_env, needs_chromium

SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
ADMIN = ("anna.beheer", "beheerder-wachtwoord-9")
STAFF = ("bram.lans", "medewerker-wachtwoord-9")

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, test_secrets: Secrets
) -> Iterator[IntakeService]:
    folder = tmp_path_factory.mktemp("browser")
    env = dashboard_env(
        folder,
        test_secrets,
        # The administrator works without two-step login (test_two_factor*.py test it).
        LANS_ADMIN_REQUIRE_2FA="false",
    )
    create_staff_account(env, *ADMIN, admin=True)
    create_staff_account(env, *STAFF)
    with on_free_ports(lambda port: running_intake(port, folder, env)) as service:
        yield service


UNLABELLED_CONTROLS = """
() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
      .filter((el) => el.labels.length === 0).map((el) => el.name)
"""


def _shot(page, name: str) -> None:
    # Every page that is photographed is also checked: each form control has a label.
    assert page.evaluate(UNLABELLED_CONTROLS) == [], name
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_working_day_in_the_dashboard(
    server: IntakeService, browser, test_secrets: Secrets, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    auth = {"Authorization": f"Bearer {test_secrets.token}"}
    body = valid_body(child_first_name="Noor", parent_name="Petra Smit", email="petra@example.nl")
    created = httpx.post(
        f"{server.url}/api/v1/referrals",
        json=body,
        headers={**auth, "Idempotency-Key": "browser-test-0001"},
        timeout=10,
    )
    assert created.status_code == 201, created.text
    reference = created.json()["reference"]
    asked = httpx.post(
        f"{server.url}/api/v1/questions",
        json={"question": "Ik durf niet naar school. Wat kan ik doen?"},
        headers=auth,
        timeout=10,
    )
    assert asked.status_code == 201
    code = asked.json()["pickup_code"]

    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="nl-NL", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)

    # Not logged in: the dashboard sends us to the login page.
    page.goto(f"{server.url}/staff/")
    expect(page).to_have_url(f"{server.url}/staff/login")
    assert page.locator("html").get_attribute("lang") == "nl"
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    _shot(page, "01-login")

    # A wrong password first, then log in with the keyboard only.
    page.get_by_label("Gebruikersnaam").fill(STAFF[0])
    page.get_by_label("Wachtwoord").fill("niet-het-goede-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_contain_text("klopt niet")
    # After a wrong password the next try of that username waits a moment (bot/web/auth.py).
    page.wait_for_timeout(1500)
    page.get_by_label("Gebruikersnaam").fill("")
    page.get_by_label("Gebruikersnaam").focus()
    page.keyboard.type(STAFF[0])
    page.keyboard.press("Tab")
    page.keyboard.type(STAFF[1])
    page.keyboard.press("Enter")

    # The queue: the referral from the API and the question, oldest waiting at a glance.
    expect(page.get_by_role("heading", name="Wachtrij")).to_be_visible()
    expect(page.get_by_role("link", name=reference).first).to_be_visible()
    expect(page.locator(".summary")).to_contain_text("Wacht het langst")
    expect(page.get_by_role("link", name="Uitloggen")).to_have_count(0)  # a button, not a link
    assert "Noor" not in page.content()  # the queue shows no personal data
    _shot(page, "02-queue")

    # Filter and search.
    page.get_by_label("Soort").select_option("vraag")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("link", name=reference)).to_have_count(0)
    page.get_by_role("link", name="Wissen").click()
    page.get_by_label("Zoek op kenmerk").fill(reference.lower())
    page.get_by_role("button", name="Filteren").click()
    expect(page.locator("table tbody tr")).to_have_count(1)

    # The referral: decrypted fields, then status, assignment and a note.
    page.get_by_role("link", name=reference).first.click()
    expect(page.get_by_role("heading", name=f"Aanmelding {reference}")).to_be_visible()
    expect(page.locator("dl.fields")).to_contain_text("Noor")
    expect(page.locator("dl.fields")).to_contain_text("Petra Smit")
    expect(page.locator("dl.fields")).to_contain_text("+31612345678")
    page.get_by_label("Nieuwe status").select_option("uitgenodigd voor onderzoeksfase")
    page.get_by_label("Toelichting (niet verplicht)").fill("Uitnodiging verstuurd.")
    page.get_by_role("button", name="Status wijzigen").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Status gewijzigd naar: uitgenodigd voor onderzoeksfase"
    )
    page.get_by_label("Collega").select_option(STAFF[0])
    page.get_by_role("button", name="Toewijzen").click()
    expect(page.get_by_role("status")).to_contain_text(f"Toegewezen aan: {STAFF[0]}")
    page.get_by_label("Interne notitie (alleen voor het team)").fill(
        "Moeder gebeld; <b>gesprek</b> op dinsdag."
    )
    page.get_by_role("button", name="Notitie toevoegen").click()
    expect(page.get_by_role("status")).to_contain_text("Notitie toegevoegd")
    expect(page.locator(".notes")).to_contain_text("Moeder gebeld; <b>gesprek</b> op dinsdag.")
    expect(page.locator("table")).to_contain_text("Uitnodiging verstuurd.")
    _shot(page, "03-referral")

    # The anonymous question: answer it; the student's code then returns the answer.
    page.get_by_role("link", name="Wachtrij", exact=True).click()
    page.locator("table").get_by_role("link", name="Vraag 1").click()
    expect(page.locator(".quote")).to_contain_text("Ik durf niet naar school")
    page.get_by_label("Antwoord", exact=True).fill("Fijn dat je het vraagt. Praat met je mentor.")
    page.get_by_role("button", name="Antwoord opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Antwoord opgeslagen")
    _shot(page, "04-question")
    pickup = httpx.post(
        f"{server.url}/api/v1/questions/answer", json={"code": code}, headers=auth, timeout=10
    )
    assert pickup.json()["status"] == "beantwoord"
    assert pickup.json()["answer"] == "Fijn dat je het vraagt. Praat met je mentor."

    # Export the queue.
    page.get_by_role("link", name="Wachtrij", exact=True).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporteren (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("lans-wachtrij-")
    target = tmp_path / "export.csv"
    download.save_as(target)
    exported = target.read_text(encoding="utf-8-sig")
    assert reference in exported and "uitgenodigd voor onderzoeksfase" in exported
    assert "Noor" not in exported and "Petra" not in exported

    # The log (audit trail) shows who viewed, changed and exported.
    page.get_by_role("link", name="Logboek", exact=True).click()
    audit = page.locator("table")
    for action in (
        "aanmelding bekeken",
        "status gewijzigd",
        "toegewezen",
        "notitie toegevoegd",
        "vraag beantwoord",
        "wachtrij geëxporteerd (CSV)",
        f"aanmelding {reference}",
    ):
        expect(audit).to_contain_text(action)
    expect(audit).to_contain_text(STAFF[0])
    _shot(page, "05-audit")

    # A staff member sees no account management.
    expect(page.get_by_role("link", name="Accounts")).to_have_count(0)

    # The queue on a tablet: nothing wider than the screen.
    page.set_viewport_size({"width": 768, "height": 1024})
    page.get_by_role("link", name="Wachtrij", exact=True).click()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(page, "06-queue-tablet")

    # Log out: back at the login page, and the dashboard is closed again.
    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(f"{server.url}/staff/login")
    page.goto(f"{server.url}/staff/audit")
    expect(page).to_have_url(f"{server.url}/staff/login")
    context.close()

    log = server.log.read_text()
    for secret in ("Noor", "Petra", "Smit", "612345678", STAFF[1], "durf", "mentor", code):
        assert secret.lower() not in log.lower(), secret


def test_an_admin_creates_an_account_in_the_browser(server: IntakeService, browser) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{server.url}/staff/login")
    page.get_by_label("Gebruikersnaam").fill(ADMIN[0])
    page.get_by_label("Wachtwoord").fill(ADMIN[1])
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Accounts").click()
    page.get_by_label("Gebruikersnaam").fill("carla.zorg")
    page.get_by_label("Wachtwoord (minstens 12 tekens)").fill("zorgcoordinator-ww-1")
    page.get_by_label("Rol").select_option("staff")
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page.get_by_role("status")).to_contain_text("Account aangemaakt: carla.zorg")
    expect(page.locator("table")).to_contain_text("carla.zorg")
    _shot(page, "07-accounts")
    context.close()
