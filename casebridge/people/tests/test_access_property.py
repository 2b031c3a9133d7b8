"""Property: for any mix of shares, expiries, revocations, break-glass and later changes to the
cases, the people list query and the person check give the same answer; and the details each
user sees of each person are exactly what rule 7 derives."""

from types import SimpleNamespace
from typing import Any

from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from casebridge.cases.models import Case, CaseParty
from casebridge.cases.policy import Act, can
from casebridge.cases.tests.grants import GrantsTestCase, grants_given
from casebridge.people.access import can_person, visible_details, visible_details_of, visible_people
from casebridge.people.models import (
    Location,
    Person,
    PersonAddress,
    PersonAlias,
    PersonIdentifier,
    WarningMarker,
)


class PersonAccessAgreementTests(GrantsTestCase):
    # Each example builds cases and shares in the database: 40 at most, or fewer if the profile asks.
    @settings(max_examples=min(40, settings().max_examples))
    @given(**grants_given)
    def test_people_list_query_and_person_check_always_agree(self, leads, shares, glasses, notes, touches):
        self.check_with_grants(leads, shares, glasses, notes, touches)

    def check(self) -> None:
        all_people = list(Person.objects.filter(partnership=self.surrey_heath))
        for user in self.people():
            user = type(user).objects.get(pk=user.pk)  # fresh membership cache
            listed_people = set(visible_people(user, self.surrey_heath).values_list("pk", flat=True))
            checked_people = {p.pk for p in all_people if can_person(user, Act.VIEW, p)}
            assert listed_people == checked_people, (user.email, listed_people, checked_people)


# A detail: whose (Dana or Olive), which kind, the case it was recorded under (or none), the
# organisation that recorded it, and whether it is shared with everyone working with the person.
DETAIL_KINDS = ("alias", "identifier", "address", "warning", "phone")
detail_spec = st.tuples(
    st.integers(0, 1),
    st.sampled_from(DETAIL_KINDS),
    st.one_of(st.none(), st.integers(0, 3)),
    st.integers(0, 2),
    st.booleans(),
)
# A person joining another case, so that details recorded under it may reach them.
party_spec = st.tuples(st.integers(0, 1), st.integers(0, 3))


class PersonDetailsPropertyTests(GrantsTestCase):
    """Rule 7, for random shares, revocations, break-glass, lead changes and details: the details each
    user sees of each person are exactly those the rule derives from the case and person checks."""

    @settings(max_examples=min(40, settings().max_examples))
    @given(**grants_given, details=st.lists(detail_spec, max_size=6), parties=st.lists(party_spec, max_size=3))
    def test_the_details_each_user_sees_are_exactly_what_rule_7_derives(
        self, leads, shares, glasses, notes, touches, details, parties
    ):
        savepoint = transaction.savepoint()
        try:
            self.grant(leads, shares, glasses, notes, touches)
            self.record(details, parties)
            self.check_details()
        finally:
            transaction.savepoint_rollback(savepoint)

    def record(self, details, parties) -> None:
        people = [self.victim, self.private_person]
        cases = [self.case, self.private_case, *Case.objects.filter(reference__startswith="SH-2000-").order_by("pk")]
        organisations = [self.council, self.police, self.charity]
        for who, case_no in parties:
            CaseParty.objects.get_or_create(
                partnership=self.surrey_heath, case=cases[case_no], person=people[who], role="associate"
            )
        location = Location.objects.create(
            partnership=self.surrey_heath, address_line_1="1 Station Approach", postcode="GU16 7HF"
        )
        for n, (who, kind, case_no, organisation, shared) in enumerate(details):
            provenance = {
                "source_case": cases[case_no] if case_no is not None else None,
                "source_organisation": organisations[organisation],
                "shared_with_everyone": shared,
            }
            common = {"partnership": self.surrey_heath, "person": people[who], **provenance}
            if kind == "alias":
                PersonAlias.objects.create(last_name=f"Alias{n}", **common)
            elif kind == "identifier":
                PersonIdentifier.objects.create(kind="ni", value=f"QQ12345{n}C", **common)
            elif kind == "address":
                PersonAddress.objects.create(location=location, **common)
            elif kind == "warning":
                WarningMarker.objects.create(kind="dogs", created_by=self.asb_officer, **common)
            else:
                Person.objects.filter(pk=people[who].pk).update(
                    phone=f"0770090000{n}",
                    phone_source_case=provenance["source_case"],
                    phone_source_organisation=provenance["source_organisation"],
                    phone_shared_with_everyone=shared,
                )

    def derived(self, user, person: Person, detail: Any) -> bool:
        """Rule 7 from the person check and the case check, written out on its own."""
        if not can_person(user, Act.VIEW, person):
            return False
        if detail.shared_with_everyone:
            return True
        if detail.source_case_id is None:
            return bool(user.organisation_id == detail.source_organisation_id)
        source_case = Case.objects.get(pk=detail.source_case_id)
        return can(user, Act.VIEW, source_case)

    def check_details(self) -> None:
        models: dict[str, type[Any]] = {
            "alias": PersonAlias,
            "identifier": PersonIdentifier,
            "address": PersonAddress,
            "warning": WarningMarker,
        }
        people = list(Person.objects.filter(partnership=self.surrey_heath))
        for user in self.people():
            user = type(user).objects.get(pk=user.pk)  # fresh membership cache
            for person in people:
                shown = visible_details(user, person)
                seen = {
                    "alias": {d.pk for d in shown.aliases},
                    "identifier": {d.pk for d in shown.identifiers},
                    "address": {d.pk for d in shown.addresses},
                    "warning": {d.pk for d in shown.warnings},
                }
                for kind, model in models.items():
                    expected = {d.pk for d in model.objects.filter(person=person) if self.derived(user, person, d)}
                    assert seen[kind] == expected, (user.email, person.full_name, kind, seen[kind], expected)
                phone = SimpleNamespace(
                    shared_with_everyone=person.phone_shared_with_everyone,
                    source_case_id=person.phone_source_case_id,
                    source_organisation_id=person.phone_source_organisation_id,
                )
                expected_phone = person.phone if person.phone and self.derived(user, person, phone) else ""
                assert shown.phone == expected_phone, (user.email, person.full_name, shown.phone, expected_phone)
            # The queryset answer that search and matching read agrees with the page's.
            for kind, model in models.items():
                listed = set(visible_details_of(user, self.surrey_heath, model).values_list("pk", flat=True))
                expected = {
                    d.pk
                    for d in model.objects.filter(partnership=self.surrey_heath).select_related("person")
                    if self.derived(user, d.person, d)
                }
                assert listed == expected, (user.email, kind, listed, expected)
