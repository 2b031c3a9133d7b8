"""ASB Case Reviews in the browser: a resident applies online; the coordinator records the threshold decision."""

import datetime
import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.helpers import sign_in

COORDINATOR = "coordinator@surreyheath.example"

pytestmark = pytest.mark.browser


def press(page: Page, name: str, role: str = "button") -> None:
    page.get_by_role(role, name=name).first.click()  # type: ignore[arg-type]
    assert_accessible(page)


def fill_date(page: Page, prefix: str, day: datetime.date) -> None:
    page.locator(f"#id_{prefix}_day").fill(str(day.day))
    page.locator(f"#id_{prefix}_month").fill(str(day.month))
    page.locator(f"#id_{prefix}_year").fill(str(day.year))


def add_complaint(page: Page, days_ago: int, to: str) -> None:
    occurred = datetime.date.today() - datetime.timedelta(days=days_ago)
    fill_date(page, "occurred", occurred)
    fill_date(page, "reported", occurred + datetime.timedelta(days=1))
    page.get_by_label("Who did you report it to?").fill(to)
    press(page, "Save and continue")


def apply_online(page: Page, name: str) -> str:
    page.goto("/case-reviews/apply/")
    assert_accessible(page)
    press(page, "Start now")
    page.get_by_label("Yes, I am the victim").check()
    press(page, "Continue")
    page.get_by_label("Postcode").fill("GU15 3HD")
    press(page, "Continue")
    page.get_by_label("Describe the anti-social behaviour").fill("Threats and noise from the flat below.")
    press(page, "Continue")
    # An error, fixed: the date reported is before the incident.
    occurred = datetime.date.today() - datetime.timedelta(days=80)
    fill_date(page, "occurred", occurred)
    fill_date(page, "reported", occurred - datetime.timedelta(days=3))
    page.get_by_label("Who did you report it to?").fill("Surrey Police")
    press(page, "Save and continue")
    expect(page.get_by_role("alert")).to_contain_text("must be on or after the date of the incident")
    expect(page.get_by_label("Who did you report it to?")).to_have_value("Surrey Police")
    fill_date(page, "reported", occurred + datetime.timedelta(days=2))
    press(page, "Save and continue")
    expect(page.get_by_role("heading", level=1)).to_have_text("You have added 1 complaint")
    for days, to in ((40, "Surrey Heath Borough Council"), (10, "Heathside Housing Association")):
        page.get_by_label("Yes").check()
        press(page, "Continue")
        add_complaint(page, days, to)
    expect(page.get_by_role("heading", level=1)).to_have_text("You have added 3 complaints")
    page.get_by_label("No").check()
    press(page, "Continue")
    page.get_by_label("Your full name").fill(name)
    page.get_by_label("Email address").fill("applicant@example.com")
    press(page, "Continue")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your application")
    expect(page.get_by_text(name)).to_be_visible()
    press(page, "Send application")
    expect(page.get_by_role("heading", level=1)).to_have_text("Application sent")
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert re.fullmatch(r"CR-[A-Z0-9]{8}", reference)
    return reference


def test_a_resident_applies_and_the_coordinator_records_the_threshold_decision(page: Page):
    name = f"Jamie Rowe {uuid.uuid4().hex[:4]}"
    reference = apply_online(page, name)
    page.context.clear_cookies()

    sign_in(page, COORDINATOR)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Case reviews").click()
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text(name)
    row.get_by_role("link", name=reference).click()
    assert_accessible(page)
    expect(page.get_by_text("Online application")).to_be_visible()
    press(page, "Decide the threshold", "link")
    expect(page.get_by_text("3 qualifying complaints", exact=True)).to_be_visible()
    expect(page.get_by_label("Threshold met")).to_be_checked()
    page.get_by_label("Reason for the decision").fill("Three complaints in six months, each reported within a month.")
    press(page, "Record the decision")
    expect(page.get_by_text("Threshold decision recorded.")).to_be_visible()
    expect(page.get_by_text("Review in progress")).to_be_visible()

    press(page, "Arrange the review meeting", "link")
    page.get_by_label("Date of the review meeting").fill(
        (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    )
    press(page, "Save")
    expect(page.get_by_text("Review meeting recorded.")).to_be_visible()

    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Case reviews").click()
    assert_accessible(page)
    page.get_by_role("link", name="Annual figures").click()
    assert_accessible(page)
    expect(page.get_by_text("Applications for an ASB Case Review received").first).to_be_visible()
