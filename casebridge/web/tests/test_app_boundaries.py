"""No app writes another app's tables except through that app's services.

The check reads the source of every app module (tests and migrations aside) and reports each
write (``objects.create``, ``bulk_create``, ``get_or_create``, ``update_or_create``, a queryset's
``update`` or ``delete``, or ``save``/``delete`` on an instance) made to a model class imported
from another app's ``models`` module. Instances and querysets are followed through names bound in
the same function: annotated arguments, assignments and ``for`` loops.
"""

import ast
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]

MANAGER_WRITES = {"create", "bulk_create", "bulk_update", "get_or_create", "update_or_create", "update", "delete"}
INSTANCE_WRITES = {"save", "delete"}
# Manager calls that return one instance rather than a queryset.
SINGLE = {"get", "first", "last", "earliest", "latest", "create"}

# Models whose writes belong to a service of another app than the one defining them: the plan
# keeps Share and BreakGlass in cases (the access policy reads them) and their workflow in sharing.
OWNERS = {"cases.Share": "sharing", "cases.BreakGlass": "sharing"}

# Bulk writers allowed to write another app's rows directly, each for a measured reason.
ALLOWED = {
    # An import of tens of thousands of cases takes each year's reference counters in one locked
    # statement instead of one case_reference_next call (and lock) per case.
    ("imports/jobs.py", "cases.CaseReferenceCounter"),
    # An import scores its new people against the existing ones and stores the pairs in one insert.
    ("imports/jobs.py", "matching.DuplicateCandidate"),
    # Rolling an import back deletes the duplicate pairs of the people it created, chunk by chunk.
    ("imports/rollback.py", "matching.DuplicateCandidate"),
    # Synthetic partnerships for load tests and benchmarks: bulk rows, never anyone's action.
    ("synthetic/generator.py", "organisations.Partnership"),
    ("synthetic/generator.py", "organisations.Organisation"),
    ("synthetic/generator.py", "organisations.Team"),
    ("synthetic/generator.py", "accounts.User"),
    ("synthetic/generator.py", "organisations.Membership"),
    ("synthetic/generator.py", "cases.CaseReferenceCounter"),
    # The demo partnership is set up, not acted on: nobody's action to audit, and loading it again
    # must change nothing, so its configuration rows are made with get_or_create in one place.
    ("demo/case_reviews.py", "case_reviews.ReviewRules"),
    ("demo/duplicates.py", "matching.DuplicateCandidate"),
    ("web/management/commands/seed_demo.py", "organisations.Partnership"),
    ("web/management/commands/seed_demo.py", "organisations.Organisation"),
    ("web/management/commands/seed_demo.py", "organisations.Team"),
    ("web/management/commands/seed_demo.py", "organisations.Membership"),
}


def app_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0]


def is_app_module(path: Path) -> bool:
    parts = path.relative_to(PACKAGE).parts
    return len(parts) > 1 and not {"tests", "migrations"} & set(parts) and not parts[-1].startswith("test")


@dataclass
class Scope:
    """Names bound in one function to another app's model instances or querysets."""

    instances: dict[str, str] = field(default_factory=dict)
    querysets: dict[str, str] = field(default_factory=dict)


class WriteFinder(ast.NodeVisitor):
    def __init__(self, app: str) -> None:
        self.app = app
        self.foreign: dict[str, str] = {}
        self.modules: set[str] = set()
        self.scopes = [Scope()]
        self.writes: list[tuple[int, str, str]] = []

    # Imports: which names are another app's model classes (or models modules).
    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        parts = (node.module or "").split(".")
        if len(parts) >= 2 and parts[0] == "casebridge" and parts[1] != self.app:
            for alias in node.names:
                if parts[2:] == ["models"]:
                    model = f"{parts[1]}.{alias.name}"
                    if OWNERS.get(model) != self.app:
                        self.foreign[alias.asname or alias.name] = model
                elif len(parts) == 2 and alias.name == "models":
                    self.modules.add(alias.asname or alias.name)

    def model_of(self, node: ast.expr) -> str | None:
        """The foreign model named by ``node`` (``Share`` or ``cases_models.Share``), if any."""
        if isinstance(node, ast.Name):
            return self.foreign.get(node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in self.modules:
            return node.attr
        return None

    def annotation_model(self, node: ast.expr | None) -> str | None:
        if node is None:
            return None
        for part in ast.walk(node):
            if isinstance(part, ast.expr) and (model := self.model_of(part)):
                return model
        return None

    def chain_model(self, node: ast.expr) -> tuple[str, str] | None:
        """For ``Model.objects.a(...).b(...)``, or a name bound to a queryset: (model, "queryset")."""
        while isinstance(node, ast.Call | ast.Attribute):
            if isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager"}:
                model = self.model_of(node.value)
                return (model, "queryset") if model else None
            node = node.func if isinstance(node, ast.Call) else node.value
        if isinstance(node, ast.Name) and node.id in self.scopes[-1].querysets:
            return self.scopes[-1].querysets[node.id], "queryset"
        return None

    def bound(self, value: ast.expr) -> tuple[str, str] | None:
        """What an expression yields: ("Model", "instance" or "queryset"), or None."""
        if isinstance(value, ast.Call) and (model := self.model_of(value.func)):
            return model, "instance"
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
            found = self.chain_model(value.func.value)
            if found:
                return found[0], "instance" if value.func.attr in SINGLE else "queryset"
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "list" and value.args:
            return self.bound(value.args[0])
        if isinstance(value, ast.Name):
            scope = self.scopes[-1]
            if value.id in scope.querysets:
                return scope.querysets[value.id], "queryset"
        return None

    def bind(self, target: ast.expr, found: tuple[str, str] | None) -> None:
        if not isinstance(target, ast.Name):
            return
        scope = self.scopes[-1]
        scope.instances.pop(target.id, None)
        scope.querysets.pop(target.id, None)
        if found:
            (scope.instances if found[1] == "instance" else scope.querysets)[target.id] = found[0]

    # Scopes: a function starts from its annotated arguments.
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        scope = Scope()
        args = node.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            if model := self.annotation_model(arg.annotation):
                scope.instances[arg.arg] = model
        self.scopes.append(scope)
        self.generic_visit(node)
        self.scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node: ast.Assign) -> None:
        self.generic_visit(node)
        for target in node.targets:
            self.bind(target, self.bound(node.value))

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.generic_visit(node)
        model = self.annotation_model(node.annotation)
        self.bind(node.target, (model, "instance") if model else self.bound(node.value) if node.value else None)

    def visit_For(self, node: ast.For) -> None:
        found = self.bound(node.iter)
        self.bind(node.target, (found[0], "instance") if found and found[1] == "queryset" else None)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr in MANAGER_WRITES and (found := self.chain_model(func.value)):
                self.writes.append((node.lineno, found[0], f".{func.attr}()"))
            elif (
                func.attr in INSTANCE_WRITES
                and isinstance(func.value, ast.Name)
                and (model := self.scopes[-1].instances.get(func.value.id))
            ):
                self.writes.append((node.lineno, model, f"instance .{func.attr}()"))
        self.generic_visit(node)


def writes_to_other_apps(path: Path) -> list[tuple[str, int, str, str]]:
    """(module, line, model, call) for each write ``path`` makes to another app's model."""
    finder = WriteFinder(app_of(path))
    finder.visit(ast.parse(path.read_text(), filename=str(path)))
    module = path.relative_to(PACKAGE).as_posix()
    return [(module, line, model, call) for line, model, call in finder.writes]


def app_modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if is_app_module(path))


def test_no_app_writes_another_apps_tables_except_through_its_services():
    found = [
        f"casebridge/{module}:{line}: writes {model} {call}"
        for path in app_modules()
        for module, line, model, call in writes_to_other_apps(path)
        if (module, model) not in ALLOWED
    ]
    assert not found, "Call the owning app's service instead:\n" + "\n".join(found)


def test_every_listed_write_is_still_made():
    made = {(module, model) for path in app_modules() for module, _line, model, _call in writes_to_other_apps(path)}
    assert not ALLOWED - made, "Remove the entries that no longer write"


def test_the_check_reports_a_write_to_another_apps_model(tmp_path):
    module = tmp_path / "offending.py"
    module.write_text(
        "from casebridge.cases.models import Share\n"
        "def revoke(*, share: Share, case_id: int) -> None:\n"
        "    share.save()\n"
        "    shares = Share.objects.filter(case_id=case_id)\n"
        "    shares.update(revoked_at=None)\n"
        "    for each in shares:\n"
        "        each.delete()\n"
        "    Share.objects.create(case_id=case_id)\n"
    )
    finder = WriteFinder("meetings")
    finder.visit(ast.parse(module.read_text()))
    assert [line for line, _model, _call in finder.writes] == [3, 5, 7, 8]
