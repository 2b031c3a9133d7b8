"""The three standard import templates: people, cases and incidents.

Each template lists its fields in the order of the blank spreadsheet. A field's ``kind``
says how its text is read (see ``validation.py``): text, date, datetime, bool, choice,
email, postcode, phone, identifier kinds (pnc, nhs, ni), list (several values separated
by ";"), and the lookups case_type, organisation, officer and category.

The cases template takes the people of each case in numbered groups of columns:
``person_1_legacy_id, person_1_first_name, person_1_last_name, person_1_date_of_birth,
person_1_role``, then ``person_2_...`` and so on. The blank template has three groups;
a file may have as many as it needs (``person_4_...`` and beyond are read the same way).
A group names a person either by legacy id (a person imported before, or earlier in the
same file, or created here when names are given too) or by first name, last name and date
of birth (matched against the people already held, or created).
"""

import re
from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from casebridge.cases.models import ClosureReason, PartyRole, RiskLevel, Status
from casebridge.lib.spreadsheets import csv_text, xlsx_bytes
from casebridge.people.models import Gender

PERSON_GROUP = re.compile(r"^person_(\d{1,2})_(legacy_id|first_name|last_name|date_of_birth|role)$")
PERSON_GROUP_FIELDS = ("legacy_id", "first_name", "last_name", "date_of_birth", "role")
BLANK_PERSON_GROUPS = 3


@dataclass(frozen=True)
class TemplateField:
    """One column of a template."""

    name: str
    label: str | Promise
    kind: str = "text"
    required: bool = False
    help: str | Promise = ""
    # For kind "choice": the values accepted, {stored value: label}.
    choices: dict[str, str] = field(default_factory=dict)
    max_length: int = 0


@dataclass(frozen=True)
class ImportTemplate:
    name: str
    label: str | Promise
    description: str | Promise
    fields: tuple[TemplateField, ...]
    # The field identifying a row across imports: re-importing updates by it.
    key: str

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def required_fields(self) -> list[str]:
        return [f.name for f in self.fields if f.required]

    def get(self, name: str) -> TemplateField | None:
        """The field called ``name``, including numbered person columns beyond the blank template's."""
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        match = PERSON_GROUP.match(name) if self.name == "cases" else None
        if match:
            base = next(f for f in self.fields if f.name == f"person_1_{match.group(2)}")
            return TemplateField(name, base.label, base.kind, False, base.help, base.choices, base.max_length)
        return None

    def blank_csv(self) -> bytes:
        """The header row only, UTF-8 with a byte order mark so that Excel opens it correctly."""
        return csv_text(self.field_names, []).encode("utf-8")

    def blank_xlsx(self) -> bytes:
        """The header row only, as an Excel workbook with one sheet named after the template."""
        return xlsx_bytes(self.name, self.field_names, [])


def _choices(values: type[models.TextChoices]) -> dict[str, str]:
    return {str(value): str(label) for value, label in values.choices if value}


def _person_group(number: int) -> tuple[TemplateField, ...]:
    prefix = f"person_{number}_"
    return (
        TemplateField(
            prefix + "legacy_id",
            _("Person %(n)s: legacy id") % {"n": number},
            "text",
            help=_("The person's id in the old system; imported before, earlier in this file, or new."),
            max_length=64,
        ),
        TemplateField(prefix + "first_name", _("Person %(n)s: first name") % {"n": number}, max_length=100),
        TemplateField(prefix + "last_name", _("Person %(n)s: last name") % {"n": number}, max_length=100),
        TemplateField(prefix + "date_of_birth", _("Person %(n)s: date of birth") % {"n": number}, "date"),
        TemplateField(
            prefix + "role", _("Person %(n)s: role in the case") % {"n": number}, "choice", choices=_choices(PartyRole)
        ),
    )


PEOPLE = ImportTemplate(
    name="people",
    label=_("People"),
    description=_(
        "One row per person. Rows with the same legacy id are the same person. A person who "
        "already has a profile (same legacy id, PNC, NHS or National Insurance number, or the "
        "same name and date of birth) is updated, not duplicated."
    ),
    key="legacy_id",
    fields=(
        TemplateField("legacy_id", _("Legacy id"), required=True, max_length=64, help=_("The id in the old system.")),
        TemplateField("first_name", _("First name"), required=True, max_length=100),
        TemplateField("last_name", _("Last name"), required=True, max_length=100),
        TemplateField("aliases", _("Other names"), "list", help=_('Full names separated by ";".')),
        TemplateField("date_of_birth", _("Date of birth"), "date"),
        TemplateField("gender", _("Gender"), "choice", choices=_choices(Gender)),
        TemplateField("address_line_1", _("Address line 1"), max_length=200),
        TemplateField("address_line_2", _("Address line 2"), max_length=200),
        TemplateField("town", _("Town or city"), max_length=100),
        TemplateField("postcode", _("Postcode"), "postcode"),
        TemplateField("phone", _("Phone number"), "phone", max_length=30),
        TemplateField("email", _("Email address"), "email", max_length=254),
        TemplateField("pnc_id", _("PNC number"), "pnc"),
        TemplateField("nhs_number", _("NHS number"), "nhs"),
        TemplateField("ni_number", _("National Insurance number"), "ni"),
    ),
)

CASES = ImportTemplate(
    name="cases",
    label=_("Cases"),
    description=_(
        "One row per case, with its people in numbered columns (person_1_legacy_id, "
        "person_1_role, person_2_legacy_id and so on). Re-importing a case with the same "
        "legacy reference updates it."
    ),
    key="legacy_ref",
    fields=(
        TemplateField("legacy_ref", _("Legacy reference"), required=True, max_length=64),
        TemplateField("case_type", _("Case type"), "case_type", required=True),
        TemplateField("status", _("Status"), "choice", choices=_choices(Status), help=_("Open when left empty.")),
        TemplateField("opened_on", _("Date opened"), "date", required=True),
        TemplateField("closed_on", _("Date closed"), "date"),
        TemplateField("closure_reason", _("Closure reason"), "choice", choices=_choices(ClosureReason)),
        TemplateField("lead_organisation", _("Lead organisation"), "organisation", required=True),
        TemplateField("lead_officer_email", _("Lead officer's email address"), "officer"),
        TemplateField("risk_level", _("Risk level"), "choice", choices=_choices(RiskLevel)),
        TemplateField("summary", _("Summary"), max_length=10_000),
        *(f for number in range(1, BLANK_PERSON_GROUPS + 1) for f in _person_group(number)),
    ),
)

INCIDENTS = ImportTemplate(
    name="incidents",
    label=_("Incidents"),
    description=_(
        "One row per incident, on a case imported before (case_legacy_ref). Re-importing an "
        "incident with the same legacy reference updates it."
    ),
    key="legacy_ref",
    fields=(
        TemplateField("legacy_ref", _("Legacy reference"), required=True, max_length=64),
        TemplateField("case_legacy_ref", _("Case legacy reference"), "case", required=True, max_length=64),
        TemplateField("occurred_at", _("Date and time of the incident"), "datetime", required=True),
        TemplateField("reported_on", _("Date reported"), "date", help=_("The incident date when left empty.")),
        TemplateField("category", _("Category"), "category", required=True),
        TemplateField("location", _("Location"), max_length=200, help=_("An address line or the name of a place.")),
        TemplateField("postcode", _("Postcode"), "postcode"),
        TemplateField("description", _("Description"), required=True, max_length=10_000),
        TemplateField("hate_flag", _("Hate incident"), "bool"),
        TemplateField("police_reference", _("Police reference"), max_length=40),
    ),
)

TEMPLATES: dict[str, ImportTemplate] = {t.name: t for t in (PEOPLE, CASES, INCIDENTS)}
