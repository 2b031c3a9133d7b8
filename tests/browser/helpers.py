"""Steps the browser tests share."""

from playwright.sync_api import Page

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
