"""Planning one batch of rows: what each row creates, changes or skips, and every problem.

Planning never writes. A dry run plans every batch and keeps the report; an import plans a
batch and then writes it (``jobs.py``), so both give the same report. The plan of a batch
depends only on its rows and on what was held before it (including earlier batches of the
same import), never on primary keys, so a resumed import plans the remaining batches
exactly as an uninterrupted one would.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from types import EllipsisType
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.cases.models import Case, CaseParty, Incident, Status
from casebridge.imports.models import ImportJob, Severity
from casebridge.imports.people_matching import (
    IDENTIFIER_FIELDS,
    NameKey,
    PeopleMatcher,
    PersonRef,
    Reader,
    name_dob_key,
    read_now,
)
from casebridge.imports.public_ids import public_ids
from casebridge.imports.templates import PERSON_GROUP
from casebridge.imports.validation import Cleaner, CleanRow, Problem
from casebridge.matching.engine import PersonRecord
from casebridge.matching.normalise import normalise_identifier
from casebridge.people.models import Person, PersonAddress, PersonAlias

PERSON_UPDATE_FIELDS = ("first_name", "last_name", "date_of_birth", "gender", "phone", "email", "legacy_id")
# Rule 7: a phone or email the import writes over is recorded under the importing organisation, as for new people.
PERSON_SOURCE_FIELDS = tuple(
    f"{column}_{part}"
    for column in ("phone", "email")
    for part in ("source_organisation", "source_case", "shared_with_everyone")
)
CASE_UPDATE_FIELDS = (
    "case_type_id",
    "status",
    "risk_level",
    "lead_organisation_id",
    "lead_officer_id",
    "closure_reason",
    "closed_at",
    "summary",
)
INCIDENT_UPDATE_FIELDS = (
    "case_id",
    "occurred_at",
    "reported_on",
    "category_id",
    "description",
    "is_hate",
    "police_reference",
)


@dataclass(eq=False, slots=True)
class RecordRef:
    """A case or incident the import knows by legacy reference."""

    pk: int | None = None
    public_id: str = ""
    label: str = ""
    created_here: bool = False


@dataclass
class NewPerson:
    ref: PersonRef
    row: int
    fields: dict[str, Any]


@dataclass
class Change:
    """An existing record whose fields change: the values before and after, by field."""

    pk: int
    public_id: str
    label: str
    row: int
    before: dict[str, Any]
    after: dict[str, Any]


@dataclass
class NewRecord:
    ref: RecordRef
    row: int
    fields: dict[str, Any]


@dataclass
class BatchPlan:
    number: int
    first_row: int = 0
    last_row: int = 0
    rows: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    people: list[NewPerson] = field(default_factory=list)
    person_changes: list[Change] = field(default_factory=list)
    aliases: list[tuple[PersonRef, str, str]] = field(default_factory=list)
    identifiers: list[tuple[PersonRef, str, str]] = field(default_factory=list)
    addresses: list[tuple[PersonRef, dict[str, str]]] = field(default_factory=list)
    cases: list[NewRecord] = field(default_factory=list)
    case_changes: list[Change] = field(default_factory=list)
    parties: list[tuple[RecordRef, PersonRef, str]] = field(default_factory=list)
    incidents: list[NewRecord] = field(default_factory=list)
    incident_changes: list[Change] = field(default_factory=list)
    reviews: list[tuple[PersonRef, int, float, str]] = field(default_factory=list)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _split_alias(text: str) -> tuple[str, str]:
    parts = text.split()
    if len(parts) == 1:
        return "", parts[0]
    return " ".join(parts[:-1]), parts[-1]


def _usable_rows(plan: BatchPlan, cleaned: list[CleanRow]) -> Iterator[CleanRow]:
    """The rows the cleaner did not reject; every row's problems, and each rejected row, go on the plan."""
    for row in cleaned:
        plan.problems.extend(row.problems)
        if row.rejected:
            plan.counts["error"] += 1
            continue
        yield row


class Planner:
    """Plans batches for one job; holds what the import knows across batches."""

    def __init__(self, *, job: ImportJob, cleaner: Cleaner) -> None:
        self.job = job
        self.cleaner = cleaner
        self.template = job.template
        self.now = timezone.now()
        self.organisation_id = job.created_by.organisation_id
        self.matcher: PeopleMatcher | None = None
        self.read: Reader = read_now
        if self.template in ("people", "cases"):
            self.matcher = PeopleMatcher(partnership=job.partnership, job_id=job.pk)
        self.public_ids = public_ids()
        # The person groups' fields, by group number in order: [(number, [(field, part), ...]), ...].
        layout: dict[int, list[tuple[str, str]]] = {}
        for name in cleaner.mapped:
            match = PERSON_GROUP.match(name)
            if match:
                layout.setdefault(int(match.group(1)), []).append((name, match.group(2)))
        self.group_layout = sorted(layout.items())
        self.cases: dict[str, RecordRef] = {}
        self.incidents: dict[str, RecordRef] = {}
        if self.template in ("cases", "incidents"):
            rows = Case.objects.filter(partnership=job.partnership).exclude(legacy_ref="")
            for pk, public_id, reference, legacy_ref, import_job_id in rows.values_list(
                "pk", "public_id", "reference", "legacy_ref", "import_job_id"
            ).iterator(chunk_size=5000):
                self.cases[legacy_ref] = RecordRef(pk, str(public_id), reference, import_job_id == job.pk)
        if self.template == "incidents":
            rows_i = Incident.objects.filter(partnership=job.partnership).exclude(legacy_ref="")
            for pk, public_id, legacy_ref, import_job_id in rows_i.values_list(
                "pk", "public_id", "legacy_ref", "import_job_id"
            ).iterator(chunk_size=5000):
                self.incidents[legacy_ref] = RecordRef(pk, str(public_id), legacy_ref, import_job_id == job.pk)

    def read_through(self, read: Reader) -> None:
        """Send every database read of later plans through ``read`` (planning ahead: to the writing thread)."""
        self.read = read
        if self.matcher is not None:
            self.matcher.read = read

    def plan(self, number: int, rows: list[tuple[int, list[str | None]]]) -> BatchPlan:
        plan = BatchPlan(number=number, rows=len(rows))
        if rows:
            plan.first_row, plan.last_row = rows[0][0], rows[-1][0]
        cleaned = self.cleaner.clean_batch(rows)
        if self.template == "people":
            self._people(plan, cleaned)
        elif self.template == "cases":
            self._cases(plan, cleaned)
        else:
            self._incidents(plan, cleaned)
        plan.counts["warning"] += sum(1 for problem in plan.problems if problem.severity == Severity.WARNING)
        return plan

    # -- people --------------------------------------------------------------------------

    def _record_of(self, number: int, values: dict[str, Any]) -> PersonRecord:
        return PersonRecord(
            id=f"row-{number}",
            first_name=values.get("first_name", ""),
            last_name=values.get("last_name", ""),
            aliases=tuple(values.get("aliases", ())),
            date_of_birth=values.get("date_of_birth"),
            gender=values.get("gender", ""),
            postcode=values.get("postcode", ""),
            address=values.get("address_line_1", ""),
            phone=values.get("phone", ""),
            email=values.get("email", ""),
            pnc=values.get("pnc_id", ""),
            nhs=values.get("nhs_number", ""),
            ni=values.get("ni_number", ""),
        )

    def _new_person(
        self,
        number: int,
        values: dict[str, Any],
        identifiers: dict[str, str],
        key: NameKey | EllipsisType | None = ...,
    ) -> PersonRef:
        """A person to create, findable by later rows; ``key`` as for ``PeopleMatcher.resolve``."""
        assert self.matcher is not None
        ref = PersonRef(
            public_id=next(self.public_ids),
            legacy_id=values.get("legacy_id", ""),
            created_here=True,
            first_row=number,
            identifiers=set(identifiers.items()),
        )
        self.matcher.remember(
            ref,
            first_name=values.get("first_name", ""),
            last_name=values.get("last_name", ""),
            date_of_birth=values.get("date_of_birth"),
            key=key,
        )
        return ref

    def _reject(self, plan: BatchPlan, row: CleanRow, field_name: str, value: Any, reason: str) -> None:
        """Refuse a row because of one field's value: an error against it, and the row counted as an error."""
        plan.problems.append(self.cleaner.problem(row.number, field_name, value, reason, Severity.ERROR))
        plan.counts["error"] += 1

    def _reject_repeated_reference(self, plan: BatchPlan, row: CleanRow, legacy_ref: str) -> None:
        message = _("This legacy reference appears more than once in the file: only its first row was imported.")
        self._reject(plan, row, "legacy_ref", legacy_ref, message)

    def _people(self, plan: BatchPlan, cleaned: list[CleanRow]) -> None:
        assert self.matcher is not None
        held: list[tuple[CleanRow, PersonRef, dict[str, str]]] = []
        for row in _usable_rows(plan, cleaned):
            values = row.values
            identifiers = {kind: values[name] for kind, name in IDENTIFIER_FIELDS.items() if values.get(name)}
            found = self.matcher.resolve(
                legacy_id=values["legacy_id"],
                first_name=values["first_name"],
                last_name=values["last_name"],
                date_of_birth=values.get("date_of_birth"),
                identifiers=identifiers,
                record=self._record_of(row.number, values) if self.matcher.fuzzy_available() else None,
            )
            if found.ref is None:
                ref = self._new_person(row.number, values, identifiers)
                plan.people.append(NewPerson(ref, row.number, self._person_fields(values)))
                for alias in values.get("aliases", ()):
                    plan.aliases.append((ref, *_split_alias(alias)))
                for kind, value in identifiers.items():
                    plan.identifiers.append((ref, kind, value))
                address = self._address(values)
                if address:
                    plan.addresses.append((ref, address))
                for existing_pk, probability, band in found.review:
                    plan.reviews.append((ref, existing_pk, probability, band))
                plan.counts["create"] += 1
                plan.counts["people_created"] += 1
                plan.counts["review_queued"] += len(found.review)
                continue
            ref = found.ref
            if found.how != "legacy_id":
                plan.counts["people_matched"] += 1
            self.matcher.alias_legacy_id(values["legacy_id"], ref)
            if ref.created_here:
                plan.counts["skip"] += 1
                plan.problems.append(
                    self.cleaner.problem(
                        row.number,
                        "legacy_id",
                        values["legacy_id"],
                        _("The same person as an earlier row (%(how)s): joined into one profile.")
                        % {"how": _how(found.how)},
                        Severity.WARNING,
                    )
                )
                self._new_identifiers(plan, row, ref, identifiers)
                continue
            held.append((row, ref, identifiers))
        self._people_changes(plan, held)

    def _person_fields(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "first_name": values.get("first_name", ""),
            "last_name": values.get("last_name", ""),
            "date_of_birth": values.get("date_of_birth"),
            "gender": values.get("gender") or "unknown",
            "phone": values.get("phone", ""),
            "email": values.get("email", ""),
            "legacy_id": values.get("legacy_id", ""),
        }

    def _address(self, values: dict[str, Any]) -> dict[str, str] | None:
        line, postcode = values.get("address_line_1", ""), values.get("postcode", "")
        if not (line and postcode):
            return None
        return {
            "address_line_1": line,
            "address_line_2": values.get("address_line_2", ""),
            "town": values.get("town", ""),
            "postcode": postcode,
        }

    def _new_identifiers(self, plan: BatchPlan, row: CleanRow, ref: PersonRef, identifiers: dict[str, str]) -> bool:
        assert self.matcher is not None
        added = False
        for kind, value in identifiers.items():
            if (kind, value) in ref.identifiers:
                continue
            holder = self.matcher.by_identifier.get((kind, normalise_identifier(value)))
            same_kind = any(k == kind for k, _v in ref.identifiers)
            if (holder is not None and holder is not ref) or same_kind:
                plan.problems.append(
                    self.cleaner.problem(
                        row.number,
                        IDENTIFIER_FIELDS[kind],
                        value,
                        _(
                            "This person already has a different number of this kind, or another person has "
                            "this one: it was not added."
                        ),
                        Severity.WARNING,
                    )
                )
                continue
            ref.identifiers.add((kind, value))
            self.matcher.remember(ref, first_name="", last_name="", date_of_birth=None)
            plan.identifiers.append((ref, kind, value))
            added = True
        return added

    def _people_changes(self, plan: BatchPlan, held: list[tuple[CleanRow, PersonRef, dict[str, str]]]) -> None:
        if not held:
            return
        pks = {ref.pk for _row, ref, _ids in held}
        current, alias_rows, address_rows = self.read(
            lambda: (
                {
                    row["pk"]: row
                    for row in Person.objects.filter(pk__in=pks).values(
                        "pk", *PERSON_UPDATE_FIELDS, *PERSON_SOURCE_FIELDS
                    )
                },
                list(PersonAlias.objects.filter(person__in=pks).values_list("person_id", "first_name", "last_name")),
                list(
                    PersonAddress.objects.filter(person__in=pks).values_list(
                        "person_id", "location__address_line_1", "location__postcode"
                    )
                ),
            )
        )
        aliases: dict[int, set[str]] = {}
        for person_id, first, last in alias_rows:
            aliases.setdefault(person_id, set()).add(f"{first} {last}".strip().casefold())
        addresses: dict[int, set[tuple[str, str]]] = {}
        for person_id, line, postcode in address_rows:
            addresses.setdefault(person_id, set()).add((line.casefold(), postcode))
        for row, ref, identifiers in held:
            assert ref.pk is not None
            values = row.values
            before = current[ref.pk]
            wanted = self._person_fields(values)
            if before["legacy_id"]:
                wanted["legacy_id"] = before["legacy_id"]
            if not values.get("gender"):
                wanted["gender"] = before["gender"]
            after = {name: value for name, value in wanted.items() if value not in ("", None)}
            changed = {name: value for name, value in after.items() if before[name] != value}
            changed |= self._sources_of(changed, before)
            extra = False
            for alias in values.get("aliases", ()):
                if alias.casefold() not in aliases.setdefault(ref.pk, set()):
                    aliases[ref.pk].add(alias.casefold())
                    plan.aliases.append((ref, *_split_alias(alias)))
                    extra = True
            extra = self._new_identifiers(plan, row, ref, identifiers) or extra
            address = self._address(values)
            if address and (address["address_line_1"].casefold(), address["postcode"]) not in addresses.get(
                ref.pk, set()
            ):
                addresses.setdefault(ref.pk, set()).add((address["address_line_1"].casefold(), address["postcode"]))
                plan.addresses.append((ref, address))
                extra = True
            if changed:
                label = f"{after.get('first_name', before['first_name'])} {after.get('last_name', before['last_name'])}"
                plan.person_changes.append(
                    Change(
                        ref.pk,
                        ref.public_id,
                        label,
                        row.number,
                        {name: before[name] for name in changed},
                        changed,
                    )
                )
            plan.counts["update" if changed or extra else "skip"] += 1

    def _sources_of(self, changed: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
        """The provenance the changed phone and email take: the importing organisation, shared with no one else."""
        sources: dict[str, Any] = {}
        for column in ("phone", "email"):
            if column in changed:
                sources[f"{column}_source_organisation"] = self.organisation_id
                sources[f"{column}_source_case"] = None
                sources[f"{column}_shared_with_everyone"] = False
        return {name: value for name, value in sources.items() if before[name] != value}

    # -- cases ---------------------------------------------------------------------------

    def _groups(self, values: dict[str, Any]) -> dict[int, dict[str, Any]]:
        """The row's person groups that have any value, by group number in order."""
        groups: dict[int, dict[str, Any]] = {}
        for number, parts in self.group_layout:
            group: dict[str, Any] | None = None
            for name, part in parts:
                value = values.get(name)
                if value is not None and value != "":
                    if group is None:
                        group = groups[number] = {}
                    group[part] = value
        return groups

    def _case_people(
        self, plan: BatchPlan, row: CleanRow
    ) -> list[tuple[PersonRef | None, dict[str, Any], str, list[tuple[int, float, str]]]] | None:
        """(person or None to create, the group's values, role, review pairs) per group; None if rejected."""
        assert self.matcher is not None
        chosen: list[tuple[PersonRef | None, dict[str, Any], str, list[tuple[int, float, str]]]] = []
        problems: list[Problem] = []
        for number, group in self._groups(row.values).items():
            prefix = f"person_{number}_"
            role = group.get("role")
            if not role:
                problems.append(
                    self.cleaner.problem(
                        row.number,
                        prefix + "role",
                        "",
                        _("Person %(n)s has no role: say whether they are a victim, perpetrator, witness and so on.")
                        % {"n": number},
                        Severity.ERROR,
                    )
                )
                continue
            legacy_id = group.get("legacy_id", "")
            first, last = group.get("first_name", ""), group.get("last_name", "")
            if not legacy_id and not (first and last and group.get("date_of_birth")):
                problems.append(
                    self.cleaner.problem(
                        row.number,
                        prefix + "legacy_id",
                        "",
                        _("Person %(n)s needs a legacy id, or a first name, last name and date of birth.")
                        % {"n": number},
                        Severity.ERROR,
                    )
                )
                continue
            record = None
            if first and last and self.matcher.fuzzy_available():
                record = PersonRecord(
                    id=f"row-{row.number}-{number}",
                    first_name=first,
                    last_name=last,
                    date_of_birth=group.get("date_of_birth"),
                )
            key = name_dob_key(first, last, group.get("date_of_birth"))
            found = self.matcher.resolve(
                legacy_id=legacy_id,
                first_name=first,
                last_name=last,
                date_of_birth=group.get("date_of_birth"),
                identifiers={},
                record=record,
                key=key,
            )
            if found.ref is None and not (first and last):
                problems.append(
                    self.cleaner.problem(
                        row.number,
                        prefix + "legacy_id",
                        legacy_id,
                        _(
                            "No person has the legacy id %(id)s: import them with the people template first, "
                            "or give their first and last name so that a profile is created."
                        )
                        % {"id": legacy_id},
                        Severity.ERROR,
                    )
                )
                continue
            chosen.append((found.ref, {**group, "how": found.how, "name_dob_key": key}, role, found.review))
        if problems:
            plan.problems.extend(problems)
            return None
        return chosen

    def _cases(self, plan: BatchPlan, cleaned: list[CleanRow]) -> None:
        assert self.matcher is not None
        held: list[tuple[CleanRow, RecordRef, dict[str, Any], list[tuple[PersonRef, str]]]] = []
        for row in _usable_rows(plan, cleaned):
            values = row.values
            legacy_ref = values["legacy_ref"]
            existing = self.cases.get(legacy_ref)
            if existing is not None and existing.created_here:
                self._reject_repeated_reference(plan, row, legacy_ref)
                continue
            fields = self._case_fields(plan, row)
            people = self._case_people(plan, row)
            if fields is None or people is None:
                plan.counts["error"] += 1
                continue
            parties: list[tuple[PersonRef, str]] = []
            for ref, group, role, review in people:
                if ref is None:
                    ref = self.matcher.resolve(
                        legacy_id=group.get("legacy_id", ""),
                        first_name=group.get("first_name", ""),
                        last_name=group.get("last_name", ""),
                        date_of_birth=group.get("date_of_birth"),
                        identifiers={},
                        record=None,
                        key=group["name_dob_key"],
                    ).ref
                if ref is None:
                    person_values = {
                        "legacy_id": group.get("legacy_id", ""),
                        "first_name": group["first_name"],
                        "last_name": group["last_name"],
                        "date_of_birth": group.get("date_of_birth"),
                    }
                    ref = self._new_person(row.number, person_values, {}, group["name_dob_key"])
                    plan.people.append(NewPerson(ref, row.number, self._person_fields(person_values)))
                    plan.counts["people_created"] += 1
                    plan.counts["review_queued"] += len(review)
                    for existing_pk, probability, band in review:
                        plan.reviews.append((ref, existing_pk, probability, band))
                else:
                    self.matcher.alias_legacy_id(group.get("legacy_id", ""), ref)
                    if group["how"] not in ("legacy_id", ""):
                        plan.counts["people_matched"] += 1
                if (ref, role) not in parties:
                    parties.append((ref, role))
            if existing is None:
                case = RecordRef(public_id=next(self.public_ids), label=legacy_ref, created_here=True)
                self.cases[legacy_ref] = case
                plan.cases.append(NewRecord(case, row.number, fields))
                plan.parties.extend((case, ref, role) for ref, role in parties)
                plan.counts["create"] += 1
            else:
                held.append((row, existing, fields, parties))
        self._case_changes(plan, held)

    def _case_fields(self, plan: BatchPlan, row: CleanRow) -> dict[str, Any] | None:
        values = row.values
        status = values.get("status") or (Status.CLOSED if values.get("closed_on") else Status.OPEN)
        opened = values["opened_on"]
        fields: dict[str, Any] = {
            "legacy_ref": values["legacy_ref"],
            "case_type_id": values["case_type"],
            "status": status,
            "risk_level": values.get("risk_level") or "standard",
            "lead_organisation_id": values["lead_organisation"],
            "lead_officer_id": values.get("lead_officer_email"),
            "summary": values.get("summary", ""),
            "closure_reason": "",
            "closed_at": None,
            "opened_on": opened,
        }
        if status == Status.CLOSED:
            if not values.get("closure_reason"):
                plan.problems.append(
                    self.cleaner.problem(
                        row.number, "closure_reason", "", _("A closed case needs a closure reason."), Severity.ERROR
                    )
                )
                return None
            fields["closure_reason"] = values["closure_reason"]
            closed_on = values.get("closed_on")
            if closed_on is None:
                closed_on = opened
                plan.problems.append(
                    self.cleaner.problem(
                        row.number,
                        "closed_on",
                        "",
                        _("The case is closed but has no closing date: the date it was opened was used."),
                        Severity.WARNING,
                    )
                )
            elif closed_on < opened:
                plan.problems.append(
                    self.cleaner.problem(
                        row.number,
                        "closed_on",
                        closed_on.isoformat(),
                        _("The case was closed before it was opened; the dates were kept as written."),
                        Severity.WARNING,
                    )
                )
            fields["closed_at"] = _midnight(closed_on)
        elif values.get("closed_on") or values.get("closure_reason"):
            plan.problems.append(
                self.cleaner.problem(
                    row.number,
                    "status",
                    status,
                    _("The case is not closed, so its closing date and reason were left out."),
                    Severity.WARNING,
                )
            )
        return fields

    def _case_changes(
        self, plan: BatchPlan, held: list[tuple[CleanRow, RecordRef, dict[str, Any], list[tuple[PersonRef, str]]]]
    ) -> None:
        if not held:
            return
        pks = {case.pk for _row, case, _fields, _parties in held}
        current, existing_parties = self.read(
            lambda: (
                {row["pk"]: row for row in Case.objects.filter(pk__in=pks).values("pk", *CASE_UPDATE_FIELDS)},
                set(CaseParty.objects.filter(case__in=pks).values_list("case_id", "person_id", "role")),
            )
        )
        for row, case, fields, parties in held:
            assert case.pk is not None
            before = current[case.pk]
            wanted = {name: fields[name] for name in CASE_UPDATE_FIELDS}
            if wanted["lead_officer_id"] is None:
                wanted["lead_officer_id"] = before["lead_officer_id"]
            if not wanted["summary"]:
                wanted["summary"] = before["summary"]
            changed = {name: value for name, value in wanted.items() if before[name] != value}
            added = False
            for person, role in parties:
                if person.pk is None or (case.pk, person.pk, role) not in existing_parties:
                    if person.pk is not None:
                        existing_parties.add((case.pk, person.pk, role))
                    plan.parties.append((case, person, role))
                    added = True
            if changed:
                plan.case_changes.append(
                    Change(case.pk, case.public_id, case.label, row.number, {n: before[n] for n in changed}, changed)
                )
            plan.counts["update" if changed or added else "skip"] += 1

    # -- incidents -----------------------------------------------------------------------

    def _incidents(self, plan: BatchPlan, cleaned: list[CleanRow]) -> None:
        held: list[tuple[CleanRow, RecordRef, dict[str, Any]]] = []
        for row in _usable_rows(plan, cleaned):
            values = row.values
            case = self.cases.get(values["case_legacy_ref"])
            if case is None:
                self._reject(
                    plan,
                    row,
                    "case_legacy_ref",
                    values["case_legacy_ref"],
                    _("No case has this legacy reference: import the cases first."),
                )
                continue
            existing = self.incidents.get(values["legacy_ref"])
            if existing is not None and existing.created_here:
                self._reject_repeated_reference(plan, row, values["legacy_ref"])
                continue
            occurred: dt.datetime = values["occurred_at"]
            reported = values.get("reported_on") or timezone.localtime(occurred).date()
            if reported < timezone.localtime(occurred).date():
                plan.problems.append(
                    self.cleaner.problem(
                        row.number,
                        "reported_on",
                        reported.isoformat(),
                        _("The incident was reported before it happened; the dates were kept as written."),
                        Severity.WARNING,
                    )
                )
            fields: dict[str, Any] = {
                "case": case,
                "case_id": case.pk,
                "occurred_at": occurred,
                "reported_on": reported,
                "category_id": values["category"],
                "description": values["description"],
                "is_hate": bool(values.get("hate_flag", False)),
                "police_reference": values.get("police_reference", ""),
                "legacy_ref": values["legacy_ref"],
                "location": self._incident_location(values),
            }
            if existing is None:
                incident = RecordRef(public_id=next(self.public_ids), label=values["legacy_ref"], created_here=True)
                self.incidents[values["legacy_ref"]] = incident
                plan.incidents.append(NewRecord(incident, row.number, fields))
                plan.counts["create"] += 1
            else:
                held.append((row, existing, fields))
        if not held:
            return
        pks = {incident.pk for _row, incident, _fields in held}
        rows = self.read(lambda: list(Incident.objects.filter(pk__in=pks).values("pk", *INCIDENT_UPDATE_FIELDS)))
        current = {row["pk"]: row for row in rows}
        for row, incident, fields in held:
            assert incident.pk is not None
            before = current[incident.pk]
            wanted = {name: fields[name] for name in INCIDENT_UPDATE_FIELDS}
            changed = {name: value for name, value in wanted.items() if before[name] != value}
            if changed:
                plan.incident_changes.append(
                    Change(
                        incident.pk,
                        incident.public_id,
                        incident.label,
                        row.number,
                        {n: before[n] for n in changed},
                        changed,
                    )
                )
            plan.counts["update" if changed else "skip"] += 1

    def _incident_location(self, values: dict[str, Any]) -> dict[str, str] | None:
        place, postcode = values.get("location", ""), values.get("postcode", "")
        if place and postcode:
            return {"kind": "address", "address_line_1": place, "postcode": postcode, "place_name": ""}
        if place or postcode:
            return {"kind": "place", "address_line_1": "", "postcode": postcode, "place_name": place or postcode}
        return None


def _midnight(day: dt.date) -> dt.datetime:
    return midnight_in(day, timezone.get_default_timezone())


@lru_cache(maxsize=20_000)
def midnight_in(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """The start of ``day`` in ``zone``; cached, as a file's dates repeat (the zone is part of the key)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time()), zone)


def _how(how: str) -> str:
    return {
        "legacy_id": _("same legacy id"),
        "identifier": _("same PNC, NHS or National Insurance number"),
        "name_and_date_of_birth": _("same name and date of birth"),
        "fuzzy": _("a very close match"),
    }.get(how, how)


def jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {name: _jsonable(value) for name, value in values.items()}
