"""Browser tests: Debian's Chromium (never a downloaded one) against gunicorn with production settings."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.accessibility import AXE_SCRIPT, record_visits, unchecked_visits
from tests.browser.server import prepared_database, running_server, running_worker

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CALL_FAILED = pytest.StashKey[bool]()
MISSING_CHROMIUM = (
    "!!! BROWSER TESTS SKIPPED: /usr/bin/chromium is missing. Install it with `apt-get install chromium`. "
    "(With CI=true this is a failure.)"
)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not CHROMIUM.exists() and os.environ.get("CI") != "true":
        terminalreporter.write_line("")
        terminalreporter.write_line(MISSING_CHROMIUM, red=True, bold=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("/usr/bin/chromium is missing and CI=true: install it with `apt-get install chromium`.")
        pytest.skip(MISSING_CHROMIUM)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder for the servers' static files, mail and logs (shared by every server)."""
    return tmp_path_factory.mktemp("browser-server")


@pytest.fixture(scope="session")
def database_url(chromium_browser: Browser, server_files: Path) -> Iterator[str]:
    with prepared_database(server_files) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(database_url: str, server_files: Path) -> Iterator[str]:
    """The server most tests use: REQUIRE_MFA off, as in the demo."""
    with running_server(database_url, server_files) as url:
        yield url


@pytest.fixture(scope="session")
def task_worker(database_url: str, server_files: Path) -> Iterator[None]:
    """The background task worker (packs, emails), for tests that need background jobs to run."""
    with running_worker(database_url, server_files):
        yield


@pytest.fixture(scope="session")
def require_mfa_base_url(database_url: str, server_files: Path) -> Iterator[str]:
    """A second server with REQUIRE_MFA on, over the same prepared database.

    REQUIRE_MFA is read from the environment when the settings load, so it needs its own
    process; sharing the database costs only a gunicorn start (about a second) instead of
    another migrate and seed_demo. It starts only if a test asks for it. Tests on it must use
    demo users that no test on the other server uses, since both see the same accounts.
    """
    with running_server(database_url, server_files, require_mfa=True) as url:
        yield url


def _checked_page(browser: Browser, url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(base_url=url, accept_downloads=True, locale="en-GB")
    context.add_init_script(path=str(AXE_SCRIPT))
    page = context.new_page()
    record_visits(page)
    yield page
    unchecked = unchecked_visits(page)
    context.close()
    if not request.node.stash.get(CALL_FAILED, False):
        assert not unchecked, f"These pages were visited without an accessibility check: {unchecked}"


@pytest.fixture
def page(chromium_browser: Browser, base_url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test, with axe-core loaded into every page.

    The strict CSP blocks inline script, so `add_script_tag` cannot inject axe; an init
    script is added by the browser itself, outside the page's CSP, so CSP stays on.
    """
    yield from _checked_page(chromium_browser, base_url, request)


@pytest.fixture
def require_mfa_page(
    chromium_browser: Browser, require_mfa_base_url: str, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """Like `page`, on the server with REQUIRE_MFA on."""
    yield from _checked_page(chromium_browser, require_mfa_base_url, request)
