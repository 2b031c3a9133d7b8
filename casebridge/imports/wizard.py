"""What the value-mapping page offers: per mapped column, the values found and the values allowed."""

import io
import zipfile
from typing import Any
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from casebridge.cases.models import CaseType, IncidentCategory
from casebridge.imports import mapping
from casebridge.imports.reading import Table
from casebridge.imports.templates import ImportTemplate, TemplateField
from casebridge.organisations.models import Organisation, Partnership

# The distinct values offered for mapping per column; rarer ones are left as written.
VALUES_PER_COLUMN = 50
# The part of an .xlsx file that names its sheets is a few kilobytes; anything bigger is not read.
WORKBOOK_PART_LIMIT = 1024 * 1024
SPREADSHEETML = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def workbook_sheet_names(data: bytes) -> list[str]:
    """The sheet names of an .xlsx workbook, from its small workbook part only; [] for anything else.

    Used when the first sheet cannot be imported (a cover or notes sheet), to find one that can.
    Only the workbook part is decompressed, never a sheet, so this is safe on any upload
    (expat refuses entity expansion attacks).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = archive.getinfo("xl/workbook.xml")
            if part.file_size > WORKBOOK_PART_LIMIT:
                return []
            root = ElementTree.fromstring(archive.read(part))  # noqa: S314 (a bounded part; expat >= 2.4)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        return []
    sheets = root.find(f"{SPREADSHEETML}sheets")
    return [] if sheets is None else [sheet.get("name", "") for sheet in sheets if sheet.get("name")]


def allowed_values(field: TemplateField, partnership: Partnership) -> list[tuple[str, str]]:
    """The values the import accepts for the field, as (value to map to, label)."""
    if field.kind == "choice":
        return list(field.choices.items())
    if field.kind == "bool":
        return [("yes", _("Yes")), ("no", _("No"))]
    if field.kind == "case_type":
        types = CaseType.objects.filter(partnership=partnership, is_active=True).order_by("name")
        return [(t.code, t.name) for t in types]
    if field.kind == "organisation":
        organisations = Organisation.objects.filter(partnerships=partnership).order_by("name")
        return [(o.name, o.name) for o in organisations]
    if field.kind == "category":
        categories = IncidentCategory.objects.filter(partnership=partnership, is_active=True).order_by("name")
        return [(c.name, c.name) for c in categories]
    return []


def suggestion(field: TemplateField, raw: str, allowed: list[tuple[str, str]]) -> str:
    """The allowed value the raw one most likely means: a built-in spelling, or the same name."""
    if field.kind == "bool":
        meaning = mapping.BOOL_VALUES.get(mapping.norm(raw))
        return "" if meaning is None else ("yes" if meaning else "no")
    builtin = mapping.builtin_value(field.name, raw)
    if builtin and any(value == builtin for value, _label in allowed):
        return builtin
    wanted = mapping.norm(raw)
    return next((value for value, label in allowed if wanted in (mapping.norm(value), mapping.norm(label))), "")


def value_groups(
    *, template: ImportTemplate, table: Table, columns: dict[str, str], partnership: Partnership
) -> list[dict[str, Any]]:
    """One group per mapped column whose values may need choosing (choices, yes/no, lookups)."""
    groups = []
    for header in mapping.fields_needing_values(template, {h: f or None for h, f in columns.items()}):
        field = template.get(columns[header])
        if field is None or header not in table.headers:
            continue
        allowed = allowed_values(field, partnership)
        found = mapping.distinct_values(table, header, limit=VALUES_PER_COLUMN)
        groups.append(
            {
                "header": header,
                "field": field.name,
                "label": field.label,
                "allowed": allowed,
                "values": [(raw, count, suggestion(field, raw, allowed)) for raw, count in found],
            }
        )
    return groups
