"""Who may see which person, which of their details and which place, built on the case policy
(cases.policy). docs/access-model.md, "People and places", states the rules.

A person is visible through the cases they are party to, a place through its cases, its
incidents and the addresses of people the user may see, and either to the organisation that
recorded it. As in the case policy, the object answer (``can_person``) and the queryset answer
(``visible_people``) must always agree, and a property test holds them to it; anything not
allowed answers 404.

A person's core identity (name, date of birth, gender) goes with the person. Their other
details (rule 7) each carry the case or organisation they were recorded under: a user sees one
only on a person they may see, and only when they may see its source case, or, with no source
case, work for the organisation that recorded it, or when that organisation shared it with
everyone working with the person. ``detail_visible_q`` is that rule, and every page, search,
match and export reads details through the functions below that apply it; a property test
holds them to the rule.
"""

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404

from casebridge.accounts.models import User
from casebridge.cases.models import CaseLocation, CaseParty, Incident
from casebridge.cases.policy import Act, does_casework_in, visible_cases, visible_cases_each
from casebridge.organisations.models import Partnership
from casebridge.people.models import (
    SOURCED_COLUMNS,
    Location,
    Person,
    PersonAddress,
    PersonAlias,
    PersonIdentifier,
    RecordedDetail,
    WarningMarker,
)

DetailT = TypeVar("DetailT", bound=RecordedDetail)


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
    # Only an address the user may see ties a place to a person (rule 7).
    allowed |= Q(Exists(visible_details_of(user, partnership, PersonAddress).filter(location_id=OuterRef("pk"))))
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


# -- person details (rule 7) ----------------------------------------------------------------


def detail_visible_q(user: User, partnership: Partnership, prefix: str = "") -> Q:
    """The source test of rule 7 for a detail's ``source_case``, ``source_organisation`` and
    ``shared_with_everyone`` (or, with ``prefix`` "phone_" and so on, a person's column).

    It does not test the person: the callers below add that, or have checked it.
    """
    if not does_casework_in(user, partnership.pk):
        return Q(pk__in=[])
    case_visible = visible_cases_each(user, partnership, Act.VIEW).filter(pk=OuterRef(f"{prefix}source_case_id"))
    allowed = Q(**{f"{prefix}shared_with_everyone": True}) | Q(Exists(case_visible))
    if user.organisation_id:
        allowed |= Q(**{f"{prefix}source_case__isnull": True, f"{prefix}source_organisation_id": user.organisation_id})
    return allowed


def visible_details_of(user: User, partnership: Partnership, model: type[DetailT]) -> QuerySet[DetailT]:
    """Details of one kind the user may see, on people they may see: what search and matching read."""
    person_visible = visible_people(user, partnership).filter(pk=OuterRef("person_id"))
    return (
        model._default_manager.filter(partnership=partnership)
        .filter(detail_visible_q(user, partnership))
        .filter(Exists(person_visible))
    )


def with_visible_columns(user: User, partnership: Partnership, people: QuerySet[Person]) -> QuerySet[Person]:
    """``people`` annotated with ``<column>_visible`` for phone, email and vulnerabilities (one query)."""
    return people.annotate(
        **{
            f"{column}_visible": ExpressionWrapper(
                detail_visible_q(user, partnership, f"{column}_"), output_field=BooleanField()
            )
            for column in SOURCED_COLUMNS
        }
    )


def visible_column_values(user: User, partnership: Partnership, people: QuerySet[Person]) -> dict[int, dict[str, str]]:
    """Phone, email and vulnerabilities of each of ``people`` as the user may see them ("" if hidden)."""
    person_visible = visible_people(user, partnership).filter(pk=OuterRef("pk"))
    rows = with_visible_columns(user, partnership, people.filter(Exists(person_visible)).order_by()).values(
        "pk", *SOURCED_COLUMNS, *(f"{column}_visible" for column in SOURCED_COLUMNS)
    )
    return {
        row["pk"]: {column: row[column] if row[f"{column}_visible"] else "" for column in SOURCED_COLUMNS}
        for row in rows
    }


@dataclass
class PersonDetails:
    """What a user may see of one person beyond their core identity."""

    phone: str
    email: str
    vulnerabilities: str
    aliases: list[PersonAlias]
    identifiers: list[PersonIdentifier]
    addresses: list[PersonAddress]
    warnings: list[WarningMarker]


def visible_details(user: User, person: Person) -> PersonDetails:
    """Every detail of ``person`` the user may see, and nothing else (five queries).

    The one way any page, export or pack shows a person's details; a person the user may not see
    has none.
    """
    partnership = Partnership(pk=person.partnership_id)
    columns = visible_column_values(user, partnership, Person.objects.filter(pk=person.pk)).get(person.pk)
    if columns is None:
        return PersonDetails("", "", "", [], [], [], [])

    def of(model: type[DetailT]) -> QuerySet[DetailT]:
        return model._default_manager.filter(person_id=person.pk).filter(detail_visible_q(user, partnership))

    return PersonDetails(
        phone=columns["phone"],
        email=columns["email"],
        vulnerabilities=columns["vulnerabilities"],
        aliases=list(of(PersonAlias)),
        identifiers=list(of(PersonIdentifier)),
        addresses=list(of(PersonAddress).select_related("location")),
        warnings=list(of(WarningMarker)),
    )


def visible_warnings(user: User, partnership: Partnership) -> QuerySet[WarningMarker]:
    """Warning markers the user may see, for prefetching onto people already shown (a case's parties)."""
    return WarningMarker.objects.filter(partnership=partnership).filter(detail_visible_q(user, partnership))
