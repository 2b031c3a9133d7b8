"""Writes on people and locations: policy-checked and audited in the same transaction."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from casebridge.accounts.models import User
from casebridge.audit.models import Action
from casebridge.audit.services import audit_changed, audit_created, audit_on_record
from casebridge.audit.versioning import versioned_update
from casebridge.cases.models import Case, CaseParty
from casebridge.cases.policy import Act, can, does_casework_in
from casebridge.lib.addresses import LocationKind, normalise_postcode
from casebridge.organisations.models import Partnership
from casebridge.people.access import can_person
from casebridge.people.models import (
    SOURCED_COLUMNS,
    Location,
    Person,
    PersonAddress,
    PersonAlias,
    PersonIdentifier,
    PersonLink,
    WarningMarker,
)
from casebridge.people.validators import IDENTIFIER_VALIDATORS, normalise_identifier

PERSON_FIELDS = {
    "first_name",
    "last_name",
    "date_of_birth",
    "approximate_age",
    "gender",
    "phone",
    "email",
    "vulnerabilities",
}


def _require_casework(actor: User, partnership_id: int) -> None:
    if not does_casework_in(actor, partnership_id) or actor.organisation_id is None:
        raise PermissionDenied


def _require_contribute(actor: User, person: Person) -> None:
    if not can_person(actor, Act.CONTRIBUTE, person) and actor.organisation_id != person.created_by_organisation_id:
        raise PermissionDenied
    _require_casework(actor, person.partnership_id)


def _check_source(actor: User, person: Person, source_case: Case | None) -> None:
    """A detail is recorded under a case only by someone who may contribute to it, with the person in it."""
    if source_case is None:
        return
    if (
        source_case.partnership_id != person.partnership_id
        or not can(actor, Act.CONTRIBUTE, source_case)
        or not CaseParty.objects.filter(case=source_case, person_id=person.pk).exists()
    ):
        raise PermissionDenied


def _provenance(actor: User, source_case: Case | None, shared_with_everyone: bool) -> dict[str, Any]:
    """What a detail the actor records now carries (rule 7)."""
    return {
        "source_case": source_case,
        "source_organisation_id": actor.organisation_id,
        "shared_with_everyone": shared_with_everyone,
    }


def _column_provenance(
    actor: User, columns: dict[str, Any], source_case: Case | None, shared_with_everyone: bool
) -> dict[str, Any]:
    """The provenance of each of a person's detail columns being set: the actor's; none when cleared."""
    values: dict[str, Any] = {}
    for column in SOURCED_COLUMNS:
        if column in columns:
            given = bool(columns[column])
            values[f"{column}_source_case"] = source_case if given else None
            values[f"{column}_source_organisation_id"] = actor.organisation_id if given else None
            values[f"{column}_shared_with_everyone"] = shared_with_everyone and given
    return values


@transaction.atomic
def person_create(
    *,
    actor: User,
    partnership: Partnership,
    first_name: str,
    last_name: str,
    source_case: Case | None = None,
    shared_with_everyone: bool = False,
    **fields: Any,
) -> Person:
    """A new profile; a phone, email or vulnerabilities given carries ``source_case`` or the actor's organisation."""
    _require_casework(actor, partnership.pk)
    if set(fields) - PERSON_FIELDS:
        raise ValueError(f"person_create does not take {sorted(set(fields) - PERSON_FIELDS)}")
    if source_case is not None and (
        source_case.partnership_id != partnership.pk or not can(actor, Act.CONTRIBUTE, source_case)
    ):
        raise PermissionDenied
    person = Person(
        partnership=partnership,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        created_by_organisation=actor.organisation,
        **fields,
        **_column_provenance(actor, fields, source_case, shared_with_everyone),
    )
    person.full_clean()
    person.save()
    audit_created(actor=actor, obj=person)
    return person


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    version: int,
    values: dict[str, Any],
    source_case: Case | None = None,
    shared_with_everyone: bool = False,
) -> Person:
    """Change a person's details; a stale ``version`` is refused with what changed.

    A phone, email or vulnerabilities that changes takes the actor's provenance (rule 7):
    ``source_case``, or the actor's organisation. One the actor may not see is never in
    ``values``: the form leaves it out, so it is kept as it is.
    """
    _require_contribute(actor, person)
    _check_source(actor, person, source_case)
    if set(values) - PERSON_FIELDS:
        raise ValueError(f"person_update cannot change {sorted(set(values) - PERSON_FIELDS)}")
    changed = {
        name: value for name, value in values.items() if name in SOURCED_COLUMNS and getattr(person, name) != value
    }
    values = {**values, **_column_provenance(actor, changed, source_case, shared_with_everyone)}
    return versioned_update(actor=actor, obj=person, version=version, values=values)


def _child_audit(actor: User, person: Person, what: str, value: Any) -> None:
    audit_changed(actor=actor, obj=person, data={what: value})


@transaction.atomic
def person_alias_add(
    *,
    actor: User,
    person: Person,
    first_name: str,
    last_name: str,
    source_case: Case | None = None,
    shared_with_everyone: bool = False,
) -> PersonAlias:
    _require_contribute(actor, person)
    _check_source(actor, person, source_case)
    alias = PersonAlias.objects.create(
        partnership_id=person.partnership_id,
        person=person,
        first_name=first_name,
        last_name=last_name,
        **_provenance(actor, source_case, shared_with_everyone),
    )
    _child_audit(actor, person, "alias_added", str(alias))
    return alias


@transaction.atomic
def person_identifier_add(
    *,
    actor: User,
    person: Person,
    kind: str,
    value: str,
    source_case: Case | None = None,
    shared_with_everyone: bool = False,
) -> PersonIdentifier:
    """Add a PNC, NHS or NI number, each checked in its own format."""
    _require_contribute(actor, person)
    _check_source(actor, person, source_case)
    value = normalise_identifier(kind, value)
    validator = IDENTIFIER_VALIDATORS.get(kind)
    if validator is None:
        raise ValidationError("Unknown identifier type.")
    validator(value)
    identifier = PersonIdentifier.objects.create(
        partnership_id=person.partnership_id,
        person=person,
        kind=kind,
        value=value,
        **_provenance(actor, source_case, shared_with_everyone),
    )
    _child_audit(actor, person, "identifier_added", kind)
    return identifier


@transaction.atomic
def person_warning_add(
    *,
    actor: User,
    person: Person,
    kind: str,
    detail: str = "",
    source_case: Case | None = None,
    shared_with_everyone: bool = False,
) -> WarningMarker:
    _require_contribute(actor, person)
    _check_source(actor, person, source_case)
    marker = WarningMarker.objects.create(
        partnership_id=person.partnership_id,
        person=person,
        kind=kind,
        detail=detail,
        created_by=actor,
        **_provenance(actor, source_case, shared_with_everyone),
    )
    _child_audit(actor, person, "warning_added", kind)
    return marker


@transaction.atomic
def person_link_add(*, actor: User, person: Person, other: Person, relationship: str) -> PersonLink:
    _require_contribute(actor, person)
    if not can_person(actor, Act.VIEW, other) or other.partnership_id != person.partnership_id:
        raise PermissionDenied
    link = PersonLink.objects.create(
        partnership_id=person.partnership_id, person=person, other=other, relationship=relationship
    )
    _child_audit(actor, person, "link_added", {"other": str(other.public_id), "relationship": relationship})
    return link


@transaction.atomic
def location_create(
    *,
    actor: User,
    partnership: Partnership,
    kind: str = LocationKind.ADDRESS,
    address_line_1: str = "",
    address_line_2: str = "",
    town: str = "",
    postcode: str = "",
    uprn: str = "",
    place_name: str = "",
) -> Location:
    _require_casework(actor, partnership.pk)
    location = Location(
        partnership=partnership,
        kind=kind,
        address_line_1=address_line_1,
        address_line_2=address_line_2,
        town=town,
        postcode=normalise_postcode(postcode) if postcode else "",
        uprn=uprn,
        place_name=place_name,
        created_by_organisation_id=actor.organisation_id,
    )
    location.full_clean()
    location.save()
    audit_created(actor=actor, obj=location)
    return location


@transaction.atomic
def person_address_add(
    *,
    actor: User,
    person: Person,
    location: Location,
    from_date: datetime.date | None = None,
    to_date: datetime.date | None = None,
    source_case: Case | None = None,
    shared_with_everyone: bool = False,
) -> PersonAddress:
    _require_contribute(actor, person)
    _check_source(actor, person, source_case)
    if from_date and to_date and to_date < from_date:
        raise ValidationError("The date they moved out must be after the date they moved in.")
    address = PersonAddress.objects.create(
        partnership_id=person.partnership_id,
        person=person,
        location=location,
        from_date=from_date,
        to_date=to_date,
        **_provenance(actor, source_case, shared_with_everyone),
    )
    _child_audit(actor, person, "address_added", str(location.public_id))
    return address


@transaction.atomic
def person_viewed(*, actor: User, person: Person) -> None:
    audit_on_record(Action.VIEWED, actor=actor, obj=person)


def location_viewed(*, actor: User, location: Location) -> None:
    audit_on_record(Action.VIEWED, actor=actor, obj=location)


@transaction.atomic
def location_from_text(*, actor: User, partnership: Partnership, text: str, postcode: str) -> Location:
    """An address when there is a postcode, otherwise a named public place."""
    if postcode:
        return location_create(
            actor=actor,
            partnership=partnership,
            kind=LocationKind.ADDRESS,
            address_line_1=text or postcode,
            postcode=postcode,
        )
    return location_create(actor=actor, partnership=partnership, kind=LocationKind.PLACE, place_name=text)


def person_merge_save(*, person: Person) -> None:
    """Saves a person a merge or unmerge changed, as a new version; no permission check or audit: the caller's."""
    person.version += 1
    person.save()


def person_merge_delete(*, person: Person) -> None:
    """Deletes a person merged into another; no permission check or audit here: the caller makes both."""
    person.delete()


def person_merge_alias_add(*, person: Person, first_name: str, last_name: str) -> PersonAlias:
    """Keeps a merged person's name as the survivor's alias; no permission check or audit: the caller's.

    The name was the merged person's core identity, seen by everyone on their cases (which now
    hold the survivor), so the alias is shared with everyone working with the person.
    """
    return PersonAlias.objects.create(
        partnership_id=person.partnership_id,
        person=person,
        first_name=first_name,
        last_name=last_name,
        source_organisation_id=person.created_by_organisation_id,
        shared_with_everyone=True,
    )


def person_merge_alias_remove(*, person: Person, alias_id: int) -> None:
    """Removes the alias a merge gave the survivor; no permission check or audit here: the caller makes both."""
    PersonAlias.objects.filter(pk=alias_id, person=person).delete()
