import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from casebridge.accounts.models import User
from casebridge.audit.models import Action, AuditEvent
from casebridge.organisations.tests.base import UserAdminTestCase

CSV = (
    "email,first_name,last_name,organisation,team,partnership,role\n"
    "nia.grant@council.example,Nia,Grant,Surrey Heath Council,,SH,practitioner\n"
    "omar.ali@runnymede.example,Omar,Ali,Runnymede Council,,,practitioner\n"
)


class ImportUsersCommandTests(UserAdminTestCase):
    def call(self, *args: str, content: str = CSV) -> tuple[str, str]:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "users.csv"
            path.write_text(content)
            out, err = StringIO(), StringIO()
            with self.captureOnCommitCallbacks(execute=True):
                call_command("import_users", str(path), *args, stdout=out, stderr=err)
            return out.getvalue(), err.getvalue()

    def test_imports_rows_and_reports_bad_ones_with_their_row_number(self):
        out, err = self.call()
        assert "1 created, 0 updated, 0 unchanged, 1 rows with errors" in out
        assert "row 3, partnership '': Enter the partnership." in err
        summary = AuditEvent.objects.get(action=Action.USERS_IMPORTED)
        assert summary.actor is None
        assert summary.actor_label == "import_users command"

    def test_partnership_option_fills_blank_cells_and_refuses_others(self):
        _out, err = self.call("--partnership", "ru")
        assert User.objects.filter(email="omar.ali@runnymede.example").exists()
        assert "row 2, partnership 'SH': This import is for RU only." in err

    def test_dry_run_saves_nothing(self):
        out, _err = self.call("--dry-run")
        assert out.startswith("Dry run, nothing saved: 1 created")
        assert not User.objects.filter(email="nia.grant@council.example").exists()

    def test_unknown_partnership_or_unreadable_file_stops_with_a_clear_error(self):
        with self.assertRaisesMessage(CommandError, "There is no partnership with the code XX."):
            self.call("--partnership", "XX")
        with self.assertRaisesMessage(CommandError, "missing the columns"):
            self.call(content="a,b\n")
        with self.assertRaisesMessage(CommandError, "Cannot read"):
            call_command("import_users", "/nonexistent/users.csv")
