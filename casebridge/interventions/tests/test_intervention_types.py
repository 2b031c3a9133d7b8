import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from casebridge.audit.models import Action, AuditEvent
from casebridge.interventions import services
from casebridge.interventions.tests.base import InterventionsTestCase


class InterventionTypeTests(InterventionsTestCase):
    def test_an_administrator_changes_the_minimum_age_and_it_is_audited(self):
        self.sign_in(self.administrator)
        cpn = self.type("cpn")
        data = {
            "name": cpn.name,
            "rank": cpn.rank,
            "min_age": 18,
            "subject_kinds": cpn.subject_kinds,
            "default_review_days": 90,
            "is_active": "on",
        }
        response = self.client.post(reverse("interventions:type_edit", args=["cpn"]), data)
        assert response.status_code == 302
        assert self.type("cpn").min_age == 18
        event = AuditEvent.objects.filter(action=Action.CHANGED, object_type="interventiontype").latest("id")
        assert event.data["changes"]["min_age"] == {"from": 16, "to": 18}

    def test_an_unknown_subject_kind_is_refused_with_a_message(self):
        self.sign_in(self.administrator)
        cpn = self.type("cpn")
        response = self.client.post(
            reverse("interventions:type_edit", args=["cpn"]),
            {"name": cpn.name, "rank": cpn.rank, "subject_kinds": "person,vehicle", "is_active": "on"},
        )
        self.assertContains(response, "Use person, organisation or location, separated by commas.")

    def test_only_administrators_change_types(self):
        with pytest.raises(PermissionDenied):
            services.intervention_type_update(actor=self.asb_officer, type_=self.type("cpn"), values={"min_age": 1})

    def test_the_type_list_counts_its_queries(self):
        self.sign_in(self.administrator)
        url = reverse("interventions:types")
        self.client.get(url)
        response = self.get_in_queries(10, url)
        self.assertContains(response, "Possession proceedings")
