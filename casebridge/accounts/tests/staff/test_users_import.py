from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from casebridge.accounts.models import User
from casebridge.accounts.staff.importing import ImportReport, ImportRow, rows_from_csv
from casebridge.accounts.staff.users_import import users_import
from casebridge.audit.models import Action, AuditEvent
from casebridge.organisations.models import Membership, Role, Team
from casebridge.organisations.tests.base import UserAdminTestCase

HEADER = "email,first_name,last_name,organisation,team,partnership,role\n"
GOOD = (
    "nia.grant@council.example,Nia,Grant,Surrey Heath Council,Community Safety,SH,practitioner\n"
    "omar.ali@police.example,Omar,Ali,Surrey Police,,SH,Practitioner\n"
    "pat.king@charity.example,Pat,King,safer lives,Outreach Team,SH,analyst\n"
)


class UsersImportTests(UserAdminTestCase):
    def run_import(self, body: str, **kwargs: Any) -> ImportReport:
        kwargs.setdefault("actor", self.administrator)
        kwargs.setdefault("partnership", self.surrey_heath)
        rows = rows_from_csv((HEADER + body).encode())
        with self.captureOnCommitCallbacks(execute=True):
            return users_import(rows=rows, **kwargs)

    def reasons(self, report: ImportReport) -> list[tuple[int, str, str]]:
        return [(e.row, e.column, e.reason) for e in report.errors]

    def test_good_rows_create_users_memberships_and_missing_teams(self):
        report = self.run_import(GOOD)
        assert (report.created, report.updated, report.unchanged, report.errors) == (3, 0, 0, [])
        omar = User.objects.get(email="omar.ali@police.example")
        assert omar.role_in(self.surrey_heath) == Role.PRACTITIONER
        assert not omar.has_usable_password()
        assert report.teams_created == 1
        pat = User.objects.get(email="pat.king@charity.example")
        assert (pat.organisation, pat.team) == (
            self.charity,
            Team.objects.get(organisation=self.charity, name="Outreach Team"),
        )

    def test_each_new_user_is_invited_after_commit(self):
        self.run_import(GOOD)
        assert sorted(m.to[0] for m in mail.outbox) == [
            "nia.grant@council.example",
            "omar.ali@police.example",
            "pat.king@charity.example",
        ]
        assert all("/account/set-password/" in m.body for m in mail.outbox)

    def test_audit_has_one_summary_and_one_created_event_per_user_in_the_partnership_chain(self):
        self.run_import(GOOD)
        assert AuditEvent.objects.filter(action=Action.USER_CREATED, chain=self.surrey_heath.pk).count() == 3
        assert AuditEvent.objects.filter(action=Action.TEAM_CREATED).count() == 1
        summary = AuditEvent.objects.get(action=Action.USERS_IMPORTED)
        assert summary.partnership_id == self.surrey_heath.pk
        assert summary.data["created"] == 3
        assert summary.actor == self.administrator

    def test_running_the_same_file_again_changes_nothing(self):
        self.run_import(GOOD)
        events_before = AuditEvent.objects.count()
        users_before = list(User.objects.values_list("pk", "first_name", "last_name", "team_id").order_by("pk"))
        memberships_before = list(Membership.objects.values_list("pk", "role").order_by("pk"))
        outbox_before = len(mail.outbox)

        report = self.run_import(GOOD)
        assert (report.created, report.updated, report.unchanged, report.teams_created) == (0, 0, 3, 0)
        assert list(User.objects.values_list("pk", "first_name", "last_name", "team_id").order_by("pk")) == (
            users_before
        )
        assert list(Membership.objects.values_list("pk", "role").order_by("pk")) == memberships_before
        assert AuditEvent.objects.count() == events_before + 1
        assert AuditEvent.objects.order_by("-id")[0].action == Action.USERS_IMPORTED
        assert len(mail.outbox) == outbox_before

    def test_existing_user_gets_the_membership_and_changed_details(self):
        body = "rita.jones@runnymede.example,Rita,Jones-Smith,Runnymede Council,,RU,auditor\n"
        report = self.run_import(body, actor=None, partnership=None)
        assert (report.created, report.updated) == (0, 1)
        rita = User.objects.get(pk=self.other_partnership_user.pk)
        assert rita.last_name == "Jones-Smith"
        assert rita.role_in(self.runnymede) == Role.AUDITOR
        assert AuditEvent.objects.get(action=Action.MEMBERSHIP_CHANGED).chain == self.runnymede.pk
        assert AuditEvent.objects.get(action=Action.USER_CHANGED).data["changes"]["last_name"]["to"] == "Jones-Smith"

    def test_existing_user_without_a_role_here_gets_a_membership(self):
        body = "rita.jones@runnymede.example,Rita,Jones,Runnymede Council,,RU,practitioner\n"
        self.other_partnership_user.memberships.all().delete()
        report = self.run_import(body, actor=None, partnership=None)
        assert report.updated == 1
        assert self.other_partnership_user.memberships.get().role == Role.PRACTITIONER

    def test_a_long_s_or_dotless_i_spelling_updates_the_account_it_signs_in_to(self):
        """Rows are matched by the canonical email key, as sign-in is, so they never collide with it."""
        body = (
            "col\u0131n.baker@council.example,Colin,Baker-Reed,Surrey Heath Council,,SH,coordinator\n"
            "\u017fam.taylor@charity.example,Sam,Taylor,Safer Lives,,SH,practitioner\n"
        )
        report = self.run_import(body)
        assert (report.created, report.updated, report.unchanged, report.errors) == (0, 1, 1, [])
        colin = User.objects.get(pk=self.colleague.pk)
        assert (colin.email, colin.last_name) == ("colin.baker@council.example", "Baker-Reed")
        assert colin.role_in(self.surrey_heath) == Role.COORDINATOR
        assert User.objects.count() == User.objects.values("email_key").distinct().count()

    def test_two_spellings_of_one_address_are_reported_as_the_same_address(self):
        body = (
            "new.person@council.example,New,Person,Surrey Heath Council,,SH,practitioner\n"
            "new.per\u017fon@council.example,New,Person,Surrey Heath Council,,SH,practitioner\n"
        )
        report = self.run_import(body)
        assert report.created == 1
        assert self.reasons(report) == [(3, "email", "This email address is also on row 2.")]

    def test_each_kind_of_bad_row_is_reported_and_good_rows_still_import(self):
        body = (
            "ok.one@council.example,Ok,One,Surrey Heath Council,,SH,practitioner\n"  # row 2
            "x@council.example,X,Y,Nowhere Council,,SH,practitioner\n"  # 3 unknown organisation
            "not-an-email,X,Y,Surrey Heath Council,,SH,practitioner\n"  # 4 malformed email
            "z@council.example,X,Y,Surrey Heath Council,,SH,boss\n"  # 5 unknown role
            "w@council.example,X,Y,Runnymede Council,,SH,practitioner\n"  # 6 not in partnership
            "ok.one@council.example,Ok,Again,Surrey Heath Council,,SH,practitioner\n"  # 7 duplicate
            "v@council.example,,Y,Surrey Heath Council,,SH,practitioner\n"  # 8 missing first name
            "u@council.example,X,Y,Surrey Heath Council,,RU,practitioner\n"  # 9 other partnership
            "alex.morgan@council.example,Alex,Morgan,Surrey Police,,SH,practitioner\n"  # 10 other organisation
        )
        report = self.run_import(body)
        assert report.created == 1
        assert self.reasons(report) == [
            (3, "organisation", "There is no organisation with this name."),
            (4, "email", "Enter an email address in the correct format, like name@example.org."),
            (
                5,
                "role",
                "The role must be one of: administrator, coordinator, manager, practitioner, analyst, auditor.",
            ),
            (6, "organisation", "Runnymede Council does not take part in Surrey Heath."),
            (7, "email", "This email address is also on row 2."),
            (8, "first_name", "Enter the first name."),
            (9, "partnership", "This import is for SH only."),
            (10, "email", "A user with this email address belongs to another organisation."),
        ]
        assert report.rows_with_errors == 8
        assert report.errors[0].value == "Nowhere Council"

    def test_unknown_or_missing_partnership_is_reported_when_there_is_no_override(self):
        body = (
            "a@council.example,A,B,Surrey Heath Council,,ZZ,practitioner\n"
            "b@council.example,A,B,Surrey Heath Council,,,practitioner\n"
        )
        report = self.run_import(body, actor=None, partnership=None)
        assert self.reasons(report) == [
            (2, "partnership", "There is no partnership with this code."),
            (3, "partnership", "Enter the partnership."),
        ]

    def test_formula_cells_are_rejected_and_never_stored(self):
        body = (
            'evil@council.example,"=HYPERLINK(""http://x.example"",""go"")",Y,Surrey Heath Council,,SH,practitioner\n'
            "plus@council.example,Ann,+SUM(A1),Surrey Heath Council,,SH,practitioner\n"
            "team@council.example,Ann,Lee,Surrey Heath Council,@cmd,SH,practitioner\n"
        )
        report = self.run_import(body)
        assert report.created == 0
        assert [(e.row, e.column) for e in report.errors] == [(2, "first_name"), (3, "last_name"), (4, "team")]
        assert report.errors[0].value.startswith("=HYPERLINK")
        assert "formula" in report.errors[0].reason
        assert not User.objects.filter(email__in=["evil@council.example", "plus@council.example"]).exists()
        assert not Team.objects.filter(name="@cmd").exists()

    def test_dry_run_reports_but_saves_nothing(self):
        report = self.run_import(GOOD, dry_run=True)
        assert report.created == 3
        assert report.dry_run
        assert not User.objects.filter(email="nia.grant@council.example").exists()
        assert not AuditEvent.objects.filter(action=Action.USERS_IMPORTED).exists()
        assert mail.outbox == []

    def test_people_other_than_the_partnerships_administrator_may_not_import(self):
        rows = [ImportRow(2, {"email": "a@b.example"})]
        for actor in [self.council_manager, self.asb_officer, self.other_administrator]:
            with self.subTest(actor=actor.email), pytest.raises(PermissionDenied):
                users_import(actor=actor, rows=rows, partnership=self.surrey_heath)
