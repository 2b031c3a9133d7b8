"""Writes for matching: the queue, "not the same person", and reversible merges.

A merge moves every row that points at the merged person (case parties, aliases, addresses,
identifiers, warning markers, household and associate links in both directions, and any
other table with a foreign key to Person) to the surviving person, records the primary keys
of what moved, then deletes the merged person. Rows the survivor already has (the same party
role in the same case, the same link) and links between the two people are removed and kept
whole in the record. ``person_unmerge`` recreates the merged person with the same primary key
and public id, moves every recorded row back, recreates the removed rows and restores the
survivor's own fields as they were.
"""

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ForeignObjectRel
from django.utils import timezone

from casebridge.accounts.models import User
from casebridge.audit.models import Action
from casebridge.audit.services import PendingEvent, audit_record, audit_record_batch
from casebridge.cases.models import CaseParty
from casebridge.matching.engine import Match, find_candidate_pairs
from casebridge.matching.models import CandidateStatus, DuplicateCandidate, NotSamePerson, PersonMerge
from casebridge.matching.selectors import may_review_duplicates, not_same_pairs, person_records
from casebridge.organisations.models import Partnership
from casebridge.people import services as people_services
from casebridge.people.access import visible_people
from casebridge.people.models import Person, PersonLink

MERGE_FIELDS = ("first_name", "last_name", "date_of_birth", "approximate_age", "gender", "phone", "email")
# Tables of this app point at people for bookkeeping only; they are not moved.
BOOKKEEPING = {DuplicateCandidate}


def _ordered(first: str, second: str) -> tuple[str, str]:
    return (first, second) if first < second else (second, first)


def _require_reviewer(actor: User, partnership: Partnership, *people: Person) -> None:
    if not may_review_duplicates(actor, partnership):
        raise PermissionDenied
    pks = [person.pk for person in people]
    if visible_people(actor, partnership).filter(pk__in=pks).count() != len(set(pks)):
        raise PermissionDenied


def candidates_refresh(*, partnership: Partnership, matches: Sequence[Match] | None = None) -> int:
    """Add newly found pairs to the queue (and refresh open ones); pairs said to differ are skipped.

    Returns how many new candidates were added.
    """
    if matches is None:
        matches = find_candidate_pairs(person_records(partnership=partnership))
    refused = not_same_pairs(partnership=partnership)
    ids = {int(match.left_id) for match in matches} | {int(match.right_id) for match in matches}
    public = dict(Person.objects.filter(pk__in=ids).values_list("pk", "public_id"))
    existing = {
        (row.person_a_id, row.person_b_id): row
        for row in DuplicateCandidate.objects.filter(partnership=partnership, person_a__in=ids)
    }
    new: list[DuplicateCandidate] = []
    changed: list[DuplicateCandidate] = []
    for match in matches:
        a, b = sorted((int(match.left_id), int(match.right_id)))
        if _ordered(str(public[a]), str(public[b])) in refused or match.band is None:
            continue
        row = existing.get((a, b))
        if row is None:
            new.append(
                DuplicateCandidate(
                    partnership=partnership, person_a_id=a, person_b_id=b, score=match.probability, band=match.band
                )
            )
        elif row.status == CandidateStatus.OPEN:
            row.score, row.band = match.probability, str(match.band)
            changed.append(row)
    with transaction.atomic():
        DuplicateCandidate.objects.bulk_create(new, ignore_conflicts=True)
        DuplicateCandidate.objects.bulk_update(changed, ["score", "band"])
    return len(new)


@transaction.atomic
def not_same_person_record(*, actor: User, candidate: DuplicateCandidate) -> NotSamePerson:
    """Remember that the two people differ: the pair is closed and never proposed again."""
    partnership = candidate.partnership
    _require_reviewer(actor, partnership, candidate.person_a, candidate.person_b)
    first, second = _ordered(str(candidate.person_a.public_id), str(candidate.person_b.public_id))
    decision, _created = NotSamePerson.objects.get_or_create(
        partnership=partnership, first=first, second=second, defaults={"decided_by": actor}
    )
    candidate.status = CandidateStatus.NOT_SAME
    candidate.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=Action.CHANGED,
        partnership_id=partnership.pk,
        obj=candidate.person_a,
        data={"not_same_person_as": str(candidate.person_b.public_id)},
    )
    return decision


def _json_value(value: Any) -> Any:
    # Full precision: Django's JSON encoder would cut datetimes to milliseconds.
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _serialise(rows: Sequence[Any]) -> Any:
    return json.loads(json.dumps(serializers.serialize("python", rows), default=_json_value))


def _restore(rows: list[Any]) -> None:
    for restored in serializers.deserialize("python", rows):
        restored.save()


def _person_relations() -> list[tuple[Any, str]]:
    """Every (model, foreign key attname) pointing at Person, outside this app's bookkeeping."""
    relations = []
    # include_hidden: foreign keys declared with related_name="+" point at people too.
    for relation in Person._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel) or relation.many_to_many:
            continue
        model = relation.related_model
        if model in BOOKKEEPING:
            continue
        relations.append((model, relation.field.attname))
    return relations


def _clashing_rows(survivor: Person, merged: Person) -> list[Any]:
    """Rows that cannot follow the merged person: the survivor already has them, or they join the two."""
    clashing: list[Any] = []
    held_roles = set(CaseParty.objects.filter(person=survivor).values_list("case_id", "role"))
    clashing += [p for p in CaseParty.objects.filter(person=merged) if (p.case_id, p.role) in held_roles]
    pair = [survivor.pk, merged.pk]
    clashing += list(PersonLink.objects.filter(person_id__in=pair, other_id__in=pair))
    outgoing = set(PersonLink.objects.filter(person=survivor).values_list("other_id", "relationship"))
    incoming = set(PersonLink.objects.filter(other=survivor).values_list("person_id", "relationship"))
    for link in PersonLink.objects.filter(person=merged).exclude(other=survivor):
        if (link.other_id, link.relationship) in outgoing:
            clashing.append(link)
    for link in PersonLink.objects.filter(other=merged).exclude(person=survivor):
        if (link.person_id, link.relationship) in incoming:
            clashing.append(link)
    return list({(type(row), row.pk): row for row in clashing}.values())


@transaction.atomic
def person_merge(*, actor: User, survivor: Person, merged: Person, values: dict[str, Any] | None = None) -> PersonMerge:
    """Merge ``merged`` into ``survivor``, keeping the chosen ``values`` for the survivor's fields.

    Everything that pointed at ``merged`` follows; the merge is recorded so that
    ``person_unmerge`` can undo it exactly.
    """
    partnership = survivor.partnership
    if survivor.pk == merged.pk or merged.partnership_id != partnership.pk:
        raise ValidationError("Choose two different people of the same partnership.")
    _require_reviewer(actor, partnership, survivor, merged)
    values = values or {}
    if set(values) - set(MERGE_FIELDS):
        raise ValueError(f"person_merge cannot set {sorted(set(values) - set(MERGE_FIELDS))}")
    survivor = Person.objects.select_for_update().get(pk=survivor.pk)
    merged = Person.objects.select_for_update().get(pk=merged.pk)

    clashing = _clashing_rows(survivor, merged)
    removed = _serialise(clashing)
    for row in clashing:
        row.delete()
    moved = []
    for model, attname in _person_relations():
        pks = list(model._default_manager.filter(**{attname: merged.pk}).values_list("pk", flat=True))
        if pks:
            model._default_manager.filter(pk__in=pks).update(**{attname: survivor.pk})
            moved.append({"model": model._meta.label, "field": attname, "pks": pks})

    before = _serialise([survivor])[0]
    merged_snapshot = _serialise([merged])[0]
    changes = {}
    for name, value in values.items():
        if getattr(survivor, name) != value:
            changes[name] = {"from": str(getattr(survivor, name) or ""), "to": str(value or "")}
            setattr(survivor, name, value)
    people_services.person_merge_save(person=survivor)
    added_alias = None
    if (merged.first_name, merged.last_name) != (survivor.first_name, survivor.last_name):
        added_alias = people_services.person_merge_alias_add(
            person=survivor, first_name=merged.first_name, last_name=merged.last_name
        ).pk
    merge = PersonMerge.objects.create(
        partnership=partnership,
        survivor=survivor,
        merged_public_id=merged.public_id,
        merged_name=merged.full_name,
        merged_by=actor,
        record={
            "merged": merged_snapshot,
            "survivor_before": before,
            "moved": moved,
            "removed": removed,
            "added_alias": added_alias,
        },
    )
    DuplicateCandidate.objects.filter(
        partnership=partnership, person_a__in=[survivor, merged], person_b__in=[survivor, merged]
    ).delete()
    merged_label = str(merged)
    people_services.person_merge_delete(person=merged)
    audit_record_batch(
        [
            PendingEvent(
                action=Action.CHANGED,
                actor=actor,
                partnership_id=partnership.pk,
                obj=survivor,
                data={"merged": str(merge.merged_public_id), "merge": str(merge.public_id), "changes": changes},
            ),
            PendingEvent(
                action=Action.DELETED,
                actor=actor,
                partnership_id=partnership.pk,
                object_type="person",
                object_id=str(merge.merged_public_id),
                object_label=merged_label,
                data={"merged_into": str(survivor.public_id), "merge": str(merge.public_id)},
            ),
        ]
    )
    return merge


@transaction.atomic
def person_unmerge(*, actor: User, merge: PersonMerge) -> Person:
    """Undo a merge: the merged person comes back with every row that moved, as it was."""
    merge = PersonMerge.objects.select_for_update().select_related("survivor", "partnership").get(pk=merge.pk)
    if merge.unmerged_at is not None:
        raise ValidationError("This merge has already been undone.")
    survivor = merge.survivor
    _require_reviewer(actor, merge.partnership, survivor)
    later = PersonMerge.objects.filter(survivor=survivor, unmerged_at__isnull=True, pk__gt=merge.pk)
    if later.exists():
        raise ValidationError("Undo the later merges into this person first.")
    record = merge.record
    _restore([record["merged"]])
    person = Person.objects.get(public_id=merge.merged_public_id)
    if record["added_alias"]:
        people_services.person_merge_alias_remove(person=survivor, alias_id=record["added_alias"])
    for item in record["moved"]:
        model = apps.get_model(item["model"])
        model._default_manager.filter(pk__in=item["pks"]).update(**{item["field"]: person.pk})
    _restore(record["removed"])
    before = record["survivor_before"]["fields"]
    survivor = Person.objects.select_for_update().get(pk=survivor.pk)
    for name in MERGE_FIELDS:
        field = Person._meta.get_field(name)
        assert isinstance(field, models.Field)
        setattr(survivor, name, field.to_python(before[name]))
    people_services.person_merge_save(person=survivor)
    merge.unmerged_by = actor
    merge.unmerged_at = timezone.now()
    merge.save(update_fields=["unmerged_by", "unmerged_at"])
    # Undoing a merge says the two were different people: do not propose them again.
    first, second = _ordered(str(survivor.public_id), str(person.public_id))
    NotSamePerson.objects.get_or_create(
        partnership=merge.partnership, first=first, second=second, defaults={"decided_by": actor}
    )
    audit_record_batch(
        [
            PendingEvent(
                action=Action.CREATED,
                actor=actor,
                partnership_id=merge.partnership_id,
                obj=person,
                data={"unmerged_from": str(survivor.public_id), "merge": str(merge.public_id)},
            ),
            PendingEvent(
                action=Action.CHANGED,
                actor=actor,
                partnership_id=merge.partnership_id,
                obj=survivor,
                data={"unmerged": str(person.public_id), "merge": str(merge.public_id)},
            ),
        ]
    )
    return person
