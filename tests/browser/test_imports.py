"""The import wizard in the browser: a CSV and an XLSX from upload to a finished import.

Imports run as background tasks on the database backend, as in production. The server does
not run tasks itself, so the test starts a task worker (`manage.py db_worker`) over the same
database once it has seen the progress page waiting, and stops it after: the progress bar is
shown before any work is done, then followed to the end.
"""

import contextlib
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.helpers import sign_in
from tests.browser.server import server_env, start_manage

pytestmark = pytest.mark.browser

ADMINISTRATOR = "admin@surreyheath.example"
PEOPLE_CSV = (
    "Client ref,Forename,Surname,DOB,Sex\n"
    "MIG-1,Hetty,Marlowe,03/04/1979,F\n"
    "MIG-2,Ivor,Pennick,21/11/1990,M\n"
    "MIG-3,,Quarrie,01/01/2001,Not recorded\n"
)
WAITING = 30_000  # ms: a worker starting on a busy machine


def people_workbook() -> bytes:
    workbook = Workbook()
    cover = workbook.active
    cover.title = "About"  # type: ignore[union-attr]
    cover.append(["Exported from the old client database"])  # type: ignore[union-attr]
    clients = workbook.create_sheet("Clients")
    clients.append(["Client ref", "Forename", "Surname", "DOB", "Sex"])
    clients.append(["MIG-10", "Jude", "Roscoe", "14/02/1985", "Male"])
    clients.append(["MIG-11", "Kit", "Saltash", "30/06/1972", "Female"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


Worker = Callable[[], contextlib.AbstractContextManager[None]]


@pytest.fixture
def task_worker(database_url: str, server_files: Path) -> Worker:
    """``with task_worker():`` runs the background task worker over the server's database."""
    env = server_env(database_url, server_files)

    @contextlib.contextmanager
    def running() -> Iterator[None]:
        worker = start_manage(env, "db_worker", "--interval", "0.2", "--no-startup-delay")
        try:
            yield
        finally:
            worker.terminate()
            worker.wait(timeout=20)

    return running


def continue_(page: Page, name: str = "Continue") -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state("load")
    assert_accessible(page)


def follow_progress(page: Page, worker: Worker, finished: str) -> None:
    """On the progress page: the bar shows while waiting, then the worker runs and the bar reaches the end."""
    expect(page.get_by_role("progressbar", name="Progress")).to_be_visible()
    assert_accessible(page)
    with worker():
        expect(page.get_by_text(finished)).to_be_visible(timeout=WAITING)
    expect(page.get_by_role("progressbar", name="Progress")).to_have_attribute("value", "100")
    assert_accessible(page)
    page.get_by_role("link", name="See the report").click()
    page.wait_for_load_state("load")
    assert_accessible(page)


def test_administrator_imports_a_csv_then_an_xlsx_with_the_saved_mapping(page: Page, task_worker: Worker):
    sign_in(page, ADMINISTRATOR)
    page.goto("/cases/configuration/")
    assert_accessible(page)
    page.get_by_role("link", name="Migrate data from spreadsheets").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Migrate data from spreadsheets")
    page.get_by_role("link", name="Import people").click()
    assert_accessible(page)

    # Upload: a CSV written here.
    page.get_by_label("Upload a CSV or Excel file").set_input_files(
        {"name": "old-clients.csv", "mimeType": "text/csv", "buffer": PEOPLE_CSV.encode()}
    )
    continue_(page)

    # Columns: suggested from the headers; "Client ref" needs choosing.
    expect(page.get_by_role("heading", level=1)).to_have_text("Which column holds what?")
    expect(page.get_by_label("Forename")).to_have_value("first_name")
    expect(page.get_by_label("Surname")).to_have_value("last_name")
    page.get_by_label("Client ref").select_option("legacy_id")
    continue_(page)

    # Values: the spellings of gender found in the file, with suggestions.
    expect(page.get_by_role("heading", level=1)).to_have_text("What do the values mean?")
    expect(page.get_by_label("F", exact=True)).to_have_value("female")
    page.get_by_label("Not recorded").select_option("unknown")
    page.get_by_label("Day first (UK): 31/12/2025").check()
    page.get_by_label("Save these choices as a mapping (optional)").fill("Old client database")
    continue_(page)

    # Check (dry run), then its report.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the file")
    continue_(page, "Check the file")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check report: nothing imported yet")
    summary = page.locator(".govuk-summary-list")
    expect(summary.locator(".govuk-summary-list__row", has_text="To create")).to_contain_text("2")
    problems = page.get_by_role("table")
    expect(problems).to_contain_text("Forename")

    # Import in the background, then the finished report.
    continue_(page, "Import")
    follow_progress(page, task_worker, "Import finished.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import finished")
    expect(summary.locator(".govuk-summary-list__row", has_text="Created")).to_contain_text("2")

    # The second file: a workbook whose rows are on its second sheet, with the saved mapping.
    page.goto("/imports/")
    assert_accessible(page)
    expect(page.get_by_role("table")).to_contain_text("old-clients.csv")
    page.get_by_role("link", name="Import people").click()
    assert_accessible(page)
    page.get_by_label("Upload a CSV or Excel file").set_input_files(
        {
            "name": "old-clients.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": people_workbook(),
        }
    )
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Which sheet holds the rows to import?")
    page.get_by_label("Clients").check()
    continue_(page)
    page.get_by_text("Use a saved mapping").click()
    page.get_by_label("Saved mapping").select_option(label="Old client database")
    continue_(page, "Use this mapping")
    expect(page.get_by_label("Client ref")).to_have_value("legacy_id")
    continue_(page)
    continue_(page)
    continue_(page, "Check the file")
    continue_(page, "Import")
    follow_progress(page, task_worker, "Import finished.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import finished")
    expect(summary.locator(".govuk-summary-list__row", has_text="Created")).to_contain_text("2")
