"""Action pages: my actions, my organisation's (managers), one action, and new actions on a case."""

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.actions import selectors, services
from casebridge.actions.forms import ReassignForm, StatusForm, TaskFilterForm, TaskForm
from casebridge.actions.models import Task
from casebridge.assessments.selectors import assessments_due_for_review
from casebridge.case_reviews.selectors import recommendations_owned
from casebridge.cases.policy import Act, does_casework_in, get_case_or_404
from casebridge.lib.pages import form_view, partnership_or_404
from casebridge.meetings import access as meeting_access
from casebridge.meetings import services as meeting_services
from casebridge.meetings.models import Meeting

PAGE_SIZE = 25
FORM = "actions/task_form.html"
TITLES = {"mine": _("My actions"), "organisation": _("My organisation's actions")}


def _filters(request: AuthenticatedRequest) -> tuple[TaskFilterForm, selectors.TaskFilters]:
    form = TaskFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.TaskFilters(state=data.get("state") or "open", priority=data.get("priority") or "")


def _is_manager(request: AuthenticatedRequest) -> bool:
    membership = getattr(request, "membership", None)
    return bool(
        membership
        and holds(request.user, Capability.MANAGE_STAFF, membership.partnership_id)
        and request.user.organisation_id
    )


REVIEWS_SHOWN = 10


def task_list(request: AuthenticatedRequest, scope: str = "mine") -> HttpResponse:
    partnership = partnership_or_404(request)
    if not does_casework_in(request.user, partnership.pk):
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


def meeting_tracker(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """The actions a meeting assigned, as the user may see them."""
    meeting = meeting_access.get_meeting_or_404(request.user, public_id, partnership_or_404(request))
    form, filters = _filters(request)
    tasks = selectors.task_list_meeting(
        user=request.user, partnership=meeting.partnership, meeting_id=meeting.pk, filters=filters
    )
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


def task_create(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    """A new action on a case's plan, or (with ?meeting=) assigned live in a meeting."""
    partnership = partnership_or_404(request)
    meeting: Meeting | None = None
    meeting_id = request.GET.get("meeting") or request.POST.get("meeting")
    if meeting_id:
        try:
            meeting = meeting_access.get_meeting_or_404(request.user, UUID(meeting_id), partnership)
        except ValueError:
            raise Http404 from None
    case = get_case_or_404(request.user, reference, Act.KNOW_EXISTS if meeting else Act.CONTRIBUTE, partnership)
    if meeting is not None:
        may_assign = meeting_access.may_assign_task(request.user, meeting, case)
    else:
        may_assign = services.may_assign(request.user, case)
    if not may_assign:
        raise Http404
    form = TaskForm(request.POST or None, partnership=partnership)

    def save(data: dict[str, Any]) -> Task:
        if meeting is not None:
            return meeting_services.meeting_task_create(actor=request.user, meeting=meeting, case=case, **data)
        return services.task_create(actor=request.user, case=case, **data)

    if meeting is not None:
        back = reverse("meetings:detail", args=[meeting.public_id])
    else:
        back = reverse("cases:summary", args=[case.reference])
    return form_view(
        request,
        form,
        save=save,
        success_message=_("Action added to %(ref)s.") % {"ref": case.reference},
        redirect_to=back,
        template=FORM,
        context={"title": _("Add an action"), "case": case, "meeting": meeting, "shows_personal_data": True},
    )


def task_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    task = selectors.get_task_or_404(request.user, public_id, partnership_or_404(request))
    runs_meeting = meeting_access.runs_task_meeting(request.user, task)
    may_update = services.may_update(request.user, task, runs_meeting=runs_meeting)
    if request.method == "POST" and not may_update:
        raise Http404
    form = StatusForm(request.POST or None, initial={"status": task.status, "completion_note": task.completion_note})
    return form_view(
        request,
        form,
        save=lambda data: services.task_status_set(actor=request.user, task=task, runs_meeting=runs_meeting, **data),
        success_message=_("Action updated."),
        redirect_to=reverse("actions:detail", args=[task.public_id]),
        template="actions/task_detail.html",
        context={
            "task": task,
            "may_update": may_update,
            "history": task.reassignments.select_related(
                "from_organisation", "from_user", "to_organisation", "to_user", "by"
            ),
            "overdue": task.is_overdue(timezone.localdate()),
            "shows_personal_data": True,
        },
        refused=(PermissionDenied,),
    )


def task_reassign(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    partnership = partnership_or_404(request)
    task = selectors.get_task_or_404(request.user, public_id, partnership)
    runs_meeting = meeting_access.runs_task_meeting(request.user, task)
    if not services.may_update(request.user, task, runs_meeting=runs_meeting) or not task.is_open:
        raise Http404
    form = ReassignForm(request.POST or None, partnership=partnership)
    return form_view(
        request,
        form,
        save=lambda data: services.task_reassign(
            actor=request.user,
            task=task,
            organisation=data["assigned_organisation"],
            user=data["assigned_user"],
            reason=data["reason"],
            runs_meeting=runs_meeting,
        ),
        success_message=_("Action reassigned."),
        redirect_to=reverse("actions:detail", args=[task.public_id]),
        template=FORM,
        context={"title": _("Reassign the action"), "case": task.case, "task": task, "shows_personal_data": True},
    )
