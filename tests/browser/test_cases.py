"""Cases in the browser: each test opens its own case, so the tests do not depend on each other."""

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.helpers import sign_in

COUNCIL_OFFICER = "asb.officer@surreyheath.example"
# Works in Surrey Heath only, so every Surrey Heath case is in scope without switching partnership.
OUTSIDE_PRACTITIONER = "housing.officer@heathside.example"
HOUSING_OFFICER = "housing.officer@heathside.example"

pytestmark = pytest.mark.browser


def open_case(page: Page, summary: str) -> str:
    """As the signed-in user: opens a case from the Cases page and returns its reference."""
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Cases").click()
    assert_accessible(page)
    page.goto("/cases/new/")
    assert_accessible(page)
    page.get_by_label("Case type").select_option(label="ASB victim")
    page.get_by_label("Summary").fill(summary)
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    match = re.search(r"SH-\d{4}-\d{6}", page.url)
    assert match, page.url
    return match.group(0)


def click(page: Page, name: str, role: str = "link") -> None:
    page.get_by_role(role, name=name).first.click()  # type: ignore[arg-type]
    assert_accessible(page)


def test_officer_opens_a_case_adds_a_party_records_an_incident_and_shares_it(page: Page):
    sign_in(page, COUNCIL_OFFICER)
    reference = open_case(page, f"Noise from a flat above the victim ({uuid.uuid4().hex[:6]}).")
    expect(page.get_by_text(f"Case {reference} created.")).to_be_visible()

    click(page, "Add a person")
    page.get_by_label("Victim", exact=True).check()
    page.get_by_label("First name").fill("Harriet")
    page.get_by_label("Last name").fill("Quennell")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    expect(page.get_by_text("Harriet Quennell added to the case.")).to_be_visible()

    page.goto(f"/cases/{reference}/incidents/new/")
    assert_accessible(page)
    page.get_by_label("Date of the incident").fill("2026-11-20")
    page.get_by_label("Date reported").fill("2026-11-21")
    page.get_by_label("Category").select_option(label="Noise")
    page.get_by_label("What happened").fill("Loud music until 3am.")
    expect(page.get_by_label("Everyone who can see the case")).to_be_checked()
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    expect(page.get_by_text("Incident recorded.")).to_be_visible()
    expect(page.get_by_text("Loud music until 3am.")).to_be_visible()

    click(page, "Sharing")
    click(page, "Share this case")
    page.get_by_label("Organisation").select_option(label="Safer Lives Victim Support")
    page.get_by_label("Contribute").check()
    page.get_by_label("Why are you sharing this case?").fill("They support the victim.")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    expect(page.get_by_text("Case shared.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Safer Lives Victim Support")


def test_a_partner_requests_access_and_the_lead_organisation_approves_it(page: Page):
    sign_in(page, COUNCIL_OFFICER)
    reference = open_case(page, f"Intimidation on an estate ({uuid.uuid4().hex[:6]}).")
    page.context.clear_cookies()

    sign_in(page, OUTSIDE_PRACTITIONER)
    response = page.goto(f"/cases/{reference}/")
    assert response is not None
    assert response.status == 404
    assert_accessible(page)
    page.goto(f"/sharing/cases/{reference}/request-access/")
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Request access")
    page.get_by_label("Why do you need access?").fill("The suspect is in an open investigation.")
    page.get_by_role("button", name="Send request").click()
    assert_accessible(page)
    expect(page.get_by_text("Your request has been sent to Surrey Heath Borough Council.")).to_be_visible()
    page.context.clear_cookies()

    sign_in(page, COUNCIL_OFFICER)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Home").click()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Requests and alerts").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(f"asks for access to {reference}")).click()
    assert_accessible(page)
    page.get_by_label("Approve: give view access").check()
    page.get_by_role("button", name="Save decision").click()
    assert_accessible(page)
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    page.context.clear_cookies()

    sign_in(page, OUTSIDE_PRACTITIONER)
    page.goto(f"/cases/{reference}/")
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)


def test_break_glass_gives_time_limited_access_and_alerts_the_lead_organisation(page: Page):
    sign_in(page, COUNCIL_OFFICER)
    reason = f"Threat to life reported at 2am ({uuid.uuid4().hex[:6]})."
    reference = open_case(page, "A vulnerable adult targeted by local youths.")
    page.context.clear_cookies()

    sign_in(page, HOUSING_OFFICER)
    page.goto(f"/sharing/cases/{reference}/break-glass/")
    assert_accessible(page)
    expect(page.get_by_text("Your access lasts 3 hours.")).to_be_visible()
    page.get_by_label("What is the emergency?").fill(reason)
    page.get_by_label("I understand that this emergency access is recorded and reviewed").check()
    page.get_by_role("button", name="Open the case").click()
    assert_accessible(page)
    expect(page.get_by_text(re.compile(r"Emergency access granted until \d\d:\d\d \(3 hours\)"))).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    page.context.clear_cookies()

    sign_in(page, COUNCIL_OFFICER)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Home").click()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Requests and alerts").click()
    assert_accessible(page)
    expect(page.get_by_text(reason).first).to_be_visible()
    click(page, "Review emergency access to your organisation's cases")
    page.get_by_role("link", name=f"Review emergency access to {reference}").click()
    assert_accessible(page)
    page.get_by_label("What did you find?").fill("Confirmed with the housing duty manager.")
    page.get_by_role("button", name="Mark as reviewed").click()
    assert_accessible(page)
    expect(page.get_by_text("Emergency access marked as reviewed.")).to_be_visible()
    expect(page.get_by_text("Confirmed with the housing duty manager.")).to_be_visible()
