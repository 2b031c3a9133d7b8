"""The import wizard for partnership administrators: thin views over the migration services.

Start → upload (→ sheet) → columns → values → check (dry run) → report → import → progress →
report, and rollback. Every step reads and writes the job through the services, which audit.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.imports import selectors, services, wizard
from casebridge.imports.forms import ColumnsForm, LoadMappingForm, SheetForm, UploadForm, ValuesForm
from casebridge.imports.models import ImportJob, JobStatus, SavedMapping
from casebridge.imports.reading import SpreadsheetError
from casebridge.imports.templates import TEMPLATES, ImportTemplate
from casebridge.organisations.models import Partnership

View = Callable[..., HttpResponse]
PROBLEMS_PAGE_SIZE = 50
IN_PROGRESS = frozenset({JobStatus.VALIDATING, JobStatus.QUEUED, JobStatus.RUNNING})
ROLLBACK_STATES = frozenset({JobStatus.DONE, JobStatus.FAILED})
DONE_STATES = frozenset({JobStatus.VALIDATED, JobStatus.DONE})
STOP_POLLING = 286  # htmx stops polling on this status
# A job may be mapped and checked again until it is imported.
EDITABLE = frozenset({JobStatus.UPLOADED, JobStatus.VALIDATED, JobStatus.FAILED})


def administrators_only(view: View) -> View:
    """The partnership's administrators only (403 for anyone else, as the user import)."""

    @wraps(view)
    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = getattr(request, "membership", None)
        if membership is None or not holds(request.user, Capability.CONFIGURE_PARTNERSHIP, membership.partnership_id):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _partnership(request: AuthenticatedRequest) -> Partnership:
    assert request.membership is not None  # administrators_only
    return request.membership.partnership


def _template(name: str) -> ImportTemplate:
    template = TEMPLATES.get(name)
    if template is None:
        raise Http404
    return template


def _job(request: AuthenticatedRequest, public_id: UUID) -> ImportJob:
    """A job of the partnership the administrator works in; any other answers 404."""
    job = selectors.job_for(partnership=_partnership(request), public_id=public_id)
    if job is None:
        raise Http404
    return job


def _editable(request: AuthenticatedRequest, public_id: UUID) -> ImportJob | HttpResponse:
    job = _job(request, public_id)
    if job.status not in EDITABLE:
        return redirect("imports:report", public_id=job.public_id)
    return job


def _mapped(request: AuthenticatedRequest, public_id: UUID) -> ImportJob | HttpResponse:
    """An editable job whose columns are mapped; one without goes back to the columns step."""
    job = _editable(request, public_id)
    if isinstance(job, HttpResponse) or job.column_mapping:
        return job
    return redirect("imports:columns", public_id=job.public_id)


def _posted(request: AuthenticatedRequest, *, files: bool = False) -> tuple[Any, ...]:
    """A form's data: bound on POST even when nothing was sent, so that it shows its errors."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def _page(request: AuthenticatedRequest, name: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, f"imports/{name}.html", {"shows_personal_data": True, **context}, status=status)


def _form_page(request: AuthenticatedRequest, name: str, form: forms.BaseForm, context: dict[str, Any]) -> HttpResponse:
    """A wizard step's form page: 400 while the form shows errors."""
    return _page(request, name, {**context, "form": form}, status=400 if form.errors else 200)


@administrators_only
def start(request: AuthenticatedRequest) -> HttpResponse:
    jobs = selectors.jobs_for(partnership=_partnership(request))
    return _page(request, "start", {"templates": TEMPLATES.values(), "jobs": jobs})


@administrators_only
def blank_template(request: AuthenticatedRequest, template: str, fmt: str) -> HttpResponse:
    chosen = _template(template)
    if fmt == "csv":
        response = HttpResponse(chosen.blank_csv(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            chosen.blank_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="casebridge-{chosen.name}.{fmt}"'
    return response


@administrators_only
@require_http_methods(["GET", "POST"])
def upload(request: AuthenticatedRequest, template: str) -> HttpResponse:
    chosen = _template(template)
    form = UploadForm(*_posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            job = _create_job(request, chosen, upload.name or "upload", data)
        except SpreadsheetError as error:
            form.add_error("file", error.message)
        else:
            if len(services.job_table(job).sheet_names) > 1:
                return redirect("imports:sheet", public_id=job.public_id)
            return redirect("imports:columns", public_id=job.public_id)
    return _form_page(request, "upload", form, {"template": chosen})


def _create_job(request: AuthenticatedRequest, template: ImportTemplate, file_name: str, data: bytes) -> ImportJob:
    """The job for the upload, from its first sheet that can be imported (the person then chooses)."""
    sheets: list[str | None] = [None]
    first_error: SpreadsheetError | None = None
    while sheets:
        sheet = sheets.pop(0)
        try:
            with transaction.atomic():
                return services.create_job(
                    actor=request.user,
                    partnership=_partnership(request),
                    template=template.name,
                    file_name=file_name,
                    data=data,
                    sheet=sheet,
                )
        except SpreadsheetError as error:
            if first_error is None:
                first_error = error
                # A workbook whose first sheet is a cover or notes page: try its other sheets.
                sheets = list(wizard.workbook_sheet_names(data)[1:])
    assert first_error is not None
    raise first_error


@administrators_only
@require_http_methods(["GET", "POST"])
def sheet(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    job = _editable(request, public_id)
    if isinstance(job, HttpResponse):
        return job
    sheets = services.job_table(job).sheet_names
    if len(sheets) < 2:  # a CSV file, or a workbook of one sheet: nothing to choose
        return redirect("imports:columns", public_id=job.public_id)
    form = SheetForm(*_posted(request), sheets=sheets, initial={"sheet": job.sheet or sheets[0]})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.job_set_mapping(actor=request.user, job=job, sheet=form.cleaned_data["sheet"])
        except SpreadsheetError as error:
            form.add_error("sheet", error.message)
        else:
            return redirect("imports:columns", public_id=job.public_id)
    return _form_page(request, "sheet", form, {"job": job})


@administrators_only
@require_http_methods(["GET", "POST"])
def columns(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    job = _editable(request, public_id)
    if isinstance(job, HttpResponse):
        return job
    template = TEMPLATES[job.template]
    headers = services.job_table(job).headers
    saved = services.saved_mappings(partnership=job.partnership, template=job.template)
    load_form = LoadMappingForm(request.GET if "mapping" in request.GET else None, mappings=saved)
    loaded: SavedMapping | None = load_form.cleaned_data["mapping"] if load_form.is_valid() else None
    if loaded is not None:
        initial = {header: loaded.columns.get(header) or "" for header in headers}
    else:  # the upload filled in the suggestions
        initial = {header: job.column_mapping.get(header) or "" for header in headers}
    form = ColumnsForm(*_posted(request), template=template, headers=headers, initial_columns=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            services.job_set_mapping(actor=request.user, job=job, column_mapping=dict(form.columns()))
        return redirect("imports:values", public_id=job.public_id)
    context = {"job": job, "template": template, "load_form": load_form, "loaded": loaded}
    return _form_page(request, "columns", form, context)


@administrators_only
@require_http_methods(["GET", "POST"])
def values(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    job = _mapped(request, public_id)
    if isinstance(job, HttpResponse):
        return job
    groups = wizard.value_groups(
        template=TEMPLATES[job.template],
        table=services.job_table(job),
        columns=job.column_mapping,
        partnership=job.partnership,
    )
    taken = services.saved_mappings(partnership=job.partnership, template=job.template).values_list("name", flat=True)
    form = ValuesForm(
        *_posted(request),
        groups=groups,
        initial_values=job.value_mapping,
        taken_names=set(taken),
        initial={"date_order": job.date_order},
    )
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["save_as"]
        with transaction.atomic():
            services.job_set_mapping(
                actor=request.user, job=job, value_mapping=form.values(), date_order=form.cleaned_data["date_order"]
            )
            if name:
                services.saved_mapping_save(
                    actor=request.user,
                    partnership=job.partnership,
                    name=name,
                    template=job.template,
                    columns=dict(job.column_mapping),
                    values=job.value_mapping,
                    date_order=job.date_order,
                )
        if name:
            messages.success(request, _("Mapping “%(name)s” saved.") % {"name": name})
        return redirect("imports:check", public_id=job.public_id)
    context = {"job": job, "template": TEMPLATES[job.template]}
    return _form_page(request, "values", form, context)


@transaction.non_atomic_requests  # the dry run commits batch by batch, so its progress shows as it goes
@administrators_only
@require_http_methods(["GET", "POST"])
def check(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """The summary before the dry run; posting starts it."""
    job = _mapped(request, public_id)
    if isinstance(job, HttpResponse):
        return job
    if request.method == "POST":
        try:
            services.run_dry_run(job)
        except (services.MappingIncomplete, SpreadsheetError) as error:
            messages.error(request, error.message)
            return redirect("imports:columns", public_id=job.public_id)
        return redirect("imports:report", public_id=job.public_id)
    template = TEMPLATES[job.template]
    mapped = [(header, template.get(field)) for header, field in job.column_mapping.items() if field]
    skipped = [header for header, field in job.column_mapping.items() if not field]
    return _page(request, "check", {"job": job, "template": template, "mapped": mapped, "skipped": skipped})


@administrators_only
def progress(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """The progress bar while the job runs; htmx asks for the bar alone every second.

    When the job has ended, htmx gets the full bar and a link to the report, with status 286,
    which tells htmx to stop asking; without JavaScript the page sends the person to the report.
    """
    job = _job(request, public_id)
    partial = request.headers.get("HX-Request") == "true"
    finished = job.status not in IN_PROGRESS
    if finished and not partial:
        return redirect("imports:report", public_id=job.public_id)
    state = services.progress(job)
    context = {"job": job, "percent": 100 if job.status in DONE_STATES else state.percent, "finished": finished}
    if partial:
        return render(request, "imports/progress_bar.html", context, status=STOP_POLLING if finished else 200)
    return _page(request, "progress", context)


@administrators_only
def report(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    job = _job(request, public_id)
    if job.status in IN_PROGRESS:
        return redirect("imports:progress", public_id=job.public_id)
    problems = Paginator(selectors.job_problems(job=job), PROBLEMS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "job": job,
        "template": TEMPLATES[job.template],
        "counts": job.counts,
        "problems": problems,
        "can_import": job.status == JobStatus.VALIDATED,
        "can_edit": job.status in EDITABLE,
        "can_roll_back": job.status in ROLLBACK_STATES,
    }
    return _page(request, "report", context)


@administrators_only
def report_csv(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    job = _job(request, public_id)
    response = HttpResponse(services.report_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-report-{job.public_id}.csv"'
    return response


@login_not_required  # left to the decorators below, so that a GET is refused (405) before sign-in is asked for
@require_POST
@login_required
@administrators_only
def run(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    job = _job(request, public_id)
    if job.status != JobStatus.VALIDATED:
        messages.error(request, _("This file can be imported only once, after a check."))
        return redirect("imports:report", public_id=job.public_id)
    services.enqueue_import(job)
    return redirect("imports:progress", public_id=job.public_id)


@administrators_only
@require_http_methods(["GET", "POST"])
def rollback(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    job = _job(request, public_id)
    if job.status not in ROLLBACK_STATES:
        return redirect("imports:report", public_id=job.public_id)
    refusal = ""
    if request.method == "POST":
        try:
            services.rollback(actor=request.user, job=job)
        except services.RollbackRefused as error:
            refusal = error.message
        else:
            messages.success(request, _("The import was rolled back."))
            return redirect("imports:report", public_id=job.public_id)
    blockers = [] if refusal else services.rollback_blockers(job)
    context = {"job": job, "refusal": refusal, "blockers": blockers}
    return _page(request, "rollback", context, status=409 if refusal else 200)
