"""The import wizard's forms: one question per page, GOV.UK markup, plain errors."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from casebridge.imports.models import DateOrder, SavedMapping
from casebridge.imports.reading import MAX_FILE_BYTES
from casebridge.imports.templates import ImportTemplate
from casebridge.lib.forms import GovukFormMixin

DO_NOT_IMPORT = ""


class UploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Upload a CSV or Excel file"),
        help_text=_("A .csv or .xlsx file up to %(size)s. The first row must name the columns.")
        % {"size": filesizeformat(MAX_FILE_BYTES)},
        error_messages={"required": _("Select a CSV or Excel file."), "empty": _("The selected file is empty.")},
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file must be smaller than %(size)s.") % {"size": filesizeformat(MAX_FILE_BYTES)}
            )
        return upload


class SheetForm(GovukFormMixin, forms.Form):
    sheet = forms.ChoiceField(
        label=_("Which sheet holds the rows to import?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the sheet to import.")},
    )

    def __init__(self, *args: Any, sheets: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(name, name) for name in sheets]  # type: ignore[attr-defined]


class LoadMappingForm(GovukFormMixin, forms.Form):
    mapping = forms.ModelChoiceField(
        label=_("Saved mapping"),
        queryset=SavedMapping.objects.none(),
        to_field_name="public_id",
        empty_label=_("Choose a mapping"),
        error_messages={"required": _("Select a saved mapping."), "invalid_choice": _("Select a saved mapping.")},
    )

    def __init__(self, *args: Any, mappings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mapping"].queryset = mappings  # type: ignore[attr-defined]


class ColumnsForm(GovukFormMixin, forms.Form):
    """A select per column of the file: which template field it holds, or not imported."""

    def __init__(
        self, *args: Any, template: ImportTemplate, headers: list[str], initial_columns: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.template = template
        self.headers = headers
        base = [(f.name, f"{f.label} ({f.name})") for f in template.fields]
        known = {name for name, _label in base}
        for position, header in enumerate(headers):
            choices = [(DO_NOT_IMPORT, _("Do not import this column")), *base]
            chosen = initial_columns.get(header) or DO_NOT_IMPORT
            extra = template.get(chosen) if chosen and chosen not in known else None
            if extra is not None:  # numbered person columns beyond the blank template's
                choices.append((extra.name, f"{extra.label} ({extra.name})"))
            self.fields[f"column_{position}"] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=chosen
            )
        for field in self.fields.values():
            field.widget.attrs["class"] = "govuk-select"

    def column_fields(self) -> list[tuple[str, forms.BoundField]]:
        return [(header, self[f"column_{position}"]) for position, header in enumerate(self.headers)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: dict[str, str] = {}
        for position, header in enumerate(self.headers):
            name = data.get(f"column_{position}") or DO_NOT_IMPORT
            if name == DO_NOT_IMPORT:
                continue
            if name in seen:
                self.add_error(
                    f"column_{position}",
                    _("“%(header)s” and “%(other)s” are both mapped to %(field)s. Map each field once.")
                    % {"header": header, "other": seen[name], "field": name},
                )
            seen.setdefault(name, header)
        missing = [name for name in self.template.required_fields if name not in seen]
        if missing:
            raise forms.ValidationError(
                _("Map a column to each required field: %(fields)s.") % {"fields": ", ".join(missing)}
            )
        return data

    def columns(self) -> dict[str, str]:
        return {
            header: self.cleaned_data.get(f"column_{position}") or DO_NOT_IMPORT
            for position, header in enumerate(self.headers)
        }


class ValuesForm(GovukFormMixin, forms.Form):
    """For each mapped column whose values need choosing: a select per distinct value found."""

    date_order = forms.ChoiceField(
        label=_("How are dates written in the file?"),
        choices=DateOrder.choices,
        widget=forms.RadioSelect,
        help_text=_("Dates written as 2025-12-31 are read as year first whatever you choose."),
    )
    save_as = forms.CharField(
        label=_("Save these choices as a mapping (optional)"),
        help_text=_("Give it a name to reuse the column and value choices for the next file of this kind."),
        required=False,
        max_length=100,
    )

    def __init__(
        self,
        *args: Any,
        groups: list[dict[str, Any]],
        initial_values: dict[str, dict[str, str]],
        taken_names: set[str],
        **kwargs: Any,
    ) -> None:
        """``groups``: dicts of header, field, label, values [(raw, count, suggestion)], allowed [(value, label)]."""
        super().__init__(*args, **kwargs)
        self.groups = groups
        self.taken_names = taken_names
        self.keys: dict[str, tuple[str, str]] = {}
        for g_index, group in enumerate(groups):
            chosen = initial_values.get(group["field"], {})
            for v_index, (raw, _count, suggestion) in enumerate(group["values"]):
                key = f"value_{g_index}_{v_index}"
                self.keys[key] = (group["field"], raw)
                self.fields[key] = forms.ChoiceField(
                    label=raw,
                    choices=[("", _("Leave as written (may be a problem)")), *group["allowed"]],
                    required=False,
                    initial=chosen.get(raw, suggestion or ""),
                )
                self.fields[key].widget.attrs["class"] = "govuk-select"

    def clean_save_as(self) -> str:
        name: str = self.cleaned_data["save_as"].strip()
        if name in self.taken_names:
            raise forms.ValidationError(
                _("A mapping called “%(name)s” already exists. Choose another name.") % {"name": name}
            )
        return name

    def grouped_fields(self) -> list[dict[str, Any]]:
        out = []
        for g_index, group in enumerate(self.groups):
            rows = [
                (raw, count, self[f"value_{g_index}_{v_index}"])
                for v_index, (raw, count, _suggestion) in enumerate(group["values"])
            ]
            out.append({**group, "rows": rows})
        return out

    def values(self) -> dict[str, dict[str, str]]:
        chosen: dict[str, dict[str, str]] = {}
        for key, (field_name, raw) in self.keys.items():
            value = self.cleaned_data.get(key) or ""
            if value:
                chosen.setdefault(field_name, {})[raw] = value
        return chosen
