from django.urls import reverse

from casebridge.audit.models import Action, AuditEvent
from casebridge.cases.forms import CaseCreateForm, IncidentForm
from casebridge.cases.models import CaseType, IncidentCategory
from casebridge.cases.tests.base import CasesTestCase


class ConfigurationTests(CasesTestCase):
    def test_administrator_sees_case_types_and_categories_grouped_in_a_constant_number_of_queries(self):
        self.sign_in(self.administrator)
        response = self.get_in_queries(11, reverse("cases:configuration"))
        self.assertContains(response, "ASB perpetrator")
        self.assertContains(response, "Environmental")
        self.assertContains(response, "Fly-tipping or litter")

    def test_practitioner_is_refused(self):
        self.sign_in(self.asb_officer)
        assert self.client.get(reverse("cases:configuration")).status_code == 403

    def test_adding_a_case_type_creates_it_with_a_code_and_audits_it(self):
        self.sign_in(self.administrator)
        response = self.client.post(reverse("cases:case_type_create"), {"name": "Youth diversion"})
        self.assertRedirects(response, reverse("cases:configuration"))
        case_type = CaseType.objects.get(partnership=self.surrey_heath, name="Youth diversion")
        assert case_type.code == "youth-diversion"
        event = AuditEvent.objects.filter(action=Action.CREATED).latest("seq")
        assert event.data == {"name": "Youth diversion"}

    def test_a_duplicate_name_is_refused_with_a_clear_message(self):
        self.sign_in(self.administrator)
        response = self.client.post(reverse("cases:case_type_create"), {"name": "asb perpetrator"})
        self.assertContains(response, "There is already one called asb perpetrator in this partnership.")

    def test_retiring_a_case_type_in_use_keeps_it_on_cases_but_not_for_new_ones(self):
        self.sign_in(self.administrator)
        url = reverse("cases:case_type_edit", args=[self.asb_perpetrator.public_id])
        response = self.client.post(url, {"name": "ASB perpetrator", "status": "retired"})
        self.assertRedirects(response, reverse("cases:configuration"))
        self.asb_perpetrator.refresh_from_db()
        assert not self.asb_perpetrator.is_active
        self.case.refresh_from_db()
        assert self.case.case_type_id == self.asb_perpetrator.pk
        form = CaseCreateForm(partnership=self.surrey_heath)
        assert self.asb_perpetrator not in form.fields["case_type"].queryset  # type: ignore[attr-defined]
        event = AuditEvent.objects.filter(action=Action.CHANGED).latest("seq")
        assert event.data == {"is_active": {"from": True, "to": False}}

    def test_retired_incident_category_is_not_offered_and_can_be_regrouped(self):
        self.sign_in(self.administrator)
        url = reverse("cases:incident_category_edit", args=[self.category.public_id])
        response = self.client.post(url, {"name": "Renamed", "group": "nuisance", "status": "retired"})
        self.assertRedirects(response, reverse("cases:configuration"))
        self.category.refresh_from_db()
        assert (self.category.name, self.category.group, self.category.is_active) == ("Renamed", "nuisance", False)
        form = IncidentForm(partnership=self.surrey_heath)
        assert self.category not in form.fields["category"].queryset  # type: ignore[attr-defined]

    def test_adding_an_incident_category_needs_a_group(self):
        self.sign_in(self.administrator)
        response = self.client.post(reverse("cases:incident_category_create"), {"name": "Begging"})
        self.assertContains(response, "Select the group the category belongs to.")
        response = self.client.post(reverse("cases:incident_category_create"), {"name": "Begging", "group": "nuisance"})
        self.assertRedirects(response, reverse("cases:configuration"))
        assert IncidentCategory.objects.get(partnership=self.surrey_heath, name="Begging").group == "nuisance"

    def test_another_partnerships_case_type_is_404(self):
        self.sign_in(self.administrator)
        theirs = CaseType.objects.filter(partnership=self.runnymede).first()
        assert theirs is not None
        assert self.client.get(reverse("cases:case_type_edit", args=[theirs.public_id])).status_code == 404
        category = IncidentCategory.objects.filter(partnership=self.runnymede).first()
        assert category is not None
        assert self.client.get(reverse("cases:incident_category_edit", args=[category.public_id])).status_code == 404

    def test_the_edit_form_uses_govuk_radios(self):
        self.sign_in(self.administrator)
        response = self.client.get(reverse("cases:case_type_edit", args=[self.asb_perpetrator.public_id]))
        self.assertContains(response, '<div class="govuk-radios" data-module="govuk-radios">')
        self.assertContains(
            response, '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Status</legend>'
        )
