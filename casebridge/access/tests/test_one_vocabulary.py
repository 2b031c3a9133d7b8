"""Only the access layer speaks of roles: every other module asks for a capability.

The scan reads the source of every module outside ``casebridge/access`` (tests, migrations, the
demo and seed data aside) and fails on a set of roles (``frozenset({Role.COORDINATOR, ...})``,
``("manager", "auditor")``) or on a role compared with a particular role (``membership.role ==
Role.MANAGER``, ``role_in(p) != Role.ADMINISTRATOR``, ``memberships__role=Role.MANAGER``). Naming
any particular role outside the access layer counts: that is how a second vocabulary starts.
"""

import ast
from pathlib import Path

from django.test import SimpleTestCase

from casebridge.access.roles import Role

PACKAGE = Path(__file__).resolve().parents[2]
SKIPPED_PARTS = {"tests", "migrations", "demo", "synthetic", "access"}
SKIPPED_FILES = {"seed_demo.py"}
ROLE_VALUES = frozenset(str(value) for value in Role.values)


def names_a_role(node: ast.AST) -> bool:
    """``Role.MANAGER`` (or ``Role.MANAGER.value``): a particular role, not ``Role.values`` or ``Role(x)``."""
    while isinstance(node, ast.Attribute) and node.attr == "value":
        node = node.value
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Role"
        and node.attr.isupper()
    )


def is_role_string(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in ROLE_VALUES


def reads_a_role(node: ast.AST) -> bool:
    """``something.role`` or ``something.role_in(partnership)``."""
    if isinstance(node, ast.Call):
        node = node.func
        return isinstance(node, ast.Attribute) and node.attr == "role_in"
    return isinstance(node, ast.Attribute) and node.attr == "role"


def findings(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if names_a_role(node):
            found.append(f"line {line}: names a particular role")
        elif isinstance(node, (ast.Set, ast.List, ast.Tuple)) and node.elts and all(map(is_role_string, node.elts)):
            found.append(f"line {line}: a set of roles")
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(map(reads_a_role, operands)) and any(map(is_role_string, operands)):
                found.append(f"line {line}: compares a role with a particular role")
    return found


def scanned_modules() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if not SKIPPED_PARTS.intersection(path.relative_to(PACKAGE).parts[:-1]) and path.name not in SKIPPED_FILES
    )


class OneVocabularyTests(SimpleTestCase):
    def test_no_module_outside_the_access_layer_names_roles(self) -> None:
        """No role sets and no comparisons with a particular role outside casebridge/access."""
        problems = {}
        for path in scanned_modules():
            name = path.relative_to(PACKAGE).as_posix()
            found = findings(ast.parse(path.read_text(), filename=str(path)))
            if found:
                problems[name] = found
        assert not problems, f"Ask casebridge.access.capabilities (holds, roles_holding) instead: {problems}"

    def test_the_scan_finds_what_it_forbids(self) -> None:
        """Each forbidden shape is caught, and the allowed uses of Role are not."""
        forbidden = [
            "TRIAGE_ROLES = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})",
            "AUDIT_ROLES = {'auditor', 'manager'}",
            "ok = membership.role != Role.ADMINISTRATOR",
            "ok = user.role_in(partnership) == 'administrator'",
            "ok = membership.role in ('coordinator',)",
            "users = User.objects.filter(memberships__role=Role.MANAGER)",
            "ok = Role.AUDITOR.value in roles",
        ]
        for source in forbidden:
            with self.subTest(source=source):
                assert findings(ast.parse(source)), source
        allowed = [
            "choices = Role.choices",
            "ok = role in Role.values",
            "role = Role(membership.role)",
            "ok = holds(user, Capability.TRIAGE, partnership.pk)",
            "ok = party.role == 'victim'",
        ]
        for source in allowed:
            with self.subTest(source=source):
                assert not findings(ast.parse(source)), source
