"""Which questions apply, and the score and band of a set of answers: pure functions."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from casebridge.assessments.models import Band, Question, QuestionKind


def shown_questions(questions: Iterable[Question], answers: Mapping[str, str]) -> list[Question]:
    """Questions that apply: a condition holds only if its own question applies and was answered so."""
    ordered = list(questions)
    by_id = {q.pk: q for q in ordered}
    memo: dict[int, bool] = {}

    def applies(question: Question, depth: int = 0) -> bool:
        if question.pk in memo:
            return memo[question.pk]
        result = True
        if question.show_if_question_id is not None:
            parent = by_id.get(question.show_if_question_id)
            result = (
                parent is not None
                and depth < len(ordered)
                and applies(parent, depth + 1)
                and answers.get(parent.code, "") == question.show_if_value
            )
        memo[question.pk] = result
        return result

    return [q for q in ordered if applies(q)]


def score_of(shown: Iterable[Question], answers: Mapping[str, str]) -> int:
    """The sum of the weights of the chosen options; unanswered and unscored questions add nothing."""
    total = 0
    for question in shown:
        if not question.is_scored:
            continue
        value = answers.get(question.code, "")
        option = next((o for o in question.options.all() if o.value == value), None)
        if option is not None:
            total += option.weight
    return total


def band_for(bands: Iterable[Band], score: int) -> Band | None:
    """The band with the highest threshold at or below the score (the lowest band if none is)."""
    ordered = sorted(bands, key=lambda b: b.min_score)
    if not ordered:
        return None
    chosen = ordered[0]
    for band in ordered:
        if band.min_score <= score:
            chosen = band
    return chosen


@dataclass(frozen=True)
class AnswerError:
    code: str
    message: str


def answer_errors(shown: Iterable[Question], answers: Mapping[str, str]) -> list[AnswerError]:
    """Required questions left blank, choices not offered and dates that are not dates."""
    errors: list[AnswerError] = []
    for question in shown:
        value = answers.get(question.code, "").strip()
        if not value:
            if question.required:
                errors.append(AnswerError(question.code, _("Answer “%(question)s”.") % {"question": question.text}))
            continue
        if question.is_scored and value not in {o.value for o in question.options.all()}:
            errors.append(
                AnswerError(
                    question.code,
                    _("Choose one of the answers offered for “%(question)s”.") % {"question": question.text},
                )
            )
        elif question.kind == QuestionKind.DATE:
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                errors.append(
                    AnswerError(question.code, _("Enter a real date for “%(question)s”.") % {"question": question.text})
                )
    return errors
