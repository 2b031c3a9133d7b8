"""Rolling back a whole import, allowed only while nothing else has touched its records.

An import's records are "touched" when, after the import:

- a person or case it created or changed was changed again (its ``updated_at`` is later
  than the import's end), or a later import changed any of them;
- anything was added to a record it created by someone or something else: a note, an
  incident, a document, a share, a party, an alias, an address, a meeting agenda item, a
  task; any row of any table pointing at the record that this import did not write itself;
- an audit event was written about a record it created or changed, other than the import's
  own events: someone viewed, exported, shared or changed it.

Rolling back restores the fields the import changed to the values it replaced, deletes
every row it created, and audits each of those, in one transaction.
"""

import json
from collections import defaultdict
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User
from casebridge.audit.models import Action, AuditEvent
from casebridge.audit.services import PendingEvent, audit_changed, audit_record_batch
from casebridge.imports.models import ImportedRecord, ImportJob, JobStatus, created_pks
from casebridge.imports.writing import delete_rows, derived_name_columns, update_rows
from casebridge.matching.models import DuplicateCandidate

# Children before parents.
DELETE_ORDER = (
    "cases.caseparty",
    "people.personaddress",
    "people.personidentifier",
    "people.personalias",
    "cases.incident",
    "cases.case",
    "people.person",
    "people.location",
)
AUDITED = {"people.person": "person", "cases.case": "case", "cases.incident": "incident"}
# Rows that exist only to describe the records and go with them.
BOOKKEEPING = {DuplicateCandidate}
CHUNK = 500


class RollbackRefused(Exception):
    """The import cannot be rolled back; ``message`` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def may_roll_back(user: User, job: ImportJob) -> bool:
    """Only those who may import in the import's partnership (its administrators) may roll it back."""
    return holds(user, Capability.CONFIGURE_PARTNERSHIP, job.partnership_id)


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[start : start + CHUNK] for start in range(0, len(values), CHUNK)]


def _records(job: ImportJob) -> tuple[dict[str, list[int]], dict[str, list[tuple[int, dict[str, Any]]]]]:
    created: dict[str, list[int]] = defaultdict(list)
    changed: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for model, pk, pks, was_created, before in ImportedRecord.objects.filter(job=job).values_list(
        "model", "object_pk", "object_pks", "created", "before"
    ):
        if was_created:
            created[model].extend(created_pks(pk, pks))
        else:
            changed[model].append((pk, before if isinstance(before, dict) else json.loads(before or "{}")))
    return created, changed


def _finished_at(job: ImportJob) -> Any:
    if job.finished_at:
        return job.finished_at
    last = job.batches.filter(done=True).order_by("-finished_at").values_list("finished_at", flat=True).first()
    return last or job.started_at or job.created_at


def rollback_blockers(job: ImportJob) -> list[str]:
    """Why the import cannot be rolled back now, in plain words; empty when it can."""
    if job.status not in (JobStatus.DONE, JobStatus.FAILED):
        return [_("Only a finished (or failed) import can be rolled back.")]
    created, changed = _records(job)
    finished = _finished_at(job)
    reasons: list[str] = []
    ours = {model: set(pks) for model, pks in created.items()}

    later = 0
    for label in ("people.person", "cases.case"):
        model = apps.get_model(label)
        pks = created.get(label, []) + [pk for pk, _before in changed.get(label, [])]
        for chunk in _chunks(pks):
            later += model._default_manager.filter(pk__in=chunk, updated_at__gt=finished).count()
    for label in ("people.person", "cases.case", "cases.incident"):
        pks = created.get(label, []) + [pk for pk, _before in changed.get(label, [])]
        for chunk in _chunks(pks):
            later += (
                ImportedRecord.objects.filter(model=label, object_pk__in=chunk, job__created_at__gt=job.created_at)
                .exclude(job=job)
                .exclude(job__status=JobStatus.ROLLED_BACK)
                .count()
            )
    if later:
        reasons.append(
            ngettext(
                "%(n)s imported record was changed after the import.",
                "%(n)s imported records were changed after the import.",
                later,
            )
            % {"n": later}
        )

    added = 0
    for label, pks in created.items():
        model = apps.get_model(label)
        for relation in model._meta.related_objects:
            related = relation.related_model
            if not (relation.one_to_many or relation.one_to_one) or related in BOOKKEEPING:
                continue
            assert isinstance(related, type)
            assert issubclass(related, models.Model)
            related_label = related._meta.label_lower
            mine = ours.get(related_label, set())
            for chunk in _chunks(pks):
                rows = related._default_manager.filter(**{f"{relation.field.name}__in": chunk}).values_list(
                    "pk", flat=True
                )
                added += sum(1 for pk in rows if pk not in mine)
    if added:
        reasons.append(
            ngettext(
                "%(n)s record was added to the imported records by someone else (for example a note, a party "
                "or a share).",
                "%(n)s records were added to the imported records by someone else (for example notes, parties "
                "or shares).",
                added,
            )
            % {"n": added}
        )

    public_ids = _public_ids(_pks(created, changed))
    events = 0
    for object_type, ids in public_ids.items():
        for chunk in _chunks(ids):
            events += (
                AuditEvent.objects.filter(object_type=object_type, object_id__in=chunk)
                .filter(~Q(data__import=str(job.public_id)) | Q(data__import__isnull=True))
                .count()
            )
    if events:
        reasons.append(
            ngettext(
                "The imported records were viewed or acted on after the import (%(n)s audit event).",
                "The imported records were viewed or acted on after the import (%(n)s audit events).",
                events,
            )
            % {"n": events}
        )
    return reasons


def _pks(created: dict[str, list[int]], changed: dict[str, list[tuple[int, dict[str, Any]]]]) -> dict[str, list[int]]:
    return {label: created.get(label, []) + [pk for pk, _before in changed.get(label, [])] for label in AUDITED}


def _public_ids(pks_by_label: dict[str, list[int]]) -> dict[str, list[str]]:
    """{audit object type: public ids} of the people, cases and incidents given by primary key."""
    found: dict[str, list[str]] = {}
    for label, object_type in AUDITED.items():
        model = apps.get_model(label)
        ids: list[str] = []
        for chunk in _chunks(pks_by_label.get(label, [])):
            rows = model._default_manager.filter(pk__in=chunk).values_list("public_id", flat=True)
            ids += [str(value) for value in rows]
        found[object_type] = ids
    return found


@transaction.atomic
def rollback(*, actor: User, job: ImportJob) -> ImportJob:
    """Undo the whole import; PermissionDenied for anyone but an administrator, RollbackRefused when touched."""
    if not may_roll_back(actor, job):
        raise PermissionDenied
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    blockers = rollback_blockers(job)
    if blockers:
        raise RollbackRefused(" ".join(blockers))
    created, changed = _records(job)
    now = timezone.now()
    events: list[PendingEvent] = []
    removed = _public_ids(created)
    restored = _public_ids({label: [pk for pk, _before in items] for label, items in changed.items()})

    for label, items in changed.items():
        model = apps.get_model(label)
        by_fields: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        for pk, before in items:
            by_fields[tuple(sorted(before))].append((pk, before))
        versioned = label in ("people.person", "cases.case")
        quote = connection.ops.quote_name
        for fields, group in by_fields.items():
            names = list(fields)
            derived = derived_name_columns(model, names)
            stamped = ["updated_at"] if versioned else []
            rows = []
            for pk, before in group:
                values = [model._meta.get_field(n).to_python(before[n]) for n in names]
                values += [derive(before[source]) for _, source, derive in derived]
                rows.append([*values, *([now] * len(stamped)), pk])
            update_rows(
                model,
                names + [column for column, _, _ in derived] + stamped,
                rows,
                also=f"{quote('version')} = {quote('version')} + 1" if versioned else "",
            )

    people = created.get("people.person", [])
    for chunk in _chunks(people):
        DuplicateCandidate.objects.filter(Q(person_a__in=chunk) | Q(person_b__in=chunk)).delete()
    for label in DELETE_ORDER:
        pks = created.get(label, [])
        if pks:
            delete_rows(apps.get_model(label), pks)

    for object_type, ids in restored.items():
        events.extend(
            PendingEvent(
                action=Action.CHANGED,
                actor=actor,
                partnership_id=job.partnership_id,
                object_type=object_type,
                object_id=public_id,
                data={"import": str(job.public_id), "rolled_back": True},
            )
            for public_id in ids
        )
    audit_record_batch(events)
    job.status = JobStatus.ROLLED_BACK
    job.rolled_back_at = now
    job.rolled_back_by = actor
    job.save(update_fields=["status", "rolled_back_at", "rolled_back_by", "updated_at"])
    audit_changed(
        actor=actor,
        obj=job,
        data={
            "import": str(job.public_id),
            "status": JobStatus.ROLLED_BACK,
            "file_name": job.file_name,
            "sha256": job.file_sha256,
            "deleted": {label: len(pks) for label, pks in created.items()},
            "deleted_records": {object_type: ids for object_type, ids in removed.items() if ids},
            "restored": {label: len(items) for label, items in changed.items()},
        },
    )
    return job
