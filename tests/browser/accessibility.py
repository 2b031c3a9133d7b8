"""axe-core checks for every page a browser test visits."""

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VISITS = "_casebridge_visits"


def record_visits(page: Page) -> None:
    """Notes each page the browser lands on, so a test cannot skip checking one."""
    visits: list[list[Any]] = []
    setattr(page, VISITS, visits)

    def landed(frame: Any) -> None:
        if frame == page.main_frame and frame.url != "about:blank":
            visits.append([frame.url, False])

    page.on("framenavigated", landed)


def unchecked_visits(page: Page) -> list[str]:
    return [url for url, checked in getattr(page, VISITS, []) if not checked]


def assert_accessible(page: Page) -> None:
    """Runs axe-core on the current page and fails with every WCAG 2.2 AA violation, readably."""
    page.wait_for_load_state("load")
    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    violations = results["violations"]
    assert not violations, f"Accessibility violations on {page.url}:\n{describe(violations)}"
    visits = getattr(page, VISITS, [])
    if visits:
        visits[-1][1] = True


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            lines.append(f"       {summary}")
            lines.append(f"       {node['html'][:200]}")
    return "\n".join(lines)
