import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

ADMINISTRATOR = "admin@surreyheath.example"
PRACTITIONER = "asb.officer@surreyheath.example"


def go(page: Page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def click(page: Page, role: str, name: str) -> None:
    page.get_by_role(role, name=name, exact=True).first.click()  # type: ignore[arg-type]
    page.wait_for_load_state("load")
    assert_accessible(page)


def test_administrator_builds_and_publishes_a_template_version(page: Page):
    name = f"Hoarding risk check {uuid.uuid4().hex[:6]}"
    sign_in(page, ADMINISTRATOR)
    go(page, "/assessments/templates/")
    click(page, "link", "Create a template")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Risk and vulnerability assessment").check()
    click(page, "button", "Save")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{name}: version 1")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")

    click(page, "link", "Add a section")
    page.get_by_label("Section title").fill("The home")
    click(page, "button", "Save")

    click(page, "link", "Add a question")
    page.get_by_label("Question", exact=True).fill("Are exits blocked?")
    page.get_by_label("Type of answer").select_option(label="Yes or no")
    page.get_by_label("Answers and weights").fill("Yes = 5\nNo = 0")
    page.get_by_label("An answer is required").check()
    click(page, "button", "Save")
    expect(page.get_by_role("table", name="The home")).to_contain_text("Are exits blocked?")

    for label, score, days, high in [("Standard", "0", "56", False), ("High", "5", "14", True)]:
        click(page, "link", "Add a band")
        page.get_by_label("Band name").fill(label)
        page.get_by_label("Lowest score in this band").fill(score)
        page.get_by_label("Review after (days)").fill(days)
        if high:
            page.get_by_label("Alert the lead officer").check()
        click(page, "button", "Save")
    expect(page.get_by_role("table", name="Bands").locator("tbody tr")).to_have_count(2)

    click(page, "button", "Publish this version")
    expect(page.get_by_text("Version 1 published.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Published")
    expect(page.get_by_role("link", name="Add a question")).to_have_count(0)

    go(page, "/assessments/templates/")
    expect(page.get_by_role("link", name=name)).to_be_visible()


def test_practitioner_completes_a_high_risk_assessment_and_sees_the_alert(page: Page):
    sign_in(page, PRACTITIONER)
    go(page, "/cases/")
    page.get_by_role("row").filter(has_text="ASB victim").get_by_role("link").first.click()
    assert_accessible(page)
    click(page, "link", "Assessments")
    click(page, "link", "Complete an assessment")
    click(page, "link", "ASB victim risk and vulnerability assessment")

    form = page.locator("form[method=post]").filter(has=page.get_by_role("button", name="Complete the assessment"))
    form.get_by_role("group", name="How many incidents").get_by_label("Three or more").check()
    for question in [
        "Has the victim been targeted",
        "Has violence been used",
        "Was a weapon used",
        "Does the victim have a physical",
        "Has the victim said they feel unsafe",
        "Has the victim thought about harming",
    ]:
        form.get_by_role("group", name=question).get_by_label("Yes", exact=True).check()
    form.get_by_role("group", name="How much is the behaviour affecting").get_by_label("4: severely").check()
    click(page, "button", "Complete the assessment")

    banner = page.get_by_role("region", name="High risk")
    expect(banner).to_contain_text("The lead officer has been alerted")
    expect(banner).to_contain_text("Refer the case to the next CHaRMM")
    expect(banner.get_by_role("link", name="Record the referral decision on the case")).to_be_visible()

    go(page, "/assessments/alerts/")
    expect(page.get_by_role("main")).to_contain_text("ASB victim risk and vulnerability assessment came out high")
