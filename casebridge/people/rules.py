"""Who may see which person and place (``people.access``), registered with the one access door."""

from django.db.models import QuerySet

from casebridge.access import policy
from casebridge.accounts.models import User
from casebridge.cases.policy import Act, does_casework_in
from casebridge.organisations.models import Partnership
from casebridge.people.access import can_person, visible_locations, visible_people
from casebridge.people.models import Location, Person


def known_people(user: User, partnership: Partnership) -> QuerySet[Person]:
    """Everyone with a casework role may learn that a person exists (rule 4)."""
    people = Person.objects.filter(partnership=partnership)
    return people if does_casework_in(user, partnership.pk) else people.none()


def register() -> None:
    policy.register(
        Person,
        Act.KNOW_EXISTS,
        may=lambda user, person: can_person(user, Act.KNOW_EXISTS, person),
        visible=known_people,
    )
    policy.register(
        Person,
        Act.VIEW,
        may=lambda user, person: can_person(user, Act.VIEW, person),
        visible=visible_people,
    )
    policy.register(
        Location,
        Act.VIEW,
        may=lambda user, location: visible_locations(user, location.partnership).filter(pk=location.pk).exists(),
        visible=visible_locations,
    )
