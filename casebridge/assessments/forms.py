"""Forms for building templates and for completing an assessment (one field per question)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casebridge.assessments.models import Question, QuestionKind, Section, TemplateKind, TemplateVersion
from casebridge.lib.dates import DateInput
from casebridge.lib.forms import GovukFormMixin
from casebridge.people.models import Person


class TemplateForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    kind = forms.ChoiceField(label=_("Type"), choices=TemplateKind.choices, widget=forms.RadioSelect)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SectionForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=160)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


def parse_options(text: str) -> list[tuple[str, int]]:
    """Lines like "Three or more = 4"; a line without "= weight" weighs 0."""
    options: list[tuple[str, int]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        label, sep, weight = line.rpartition("=")
        if not sep:
            label, weight = line, "0"
        try:
            options.append((label.strip(), int(weight.strip())))
        except ValueError as error:
            raise ValidationError(
                _("Line %(n)s: write the answer, then “=”, then a whole number, for example “Yes = 3”.") % {"n": number}
            ) from error
        if not label.strip():
            raise ValidationError(_("Line %(n)s has a weight but no answer.") % {"n": number})
    return options


class QuestionForm(GovukFormMixin, forms.Form):
    section = forms.ModelChoiceField(label=_("Section"), queryset=Section.objects.none(), empty_label=None)
    text = forms.CharField(label=_("Question"), max_length=300)
    hint = forms.CharField(label=_("Hint"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Type of answer"), choices=QuestionKind.choices)
    options = forms.CharField(
        label=_("Answers and weights"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One answer a line, then “=” and its weight, for example “Yes = 3”. Yes or no: two lines, yes first. "
            "Scale: leave empty for grades 1 to 5. Free text and date: leave empty."
        ),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    show_if_question = forms.ModelChoiceField(
        label=_("Only ask if this question…"),
        queryset=Question.objects.none(),
        required=False,
        empty_label=_("Always ask"),
    )
    show_if_value = forms.CharField(
        label=_("…was answered"),
        max_length=200,
        required=False,
        help_text=_("The answer exactly as written above, for example “Yes”."),
    )

    def __init__(self, *args: Any, version: TemplateVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = version.sections.all()  # type: ignore[attr-defined]
        self.fields["show_if_question"].queryset = version.questions.filter(  # type: ignore[attr-defined]
            kind__in=[QuestionKind.YES_NO, QuestionKind.CHOICE, QuestionKind.SCALE]
        )

    def clean_options(self) -> list[tuple[str, int]]:
        return parse_options(self.cleaned_data["options"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        question = data.get("show_if_question")
        if question is not None:
            wanted = (data.get("show_if_value") or "").strip().lower()
            option = next(
                (o for o in question.options.all() if wanted in (o.label.lower(), o.value.lower())),
                None,
            )
            if option is None:
                self.add_error("show_if_value", _("Write one of the answers of the question you chose."))
            else:
                data["show_if_value"] = option.value
        else:
            data["show_if_value"] = ""
        return data


class BandForm(GovukFormMixin, forms.Form):
    label = forms.CharField(label=_("Band name"), max_length=60, help_text=_("For example, High."))
    min_score = forms.IntegerField(label=_("Lowest score in this band"))
    review_days = forms.IntegerField(label=_("Review after (days)"), min_value=1, max_value=365)
    is_high = forms.BooleanField(
        label=_("Alert the lead officer and propose referral to a CHaRMM or Community MARAC"), required=False
    )


class AssessmentForm(GovukFormMixin, forms.Form):
    """One field per question, none required here: the service decides, knowing which are shown."""

    def __init__(
        self, *args: Any, questions: list[Question], people: list[Person] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        if people:
            self.fields["person"] = forms.ChoiceField(
                label=_("Who is this assessment about?"),
                choices=[("", _("The case as a whole"))] + [(str(p.public_id), p.full_name) for p in people],
                required=False,
            )
        for question in questions:
            self.fields[f"q_{question.code}"] = self.field_for(question)

    @staticmethod
    def field_for(question: Question) -> forms.Field:
        common: dict[str, Any] = {"label": question.text, "required": False, "help_text": question.hint}
        if question.is_scored:
            choices = [(o.value, o.label) for o in question.options.all()]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        if question.kind == QuestionKind.DATE:
            return forms.CharField(widget=DateInput, **common)
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)

    def answers(self) -> dict[str, str]:
        data = self.data
        return {q.code: str(data.get(f"q_{q.code}", "") or "") for q in self.questions}

    def bound_questions(self) -> list[tuple[Question, forms.BoundField]]:
        return [(q, self[f"q_{q.code}"]) for q in self.questions]
