"""Residents' reports and partners' referrals, from the form to the coordinator's decision.

Each test makes its own report or referral (with a unique marker), so the tests do not depend on each other.
"""

import datetime
import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.helpers import sign_in

COORDINATOR = "coordinator@surreyheath.example"
# Works in Surrey Heath only, so no partnership switching is needed.
PARTNER = "housing.officer@heathside.example"

pytestmark = pytest.mark.browser


def press(page: Page, name: str, role: str = "button") -> None:
    page.get_by_role(role, name=name).first.click()  # type: ignore[arg-type]
    assert_accessible(page)


def report_asb(page: Page, description: str, *, contact: bool) -> str:
    """A resident's report from the start page to the confirmation; returns the reference."""
    page.goto("/report/")
    assert_accessible(page)
    press(page, "Start now", "button")
    # An error on the first page (no category chosen), then fixed: what was typed stays.
    page.get_by_label("Tell us what happened").fill(description)
    press(page, "Continue")
    expect(page.get_by_role("alert")).to_contain_text("Select what kind of problem it is.")
    expect(page.get_by_label("Tell us what happened")).to_have_value(description)
    page.get_by_label("Noise").check()
    press(page, "Continue")
    page.get_by_label("Postcode").fill("GU15 3HD")
    press(page, "Continue")
    last_week = datetime.date.today() - datetime.timedelta(days=7)
    page.get_by_label("Day").fill(str(last_week.day))
    page.get_by_label("Month").fill(str(last_week.month))
    page.get_by_label("Year").fill(str(last_week.year))
    press(page, "Continue")
    page.get_by_label("Most days").check()
    press(page, "Continue")
    page.get_by_label("Who was involved? (optional)").fill("Two adults from the flat above.")
    press(page, "Continue")
    page.get_by_label("I feel unsafe or afraid in my home or area").check()
    press(page, "Continue")
    if contact:
        page.get_by_label("Yes, I will give my contact details").check()
        page.get_by_label("Your name").fill("Robin Ash")
        page.get_by_label("Email address").fill("robin.ash@example.com")
    else:
        page.get_by_label("No, I want to stay anonymous").check()
    press(page, "Continue")
    press(page, "I understand, continue")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your report")
    expect(page.get_by_text(description)).to_be_visible()
    expect(page.get_by_text("Anonymous" if not contact else "robin.ash@example.com")).to_be_visible()
    press(page, "Send report")
    expect(page.get_by_role("heading", level=1)).to_have_text("Report sent")
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert re.fullmatch(r"ASB-[A-Z0-9]{8}", reference)
    return reference


def test_a_resident_reports_asb_anonymously(page: Page):
    report_asb(page, f"Music until 3am every night ({uuid.uuid4().hex[:6]}).", contact=False)


def test_a_resident_reports_asb_with_contact_details_and_checks_progress(page: Page):
    reference = report_asb(page, f"Shouting in the stairwell ({uuid.uuid4().hex[:6]}).", contact=True)
    press(page, "Check the progress of your report", "link")
    page.get_by_label("Reference number").fill(reference)
    page.get_by_label("Email address").fill("robin.ash@example.com")
    press(page, "Check progress")
    expect(page.get_by_text("We have received your report.")).to_be_visible()


def refer(page: Page, reason: str, first: str, last: str) -> None:
    """As the signed-in partner: sends a referral about a victim."""
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Referrals").click()
    assert_accessible(page)
    page.goto("/referrals/new/")
    assert_accessible(page)
    page.get_by_label("What the referral is for").select_option(label="Victim care")
    page.get_by_label("Who or what it is about").select_option(label="A person")
    page.get_by_label("First name").first.fill(first)
    page.get_by_label("Last name").first.fill(last)
    page.get_by_label("Their part in it").first.select_option(label="Victim")
    page.get_by_label("Reason for the referral").fill(reason)
    page.get_by_label("Consent", exact=True).select_option(label="Consent given")
    press(page, "Send the referral")


def open_referral(page: Page, reason: str) -> None:
    """As the coordinator: finds the referral in the triage queue and opens it."""
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Home").click()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Triage").click()
    assert_accessible(page)
    page.goto("/referrals/triage/?status=submitted&source=partner")
    assert_accessible(page)
    # Newest last (oldest first): open each until the right one shows.
    links = page.locator("table a.govuk-link")
    for index in range(links.count() - 1, -1, -1):
        links.nth(index).click()
        assert_accessible(page)
        if page.get_by_text(reason).count():
            return
        page.go_back()
        assert_accessible(page)
    raise AssertionError(f"Referral not found in the queue: {reason}")


def test_a_partner_refers_and_the_coordinator_accepts_one_into_a_case_and_declines_another(page: Page):
    marker = uuid.uuid4().hex[:6]
    accepted, declined = f"Abuse at the door ({marker}).", f"Dispute over parking ({marker})."
    sign_in(page, PARTNER)
    refer(page, accepted, "Noor", f"Bakshi{marker}")
    expect(page.get_by_text("Victim care")).to_be_visible()
    refer(page, declined, "Otto", f"Vance{marker}")
    page.get_by_role("button", name="Sign out").first.click()
    assert_accessible(page)

    sign_in(page, COORDINATOR)
    open_referral(page, accepted)
    press(page, "Accept", "link")
    page.get_by_label("Type of new case").select_option(label="ASB victim")
    press(page, "Confirm")
    expect(page.get_by_text(re.compile(r"SH-\d{4}-\d{6}")).first).to_be_visible()

    open_referral(page, declined)
    press(page, "Decline", "link")
    page.get_by_label("Why is the referral declined?").fill("A civil matter: the partner is told who can help.")
    press(page, "Confirm")
    expect(page.get_by_text("Declined").first).to_be_visible()


def test_the_coordinator_opens_a_case_review_from_a_threshold_alert(page: Page):
    sign_in(page, COORDINATOR)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Home").click()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Triage").click()
    assert_accessible(page)
    press(page, "Repeat victims and case review alerts", "link")
    row = page.get_by_role("row").filter(has_text="Ruth Okafor")
    expect(row.get_by_text("Case review threshold met")).to_be_visible()
    row.get_by_role("button", name="Open a case review for Ruth Okafor").click()
    assert_accessible(page)
    expect(page.get_by_text(re.compile(r"Case review CR-[A-Z0-9]{8} opened\."))).to_be_visible()
    expect(page.get_by_text("Opened by the partnership (threshold alert)")).to_be_visible()
    expect(page.get_by_role("link", name="Ruth Okafor")).to_be_visible()
    # The review counts the incidents recorded about Ruth: the coordinator can decide straight away.
    press(page, "Decide the threshold", "link")
    expect(page.get_by_text("Threshold met").first).to_be_visible()
