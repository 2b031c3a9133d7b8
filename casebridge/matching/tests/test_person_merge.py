import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict

from casebridge.audit.models import AuditEvent
from casebridge.cases.models import CaseParty
from casebridge.matching import services
from casebridge.matching.models import DuplicateCandidate, NotSamePerson
from casebridge.matching.tests.base import DuplicatesTestCase
from casebridge.people.models import Person, PersonAddress, PersonAlias, PersonIdentifier, PersonLink, WarningMarker

ROWS = (CaseParty, PersonAlias, PersonAddress, PersonIdentifier, WarningMarker)


def snapshot(*people: Person) -> dict[str, Any]:
    """Every row about these people, by primary key, with all its fields."""
    pks = [person.pk for person in people]
    state: dict[str, Any] = {
        "people": {p.pk: model_to_dict(p) for p in Person.objects.filter(pk__in=pks)},
        "links": {
            link.pk: model_to_dict(link)
            for link in PersonLink.objects.filter(person_id__in=pks) | PersonLink.objects.filter(other_id__in=pks)
        },
    }
    for model in ROWS:
        state[model.__name__] = {row.pk: model_to_dict(row) for row in model.objects.filter(person_id__in=pks)}
    return state


class PersonMergeTests(DuplicatesTestCase):
    def merge(self, **values: Any) -> Any:
        return services.person_merge(
            actor=self.coordinator, survivor=self.jonathan, merged=self.jon, values=values or None
        )

    def test_everything_about_the_merged_person_follows_the_survivor(self):
        """Cases, aliases, addresses, identifiers, warnings and links in both directions."""
        self.merge()
        survivor = self.jonathan
        assert not Person.objects.filter(pk=self.jon.pk).exists()
        roles = set(CaseParty.objects.filter(person=survivor).values_list("case_id", "role"))
        assert roles == {
            (self.case.pk, "perpetrator"),
            (self.case.pk, "witness"),
            (self.private_case.pk, "associate"),
        }
        assert set(survivor.aliases.values_list("first_name", "last_name")) == {("Johnny", "Smyth"), ("Jon", "Smyth")}
        assert list(survivor.identifiers.values_list("value", flat=True)) == ["12/345678Z"]
        assert list(survivor.warning_markers.values_list("kind", flat=True)) == ["dogs"]
        assert survivor.addresses.count() == 2
        assert set(PersonLink.objects.filter(other=self.neighbour).values_list("person_id", flat=True)) == {survivor.pk}
        assert PersonLink.objects.filter(person=self.neighbour, other=survivor).exists()
        assert not PersonLink.objects.filter(person=survivor, other=survivor).exists()

    def test_the_chosen_values_survive(self):
        self.merge(first_name="Jon", phone="07700 900123")
        self.jonathan.refresh_from_db()
        assert (self.jonathan.first_name, self.jonathan.last_name) == ("Jon", "Smith")
        assert self.jonathan.phone == "07700 900123"
        assert self.jonathan.email == "j.smith@example.com"

    def test_unmerge_restores_every_row_exactly(self):
        """Nothing lost: both people and every row about them are as they were, by primary key."""
        before = snapshot(self.jon, self.jonathan)
        merge = self.merge(first_name="Jon", phone="07700 900123")
        services.person_unmerge(actor=self.coordinator, merge=merge)
        after = snapshot(self.jon, self.jonathan)
        for people in (before["people"], after["people"]):
            for person in people.values():
                person.pop("version")
        assert after == before
        restored = Person.objects.get(pk=self.jon.pk)
        assert restored.public_id == self.jon.public_id
        assert restored.created_at == self.jon.created_at

    def test_unmerge_remembers_that_the_two_are_different(self):
        merge = self.merge()
        services.person_unmerge(actor=self.coordinator, merge=merge)
        assert NotSamePerson.objects.filter(partnership=self.surrey_heath).count() == 1

    def test_a_merge_cannot_be_undone_twice(self):
        merge = self.merge()
        services.person_unmerge(actor=self.coordinator, merge=merge)
        with pytest.raises(ValidationError):
            services.person_unmerge(actor=self.coordinator, merge=merge)

    def test_merge_and_unmerge_are_audited(self):
        merge = self.merge(first_name="Jon")
        services.person_unmerge(actor=self.coordinator, merge=merge)
        actions = list(
            AuditEvent.objects.filter(actor=self.coordinator).order_by("pk").values_list("action", "object_id")
        )
        jon, jonathan = str(self.jon.public_id), str(self.jonathan.public_id)
        assert actions[-4:] == [("changed", jonathan), ("deleted", jon), ("created", jon), ("changed", jonathan)]

    def test_merging_removes_the_pair_from_the_queue(self):
        DuplicateCandidate.objects.create(
            partnership=self.surrey_heath, person_a=self.jon, person_b=self.jonathan, score=0.99, band="likely"
        )
        self.merge()
        assert not DuplicateCandidate.objects.exists()

    def test_practitioners_may_not_merge(self):
        with pytest.raises(PermissionDenied):
            services.person_merge(actor=self.asb_officer, survivor=self.jonathan, merged=self.jon)
        assert Person.objects.filter(pk=self.jon.pk).exists()

    def test_a_manager_who_cannot_see_both_may_not_merge(self):
        with pytest.raises(PermissionDenied):
            services.person_merge(actor=self.police_manager, survivor=self.jonathan, merged=self.jon)

    def test_a_person_cannot_be_merged_into_themselves(self):
        with pytest.raises(ValidationError):
            services.person_merge(actor=self.coordinator, survivor=self.jon, merged=self.jon)

    def test_merges_are_undone_latest_first(self):
        """The survivor of an earlier merge can itself be merged; undoing goes back in order."""
        before = snapshot(self.jon, self.jonathan, self.neighbour)
        first = services.person_merge(actor=self.coordinator, survivor=self.jonathan, merged=self.jon)
        second = services.person_merge(actor=self.coordinator, survivor=self.neighbour, merged=self.jonathan)
        with pytest.raises(ValidationError):
            services.person_unmerge(actor=self.coordinator, merge=first)
        services.person_unmerge(actor=self.coordinator, merge=second)
        services.person_unmerge(actor=self.coordinator, merge=first)
        after = snapshot(self.jon, self.jonathan, self.neighbour)
        for people in (before["people"], after["people"]):
            for person in people.values():
                person.pop("version")
        assert after == before
        restored = Person.objects.get(pk=self.jon.pk)
        assert restored.identifiers.get().value == "12/345678Z"
        assert restored.date_of_birth == datetime.date(1990, 3, 4)
