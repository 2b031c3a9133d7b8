"""Action pages: my actions, my organisation's (managers), one action, and new actions on a case."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.actions import selectors, services
from casebridge.actions.forms import ReassignForm, StatusForm, TaskFilterForm, TaskForm
from casebridge.assessments.selectors import assessments_due_for_review
from casebridge.case_reviews.selectors import recommendations_owned
from casebridge.cases.policy import Act, does_casework_in, get_case_or_404
from casebridge.lib.types import AuthenticatedRequest
from casebridge.meetings import access as meeting_access
from casebridge.meetings.models import Meeting
from casebridge.organisations.models import Role
from casebridge.web.cases.views import current_partnership

PAGE_SIZE = 25
TITLES = {"mine": _("My actions"), "organisation": _("My organisation's actions")}


def _filters(request: AuthenticatedRequest) -> tuple[TaskFilterForm, selectors.TaskFilters]:
    form = TaskFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.TaskFilters(state=data.get("state") or "open", priority=data.get("priority") or "")


def _is_manager(request: AuthenticatedRequest) -> bool:
    membership = getattr(request, "membership", None)
    return bool(membership and membership.role == Role.MANAGER and request.user.organisation_id)


REVIEWS_SHOWN = 10


@login_required
def task_list(request: AuthenticatedRequest, scope: str = "mine") -> HttpResponse:
    partnership = current_partnership(request)
    if partnership is None or not does_casework_in(request.user, partnership.pk):
        raise Http404
    if scope == "organisation" and not _is_manager(request):
        raise Http404
    form, filters = _filters(request)
    if scope == "mine":
        tasks = selectors.task_list_mine(user=request.user, partnership=partnership, filters=filters)
    else:
        tasks = selectors.task_list_organisation(user=request.user, partnership=partnership, filters=filters)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    # Overdue assessment reviews are tasks too.
    due = list(assessments_due_for_review(request.user, partnership)[:REVIEWS_SHOWN]) if scope == "mine" else []
    # So are the ASB Case Review recommendations the user (or their organisation) owns.
    recommendations = recommendations_owned(user=request.user, partnership=partnership) if scope == "mine" else []
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "actions/task_list.html",
        {
            "title": TITLES[scope],
            "scope": scope,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "is_manager": _is_manager(request),
            "due": due,
            "recommendations": recommendations,
            "shows_personal_data": True,
        },
    )


@login_required
def meeting_tracker(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """The actions a meeting assigned, as the user may see them."""
    meeting = meeting_access.get_meeting_or_404(request.user, public_id, current_partnership(request))
    form, filters = _filters(request)
    tasks = selectors.task_list_meeting(user=request.user, meeting=meeting, filters=filters)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "actions/task_list.html",
        {
            "title": _("Actions from %(meeting)s") % {"meeting": meeting},
            "scope": "meeting",
            "meeting": meeting,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "shows_personal_data": True,
        },
    )


@login_required
@transaction.atomic
def task_create(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    """A new action on a case's plan, or (with ?meeting=) assigned live in a meeting."""
    partnership = current_partnership(request)
    meeting: Meeting | None = None
    meeting_id = request.GET.get("meeting") or request.POST.get("meeting")
    if meeting_id:
        try:
            meeting = meeting_access.get_meeting_or_404(request.user, UUID(meeting_id), partnership)
        except ValueError:
            raise Http404 from None
    case = get_case_or_404(request.user, reference, Act.KNOW_EXISTS if meeting else Act.CONTRIBUTE, partnership)
    if not services.may_assign(request.user, case, meeting):
        raise Http404
    assert partnership is not None
    form = TaskForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_create(actor=request.user, case=case, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Action added to %(ref)s.") % {"ref": case.reference})
            if meeting is not None:
                return redirect("meetings:detail", public_id=meeting.public_id)
            return redirect("cases:summary", reference=case.reference)
    return render(
        request,
        "actions/task_form.html",
        {"title": _("Add an action"), "form": form, "case": case, "meeting": meeting, "shows_personal_data": True},
    )


@login_required
@transaction.atomic
def task_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    task = selectors.get_task_or_404(request.user, public_id, current_partnership(request))
    may_update = services.may_update(request.user, task)
    form = StatusForm(request.POST or None, initial={"status": task.status, "completion_note": task.completion_note})
    if request.method == "POST":
        if not may_update:
            raise Http404
        if form.is_valid():
            try:
                services.task_status_set(actor=request.user, task=task, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, _("Action updated."))
                return redirect("actions:detail", public_id=task.public_id)
    return render(
        request,
        "actions/task_detail.html",
        {
            "task": task,
            "form": form,
            "may_update": may_update,
            "history": task.reassignments.select_related(
                "from_organisation", "from_user", "to_organisation", "to_user", "by"
            ),
            "overdue": task.is_overdue(timezone.localdate()),
            "shows_personal_data": True,
        },
    )


@login_required
@transaction.atomic
def task_reassign(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    partnership = current_partnership(request)
    task = selectors.get_task_or_404(request.user, public_id, partnership)
    if not services.may_update(request.user, task) or not task.is_open:
        raise Http404
    assert partnership is not None
    form = ReassignForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.task_reassign(
                actor=request.user,
                task=task,
                organisation=data["assigned_organisation"],
                user=data["assigned_user"],
                reason=data["reason"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Action reassigned."))
            return redirect("actions:detail", public_id=task.public_id)
    return render(
        request,
        "actions/task_form.html",
        {"title": _("Reassign the action"), "form": form, "case": task.case, "task": task, "shows_personal_data": True},
    )
