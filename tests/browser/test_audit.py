import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.helpers import sign_in

AUDITOR = "auditor@surreyheath.example"


pytestmark = pytest.mark.browser


def test_auditor_filters_the_audit_trail_and_downloads_it(page: Page):
    sign_in(page, "analyst@surreyheath.example")  # an event for someone else in the partnership
    page.context.clear_cookies()
    sign_in(page, AUDITOR)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Audit").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    table = page.get_by_role("table")
    expect(table).to_contain_text("analyst@surreyheath.example")

    page.get_by_label("Email address of the user").fill("analyst@")
    page.get_by_label("Action").select_option(label="Signed in")
    page.get_by_role("button", name="Apply filters").click()
    assert_accessible(page)
    expect(page).to_have_url(re.compile(r"/audit/\?email=analyst%40&action=sign_in"))
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).not_to_contain_text(AUDITOR)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these events (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("audit-SH-")
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8"))))
    assert [(row["Actor"], row["Action code"]) for row in rows] == [("analyst@surreyheath.example", "sign_in")]

    # The export is itself in the audit trail, with its filters.
    page.get_by_label("Email address of the user").fill(AUDITOR)
    page.get_by_label("Action").select_option(label="Exported audit events")
    page.get_by_role("button", name="Apply filters").click()
    assert_accessible(page)
    expect(table.locator("tbody tr")).to_have_count(1)


def test_practitioner_is_refused_the_audit_trail(page: Page):
    sign_in(page, "asb.officer@surreyheath.example")
    expect(page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Audit")).to_have_count(0)
    response = page.goto("/audit/")
    assert response is not None
    assert response.status == 403
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")


def test_an_impossible_date_range_is_explained(page: Page):
    sign_in(page, AUDITOR)
    page.goto("/audit/")
    assert_accessible(page)
    page.get_by_label("From").fill("2026-07-02")
    page.get_by_label("To").fill("2026-07-01")
    page.get_by_role("button", name="Apply filters").click()
    assert_accessible(page)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The end date must be the same as or after the start date.")
    summary.get_by_role("link").click()
    expect(page.get_by_label("To")).to_be_focused()
