from functools import partial

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casebridge.audit.models import Action, AuditEvent
from casebridge.cases.tests.base import CasesTestCase
from casebridge.people import services
from casebridge.people.models import IdentifierKind


class PersonServiceTests(CasesTestCase):
    def test_a_stale_edit_of_a_person_is_refused_and_shows_what_changed(self):
        error = self.refused_stale_edit(
            partial(services.person_update, person=self.victim),
            version=self.victim.version,
            first={"phone": "01276 000000"},
            second={"phone": "07700 900000"},
        )
        assert error.changes["phone"] == {"from": "", "to": "01276 000000"}
        # The phone's provenance (rule 7) changed with it, and the audit says so.
        assert error.changes["phone_source_organisation_id"] == {"from": None, "to": self.council.pk}

    def test_renaming_a_person_updates_their_phonetic_key(self):
        person = services.person_update(
            actor=self.asb_officer, person=self.victim, version=self.victim.version, values={"last_name": "Smythe"}
        )
        person.refresh_from_db()
        assert person.last_name_key == "SM0"

    def test_identifiers_are_checked_in_their_own_format(self):
        services.person_identifier_add(actor=self.asb_officer, person=self.victim, kind="nhs", value="943 476 5919")
        assert self.victim.identifiers.get().value == "9434765919"
        with pytest.raises(ValidationError, match="check digit"):
            services.person_identifier_add(actor=self.asb_officer, person=self.victim, kind="nhs", value="9434765910")
        with pytest.raises(ValidationError, match="PNC"):
            services.person_identifier_add(
                actor=self.asb_officer, person=self.victim, kind=IdentifierKind.PNC, value="9434765910"
            )

    def test_someone_who_cannot_see_the_person_cannot_add_a_warning(self):
        with pytest.raises(PermissionDenied):
            services.person_warning_add(actor=self.police_officer, person=self.victim, kind="violent")

    def test_adding_a_warning_marker_is_audited(self):
        services.person_warning_add(actor=self.support_worker, person=self.victim, kind="dogs", detail="Two dogs")
        event = AuditEvent.objects.filter(action=Action.CHANGED, object_id=str(self.victim.public_id)).first()
        assert event is not None
        assert event.data == {"warning_added": "dogs"}


class PersonPageTests(CasesTestCase):
    def test_warning_markers_are_shown_prominently_and_the_view_is_audited(self):
        services.person_warning_add(
            actor=self.asb_officer, person=self.victim, kind="violent", detail="Knife", source_case=self.case
        )
        self.sign_in(self.support_worker)
        response = self.client.get(f"/people/{self.victim.public_id}/")
        self.assertContains(response, "govuk-warning-text cb-warning-marker")
        self.assertContains(response, "Violent towards staff: Knife")
        self.assertContains(response, "OFFICIAL-SENSITIVE")
        assert AuditEvent.objects.filter(
            action=Action.VIEWED, actor=self.support_worker, object_id=str(self.victim.public_id)
        ).exists()

    def test_a_link_to_a_person_the_user_cannot_see_is_not_named(self):
        services.person_link_add(
            actor=self.asb_officer, person=self.victim, other=self.private_person, relationship="associate"
        )
        self.sign_in(self.support_worker)
        response = self.client.get(f"/people/{self.victim.public_id}/")
        self.assertNotContains(response, "Pemberton")
        self.sign_in(self.asb_officer)
        self.assertContains(self.client.get(f"/people/{self.victim.public_id}/"), "Olive Pemberton")
