"""Turning the text of one row into typed values, with a plain reason for every problem.

A row missing a required field, or with a value that cannot be stored (a date that is
not a date, a status that is not one of the statuses, an unknown case type), is rejected
with an error. A value that is suspicious but usable (a malformed postcode, an impossible
date of birth, an identifier in the wrong format, an unknown officer's email) is kept as
written, or left out where it cannot be kept, and flagged as a warning.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.accounts.email_key import email_key
from casebridge.imports.mapping import BOOL_VALUES, builtin_value, mapped_value, norm
from casebridge.imports.models import DateOrder, Severity
from casebridge.imports.templates import ImportTemplate, TemplateField
from casebridge.lib.addresses import POSTCODE_RE, normalise_postcode
from casebridge.people.validators import NI_RE, PNC_RE, nhs_number_is_valid

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE_SPLIT = re.compile(r"[/\-. ]+")
_SEPARATORS = frozenset("/-.")
_ORDINAL = re.compile(r"(?<=\d)(st|nd|rd|th)$")
_TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\.\d+)?\s*(am|pm)?$", re.IGNORECASE)
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
# Excel stores dates as days since 30 December 1899.
EXCEL_EPOCH = dt.date(1899, 12, 30)
OLDEST_BIRTH_YEAR = 1900
IDENTIFIER_MAX = 20
MEMO_KINDS = frozenset({"date", "datetime", "bool", "choice", "postcode", "case_type", "organisation", "category"})
MEMO_KINDS |= frozenset({"officer", "email"})
POSTCODE_MAX = 8


@dataclass(frozen=True, slots=True)
class Problem:
    row: int
    column: str
    value: str
    reason: str
    severity: str

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


@dataclass
class Lookups:
    """The partnership's configuration a row's values are checked against, loaded once per run."""

    case_types: dict[str, int] = field(default_factory=dict)  # normalised code or name -> pk
    organisations: dict[str, int] = field(default_factory=dict)  # normalised name -> pk
    officers: dict[str, int] = field(default_factory=dict)  # email_key -> user pk
    categories: dict[str, int] = field(default_factory=dict)  # normalised name -> pk


@dataclass(slots=True)
class CleanRow:
    number: int
    values: dict[str, Any]
    problems: list[Problem]

    @property
    def rejected(self) -> bool:
        return any(problem.is_error for problem in self.problems)


class Unusable(Exception):
    """The value cannot be stored: the row is rejected."""


class Suspicious(Exception):
    """The value is kept (``kept``, possibly None) but flagged as a warning."""

    def __init__(self, reason: str, kept: Any) -> None:
        super().__init__(reason)
        self.kept = kept


@lru_cache(maxsize=100_000)
def parse_date(text: str, order: str = DateOrder.DAY_FIRST) -> dt.date | None:
    """A date from the ways spreadsheets write them; None when it is not a date.

    ISO dates (2025-12-31, with or without a time) are always read year first; other
    numeric dates follow ``order``; month names are understood ("3 Mar 2025", "March 3 2025");
    a number of five digits is read as an Excel serial date. Two-digit years are 19xx when
    that is more than ten years ahead of today's two-digit year, else 20xx.
    """
    text = text.strip()
    if not text:
        return None
    digits = text[:2] + text[3:5] + text[6:]
    if (
        len(text) == 10
        and text[2] in _SEPARATORS
        and text[5] in _SEPARATORS
        and digits.isascii()
        and digits.isdigit()
        and order != DateOrder.YEAR_FIRST
        and int(text[6:]) >= 100
    ):
        # The usual 31/12/2025 (or 12/31/2025): read directly, as the general way below would.
        first, second = int(text[:2]), int(text[3:5])
        try:
            if order == DateOrder.MONTH_FIRST:
                return dt.date(int(text[6:]), first, second)
            return dt.date(int(text[6:]), second, first)
        except ValueError:
            return None
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None
    if text.isdigit() and len(text) == 5:
        return EXCEL_EPOCH + dt.timedelta(days=int(text))
    # Drop a time after the date ("31/12/2025 14:30").
    head = text.split(" ")
    if len(head) > 1 and ":" in head[-1]:
        text = " ".join(head[:-1])
    parts = [part for part in _DATE_SPLIT.split(text.casefold().replace(",", " ")) if part]
    if len(parts) != 3:
        return None
    named = [MONTHS.get(part.rstrip(".")) for part in parts]
    try:
        if any(named):
            month_at = next(position for position, value in enumerate(named) if value)
            month = named[month_at]
            rest = [int(_ORDINAL.sub("", part)) for position, part in enumerate(parts) if position != month_at]
            day, year = (rest[0], rest[1]) if rest[0] <= 31 and (rest[1] > 31 or month_at == 1) else (rest[1], rest[0])
        else:
            numbers = [int(part) for part in parts]
            if order == DateOrder.YEAR_FIRST or len(parts[0]) == 4:
                year, month, day = numbers
            elif order == DateOrder.MONTH_FIRST:
                month, day, year = numbers
            else:
                day, month, year = numbers
        if year < 100:
            this_year = dt.date.today().year % 100
            year += 1900 if year > this_year + 10 else 2000
        assert month is not None
        return dt.date(year, month, day)
    except (ValueError, AssertionError, StopIteration, IndexError):
        return None


@lru_cache(maxsize=10_000)
def parse_time(text: str) -> dt.time | None:
    match = _TIME_RE.match(text.strip())
    if not match:
        return None
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    meridiem = (match.group(4) or "").lower()
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    try:
        return dt.time(hour, minute, second)
    except ValueError:
        return None


def parse_datetime(text: str, order: str) -> dt.datetime | None:
    """A date with an optional time (midnight when none), in the UK's time zone."""
    tokens = text.strip().replace("T", " ").split()
    at = next((position for position, token in enumerate(tokens) if ":" in token), len(tokens))
    if at == 0:
        return None
    date = parse_date(" ".join(tokens[:at]), order)
    if date is None:
        return None
    moment = dt.time()
    if at < len(tokens):
        parsed = parse_time(" ".join(tokens[at:]).split("+")[0])
        if parsed is None:
            return None
        moment = parsed
    return timezone.make_aware(dt.datetime.combine(date, moment), timezone.get_default_timezone())


class Cleaner:
    """Checks the rows of one template against its mapping and the partnership's lookups."""

    def __init__(
        self,
        *,
        template: ImportTemplate,
        column_mapping: dict[str, str | None],
        value_mapping: dict[str, dict[str, str]],
        date_order: str,
        lookups: Lookups,
        headers: list[str],
    ) -> None:
        self.template = template
        self.value_mapping = value_mapping
        self.date_order = date_order
        self.lookups = lookups
        self.today = timezone.localdate()
        # (position in the row, field, header, parser), in the file's column order.
        self.columns: list[tuple[int, TemplateField, str, Callable[[TemplateField, str], Any]]] = []
        mapped: set[str] = set()
        for position, header in enumerate(headers):
            field_name = column_mapping.get(header)
            template_field = template.get(field_name) if field_name else None
            if template_field is None or template_field.name in mapped:
                continue
            mapped.add(template_field.name)
            self.columns.append((position, template_field, header, self._parser(template_field)))
        self.mapped = mapped
        # Values repeat (case types, statuses, dates, organisations): each distinct text is checked once.
        self.memo: dict[str, dict[str, tuple[str, Any, str]]] = {
            f.name: {} for _p, f, _h, _c in self.columns if f.kind in MEMO_KINDS
        }
        self.header_of = {f.name: header for _p, f, header, _c in self.columns}

    def missing_required(self) -> list[str]:
        """Required fields no column is mapped to: the import cannot start without them."""
        return [name for name in self.template.required_fields if name not in self.mapped]

    def clean(self, number: int, row: list[str | None]) -> CleanRow:
        return self.clean_batch([(number, row)])[0]

    def clean_batch(self, rows: list[tuple[int, list[str | None]]]) -> list[CleanRow]:
        """The rows' values and problems, checked a column at a time.

        Working down each column keeps one column's parser, memo and messages at hand for the
        whole batch; each row's problems still come in the file's column order, as a row at a
        time would give them. Text columns are checked inline (only their length can be wrong);
        other kinds look each distinct text up in the column's own memo first.
        """
        numbers = [number for number, _row in rows]
        cells = [row for _number, row in rows]
        values: list[dict[str, Any]] = [{} for _ in rows]
        problems: list[list[Problem]] = [[] for _ in rows]
        for position, template_field, header, parser in self.columns:
            name = template_field.name
            missing: str | None = None
            memo = self.memo.get(name)
            plain_text = memo is None and parser == self._text
            limit = template_field.max_length
            for index, row in enumerate(cells):
                raw = row[position]
                if raw is None:
                    if template_field.required:
                        if missing is None:
                            missing = _("%(field)s is missing.") % {"field": template_field.label}
                        problems[index].append(Problem(numbers[index], header, "", missing, "error"))
                    continue
                if plain_text and not (limit and len(raw) > limit):
                    values[index][name] = raw
                    continue
                outcome = memo.get(raw) if memo is not None else None
                if outcome is None:
                    outcome = self._outcome(template_field, parser, raw)
                    if memo is not None:
                        memo[raw] = outcome
                severity, value, reason = outcome
                if severity:
                    problems[index].append(Problem(numbers[index], header, raw[:255], reason, severity))
                if value is not None:
                    values[index][name] = value
        return [
            CleanRow(number, row_values, row_problems)
            for number, row_values, row_problems in zip(numbers, values, problems, strict=True)
        ]

    def _outcome(
        self, template_field: TemplateField, parser: Callable[[TemplateField, str], Any], raw: str
    ) -> tuple[str, Any, str]:
        """(severity or "", value or None, reason): what a cell's text gives."""
        try:
            return "", parser(template_field, raw), ""
        except Unusable as error:
            return Severity.ERROR, None, str(error)
        except Suspicious as error:
            return Severity.WARNING, error.kept, str(error)

    def problem(self, number: int, field_name: str, value: Any, reason: str, severity: str) -> Problem:
        """A problem found after parsing (a rule across fields, a person not found)."""
        return Problem(number, self.header_of.get(field_name, field_name), str(value or "")[:255], reason, severity)

    # -- parsers by kind -----------------------------------------------------------------

    def _parser(self, template_field: TemplateField) -> Callable[[TemplateField, str], Any]:
        return getattr(self, f"_{template_field.kind}", self._text)  # type: ignore[no-any-return]

    def _text(self, f: TemplateField, raw: str) -> str:
        if f.max_length and len(raw) > f.max_length:
            raise Unusable(_("%(field)s is longer than %(max)s characters.") % {"field": f.label, "max": f.max_length})
        return raw

    def _list(self, f: TemplateField, raw: str) -> list[str]:
        return [part.strip() for part in raw.split(";") if part.strip()]

    def _date(self, f: TemplateField, raw: str) -> dt.date:
        value = parse_date(mapped_value(f.name, raw, self.value_mapping), self.date_order)
        if value is None:
            reason = _("%(field)s is not a date we can read: write it like 31/12/2025.") % {"field": f.label}
            if f.required:
                raise Unusable(reason)
            raise Suspicious(reason + " " + _("It was left empty."), None)
        if f.name.endswith("date_of_birth") and (value > self.today or value.year < OLDEST_BIRTH_YEAR):
            raise Suspicious(_("The date of birth is impossible; it was kept as written."), value)
        return value

    def _datetime(self, f: TemplateField, raw: str) -> dt.datetime:
        value = parse_datetime(raw, self.date_order)
        if value is None:
            raise Unusable(
                _("%(field)s is not a date and time we can read: write it like 31/12/2025 14:30.") % {"field": f.label}
            )
        return value

    def _bool(self, f: TemplateField, raw: str) -> bool:
        value = mapped_value(f.name, raw, self.value_mapping)
        answer = BOOL_VALUES.get(norm(value))
        if answer is None:
            raise Unusable(_("%(field)s must be yes or no.") % {"field": f.label})
        return answer

    def _choice(self, f: TemplateField, raw: str) -> str:
        value = mapped_value(f.name, raw, self.value_mapping)
        if value in f.choices:
            return value
        key = norm(value)
        for stored, label in f.choices.items():
            if key in (norm(stored), norm(label)):
                return stored
        known = builtin_value(f.name, value)
        if known is not None:
            return known
        allowed = ", ".join(f.choices.values())
        if f.name == "gender":
            raise Suspicious(_("Gender is not one we recognise; it was recorded as not known."), "unknown")
        raise Unusable(_("%(field)s must be one of: %(allowed)s.") % {"field": f.label, "allowed": allowed})

    def _email(self, f: TemplateField, raw: str) -> str:
        if len(raw) > 254:
            raise Suspicious(_("The email address is too long to keep; it was left out."), None)
        if not EMAIL_RE.match(raw):
            raise Suspicious(_("The email address does not look right; it was kept as written."), raw)
        return raw

    def _phone(self, f: TemplateField, raw: str) -> str:
        if len(raw) > 30:
            raise Suspicious(_("The phone number is too long to keep; it was left out."), None)
        digits = sum(ch.isdigit() for ch in raw)
        if digits < 10 or digits > 13:
            raise Suspicious(_("The phone number does not look right; it was kept as written."), raw)
        return raw

    def _postcode(self, f: TemplateField, raw: str) -> str:
        value = normalise_postcode(raw)
        if len(value) > POSTCODE_MAX:
            raise Suspicious(_("The postcode is too long to keep; it was left out."), None)
        if not POSTCODE_RE.match(value):
            raise Suspicious(_("The postcode does not look like a UK postcode; it was kept as written."), value)
        return value

    def _identifier(self, raw: str, kind: str) -> str:
        value = raw.strip().upper() if kind == "pnc" else re.sub(r"\s+", "", raw).upper()
        if len(value) > IDENTIFIER_MAX:
            raise Suspicious(_("The number is too long to keep; it was left out."), None)
        return value

    def _pnc(self, f: TemplateField, raw: str) -> str:
        value = self._identifier(raw, "pnc")
        if not PNC_RE.match(value):
            raise Suspicious(_("The PNC number is not in the usual format (like 98/123456X); kept as written."), value)
        return value

    def _nhs(self, f: TemplateField, raw: str) -> str:
        value = self._identifier(raw, "nhs")
        if not nhs_number_is_valid(value):
            raise Suspicious(_("The NHS number is not a valid 10-digit NHS number; kept as written."), value)
        return value

    def _ni(self, f: TemplateField, raw: str) -> str:
        value = self._identifier(raw, "ni")
        if not NI_RE.match(value):
            raise Suspicious(
                _("The National Insurance number is not in the usual format (like QQ123456C); kept as written."), value
            )
        return value

    def _lookup(self, f: TemplateField, raw: str, table: dict[str, int]) -> int:
        value = mapped_value(f.name, raw, self.value_mapping)
        found = table.get(norm(value))
        if found is None:
            raise Unusable(_not_found(f.kind, value))
        return found

    def _case_type(self, f: TemplateField, raw: str) -> int:
        return self._lookup(f, raw, self.lookups.case_types)

    def _organisation(self, f: TemplateField, raw: str) -> int:
        return self._lookup(f, raw, self.lookups.organisations)

    def _category(self, f: TemplateField, raw: str) -> int:
        return self._lookup(f, raw, self.lookups.categories)

    def _officer(self, f: TemplateField, raw: str) -> int:
        found = self.lookups.officers.get(email_key(raw))
        if found is None:
            raise Suspicious(
                _("No user of this partnership has this email address; the case was left without a lead officer."),
                None,
            )
        return found

    def _case(self, f: TemplateField, raw: str) -> str:
        return self._text(f, raw)


def _not_found(kind: str, value: str) -> str:
    if kind == "case_type":
        return _(
            "There is no case type called “%(value)s” in this partnership. Map it to one of the case types, "
            "or ask an administrator to add it."
        ) % {"value": value}
    if kind == "organisation":
        return _("No organisation called “%(value)s” takes part in this partnership. Map it to one.") % {"value": value}
    return _(
        "There is no incident category called “%(value)s” in this partnership. Map it to one of the categories."
    ) % {"value": value}
