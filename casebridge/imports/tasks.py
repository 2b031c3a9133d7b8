"""Background imports, run by the django-tasks worker (immediately in tests)."""

from django_tasks import task

from casebridge.imports.models import ImportJob


@task()
def import_job_run(job_id: int) -> None:
    """Run (or resume) an import. A failure is recorded on the job by ``run_import``."""
    from casebridge.imports.services import run_import

    job = ImportJob.objects.select_related("partnership", "created_by").filter(pk=job_id).first()
    if job is not None:
        run_import(job)


@task()
def dry_run_job_run(job_id: int) -> None:
    """Check every row of an import in the background (the dry run)."""
    from casebridge.imports.services import run_dry_run

    job = ImportJob.objects.select_related("partnership", "created_by").filter(pk=job_id).first()
    if job is not None:
        run_dry_run(job)
