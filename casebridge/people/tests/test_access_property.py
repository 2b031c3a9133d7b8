"""Property: for any mix of shares, expiries, revocations, break-glass and later changes to the
cases, the people list query and the person check give the same answer."""

from hypothesis import given, settings

from casebridge.cases.policy import Act
from casebridge.cases.tests.grants import GrantsTestCase, grants_given
from casebridge.people.access import can_person, visible_people
from casebridge.people.models import Person


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
