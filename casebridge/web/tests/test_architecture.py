"""The import contracts in pyproject.toml catch an import that goes against the architecture.

`make lint` runs `lint-imports` on the tree as it is; these tests copy the package, add one
offending import to a module and check that the contracts then report exactly that import.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def lint_imports_after_adding(tmp_path: Path, path: str, line: str) -> str:
    """Run the project's contracts on a copy of the package with ``line`` added to ``path``."""
    shutil.copytree(ROOT / "casebridge", tmp_path / "casebridge", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    module = tmp_path / path
    module.write_text((module.read_text() if module.exists() else "") + line + "\n")
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(  # noqa: S603 (our own checker on a copy of our own tree)
        [str(lint_imports), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1, result.stdout
    return " ".join(result.stdout.split())


@pytest.mark.parametrize(
    ("path", "line", "reported"),
    [
        (
            "casebridge/lib/offending.py",
            "from casebridge.cases.models import Case",
            "casebridge.lib is not allowed to import casebridge.cases",
        ),
        (
            "casebridge/cases/offending.py",
            "from casebridge.meetings.models import Meeting",
            "casebridge.cases is not allowed to import casebridge.meetings",
        ),
        (
            "casebridge/audit/offending.py",
            "from casebridge.accounts.models import User",
            "casebridge.audit is not allowed to import casebridge.accounts",
        ),
    ],
)
def test_an_import_of_a_higher_layer_breaks_the_layers_contract(tmp_path, path, line, reported):
    assert reported in lint_imports_after_adding(tmp_path, path, line)


def test_a_page_importing_another_apps_pages_breaks_the_independence_contract(tmp_path):
    output = lint_imports_after_adding(
        tmp_path, "casebridge/web/sharing/views.py", "from casebridge.web.cases import views as case_views"
    )
    assert "No app's pages import another app's pages BROKEN" in output
    assert "casebridge.web.sharing.views -> casebridge.web.cases.views" in output
