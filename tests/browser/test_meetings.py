"""A multi-agency meeting in the browser, from agenda to completed action.

The coordinator sets up a series, builds, edits, orders and publishes the agenda and the papers; an
attendee from a housing association downloads their pack, which the task worker builds in the
background (the `task_worker` fixture runs the real django-tasks database worker); the chair records
attendance and minutes, assigns an action and removes a case with a reason; the attendee completes
the action. Every page is checked with axe-core.
"""

import datetime
import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.helpers import sign_in

COORDINATOR = "coordinator@surreyheath.example"
CHAIR = "asb.officer@surreyheath.example"  # Alex Morgan, Surrey Heath Borough Council
ATTENDEE = "housing.officer@heathside.example"  # Hannah Price, Heathside Housing Association
PACK_WAIT_NAVIGATIONS = 30

pytestmark = pytest.mark.browser


def click(page: Page, name: str, role: str = "link") -> None:
    page.get_by_role(role, name=name).first.click()  # type: ignore[arg-type]
    assert_accessible(page)


def switch_user(page: Page, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, email)


def open_case(page: Page, summary: str, risk: str = "Standard") -> str:
    page.goto("/cases/new/")
    assert_accessible(page)
    page.get_by_label("Case type").select_option(label="ASB victim")
    page.get_by_label("Risk level").select_option(label=risk)
    page.get_by_label("Summary").fill(summary)
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    match = re.search(r"SH-\d{4}-\d{6}", page.url)
    assert match, page.url
    return match.group(0)


def agenda_references(page: Page) -> list[str]:
    rows = page.get_by_role("table", name="Agenda items").locator("tbody tr td:first-child a")
    return [text.strip() for text in rows.all_inner_texts()]


def wait_for_pack(page: Page) -> None:
    """The papers page refreshes itself while the worker builds the pack; each refresh is checked too."""
    download = page.get_by_role("link", name="Download your pack (PDF)")
    for _ in range(PACK_WAIT_NAVIGATIONS):
        assert_accessible(page)
        if download.count():
            return
        expect(page.get_by_text("Your PDF pack is being prepared.")).to_be_visible()
        with page.expect_navigation(timeout=15_000):
            pass
    raise AssertionError("The pack was not ready after the page refreshed itself many times.")


def test_a_meeting_from_agenda_to_completed_action(page: Page, task_worker: None) -> None:
    tag = uuid.uuid4().hex[:6]
    meeting_day = datetime.date.today() + datetime.timedelta(days=21)

    # Three cases led by the council: one high risk (the agenda proposes it), two added by hand.
    sign_in(page, CHAIR)
    high = open_case(page, f"Repeated threats to a neighbour ({tag}).", risk="High")
    kept = open_case(page, f"Drug dealing from a flat ({tag}).")
    dropped = open_case(page, f"Fly-tipping behind shops ({tag}).")

    # The coordinator sets up the series and schedules a meeting.
    switch_user(page, COORDINATOR)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Meetings").click()
    assert_accessible(page)
    click(page, "Set up a meeting series")
    page.get_by_label("Type of meeting").select_option(label="Community MARAC")
    series_name = f"Surrey Heath Community MARAC {tag}"
    page.get_by_label("Name").fill(series_name)
    page.get_by_label("Chair").select_option(label="Alex Morgan")
    page.get_by_label("Surrey Heath Borough Council").check()
    page.get_by_label("Heathside Housing Association").check()
    page.get_by_label("Hannah Price").check()
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    expect(page.get_by_text(f"Meeting series {series_name} set up.")).to_be_visible()
    click(page, "Schedule a meeting")
    page.get_by_label("Date").fill(meeting_day.isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Where").fill("Surrey Heath House, committee room 2")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    expect(page.get_by_text("Meeting scheduled.")).to_be_visible()
    meeting_url = page.url

    # The agenda sources suggest the high-risk case (and whatever else is due); then by hand.
    expect(page.get_by_text(f"{high}: ")).to_be_visible()
    # Only proposals; the coordinator works for the council, which leads these cases, so they are agreed.
    click(page, "Propose these cases for the agenda", role="button")
    expect(page.get_by_text(re.compile(r"\d+ cases? proposed for the agenda\."))).to_be_visible()
    for reference, reason in (
        (kept, "Police intelligence links the flat to two assaults."),
        (dropped, "Repeat reports."),
    ):
        click(page, "Propose a case for this agenda")
        page.get_by_label("Case reference").fill(reference)
        page.get_by_label("Why should the meeting discuss this case?").fill(reason)
        page.get_by_role("button", name="Save").click()
        assert_accessible(page)
        expect(page.get_by_text(f"{reference} added to the agenda.")).to_be_visible()
    click(page, f"Remove {dropped}")
    page.get_by_label("Reason").fill("The council's street scene team has it in hand.")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    expect(page.get_by_text(f"{dropped} removed from the agenda.")).to_be_visible()
    expect(page.get_by_text(f"{dropped}: The council's street scene team has it in hand.")).to_be_visible()
    assert dropped not in agenda_references(page)
    before = agenda_references(page)
    assert before.index(kept) > before.index(high)
    click(page, f"Up {kept}", role="button")
    while agenda_references(page).index(kept) > 0:
        click(page, f"Up {kept}", role="button")
    assert agenda_references(page)[:1] == [kept]
    click(page, "Publish the agenda", role="button")
    expect(page.get_by_text("Agenda published.")).to_be_visible()
    click(page, "Publish the papers now", role="button")
    expect(page.get_by_text("Papers published: each attendee's pack is being prepared.")).to_be_visible()

    # The attendee accepts the confidentiality statement and downloads their pack.
    switch_user(page, ATTENDEE)
    page.goto(meeting_url)
    assert_accessible(page)
    click(page, "I understand and accept the confidentiality statement", role="button")
    expect(page.get_by_text("Thank you: your acknowledgement is recorded.")).to_be_visible()
    click(page, "My papers")
    wait_for_pack(page)
    expect(page.get_by_role("heading", name=re.compile(kept))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(high))).to_be_visible()
    expect(page.get_by_text(dropped)).to_have_count(0)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download your pack (PDF)").click()
    download = download_info.value
    assert re.fullmatch(r"papers-\d{4}-\d{2}-\d{2}\.pdf", download.suggested_filename)
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    pdf_url = page.get_by_role("link", name="Download your pack (PDF)").get_attribute("href")
    assert pdf_url
    response = page.request.get(pdf_url)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    assert len(response.body()) > 2000

    # The chair runs the meeting: attendance, minutes, an action, and a case removed with a reason.
    switch_user(page, CHAIR)
    page.goto(meeting_url)
    assert_accessible(page)
    click(page, "Attendance")
    page.get_by_label("Hannah Price").check()
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    expect(page.get_by_text("Attendance recorded.")).to_be_visible()
    click(page, f"Minutes {kept}")
    page.get_by_label("Updates from partners").fill("Two more reports of callers at all hours.")
    page.get_by_label("Decisions").fill("Housing to visit the tenant with the police.")
    page.get_by_label("New risk level").select_option(label="High")
    page.get_by_label("Keep on or remove from the agenda").select_option(label="Keep on the agenda")
    page.get_by_label("Reason for keeping or removing").fill("Review after the joint visit.")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    expect(page.get_by_text(f"Minutes for {kept} saved.")).to_be_visible()
    # The meeting shares nothing: the council, which leads the case, shares it with the housing provider first.
    page.goto(f"/cases/{kept}/")
    assert_accessible(page)
    click(page, "Share this case")
    page.get_by_label("Organisation").select_option(label="Heathside Housing Association")
    page.get_by_label("Contribute").check()
    page.get_by_label("Why are you sharing this case?").fill("Housing will visit the tenant with the police.")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    page.goto(meeting_url)
    assert_accessible(page)
    click(page, f"Add action {kept}")
    action_title = f"Joint visit to the tenant ({tag})"
    page.get_by_label("What needs to be done").fill(action_title)
    page.get_by_label("Organisation").select_option(label="Heathside Housing Association")
    page.get_by_label("Person (optional)").select_option(label="Hannah Price")
    page.get_by_label("Due date").fill((datetime.date.today() + datetime.timedelta(days=7)).isoformat())
    page.get_by_label("Priority").select_option(label="High")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    expect(page.get_by_text(f"Action added to {kept}.")).to_be_visible()
    click(page, f"Minutes {high}")
    page.get_by_label("Updates from partners").fill("No reports since the warning letter.")
    page.get_by_label("Keep on or remove from the agenda").select_option(label="Remove from the agenda")
    page.get_by_label("Reason for keeping or removing").fill("Risk reduced: managed by the ASB team.")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    expect(page.get_by_text(f"{high}: Risk reduced: managed by the ASB team.")).to_be_visible()
    assert high not in agenda_references(page)
    assert agenda_references(page)[:1] == [kept]
    click(page, "Publish the minutes", role="button")
    expect(page.get_by_text("Minutes published onto 2 case timelines.")).to_be_visible()
    click(page, "Action tracker")
    expect(page.get_by_role("link", name=action_title)).to_be_visible()

    # The practitioner finds the action in their list and completes it.
    switch_user(page, ATTENDEE)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Actions").click()
    assert_accessible(page)
    click(page, action_title)
    page.get_by_label("Status").select_option(label="Done")
    page.get_by_label("Completion note").fill("Visited with PC Shah; tenant warned in writing.")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    expect(page.get_by_text("Action updated.")).to_be_visible()
    expect(
        page.get_by_role("definition").filter(has_text="Visited with PC Shah; tenant warned in writing.")
    ).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text=re.compile(r"^\s*Done\s*$"))).to_be_visible()
