import csv
import io
from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse

from casebridge.audit.models import Action, AuditEvent
from casebridge.audit.services import audit_record
from casebridge.audit.tests.audit_data import AuditDataTestCase
from casebridge.lib.spreadsheets import spreadsheet_safe

URL = reverse("audit:event_export")


def rows_of(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


class EventExportTests(AuditDataTestCase):
    def test_auditor_downloads_the_visible_events_as_csv(self):
        self.sign_in(self.auditor)
        response = self.client.get(URL)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="audit-SH-')
        rows = rows_of(response)
        assert {row["Actor"] for row in rows} == {
            "alex.morgan@council.example",
            "priya.shah@police.example",
            "sam.taylor@charity.example",
            "max.wells@police.example",
            "aude.price@council.example",  # signing in for this test
        }
        changed = next(row for row in rows if row["Action code"] == Action.CHANGED)
        assert changed["Changes"] == "risk_level: medium → high"
        assert changed["Organisation"] == "Surrey Police"
        assert changed["Object"] == "SH-2026-000002"
        flagged = next(row for row in rows if row["Action code"] == Action.BREAK_GLASS)
        assert flagged["Flagged"] == "yes"
        assert flagged["Details"] == '{"reason": "Threat to life"}'

    def test_export_applies_the_filters(self):
        self.sign_in(self.auditor)
        rows = rows_of(self.client.get(URL, {"email": "alex.morgan", "action": Action.VIEWED}))
        assert [(row["Actor"], row["Action code"]) for row in rows] == [("alex.morgan@council.example", "viewed")]

    def test_other_partnership_exports_none_of_ours(self):
        self.sign_in(self.runnymede_auditor)
        content = self.client.get(URL).content.decode()
        assert "rita.jones@runnymede.example" in content
        for email in self.SURREY_HEATH_ONLY:
            assert email not in content
        assert "SH-2026-" not in content

    def test_manager_exports_only_their_organisations_staff(self):
        self.sign_in(self.council_manager)
        rows = rows_of(self.client.get(URL))
        assert {row["Actor"] for row in rows} == {"alex.morgan@council.example", "mona.fry@council.example"}

    def test_cells_that_could_run_as_formulas_are_escaped(self):
        audit_record(
            actor=self.colleague,
            action=Action.CHANGED,
            partnership_id=self.surrey_heath.pk,
            object_type="person",
            object_id="-1+1",
            object_label='=HYPERLINK("http://evil.example","click")',
            data={"changes": {"phone": {"from": None, "to": "+44 7700 900000"}}, "note": "@SUM(A1)"},
        )
        self.sign_in(self.auditor)
        row = next(r for r in rows_of(self.client.get(URL)) if r["Actor"] == "colin.baker@council.example")
        assert row["Object label"] == '\'=HYPERLINK("http://evil.example","click")'
        assert row["Object"] == "'-1+1"
        assert row["Changes"] == "phone: — → +44 7700 900000"
        assert row["Details"] == '{"note": "@SUM(A1)"}'

    def test_spreadsheet_safe_prefixes_every_formula_character(self):
        for value in ("=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"):
            with self.subTest(value=value):
                assert spreadsheet_safe(value) == f"'{value}"
        assert spreadsheet_safe("plain text") == "plain text"
        assert spreadsheet_safe(None) == ""
        assert spreadsheet_safe(42) == "42"

    def test_the_export_is_audited_with_its_filters(self):
        self.sign_in(self.auditor)
        self.client.get(URL, {"email": "alex", "date_from": "2026-01-01"})
        event = AuditEvent.objects.get(action=Action.AUDIT_EXPORTED)
        assert event.actor == self.auditor
        assert event.partnership_id == self.surrey_heath.pk
        assert event.data == {"filters": {"email": "alex", "date_from": "2026-01-01"}, "events": 2}

    def test_no_csv_leaves_without_its_audit_event(self):
        self.sign_in(self.auditor)
        with (
            mock.patch("casebridge.accounts.audit_trail.audit_record", side_effect=DatabaseError("disk full")),
            pytest.raises(DatabaseError),
        ):
            self.client.get(URL)
        assert not AuditEvent.objects.filter(action=Action.AUDIT_EXPORTED).exists()

    def test_practitioner_gets_403_and_nothing_is_exported(self):
        self.sign_in(self.asb_officer)
        assert self.client.get(URL).status_code == 403
        assert not AuditEvent.objects.filter(action=Action.AUDIT_EXPORTED).exists()

    def test_invalid_filters_export_nothing(self):
        self.sign_in(self.auditor)
        response = self.client.get(URL, {"date_from": "2026-07-02", "date_to": "2026-07-01"})
        self.assertContains(response, "The end date must be the same as or after the start date.", status_code=400)
        assert not AuditEvent.objects.filter(action=Action.AUDIT_EXPORTED).exists()
