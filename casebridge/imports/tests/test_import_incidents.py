"""Importing incidents onto cases imported before."""

import datetime as dt

from django.utils import timezone

from casebridge.cases.models import Incident
from casebridge.imports.tests.helpers import ImportTestCase, case_row, cases_csv, incidents_csv


def incident_row(legacy_ref: str, case: str = "C1", **extra: str) -> dict[str, str]:
    return {
        "legacy_ref": legacy_ref,
        "case_legacy_ref": case,
        "occurred_at": "01/07/2024 22:15",
        "category": "Noise",
        "description": "Loud music until 3am.",
        **extra,
    }


class IncidentsImportTests(ImportTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.imported("cases", cases_csv(case_row("C1")))

    def test_incidents_are_added_to_their_case(self) -> None:
        data = incidents_csv(
            incident_row(
                "I1",
                location="Flat 3, 12 High Street",
                postcode="GU15 3HD",
                hate_flag="Y",
                police_reference="PR/123",
                reported_on="02/07/2024",
            ),
            incident_row("I2", location="Park Lane playground"),
            incident_row("I3", case="C9"),
        )
        report = self.imported("incidents", data)
        assert report.counts["create"] == 2
        assert [(p.row, p.reason) for p in report.errors] == [
            (4, "No case has this legacy reference: import the cases first.")
        ]
        first = Incident.objects.get(legacy_ref="I1")
        assert first.case.legacy_ref == "C1"
        assert timezone.localtime(first.occurred_at).replace(tzinfo=None) == dt.datetime(2024, 7, 1, 22, 15)
        assert first.reported_on == dt.date(2024, 7, 2)
        assert first.is_hate
        assert first.category.name == "Noise"
        assert first.location is not None
        assert (first.location.kind, first.location.postcode) == ("address", "GU15 3HD")
        second = Incident.objects.get(legacy_ref="I2")
        assert second.location is not None
        assert (second.location.kind, second.location.place_name) == ("place", "Park Lane playground")
        assert second.reported_on == dt.date(2024, 7, 1)
        assert not second.is_hate

    def test_re_importing_updates_by_legacy_reference(self) -> None:
        self.imported("incidents", incidents_csv(incident_row("I1")))
        report = self.imported("incidents", incidents_csv(incident_row("I1", description="Corrected.")))
        assert report.counts["update"] == 1
        assert Incident.objects.get().description == "Corrected."
        again = self.imported("incidents", incidents_csv(incident_row("I1", description="Corrected.")))
        assert again.counts["skip"] == 1
        assert Incident.objects.count() == 1
