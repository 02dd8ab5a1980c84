"""Two-step login in a real browser: Debian's headless Chromium driven by Playwright, against
`python -m bot.intake.serve` as its own process with LANS_STAFF_REQUIRE_2FA=true (tmp SQLite,
throwaway secrets, loopback).

A staff member logs in and is sent to the set-up page; reads the key from the page (as an
app would from the QR code), types the app's code with the keyboard, keeps the recovery codes,
logs out and in again with a code, and once more with a recovery code. The set-up page, the
recovery codes page and the code page are checked for accessibility (axe-core, the keyboard,
200 % zoom on a phone) like every other dashboard page (test_accessibility.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from a11y import ZOOMED_PHONE, check_page
from intake.conftest import Secrets
from local_servers import on_free_ports

from bot.intake.process import IntakeService, running_intake
from bot.intake.settings import PROJECT_ROOT
from web.helpers import create_staff_account, dashboard_env, needs_chromium
from web.two_step_helpers import code_at, fresh_step

SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
STAFF = ("bram.lans", "medewerker-wachtwoord-9")
LAPTOP_MEMBER = ("carla.zorg", "zorgcoordinator-ww-1")
PHONE_MEMBER = ("dirk.mentor", "mentor-wachtwoord-77")
LAPTOP = {"width": 1280, "height": 800}
# Turning it on hashes 10 recovery codes and using one checks up to 10 hashes (argon2id, as
# slow as a password on purpose): on a busy 2-core machine that can take several seconds.
SLOW = 60_000
WRONG_CODE_TEXT = "Deze code klopt niet of is verlopen. Probeer de nieuwe code uit uw app."

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, test_secrets: Secrets
) -> Iterator[IntakeService]:
    folder = tmp_path_factory.mktemp("two-step")
    env = dashboard_env(
        folder,
        test_secrets,
        LANS_STAFF_REQUIRE_2FA="true",
        # Several wrong attempts in a row here; the growing delay has tests of its own.
        STAFF_LOGIN_DELAY_SECONDS="0",
    )
    for account in (STAFF, LAPTOP_MEMBER, PHONE_MEMBER):
        create_staff_account(env, *account)
    with on_free_ports(lambda port: running_intake(port, folder, env)) as service:
        yield service


def _log_in(page, url: str, account: tuple[str, str]) -> None:
    page.goto(f"{url}/staff/login")
    page.get_by_label("Gebruikersnaam").fill(account[0])
    page.get_by_label("Wachtwoord").fill(account[1])
    page.get_by_role("button", name="Inloggen").click()


def _secret(page) -> str:
    """The key under the QR code, as someone would type it into an app."""
    return page.locator("#sleutel").inner_text().replace(" ", "").strip()


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_set_up_and_log_in_with_two_steps(server: IntakeService, browser) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=LAPTOP, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)

    # The password alone leads to the set-up page, and no other page opens.
    _log_in(page, server.url, STAFF)
    expect(page).to_have_url(f"{server.url}/staff/twee-stappen")
    expect(page.get_by_role("heading", name="Inloggen in twee stappen")).to_be_visible()
    expect(page.get_by_text("Dit is verplicht.")).to_be_visible()
    expect(page.get_by_role("img", name="QR-code om in uw app te scannen")).to_be_visible()
    expect(page.get_by_role("link", name="Wachtrij")).to_have_count(0)
    page.goto(f"{server.url}/staff/audit")
    expect(page).to_have_url(f"{server.url}/staff/twee-stappen")
    secret = _secret(page)
    assert len(secret) == 32
    _shot(page, "09-two-step-setup")

    # A wrong code first, then the app's code, typed with the keyboard.
    code = page.get_by_label("Code uit uw app (6 cijfers)")
    assert code.get_attribute("autocomplete") == "one-time-code"
    assert code.get_attribute("inputmode") == "numeric"
    fresh_step()
    code.fill(code_at(secret, 4))
    page.get_by_role("button", name="Aanzetten").click()
    expect(page.get_by_role("alert")).to_have_text(WRONG_CODE_TEXT)
    assert _secret(page) == secret  # the same key: what the app holds still fits
    fresh_step()
    page.get_by_label("Code uit uw app (6 cijfers)").focus()
    page.keyboard.type(code_at(secret))
    page.keyboard.press("Enter")

    # The recovery codes, once; then the dashboard opens.
    expect(page.get_by_role("heading", name="Uw herstelcodes")).to_be_visible(timeout=SLOW)
    expect(page.get_by_role("status")).to_contain_text("Inloggen in twee stappen staat nu aan")
    recovery = [text.strip() for text in page.locator("ol.codes code").all_inner_texts()]
    assert len(recovery) == 10 and len(set(recovery)) == 10
    _shot(page, "10-two-step-recovery-codes")
    page.get_by_role("link", name="Ik heb de codes bewaard: naar de wachtrij").click()
    expect(page.get_by_role("heading", name="Wachtrij")).to_be_visible()
    page.get_by_role("link", name="Inloggen in twee stappen").click()
    expect(page.locator("main")).to_contain_text("nog 10 herstelcodes")
    assert not any(code in page.content() for code in recovery)

    # Log out and in again: after the password, the code page; the queue stays closed.
    page.get_by_role("button", name="Uitloggen").click()
    _log_in(page, server.url, STAFF)
    expect(page).to_have_url(f"{server.url}/staff/login/code")
    expect(page.get_by_role("heading", name="Inloggen: stap 2")).to_be_visible()
    _shot(page, "11-two-step-code")
    page.goto(f"{server.url}/staff/")
    expect(page).to_have_url(f"{server.url}/staff/login/code")
    # The enrolment's code is used; the app's next one (one step ahead) is new.
    page.get_by_label("Code uit uw app (6 cijfers)").fill(code_at(secret, 1))
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("heading", name="Wachtrij")).to_be_visible()

    # Without the phone: a wrong code, then a recovery code.
    page.get_by_role("button", name="Uitloggen").click()
    _log_in(page, server.url, STAFF)
    expect(page).to_have_url(f"{server.url}/staff/login/code")
    page.get_by_label("Code uit uw app (6 cijfers)").fill("000000")
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text(WRONG_CODE_TEXT)
    page.get_by_label("Herstelcode (10 tekens)").fill(recovery[0].lower())
    page.get_by_role("button", name="Inloggen met herstelcode").click()
    expect(page.get_by_role("heading", name="Wachtrij")).to_be_visible(timeout=SLOW)
    expect(page.get_by_role("status")).to_contain_text("nog 9 herstelcodes")

    # The Logboek names each step.
    page.get_by_role("link", name="Logboek", exact=True).click()
    audit = page.locator("table")
    for action in (
        "inloggen in twee stappen aangezet",
        "tweede inlogstap gelukt",
        "tweede inlogstap mislukt: verkeerde code",
        "ingelogd met een herstelcode",
    ):
        expect(audit).to_contain_text(action)
    context.close()

    log = server.log.read_text()
    for secret_text in (secret, recovery[0], recovery[1], STAFF[1]):
        assert secret_text not in log


def _two_step_pages(page, url: str, account: tuple[str, str], size: str) -> None:
    """Every page of two-step login, in its states, through the accessibility checks."""
    from playwright.sync_api import expect

    page.set_default_timeout(15_000)
    _log_in(page, url, account)
    expect(page).to_have_url(f"{url}/staff/twee-stappen")
    check_page(page, f"{size}: two-step set-up")
    secret = _secret(page)
    page.get_by_label("Code uit uw app (6 cijfers)").fill("123")
    page.get_by_role("button", name="Aanzetten").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check_page(page, f"{size}: two-step set-up with an error")
    fresh_step()
    page.get_by_label("Code uit uw app (6 cijfers)").fill(code_at(secret))
    page.get_by_role("button", name="Aanzetten").click()
    expect(page.get_by_role("heading", name="Uw herstelcodes")).to_be_visible(timeout=SLOW)
    check_page(page, f"{size}: recovery codes")
    page.goto(f"{url}/staff/twee-stappen")
    check_page(page, f"{size}: two-step login is on")

    page.get_by_role("button", name="Uitloggen").click()
    _log_in(page, url, account)
    expect(page).to_have_url(f"{url}/staff/login/code")
    check_page(page, f"{size}: login code")
    page.get_by_label("Code uit uw app (6 cijfers)").fill("000000")
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    check_page(page, f"{size}: login code with an error")
    page.get_by_label("Herstelcode (10 tekens)").fill("AAAAA-AAAAA")
    page.get_by_role("button", name="Inloggen met herstelcode").click()
    expect(page.get_by_role("alert")).to_contain_text("herstelcode", timeout=SLOW)
    check_page(page, f"{size}: login code with a wrong recovery code")


def test_two_step_pages_on_a_laptop(server: IntakeService, browser) -> None:
    context = browser.new_context(viewport=LAPTOP, locale="nl-NL")
    _two_step_pages(context.new_page(), server.url, LAPTOP_MEMBER, "laptop")
    context.close()


def test_two_step_pages_at_200_percent_zoom_on_a_phone(server: IntakeService, browser) -> None:
    context = browser.new_context(
        viewport=ZOOMED_PHONE, device_scale_factor=4, is_mobile=True, has_touch=True
    )
    _two_step_pages(context.new_page(), server.url, PHONE_MEMBER, "200 % on a phone")
    context.close()
