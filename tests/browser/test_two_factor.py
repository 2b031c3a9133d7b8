"""Two-factor authentication in the browser: set-up, codes from the app, recovery codes, REQUIRE_MFA.

Each test uses its own demo user, so that setting up two-factor authentication in one
test changes nothing another test relies on.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.helpers import (
    complete_two_factor_set_up,
    set_up_two_factor,
    sign_in,
    sign_out,
    totp_code,
)

pytestmark = pytest.mark.browser

HOME = re.compile(r"^http://127\.0\.0\.1:\d+/$")
VERIFY = re.compile(r"/account/two-factor/verify/")


def enter_code(page: Page, code: str) -> None:
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("load")
    assert_accessible(page)


def a_wrong_code(setup_key: str) -> str:
    """A 6-digit code the app does not show in any period the server would accept."""
    accepted = {totp_code(setup_key, steps_ahead=steps) for steps in range(-2, 3)}
    return next(code for code in (f"{n:06d}" for n in range(100000, 1000000)) if code not in accepted)


def test_user_sets_up_two_factor_and_is_asked_for_a_code_at_the_next_sign_in(page: Page):
    sign_in(page, "police.officer@surreypolice.example")
    setup_key, codes = set_up_two_factor(page)
    assert len(codes) == 10
    assert all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, "police.officer@surreypolice.example")
    expect(page).to_have_url(VERIFY)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    # The set-up used this period's code, and each code works once: the app's next one.
    enter_code(page, totp_code(setup_key, steps_ahead=1))
    expect(page).to_have_url(HOME)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Priya")


def test_a_wrong_code_is_refused_and_a_recovery_code_works_once(page: Page):
    sign_in(page, "support.worker@saferlives.example")
    setup_key, codes = set_up_two_factor(page)
    sign_out(page)

    sign_in(page, "support.worker@saferlives.example")
    enter_code(page, a_wrong_code(setup_key))
    expect(page).to_have_url(VERIFY)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The code is not correct.")
    expect(page).to_have_title(re.compile(r"Error"))
    summary.get_by_role("link").click()
    expect(page.get_by_label("Code")).to_be_focused()

    enter_code(page, codes[0])
    expect(page).to_have_url(HOME)
    expect(page.get_by_text("You used a recovery code. You have 9 left")).to_be_visible()
    sign_out(page)

    sign_in(page, "support.worker@saferlives.example")
    enter_code(page, codes[0])
    expect(page).to_have_url(VERIFY)
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not correct.")


def test_with_two_factor_required_a_user_without_it_must_set_it_up_first(require_mfa_page: Page):
    page = require_mfa_page
    sign_in(page, "admin@runnymede.example")
    expect(page).to_have_url(re.compile(r"/account/two-factor/set-up/\?next=%2F$"))
    expect(page.get_by_text("You must set up two-factor authentication before you can use Casebridge.")).to_be_visible()

    for path in ("/", "/account/", "/account/password/", "/audit/"):
        page.goto(path)
        assert_accessible(page)
        expect(page).to_have_url(re.compile(r"/account/two-factor/set-up/\?next="))
        expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    # There is no way round it on the page either.
    expect(page.get_by_role("link", name="Not now: return to your account")).to_have_count(0)

    complete_two_factor_set_up(page)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    assert_accessible(page)
    # The last page asked for, now allowed: the administrator may not see the audit trail.
    expect(page).to_have_url(re.compile(r"/audit/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
    page.goto("/account/")
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
