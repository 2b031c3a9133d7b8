"""Reads for the import pages: always within the partnership the administrator works in."""

from typing import Any

from django.db.models import QuerySet

from casebridge.imports.models import ImportJob, ImportProblem
from casebridge.organisations.models import Partnership

PAST_JOBS_SHOWN = 50


def jobs_for(*, partnership: Partnership) -> QuerySet[ImportJob]:
    """The partnership's imports, newest first, with who uploaded them (one query)."""
    return (
        ImportJob.objects.filter(partnership=partnership)
        .select_related("created_by")
        .order_by("-created_at", "-id")[:PAST_JOBS_SHOWN]
    )


def job_for(*, partnership: Partnership, public_id: Any) -> ImportJob | None:
    return (
        ImportJob.objects.filter(partnership=partnership, public_id=public_id)
        .select_related("partnership", "created_by", "rolled_back_by")
        .first()
    )


def job_problems(*, job: ImportJob) -> QuerySet[ImportProblem]:
    return ImportProblem.objects.filter(job=job).order_by("row", "pk")
