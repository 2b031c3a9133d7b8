import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.helpers import sign_in

COORDINATOR = "coordinator@surreyheath.example"

pytestmark = pytest.mark.browser


def test_the_coordinator_compares_merges_and_undoes_a_merge(page: Page):
    sign_in(page, COORDINATOR)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Manage").click()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Duplicates").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Possible duplicates")
    page.get_by_role("link", name="Compare Jon Smyth and Jonathan Smith").click()
    assert_accessible(page)
    expect(page.get_by_role("table")).to_contain_text("Jonathan Smith")

    page.get_by_role("button", name="Merge records").click()  # nothing chosen: a clear error
    assert_accessible(page)
    expect(page.get_by_role("alert")).to_contain_text("Choose which record should remain.")

    page.get_by_label("Record B: Jonathan Smith").check()
    page.get_by_role("group", name="First name").get_by_label("Record B: Jonathan").check()
    page.get_by_role("group", name="Last name").get_by_label("Record B: Smith").check()
    page.get_by_role("group", name="Phone number").get_by_label("Record A: 07700 900461").check()
    page.get_by_role("group", name="Email address").get_by_label("Record B: jon.smith@example.com").check()
    page.get_by_role("button", name="Merge records").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Jon Smyth merged into Jonathan Smith")

    page.get_by_role("button", name="Undo this merge").click()
    assert_accessible(page)
    expect(page.locator("main")).to_contain_text("The merge is undone: Jon Smyth has their own record again.")
    page.get_by_role("link", name="Open Jon Smyth's record").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Jon Smyth")
