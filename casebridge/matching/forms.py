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

    reason = forms.CharField(
        label=_("Why are these records the same person?"),
        help_text=_("The lead organisations asked to agree read this."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, candidate: DuplicateCandidate, *args: Any, needs_agreement: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        self.needs_agreement = needs_agreement
        if needs_agreement:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _(
                "Say why these records are the same person: the organisations asked to agree read it."
            )
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

    def merge_choices(self) -> dict[str, str]:
        """For a proposal: whose value each differing field keeps, "survivor" or "merged"."""
        data = self.cleaned_data
        return {name: "survivor" if data[name] == data["survivor"] else "merged" for name in self.differing}


class ProposalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should this merge be undone?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Say why this merge should be undone.")},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Does your organisation agree?"),
        choices=(("agree", _("Yes, agree")), ("decline", _("No, decline"))),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether your organisation agrees.")},
    )
