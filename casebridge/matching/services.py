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
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ForeignObjectRel
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.accounts.models import User
from casebridge.audit.models import Action
from casebridge.audit.services import PendingEvent, audit_record, audit_record_batch
from casebridge.cases.models import CaseParty
from casebridge.matching.engine import Match, find_candidate_pairs
from casebridge.matching.models import (
    CandidateStatus,
    DecisionOutcome,
    DuplicateCandidate,
    MergeDecision,
    MergeProposal,
    NotSamePerson,
    PersonMerge,
    ProposalKind,
    ProposalStatus,
)
from casebridge.matching.selectors import (
    deciders,
    may_decide,
    may_review_duplicates,
    not_same_pairs,
    organisations_to_agree,
    pending_decision_for,
    person_records,
    proposal_people,
)
from casebridge.notifications.models import Kind
from casebridge.notifications.services import notify
from casebridge.organisations.models import Organisation, Partnership
from casebridge.people import services as people_services
from casebridge.people.access import visible_people
from casebridge.people.models import Person, PersonLink

MERGE_FIELDS = ("first_name", "last_name", "date_of_birth", "approximate_age", "gender", "phone", "email")
# Tables of this app point at people for bookkeeping only; they are not moved.
BOOKKEEPING = {DuplicateCandidate}


def _agreements(approvals: Sequence[MergeDecision]) -> list[dict[str, str]]:
    """The lead organisations' agreements a merge ran on, for its audit event."""
    return [
        {"organisation": str(d.organisation_id), "by": str(d.decided_by_id), "proposal": str(d.proposal.public_id)}
        for d in approvals
    ]


def _ordered(first: str, second: str) -> tuple[str, str]:
    return (first, second) if first < second else (second, first)


def _require_reviewer(actor: User, partnership: Partnership, *people: Person) -> None:
    if not may_review_duplicates(actor, partnership):
        raise PermissionDenied
    pks = [person.pk for person in people]
    if visible_people(actor, partnership).filter(pk__in=pks).count() != len(set(pks)):
        raise PermissionDenied


def _require_agreement(actor: User, partnership: Partnership, people: Sequence[Person], agreed: Iterable[int]) -> None:
    """Refuse unless the actor may manage every case of these people, or those cases' leads agreed."""
    missing = organisations_to_agree(user=actor, partnership=partnership, person_ids=[p.pk for p in people])
    if missing - set(agreed):
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
def person_merge(
    *,
    actor: User,
    survivor: Person,
    merged: Person,
    values: dict[str, Any] | None = None,
    approvals: Sequence[MergeDecision] = (),
) -> PersonMerge:
    """Merge ``merged`` into ``survivor``, keeping the chosen ``values`` for the survivor's fields.

    Only where the actor may manage every case either person is in, or the lead organisations of
    the others agreed (``approvals``, from ``merge_proposal_decide``). Everything that pointed at
    ``merged`` follows; the merge is recorded so that ``person_unmerge`` can undo it exactly.
    """
    partnership = survivor.partnership
    if survivor.pk == merged.pk or merged.partnership_id != partnership.pk:
        raise ValidationError(_("Choose two different people of the same partnership."))
    _require_reviewer(actor, partnership, survivor, merged)
    _require_agreement(actor, partnership, [survivor, merged], [d.organisation_id for d in approvals])
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
                data={
                    "merged": str(merge.merged_public_id),
                    "merge": str(merge.public_id),
                    "changes": changes,
                    "agreed_by": _agreements(approvals),
                },
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
def person_unmerge(*, actor: User, merge: PersonMerge, approvals: Sequence[MergeDecision] = ()) -> Person:
    """Undo a merge: the merged person comes back with every row that moved, as it was.

    Like a merge, only where the actor may manage every case the person is in, or those cases'
    lead organisations agreed (``approvals``).
    """
    merge = PersonMerge.objects.select_for_update().select_related("survivor", "partnership").get(pk=merge.pk)
    if merge.unmerged_at is not None:
        raise ValidationError(_("This merge has already been undone."))
    survivor = merge.survivor
    _require_reviewer(actor, merge.partnership, survivor)
    _require_agreement(actor, merge.partnership, [survivor], [d.organisation_id for d in approvals])
    later = PersonMerge.objects.filter(survivor=survivor, unmerged_at__isnull=True, pk__gt=merge.pk)
    if later.exists():
        raise ValidationError(_("Undo the later merges into this person first."))
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
                data={
                    "unmerged": str(person.public_id),
                    "merge": str(merge.public_id),
                    "agreed_by": _agreements(approvals),
                },
            ),
        ]
    )
    return person


# -- proposals: a merge that needs the agreement of other lead organisations -----------------


def _proposal_notify(
    proposal: MergeProposal,
    users: Iterable[User],
    *,
    may_see: Callable[[User], bool] | None = None,
    summary: str = "",
) -> None:
    """A notification naming no person: the proposal's short reference and its page."""
    notify(
        users=users,
        kind=Kind.MERGE_PROPOSAL,
        reference=f"{proposal.get_kind_display()} {str(proposal.public_id)[:8]}",
        path=reverse("matching:proposal", args=[proposal.public_id]),
        may_see=may_see,
        summary=summary,
    )


def _may_decide(decision: MergeDecision, user: User) -> bool:
    return may_decide(user, decision)


def _ask(proposal: MergeProposal, organisation_ids: Iterable[int]) -> None:
    """Add a pending decision for each organisation and tell those who may decide for it."""
    partnership = proposal.partnership
    for organisation in Organisation.objects.filter(pk__in=list(organisation_ids)):
        decision = MergeDecision.objects.create(proposal=proposal, organisation=organisation)
        users = deciders(organisation=organisation, partnership=partnership)
        _proposal_notify(proposal, users, may_see=partial(_may_decide, decision))


def _proposal_event(actor: User, proposal: MergeProposal, action: Action, **data: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        partnership_id=proposal.partnership_id,
        obj=proposal,
        object_label=f"{proposal.get_kind_display()} {proposal.public_id}",
        data={
            "kind": proposal.kind,
            "survivor": str(proposal.survivor_public_id),
            "merged": str(proposal.merged_public_id),
            **data,
        },
    )


def _open_proposal_exists(partnership: Partnership, first: Any, second: Any) -> bool:
    pair = [first, second]
    return MergeProposal.objects.filter(
        partnership=partnership,
        status=ProposalStatus.OPEN,
        survivor_public_id__in=pair,
        merged_public_id__in=pair,
    ).exists()


def _proposal_open(actor: User, needed: set[int], **fields: Any) -> MergeProposal:
    """Record the proposal, audit it with the organisations asked, and ask them."""
    proposal = MergeProposal.objects.create(proposed_by=actor, **fields)
    undo = fields.get("undo")
    extra = {"undo": str(undo.public_id)} if undo is not None else {}
    _proposal_event(actor, proposal, Action.CREATED, asked=sorted(str(pk) for pk in needed), **extra)
    _ask(proposal, needed)
    return proposal


@transaction.atomic
def merge_propose(
    *, actor: User, survivor: Person, merged: Person, choices: dict[str, str], reason: str
) -> MergeProposal:
    """Propose a merge the actor may not make alone to the lead organisations of the cases they may not manage.

    ``choices`` maps each field to keep from one side to "survivor" or "merged".
    """
    partnership = survivor.partnership
    if survivor.pk == merged.pk or merged.partnership_id != partnership.pk:
        raise ValidationError(_("Choose two different people of the same partnership."))
    _require_reviewer(actor, partnership, survivor, merged)
    if set(choices) - set(MERGE_FIELDS) or set(choices.values()) - {"survivor", "merged"}:
        raise ValueError(f"merge_propose cannot take the choices {choices}")
    needed = organisations_to_agree(user=actor, partnership=partnership, person_ids=[survivor.pk, merged.pk])
    if not needed:
        raise ValidationError(_("You may merge these records yourself: no agreement is needed."))
    if _open_proposal_exists(partnership, survivor.public_id, merged.public_id):
        raise ValidationError(_("A merge of these two records is already waiting for agreement."))
    return _proposal_open(
        actor,
        needed,
        partnership=partnership,
        kind=ProposalKind.MERGE,
        survivor_public_id=survivor.public_id,
        merged_public_id=merged.public_id,
        survivor_name=survivor.full_name,
        merged_name=merged.full_name,
        choices=choices,
        reason=reason,
    )


@transaction.atomic
def unmerge_propose(*, actor: User, merge: PersonMerge, reason: str) -> MergeProposal:
    """Propose undoing a merge to the lead organisations of the survivor's cases the actor may not manage."""
    survivor = merge.survivor
    _require_reviewer(actor, merge.partnership, survivor)
    if merge.unmerged_at is not None:
        raise ValidationError(_("This merge has already been undone."))
    needed = organisations_to_agree(user=actor, partnership=merge.partnership, person_ids=[survivor.pk])
    if not needed:
        raise ValidationError(_("You may undo this merge yourself: no agreement is needed."))
    if MergeProposal.objects.filter(undo=merge, status=ProposalStatus.OPEN).exists():
        raise ValidationError(_("Undoing this merge is already waiting for agreement."))
    return _proposal_open(
        actor,
        needed,
        partnership=merge.partnership,
        kind=ProposalKind.UNMERGE,
        survivor_public_id=survivor.public_id,
        merged_public_id=merge.merged_public_id,
        survivor_name=survivor.full_name,
        merged_name=merge.merged_name,
        undo=merge,
        reason=reason,
    )


def _close(proposal: MergeProposal, status: str, actor: User, merge: PersonMerge | None = None) -> None:
    proposal.status = status
    proposal.closed_at = timezone.now()
    proposal.merge = merge
    proposal.save(update_fields=["status", "closed_at", "merge"])
    _proposal_event(actor, proposal, Action.CHANGED, status={"from": ProposalStatus.OPEN, "to": status})
    _proposal_notify(proposal, [proposal.proposed_by], summary=str(ProposalStatus(status).label))


def _carry_out(actor: User, proposal: MergeProposal) -> None:
    """Every organisation asked has agreed: run the merge as the proposer, or ask anyone newly needed."""
    proposer = proposal.proposed_by
    people = proposal_people(proposal)
    survivor = people["survivor"]
    agreed = list(proposal.decisions.filter(outcome=DecisionOutcome.AGREED).select_related("proposal"))
    if survivor is None or (proposal.kind == ProposalKind.MERGE and people["merged"] is None):
        _close(proposal, ProposalStatus.LAPSED, actor)
        return
    ids = [person.pk for person in people.values() if person is not None]
    asked = set(proposal.decisions.values_list("organisation_id", flat=True))
    # The people may have joined other cases since the proposal: their leads are asked too.
    newly_needed = organisations_to_agree(user=proposer, partnership=proposal.partnership, person_ids=ids) - asked
    if newly_needed:
        _ask(proposal, newly_needed)
        return
    try:
        if proposal.kind == ProposalKind.MERGE:
            merged = people["merged"]
            assert merged is not None
            values = {
                name: getattr(survivor if side == "survivor" else merged, name)
                for name, side in proposal.choices.items()
            }
            merge = person_merge(actor=proposer, survivor=survivor, merged=merged, values=values, approvals=agreed)
        else:
            assert proposal.undo is not None
            person_unmerge(actor=proposer, merge=proposal.undo, approvals=agreed)
            merge = proposal.undo
    except (PermissionDenied, ValidationError):
        # The proposer may no longer do it (their role, or the records, changed): nothing happens.
        _close(proposal, ProposalStatus.LAPSED, actor)
        return
    _close(proposal, ProposalStatus.DONE, actor, merge)


@transaction.atomic
def merge_proposal_decide(*, actor: User, proposal: MergeProposal, agree: bool) -> MergeProposal:
    """The actor's organisation agrees or declines; a decline ends the proposal, the last agreement runs it."""
    proposal = (
        MergeProposal.objects.select_for_update().select_related("partnership", "proposed_by").get(pk=proposal.pk)
    )
    if proposal.status != ProposalStatus.OPEN:
        raise ValidationError(_("This proposal has already been decided."))
    decision = pending_decision_for(user=actor, proposal=proposal)
    if decision is None:
        raise PermissionDenied
    decision.outcome = DecisionOutcome.AGREED if agree else DecisionOutcome.DECLINED
    decision.decided_by = actor
    decision.decided_at = timezone.now()
    decision.save(update_fields=["outcome", "decided_by", "decided_at"])
    _proposal_event(
        actor,
        proposal,
        Action.CHANGED,
        organisation=str(decision.organisation_id),
        decision={"from": DecisionOutcome.PENDING, "to": decision.outcome},
    )
    if not agree:
        _close(proposal, ProposalStatus.DECLINED, actor)
    elif not proposal.decisions.filter(outcome=DecisionOutcome.PENDING).exists():
        _carry_out(actor, proposal)
    return proposal
