import csv
import io

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

IMPORT_CSV = """email,first_name,last_name,organisation,team,partnership,role
nadia.hussain@surreyheath.example,Nadia,Hussain,Surrey Heath Borough Council,Community Safety Team,SH,practitioner
owen.burke@heathside.example,Owen,Burke,Heathside Housing Association,Tenancy Enforcement,SH,practitioner
not-an-email,Bad,Row,Surrey Heath Borough Council,,SH,practitioner
ghost@nowhere.example,Ghost,Row,Nowhere Borough Council,,SH,practitioner
"""


def upload(page: Page, *, dry_run: bool) -> None:
    page.goto("/organisations/users/import/")
    assert_accessible(page)
    page.get_by_label("Upload a CSV file").set_input_files(
        {"name": "new-starters.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV.encode()}
    )
    if dry_run:
        page.get_by_label("Check the file without saving anything").check()
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state("load")
    assert_accessible(page)


def test_administrator_checks_then_imports_users_and_downloads_the_errors(page: Page):
    sign_in(page, "admin@surreyheath.example")

    upload(page, dry_run=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check of the file: nothing was saved")
    page.goto("/organisations/users/?search=nadia")
    assert_accessible(page)
    expect(page.get_by_role("main")).not_to_contain_text("nadia.hussain@surreyheath.example")

    upload(page, dry_run=False)
    expect(page.get_by_role("heading", level=1)).to_have_text("Import report")
    summary = page.locator(".govuk-summary-list")
    expect(summary.locator(".govuk-summary-list__row", has_text="Users created")).to_contain_text("2")
    expect(summary.locator(".govuk-summary-list__row", has_text="Rows with errors")).to_contain_text("2")
    errors = page.get_by_role("table")
    expect(errors).to_contain_text("not-an-email")
    expect(errors).to_contain_text("Nowhere Borough Council")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these errors as a CSV file").click()
    rows = list(csv.DictReader(io.StringIO(download_info.value.path().read_text(encoding="utf-8-sig"))))
    assert sorted(row["value"] for row in rows) == ["Nowhere Borough Council", "not-an-email"]

    # Importing the same file again changes nothing.
    upload(page, dry_run=False)
    expect(summary.locator(".govuk-summary-list__row", has_text="Users created")).to_contain_text("0")

    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Manage").click()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Users").click()
    assert_accessible(page)
    expect(page.get_by_role("main")).to_contain_text("nadia.hussain@surreyheath.example")
    expect(page.get_by_role("main")).to_contain_text("owen.burke@heathside.example")
