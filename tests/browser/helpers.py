"""Steps the browser tests share."""

from base64 import b32decode

from django_otp.oath import totp
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible

DEMO_PASSWORD = "demo-casebridge-2026"


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Fills in and sends the sign-in form; checks the form page and the page it lands on."""
    page.goto("/account/sign-in/")
    assert_accessible(page)
    submit_sign_in(page, email, password)


def submit_sign_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    assert_accessible(page)


def sign_out(page: Page) -> None:
    """Signs out with the button in the header; checks the sign-in page it lands on."""
    page.get_by_role("button", name="Sign out").first.click()
    page.wait_for_load_state("load")
    assert_accessible(page)


def totp_code(setup_key: str, *, steps_ahead: int = 0) -> str:
    """The 6-digit code an authenticator app shows for this set-up key (RFC 6238, 30-second steps).

    A code is accepted once: after one code has been used, ask for the next period's code
    (``steps_ahead=1``, within the server's tolerance of one period) instead of waiting 30 seconds.
    """
    key = b32decode(setup_key.replace(" ", "").upper())
    return f"{totp(key, step=30, t0=-steps_ahead * 30, digits=6):06d}"


def set_up_two_factor(page: Page) -> tuple[str, list[str]]:
    """From any page of a signed-in person: sets up two-factor authentication as a person would.

    Returns the set-up key read from the page and the recovery codes shown afterwards.
    """
    page.goto("/account/")
    assert_accessible(page)
    page.get_by_role("link", name="Set up two-factor authentication").click()
    assert_accessible(page)
    return complete_two_factor_set_up(page)


def complete_two_factor_set_up(page: Page) -> tuple[str, list[str]]:
    """On the set-up page: reads the key as text, enters the code, reads the recovery codes."""
    page.get_by_text("I cannot scan the QR code").click()
    setup_key = page.locator("#setup-key").inner_text()
    page.get_by_label("Code").fill(totp_code(setup_key))
    page.get_by_role("button", name="Confirm and continue").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication is set up")
    codes = page.locator(".cb-recovery-codes code").all_inner_texts()
    return setup_key, codes
