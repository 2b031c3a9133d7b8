import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import sign_in, submit_sign_in

pytestmark = pytest.mark.browser


def test_demo_user_signs_in_and_sees_the_home_page(page: Page):
    sign_in(page, "coordinator@surreyheath.example")
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Chris")
    expect(page.get_by_text("You are signed in as Partnership coordinator in Surrey Heath.")).to_be_visible()


def test_wrong_password_shows_the_error_summary(page: Page):
    sign_in(page, "housing.officer@heathside.example", "not-the-password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter a correct email address and password.")
    expect(page).to_have_title("Sign in — Error — Casebridge")


def test_five_failures_lock_the_account(page: Page):
    sign_in(page, "youth.worker@surreyyouth.example", "wrong-password-1")
    for attempt in range(2, 6):
        if page.get_by_role("heading", name="Your account is locked").is_visible():
            break
        submit_sign_in(page, "youth.worker@surreyyouth.example", f"wrong-password-{attempt}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is locked")
    # Even the right password does not get in while locked.
    sign_in(page, "youth.worker@surreyyouth.example")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is locked")
