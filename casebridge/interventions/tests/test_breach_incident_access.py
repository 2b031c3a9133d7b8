"""A breach linked to a restricted incident does not reveal that incident to anyone who may not see it."""

import datetime

from django.urls import reverse
from django.utils import timezone

from casebridge.cases import services as case_services
from casebridge.cases.models import Incident, IncidentCategory, Restriction
from casebridge.interventions import services
from casebridge.interventions.models import Breach, BreachAction, Intervention
from casebridge.interventions.tests.base import InterventionsTestCase

WHEN = datetime.datetime(2026, 1, 17, 21, 30, tzinfo=datetime.UTC)


class BreachIncidentAccessTests(InterventionsTestCase):
    abc: Intervention
    secret: Incident

    def setUp(self) -> None:
        self.abc = self.issue("abc", self.lee)
        category = IncidentCategory.objects.create(
            partnership=self.surrey_heath, group=self.category.group, name="Sexual exploitation concern"
        )
        self.secret = case_services.incident_record(
            actor=self.asb_officer,
            case=self.case,
            occurred_at=WHEN,
            reported_on=WHEN.date(),
            category=category,
            description="Only the council may read this.",
            restriction=Restriction.LEAD_ORGANISATION,
        )
        services.breach_record(
            actor=self.asb_officer,
            intervention=self.abc,
            occurred_on=timezone.localdate(),
            details="Entered the car park.",
            action_taken=BreachAction.ESCALATION,
            incident=self.secret,
        )

    def test_a_restricted_incident_does_not_show_its_category_and_date_through_a_breach(self):
        self.sign_in(self.support_worker)
        response = self.client.get(reverse("interventions:detail", args=[self.abc.public_id]))
        self.assertContains(response, "Entered the car park.")
        self.assertNotContains(response, "Sexual exploitation concern")
        self.assertNotContains(response, "17 Jan 2026")

    def test_the_lead_organisation_still_sees_the_incident_linked_to_a_breach(self):
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("interventions:detail", args=[self.abc.public_id]))
        self.assertContains(response, "Sexual exploitation concern")

    def test_a_partner_cannot_link_a_breach_to_a_restricted_incident_by_posting_its_id(self):
        self.sign_in(self.support_worker)
        response = self.client.post(
            reverse("interventions:breach_record", args=[self.abc.public_id]),
            {
                "occurred_on": timezone.localdate().isoformat(),
                "details": "Seen again.",
                "action_taken": BreachAction.ESCALATION,
                "incident": self.secret.pk,
            },
        )
        assert response.status_code == 200
        assert not Breach.objects.filter(details="Seen again.").exists()
