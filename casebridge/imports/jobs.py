"""Running an import job in batches: plan a batch, then write it in one transaction.

The next batch is planned while one is written (``ahead.PlansAhead``), with the same result.

Each batch transaction writes the batch's records, the ``ImportedRecord`` rows needed to
roll it back, the problems found, one audit event per record created or changed, the
batch's ``done`` flag and the job's progress. A worker killed mid-import therefore leaves
whole batches only; running the job again skips the done batches and finishes the rest.
"""

import gc
import itertools
import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from operator import itemgetter
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from casebridge.audit.models import Action
from casebridge.audit.services import PendingEvent, audit_changed, audit_record_batch
from casebridge.cases.models import Case, CaseParty, CaseReferenceCounter, CaseType, Incident, IncidentCategory
from casebridge.imports import storage
from casebridge.imports.ahead import PlansAhead
from casebridge.imports.mapping import norm
from casebridge.imports.models import ImportBatch, ImportedRecord, ImportJob, ImportProblem, JobStatus
from casebridge.imports.planning import BatchPlan, Change, Planner, jsonable, midnight_in
from casebridge.imports.public_ids import dashed, public_ids
from casebridge.imports.reading import Table, read_table
from casebridge.imports.templates import TEMPLATES
from casebridge.imports.validation import Cleaner, Lookups
from casebridge.imports.writing import (
    cached_fold,
    cached_name_key,
    db_stamp,
    derived_name_columns,
    foreign_keys_checked_as_written,
    import_page_cache,
    insert_columns,
    reserve_ids,
    update_rows,
)
from casebridge.lib.bulk import TableWriter
from casebridge.matching.models import DuplicateCandidate
from casebridge.organisations.models import Membership, Organisation
from casebridge.people.models import Location, Person, PersonAddress, PersonAlias, PersonIdentifier

BATCH_SIZE = 10_000
COUNT_KEYS = ("create", "update", "skip", "error", "warning", "people_created", "people_matched", "review_queued")


def open_table(job: ImportJob) -> Table:
    return read_table(storage.read_bytes(job.stored_name), job.file_name, job.sheet or None)


def load_lookups(job: ImportJob) -> Lookups:
    """The partnership's case types, organisations, officers and categories, by normalised name."""
    lookups = Lookups()
    for pk, code, name in CaseType.objects.filter(partnership=job.partnership, is_active=True).values_list(
        "pk", "code", "name"
    ):
        lookups.case_types[norm(code)] = pk
        lookups.case_types[norm(name)] = pk
    for pk, name in Organisation.objects.filter(partnerships=job.partnership).values_list("pk", "name"):
        lookups.organisations[norm(name)] = pk
    for user_id, key in Membership.objects.filter(partnership=job.partnership, user__is_active=True).values_list(
        "user_id", "user__email_key"
    ):
        lookups.officers[key] = user_id
    for pk, name in IncidentCategory.objects.filter(partnership=job.partnership, is_active=True).values_list(
        "pk", "name"
    ):
        lookups.categories[norm(name)] = pk
    return lookups


def make_cleaner(job: ImportJob, table: Table) -> Cleaner:
    return Cleaner(
        template=TEMPLATES[job.template],
        column_mapping={header: (field or None) for header, field in job.column_mapping.items()},
        value_mapping=job.value_mapping,
        date_order=job.date_order,
        lookups=load_lookups(job),
        headers=table.headers,
    )


def batches_of(table: Table, size: int | None = None) -> Iterator[tuple[int, list[tuple[int, list[str | None]]]]]:
    """(batch number from 1, rows) in file order, ``BATCH_SIZE`` rows a batch unless told."""
    size = size or BATCH_SIZE
    rows = table.rows_with_numbers()
    for number in itertools.count(1):
        chunk = list(itertools.islice(rows, size))
        if not chunk:
            return
        yield number, chunk


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while an import plans and writes its batches.

    An import keeps every person and case it has seen in memory, so each automatic
    collection walks more objects than the last: at 100,000 rows they cost seconds. Rows,
    plans and tuples are freed by reference counting as soon as they are dropped; a batch
    leaves next to no reference cycles (a handful, measured), and those are collected as
    usual once the import ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def total_counts(counts: list[dict[str, int]]) -> dict[str, int]:
    total: Counter[str] = Counter(dict.fromkeys(COUNT_KEYS, 0))
    for item in counts:
        total.update(item)
    return dict(total)


# -- dry run --------------------------------------------------------------------------------


def dry_run(job: ImportJob) -> dict[str, int]:
    """Plan every batch, store the problems and counts; write nothing else."""
    table = open_table(job)
    planner = Planner(job=job, cleaner=make_cleaner(job, table))
    counts: list[dict[str, int]] = []
    rows_total = table.count_rows()
    with transaction.atomic():
        ImportProblem.objects.filter(job=job).delete()
        ImportJob.objects.filter(pk=job.pk).update(rows_total=rows_total, rows_done=0)
    with collector_paused():
        for number, rows in batches_of(table):
            plan = planner.plan(number, rows)
            counts.append(dict(plan.counts))
            with transaction.atomic():
                _insert_problems(job, plan)
                ImportJob.objects.filter(pk=job.pk).update(rows_done=F("rows_done") + plan.rows)
    job.dry_run_counts = total_counts(counts)
    job.counts = job.dry_run_counts
    job.rows_total = rows_total
    job.rows_done = rows_total
    job.status = JobStatus.VALIDATED
    job.validated_at = timezone.now()
    job.save(
        update_fields=["dry_run_counts", "counts", "rows_total", "rows_done", "status", "validated_at", "updated_at"]
    )
    return dict(job.counts)


def _insert_problems(job: ImportJob, plan: BatchPlan) -> None:
    """The batch's problems, written as rows (a batch can have thousands; model instances cost more)."""
    job_id, number = job.pk, plan.number
    TableWriter(ImportProblem, ["job", "batch", "row", "column", "value", "reason", "severity"]).insert(
        [(job_id, number, p.row, p.column[:255], p.value[:255], p.reason[:500], str(p.severity)) for p in plan.problems]
    )


# -- import ---------------------------------------------------------------------------------


def run(job: ImportJob) -> dict[str, int]:
    """Import the job's rows, resuming after the last done batch; the job's counts when finished."""
    with import_page_cache():
        return _run(job)


def _run(job: ImportJob) -> dict[str, int]:
    table = open_table(job)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status in (JobStatus.DONE, JobStatus.ROLLED_BACK):
            return dict(job.counts)
        if not job.batches.exists():
            ImportProblem.objects.filter(job=job).delete()
            rows_total = 0
            batches = []
            numbers = table.row_numbers()
            for number in itertools.count(1):
                chunk = list(itertools.islice(numbers, BATCH_SIZE))
                if not chunk:
                    break
                batches.append(ImportBatch(job=job, number=number, first_row=chunk[0], last_row=chunk[-1]))
                rows_total += len(chunk)
            ImportBatch.objects.bulk_create(batches)
            job.rows_total = rows_total
            job.rows_done = 0
            job.counts = total_counts([])
        else:
            # Problems of batches that never finished are planned again.
            undone = job.batches.filter(done=False).values("number")
            ImportProblem.objects.filter(job=job, batch__in=undone).delete()
        job.status = JobStatus.RUNNING
        job.started_at = job.started_at or timezone.now()
        job.failure = ""
        job.save(update_fields=["rows_total", "rows_done", "counts", "status", "started_at", "failure", "updated_at"])
    done = set(job.batches.filter(done=True).values_list("number", flat=True))
    planner = Planner(job=job, cleaner=make_cleaner(job, table))
    remaining = ((number, rows) for number, rows in batches_of(table) if number not in done)
    try:
        with collector_paused(), PlansAhead(planner, remaining) as plans:
            for plan in plans:
                BatchWriter(job, plan).write()
    except Exception as error:
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, failure=f"{type(error).__name__}: {error}"[:2000], updated_at=timezone.now()
        )
        raise
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        job.counts = total_counts(list(job.batches.values_list("counts", flat=True)))
        job.status = JobStatus.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["counts", "status", "finished_at", "updated_at"])
        audit_changed(
            actor=job.created_by,
            obj=job,
            data={
                "import": str(job.public_id),
                "status": JobStatus.DONE,
                "file_name": job.file_name,
                "sha256": job.file_sha256,
                "template": job.template,
                "counts": job.counts,
            },
        )
    return dict(job.counts)


def _mark_batch_done(job: ImportJob, batch: ImportBatch, plan: BatchPlan) -> None:
    """The last write of a batch transaction: the batch is done and the job's progress moves on."""
    batch.done = True
    batch.counts = dict(plan.counts)
    batch.finished_at = timezone.now()
    batch.save(update_fields=["done", "counts", "finished_at"])
    ImportJob.objects.filter(pk=job.pk).update(rows_done=F("rows_done") + plan.rows, updated_at=timezone.now())


class RecordRow(NamedTuple):
    """An ``ImportedRecord`` row: a record the batch changed (with the values replaced), or every row of a
    model it created."""

    job: int
    batch: int
    model: str
    object_pk: int
    created: bool
    before: str | None
    object_pks: str | None


def values_of(records: list[dict[str, Any]], key: str) -> list[Any]:
    """The value under ``key`` of each record, in order (``itemgetter`` runs in C: a column of a batch)."""
    return list(map(itemgetter(key), records))


class BatchWriter:
    """Writes one planned batch in one transaction."""

    def __init__(self, job: ImportJob, plan: BatchPlan) -> None:
        self.job = job
        self.plan = plan
        self.now = timezone.now()
        self.vendor = connection.vendor
        self.stamp = db_stamp(self.now, self.vendor)
        self.records: list[RecordRow] = []
        self.created_pks: dict[str, list[int]] = {}
        self.events: list[PendingEvent] = []
        self.created: dict[str, list[str]] = {"person": [], "case": [], "incident": []}
        self.partnership_id = job.partnership_id
        self.actor = job.created_by
        self.organisation_id = job.created_by.organisation_id
        self.actor_id = job.created_by_id

    def write(self) -> bool:
        with transaction.atomic(), foreign_keys_checked_as_written():
            batch = ImportBatch.objects.select_for_update().get(job=self.job, number=self.plan.number)
            if batch.done:
                return False
            self._people()
            self._cases()
            self._incidents()
            self._reviews()
            self.records.extend(
                RecordRow(
                    job=self.job.pk,
                    batch=self.plan.number,
                    model=model,
                    object_pk=pks[0],
                    created=True,
                    before=None,
                    object_pks=json.dumps(pks),
                )
                for model, pks in self.created_pks.items()
            )
            TableWriter(ImportedRecord, RecordRow._fields).insert(self.records)
            self.events.append(self._batch_event())
            audit_record_batch(self.events)
            _insert_problems(self.job, self.plan)
            _mark_batch_done(self.job, batch, self.plan)
        return True

    # -- helpers -------------------------------------------------------------------------

    def _created(self, model: str, pks: list[int]) -> None:
        """Rows of ``model`` written by this batch: one ``ImportedRecord`` per model lists them all."""
        if pks:
            self.created_pks.setdefault(model, []).extend(pks)

    def _batch_event(self) -> PendingEvent:
        """One event for the batch, naming every person, case and incident it created.

        Records the batch changed get an event each (with the fields' old and new values);
        creations are listed here, because an event per created record would cost more than
        writing the records themselves.
        """
        written = {model: len(pks) for model, pks in self.created_pks.items()}
        return PendingEvent(
            action=Action.CREATED,
            actor=self.actor,
            partnership_id=self.partnership_id,
            object_type="importbatch",
            object_id=f"{self.job.public_id}:{self.plan.number}",
            object_label=f"Batch {self.plan.number} of {self.job.file_name}"[:200],
            data={
                "import": str(self.job.public_id),
                "batch": self.plan.number,
                "rows": [self.plan.first_row, self.plan.last_row],
                "created": {kind: ids for kind, ids in self.created.items() if ids},
                "rows_created": dict(sorted(written.items())),
                "counts": dict(self.plan.counts),
            },
        )

    def _event(self, action: str, object_type: str, object_id: str, label: str, row: int, **data: Any) -> None:
        self.events.append(
            PendingEvent(
                action=Action(action),
                actor=self.actor,
                partnership_id=self.partnership_id,
                object_type=object_type,
                object_id=object_id,
                object_label=label,
                data={"import": str(self.job.public_id), "row": row, **data},
            )
        )

    def _changes(self, model: type[Any], label: str, changes: list[Change], *, versioned: bool) -> None:
        """Apply field changes, keeping the values replaced for rollback and in the audit."""
        quote = connection.ops.quote_name
        also = f"{quote('version')} = {quote('version')} + 1" if versioned else ""
        by_fields: dict[tuple[str, ...], list[Change]] = {}
        for change in changes:
            by_fields.setdefault(tuple(sorted(change.after)), []).append(change)
        for fields, group in by_fields.items():
            names = list(fields)
            derived = derived_name_columns(model, names)
            stamped = ["updated_at"] if versioned else []
            rows = []
            for change in group:
                values = [change.after[name] for name in names]
                values += [derive(change.after[source]) for _, source, derive in derived]
                values += [self.now] * len(stamped)
                rows.append([*values, change.pk])
            update_rows(model, names + [column for column, _, _ in derived] + stamped, rows, also=also)
        self.records.extend(
            RecordRow(
                job=self.job.pk,
                batch=self.plan.number,
                model=label,
                object_pk=change.pk,
                created=False,
                before=json.dumps(jsonable(change.before)),
                object_pks=None,
            )
            for change in changes
        )
        object_type = label.split(".")[1]
        for change in changes:
            before, after = jsonable(change.before), jsonable(change.after)
            self._event(
                Action.CHANGED,
                object_type,
                change.public_id,
                change.label,
                change.row,
                changes={name: {"from": before[name], "to": after[name]} for name in change.after},
            )

    # -- people --------------------------------------------------------------------------

    def _people(self) -> None:
        plan = self.plan
        if plan.people:
            ids = reserve_ids(Person, len(plan.people))
            created = self.created["person"]
            for pk, new in zip(ids, plan.people, strict=True):
                new.ref.pk = pk
                created.append(dashed(new.ref.public_id))
            fields = [new.fields for new in plan.people]
            firsts, lasts = values_of(fields, "first_name"), values_of(fields, "last_name")
            births = values_of(fields, "date_of_birth")
            phones, emails = values_of(fields, "phone"), values_of(fields, "email")
            n = len(ids)
            insert_columns(
                Person,
                {
                    "id": ids,
                    "public_id": [new.ref.public_id for new in plan.people],
                    "partnership": [self.partnership_id] * n,
                    "first_name": firsts,
                    "last_name": lasts,
                    "first_name_key": list(map(cached_name_key, firsts)),
                    "last_name_key": list(map(cached_name_key, lasts)),
                    "last_name_folded": list(map(cached_fold, lasts)),
                    "date_of_birth": [born.isoformat() if born else None for born in births],
                    "approximate_age": [None] * n,
                    "gender": values_of(fields, "gender"),
                    "phone": phones,
                    "email": emails,
                    "vulnerabilities": [""] * n,
                    # Rule 7: a phone or email imported is recorded under the importing organisation.
                    "phone_source_organisation": [self.organisation_id if phone else None for phone in phones],
                    "email_source_organisation": [self.organisation_id if email else None for email in emails],
                    "legacy_id": values_of(fields, "legacy_id"),
                    "import_job": [self.job.pk] * n,
                    "created_by_organisation": [self.organisation_id] * n,
                    "version": [1] * n,
                    "created_at": [self.stamp] * n,
                    "updated_at": [self.stamp] * n,
                },
            )
            self._created("people.person", ids)
        if plan.person_changes:
            self._changes(Person, "people.person", plan.person_changes, versioned=True)
        if plan.aliases:
            ids = reserve_ids(PersonAlias, len(plan.aliases))
            TableWriter(
                PersonAlias,
                [
                    "id",
                    "partnership",
                    "person",
                    "first_name",
                    "last_name",
                    "last_name_key",
                    "last_name_folded",
                    "source_organisation",
                ],
            ).insert(
                [
                    (
                        pk,
                        self.partnership_id,
                        ref.pk,
                        first[:100],
                        last[:100],
                        cached_name_key(last),
                        cached_fold(last[:100]),
                        self.organisation_id,
                    )
                    for pk, (ref, first, last) in zip(ids, plan.aliases, strict=True)
                ]
            )
            self._created("people.personalias", ids)
        if plan.identifiers:
            ids = reserve_ids(PersonIdentifier, len(plan.identifiers))
            TableWriter(
                PersonIdentifier, ["id", "partnership", "person", "kind", "value", "source_organisation"]
            ).insert(
                [
                    (pk, self.partnership_id, ref.pk, kind, value, self.organisation_id)
                    for pk, (ref, kind, value) in zip(ids, plan.identifiers, strict=True)
                ]
            )
            self._created("people.personidentifier", ids)
        if plan.addresses:
            locations = self._locations(
                [address | {"kind": "address", "place_name": ""} for _r, address in plan.addresses]
            )
            ids = reserve_ids(PersonAddress, len(plan.addresses))
            TableWriter(
                PersonAddress,
                ["id", "partnership", "person", "location", "from_date", "to_date", "source_organisation"],
            ).insert(
                [
                    (pk, self.partnership_id, ref.pk, location, None, None, self.organisation_id)
                    for pk, location, (ref, _a) in zip(ids, locations, plan.addresses, strict=True)
                ]
            )
            self._created("people.personaddress", ids)

    def _locations(self, places: list[dict[str, str]]) -> list[int]:
        ids = reserve_ids(Location, len(places))
        new_ids = public_ids()
        n = len(ids)
        insert_columns(
            Location,
            {
                "id": ids,
                "public_id": [next(new_ids) for _place in places],
                "partnership": [self.partnership_id] * n,
                "kind": values_of(places, "kind"),
                "address_line_1": [place.get("address_line_1", "") for place in places],
                "address_line_2": [place.get("address_line_2", "") for place in places],
                "town": [place.get("town", "") for place in places],
                "postcode": [place.get("postcode", "") for place in places],
                "uprn": [""] * n,
                "place_name": [place.get("place_name", "")[:200] for place in places],
                "created_by_organisation": [self.organisation_id] * n,
                "created_at": [self.stamp] * n,
            },
        )
        self._created("people.location", ids)
        return ids

    # -- cases ---------------------------------------------------------------------------

    def _references(self) -> list[str]:
        """Case references for the new cases, by the year each was opened, from the locked counters.

        The counters of every year the batch needs are created if missing, locked in one query
        (in year order, as any other writer locks them) and moved on in one statement.
        """
        partnership_id = self.partnership_id
        years = Counter(new.fields["opened_on"].year for new in self.plan.cases)
        CaseReferenceCounter.objects.bulk_create(
            [CaseReferenceCounter(partnership_id=partnership_id, year=year) for year in sorted(years)],
            ignore_conflicts=True,
        )
        counters = list(
            CaseReferenceCounter.objects.select_for_update()
            .filter(partnership_id=partnership_id, year__in=years)
            .order_by("year")
            .values_list("pk", "year", "last_number")
        )
        next_number = {year: last + 1 for _pk, year, last in counters}
        update_rows(CaseReferenceCounter, ["last_number"], [(last + years[year], pk) for pk, year, last in counters])
        code = self.job.partnership.code
        prefixes = {year: f"{code}-{year}-" for year in years}
        references = []
        for new in self.plan.cases:
            year = new.fields["opened_on"].year
            references.append(f"{prefixes[year]}{next_number[year]:06d}")
            next_number[year] += 1
        return references

    def _cases(self) -> None:
        plan = self.plan
        if plan.cases:
            ids = reserve_ids(Case, len(plan.cases))
            references = self._references()
            created = self.created["case"]
            for pk, reference, new in zip(ids, references, plan.cases, strict=True):
                new.ref.pk = pk
                new.ref.label = reference
                created.append(dashed(new.ref.public_id))
            zone, vendor = timezone.get_default_timezone(), self.vendor
            fields = [new.fields for new in plan.cases]
            n = len(ids)
            insert_columns(
                Case,
                {
                    "id": ids,
                    "public_id": [new.ref.public_id for new in plan.cases],
                    "partnership": [self.partnership_id] * n,
                    "reference": references,
                    "case_type": values_of(fields, "case_type_id"),
                    "summary": values_of(fields, "summary"),
                    "status": values_of(fields, "status"),
                    "risk_level": values_of(fields, "risk_level"),
                    "lead_organisation": values_of(fields, "lead_organisation_id"),
                    "lead_officer": values_of(fields, "lead_officer_id"),
                    "closure_reason": values_of(fields, "closure_reason"),
                    "outcome": [""] * n,
                    "closed_at": [db_stamp(at, vendor) if at else None for at in values_of(fields, "closed_at")],
                    "created_by": [self.actor_id] * n,
                    "legacy_ref": values_of(fields, "legacy_ref"),
                    "import_job": [self.job.pk] * n,
                    "version": [1] * n,
                    "created_at": [db_stamp(midnight_in(day, zone), vendor) for day in values_of(fields, "opened_on")],
                    "updated_at": [self.stamp] * n,
                },
            )
            self._created("cases.case", ids)
        if plan.case_changes:
            self._changes(Case, "cases.case", plan.case_changes, versioned=True)
        if plan.parties:
            ids = reserve_ids(CaseParty, len(plan.parties))
            TableWriter(CaseParty, ["id", "partnership", "case", "person", "role", "added_at"]).insert(
                [
                    (pk, self.partnership_id, case.pk, person.pk, role, self.stamp)
                    for pk, (case, person, role) in zip(ids, plan.parties, strict=True)
                ]
            )
            self._created("cases.caseparty", ids)

    # -- incidents -----------------------------------------------------------------------

    def _incidents(self) -> None:
        plan = self.plan
        if plan.incidents:
            places = [new.fields["location"] for new in plan.incidents if new.fields["location"]]
            location_ids = iter(self._locations(places)) if places else iter(())
            ids = reserve_ids(Incident, len(plan.incidents))
            for pk, new in zip(ids, plan.incidents, strict=True):
                new.ref.pk = pk
                self.created["incident"].append(dashed(new.ref.public_id))
            fields = [new.fields for new in plan.incidents]
            n = len(ids)
            insert_columns(
                Incident,
                {
                    "id": ids,
                    "public_id": [new.ref.public_id for new in plan.incidents],
                    "partnership": [self.partnership_id] * n,
                    "case": values_of(fields, "case_id"),
                    "created_by": [self.actor_id] * n,
                    "created_at": [self.stamp] * n,
                    "restriction": [""] * n,
                    "occurred_at": [db_stamp(at, self.vendor) for at in values_of(fields, "occurred_at")],
                    "reported_on": [day.isoformat() for day in values_of(fields, "reported_on")],
                    "category": values_of(fields, "category_id"),
                    "location": [next(location_ids) if f["location"] else None for f in fields],
                    "description": values_of(fields, "description"),
                    "is_hate": values_of(fields, "is_hate"),
                    "hate_strand": [""] * n,
                    "police_reference": values_of(fields, "police_reference"),
                    "legacy_ref": values_of(fields, "legacy_ref"),
                    "import_job": [self.job.pk] * n,
                },
            )
            self._created("cases.incident", ids)
        if plan.incident_changes:
            self._changes(Incident, "cases.incident", plan.incident_changes, versioned=False)

    def _reviews(self) -> None:
        candidates = []
        for ref, existing_pk, probability, band in self.plan.reviews:
            assert ref.pk is not None
            low, high = sorted((ref.pk, existing_pk))
            candidates.append(
                DuplicateCandidate(
                    partnership_id=self.partnership_id, person_a_id=low, person_b_id=high, score=probability, band=band
                )
            )
        DuplicateCandidate.objects.bulk_create(candidates, ignore_conflicts=True)
