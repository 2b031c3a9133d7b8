from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casebridge.matching.models import DuplicateCandidate
from casebridge.matching.services import MERGE_FIELDS
from casebridge.people.models import Person

SIDES = (("a", "a"), ("b", "b"))


class MergeForm(forms.Form):
    """Which record survives, and for each field that differs, whose value to keep."""

    survivor = forms.ChoiceField(
        label=_("Which record should remain?"),
        choices=SIDES,
        error_messages={"required": _("Choose which record should remain.")},
    )

    def __init__(self, candidate: DuplicateCandidate, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        self.differing = [
            name for name in MERGE_FIELDS if getattr(candidate.person_a, name) != getattr(candidate.person_b, name)
        ]
        for name in self.differing:
            label = getattr(Person._meta.get_field(name), "verbose_name", name)
            self.fields[name] = forms.ChoiceField(
                label=str(label).capitalize(),
                choices=SIDES,
                error_messages={"required": _("Choose whose %(field)s to keep.") % {"field": label}},
            )

    def side(self, key: str) -> Person:
        return self.candidate.person_a if key == "a" else self.candidate.person_b

    def field_choices(self) -> list[dict[str, Any]]:
        """Each differing field with both values, for the template's radios."""
        rows = []
        for name in self.differing:
            bound = self[name]
            rows.append(
                {
                    "name": name,
                    "label": bound.label,
                    "errors": bound.errors,
                    "value": bound.value(),
                    "a": getattr(self.candidate.person_a, name),
                    "b": getattr(self.candidate.person_b, name),
                }
            )
        return rows

    def merge_arguments(self) -> tuple[Person, Person, dict[str, Any]]:
        data = self.cleaned_data
        survivor = self.side(data["survivor"])
        merged = self.side("b" if data["survivor"] == "a" else "a")
        values = {name: getattr(self.side(data[name]), name) for name in self.differing}
        return survivor, merged, values
