"""The progress of a piece of assigned work (an action, a review's recommendation): one set of states and rules."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BaseConstraint, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Progress(models.TextChoices):
    OPEN = "open", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_PROGRESS = (Progress.OPEN, Progress.IN_PROGRESS)


def progress_constraints(prefix: str) -> list[BaseConstraint]:
    """A known status, and a note of what was done once done; ``prefix`` names the constraints."""
    return [
        models.CheckConstraint(condition=Q(status__in=Progress.values), name=f"{prefix}_status_valid"),
        models.CheckConstraint(
            condition=~Q(status=Progress.DONE) | ~Q(completion_note=""), name=f"{prefix}_done_has_note"
        ),
    ]


def progress_check(status: str, completion_note: str, *, note_missing: str) -> None:
    """Refuse an unknown status, or "done" without a note (``note_missing`` says what to enter)."""
    if status not in Progress.values:
        raise ValidationError(gettext("Choose a status from the list."))
    if status == Progress.DONE and not completion_note.strip():
        raise ValidationError(note_missing)
