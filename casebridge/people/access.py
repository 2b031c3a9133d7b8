"""Who may see which person and which place, built on the case policy (cases.policy).

A person is visible through the cases they are party to, a place through its cases, its
incidents and the people living there, and either to the organisation that recorded it.
As in the case policy, the object answer (``can_person``) and the queryset answer
(``visible_people``) must always agree, and a property test holds them to it; anything
not allowed answers 404.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from casebridge.accounts.models import User
from casebridge.cases.models import CaseLocation, CaseParty, Incident
from casebridge.cases.policy import Act, does_casework_in, visible_cases, visible_cases_each
from casebridge.organisations.models import Partnership
from casebridge.people.models import Location, Person, PersonAddress


def visible_people(user: User, partnership: Partnership) -> QuerySet[Person]:
    """People party to a case the user can see, or created by the user's organisation."""
    people = Person.objects.filter(partnership=partnership)
    if not does_casework_in(user, partnership.pk):
        return people.none()
    # Correlated on both levels, so the database checks only the people asked about
    # (a page of search results, a person's links) instead of every visible case.
    case_visible = visible_cases_each(user, partnership, Act.VIEW).filter(pk=OuterRef("case_id"))
    allowed = Q(Exists(CaseParty.objects.filter(person_id=OuterRef("pk")).filter(Exists(case_visible))))
    if user.organisation_id:
        allowed |= Q(created_by_organisation_id=user.organisation_id)
    return people.filter(allowed)


def visible_locations(user: User, partnership: Partnership) -> QuerySet[Location]:
    """Places tied to a case or a person the user can see, or recorded by the user's organisation."""
    locations = Location.objects.filter(partnership=partnership)
    if not does_casework_in(user, partnership.pk):
        return locations.none()
    case_visible = visible_cases(user, partnership, Act.VIEW).filter(pk=OuterRef("case_id"))
    allowed = Q(Exists(CaseLocation.objects.filter(location_id=OuterRef("pk")).filter(Exists(case_visible))))
    allowed |= Q(Exists(Incident.objects.filter(location_id=OuterRef("pk")).filter(Exists(case_visible))))
    person_visible = visible_people(user, partnership).filter(pk=OuterRef("person_id"))
    allowed |= Q(Exists(PersonAddress.objects.filter(location_id=OuterRef("pk")).filter(Exists(person_visible))))
    if user.organisation_id:
        allowed |= Q(created_by_organisation_id=user.organisation_id)
    return locations.filter(allowed)


def can_person(user: User, action: Act, person: Person) -> bool:
    if not does_casework_in(user, person.partnership_id):
        return False
    if action == Act.KNOW_EXISTS:
        return True
    if action == Act.VIEW and user.organisation_id == person.created_by_organisation_id:
        return True
    # One query whatever the number of cases (the list query agrees with the case policy: property-tested).
    case_action = Act.VIEW if action == Act.VIEW else Act.CONTRIBUTE
    partnership = Partnership(pk=person.partnership_id)
    case_visible = visible_cases_each(user, partnership, case_action).filter(pk=OuterRef("case_id"))
    return CaseParty.objects.filter(person_id=person.pk).filter(Exists(case_visible)).exists()


def get_person_or_404(user: User, public_id: Any, action: Act, partnership: Partnership | None) -> Person:
    if partnership is None:
        raise Http404
    person = Person.objects.filter(partnership=partnership, public_id=public_id).first()
    if person is None or not can_person(user, action, person):
        raise Http404
    return person


def get_location_or_404(user: User, public_id: Any, partnership: Partnership | None) -> Location:
    if partnership is None:
        raise Http404
    location = visible_locations(user, partnership).select_related("partnership").filter(public_id=public_id).first()
    if location is None:
        raise Http404
    return location
