import datetime

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

PRACTITIONER = "asb.officer@surreyheath.example"


def click(page: Page, role: str, name: str) -> None:
    page.get_by_role(role, name=name, exact=True).first.click()  # type: ignore[arg-type]
    page.wait_for_load_state("load")
    assert_accessible(page)


def test_practitioner_records_an_abc_a_breach_and_an_escalation_to_a_cpw(page: Page):
    today = datetime.date.today()
    sign_in(page, PRACTITIONER)
    page.goto("/cases/")
    assert_accessible(page)
    page.get_by_role("row").filter(has_text="ASB perpetrator").filter(has_text="High").get_by_role("link").first.click()
    assert_accessible(page)
    click(page, "link", "Interventions")
    click(page, "link", "Record an intervention")
    click(page, "link", "Acceptable Behaviour Contract")

    page.get_by_label("Person", exact=True).select_option(label="Jason Kerr")
    page.get_by_label("In force").check()
    page.get_by_label("Date issued", exact=True).fill((today - datetime.timedelta(days=20)).isoformat())
    page.get_by_label("Prohibitions").fill("Not to play loud music after 11pm")
    page.get_by_label("The person it applies to has signed").check()
    click(page, "button", "Save")
    expect(page.get_by_text("Acceptable Behaviour Contract recorded.")).to_be_visible()
    expect(page.get_by_role("heading", name="Acceptable Behaviour Contract")).to_contain_text("In force")

    click(page, "link", "Record a breach")
    page.get_by_label("Date of the breach").fill((today - datetime.timedelta(days=2)).isoformat())
    page.get_by_label("What happened").fill("Loud music at 2am, reported by two neighbours.")
    page.get_by_label("Escalation to the next step").check()
    click(page, "button", "Save")
    expect(page.get_by_text("Breach recorded.")).to_be_visible()

    click(page, "link", "Community Protection Warning")
    page.get_by_label("In force").check()
    page.get_by_label("Date issued", exact=True).fill(today.isoformat())
    page.get_by_label("Prohibitions").fill("Not to play amplified music audible outside the flat")
    click(page, "button", "Save")
    expect(page.get_by_text("Community Protection Warning recorded.")).to_be_visible()

    click(page, "link", "Jason Kerr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Escalation ladder")
    ladder = page.get_by_role("table", name="Steps tried")
    abc = ladder.get_by_role("row").filter(has_text="Acceptable Behaviour Contract")
    expect(abc).to_contain_text("Breached")
    expect(abc).to_contain_text("1 breach")
    expect(ladder.get_by_role("row").filter(has_text="Community Protection Warning")).to_contain_text("In force")
    expect(ladder.get_by_role("row").filter(has_text="Civil Injunction")).to_contain_text("Not tried")
