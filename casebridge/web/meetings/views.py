"""Meeting pages: series, agendas, attendance, minutes and papers.

Meetings are fetched through meetings.access. An agenda item is named to those who may see its
case (cases.policy) and, while the papers window is open, to the meeting's named attendees;
to anyone else it is not even named.
"""

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.cases.models import Case
from casebridge.cases.policy import Act, can, does_casework_in, visible_cases
from casebridge.lib.pages import FormPage, form_view, partnership_or_404
from casebridge.meetings import access, papers, selectors, services
from casebridge.meetings.forms import (
    AgendaAddForm,
    AttendanceForm,
    LeadForm,
    MinuteForm,
    ReasonForm,
    ScheduleForm,
    SeriesForm,
)
from casebridge.meetings.models import AgendaItem, Attendance, Meeting, Pack, Source

PROGRESS_REFRESH_SECONDS = 2
FORM = "meetings/form.html"
T = TypeVar("T")


def _meeting(request: AuthenticatedRequest, public_id: UUID) -> Meeting:
    return access.get_meeting_or_404(request.user, public_id, partnership_or_404(request))


def _running(request: AuthenticatedRequest, public_id: UUID) -> Meeting:
    meeting = _meeting(request, public_id)
    if not access.may_run(request.user, meeting):
        raise Http404
    return meeting


def _building(request: AuthenticatedRequest, public_id: UUID) -> Meeting:
    meeting = _meeting(request, public_id)
    if not access.builds_agenda(request.user, meeting):
        raise Http404
    return meeting


def _item_row(request: AuthenticatedRequest, public_id: UUID) -> AgendaItem:
    item = (
        AgendaItem.objects.select_related(
            "meeting", "meeting__series", "meeting__partnership", "case", "case__lead_organisation"
        )
        .filter(partnership=partnership_or_404(request), public_id=public_id)
        .first()
    )
    if item is None:
        raise Http404
    return item


def _item(request: AuthenticatedRequest, public_id: UUID) -> AgendaItem:
    """An agreed item still on the agenda of a meeting the user may see, which they may read or run."""
    item = _item_row(request, public_id)
    if not item.is_on or not access.may_see(request.user, item.meeting):
        raise Http404
    if not (access.may_read_item(request.user, item) or access.may_run(request.user, item.meeting)):
        raise Http404
    return item


def _proposal(request: AuthenticatedRequest, public_id: UUID) -> AgendaItem:
    """A pending proposal the user may decide: whoever may manage the case, or the agenda's builder."""
    item = _item_row(request, public_id)
    if not item.is_pending or not access.may_decline(request.user, item):
        raise Http404
    return item


def _back_to(request: AuthenticatedRequest, item: AgendaItem) -> HttpResponse:
    """Back to the case page when deciding from it, else to the meeting."""
    if request.POST.get("from") == "case" and can(request.user, Act.VIEW, item.case):
        return redirect("cases:summary", reference=item.case.reference)
    if access.may_see(request.user, item.meeting):
        return redirect("meetings:detail", public_id=item.meeting.public_id)
    return redirect("cases:summary", reference=item.case.reference)


def _detail_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.public_id])


def _form_context(title: str, meeting: Meeting | None, **extra: Any) -> dict[str, Any]:
    return {"title": title, "meeting": meeting, "shows_personal_data": True, **extra}


def _meeting_page(meeting: Meeting, title: str, **extra: Any) -> FormPage:
    """A form about one meeting, returning to the meeting's page."""
    return {"redirect_to": _detail_url(meeting), "template": FORM, "context": _form_context(title, meeting, **extra)}


def _meeting_step(
    request: AuthenticatedRequest, meeting: Meeting, step: Callable[[], T], message: str | Callable[[T], str]
) -> HttpResponse:
    """A one-button step on a meeting: a refusal is shown as an error on the meeting's page."""
    try:
        result = step()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message(result) if callable(message) else message)
    return redirect("meetings:detail", public_id=meeting.public_id)


def meeting_list(request: AuthenticatedRequest) -> HttpResponse:
    partnership = partnership_or_404(request)
    if not does_casework_in(request.user, partnership.pk):
        raise Http404
    meetings = access.visible_meetings(request.user, partnership)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "upcoming": selectors.meetings_upcoming(meetings=meetings),
            "past": selectors.meetings_past(meetings=meetings)[:20],
            "series_list": access.visible_series(request.user, partnership).select_related("chair"),
            "coordinates": access.coordinates(request.user, partnership.pk),
        },
    )


def series_create(request: AuthenticatedRequest) -> HttpResponse:
    partnership = partnership_or_404(request)
    if not access.coordinates(request.user, partnership.pk):
        raise Http404
    form = SeriesForm(request.POST or None, partnership=partnership)
    return form_view(
        request,
        form,
        save=lambda data: services.series_create(
            actor=request.user,
            partnership=partnership,
            kind=data["kind"],
            name=data["name"],
            chair=data["chair"],
            member_organisations=list(data["member_organisations"]),
            attendees=list(data["attendees"]),
            cadence=data["cadence"],
            referral_deadline_days=data["referral_deadline_days"],
            papers_days=data["papers_days"],
        ),
        success_message=lambda series: _("Meeting series %(name)s set up.") % {"name": series.name},
        redirect_to=lambda series: reverse("meetings:series", args=[series.public_id]),
        template=FORM,
        context=_form_context(_("Set up a meeting series"), None),
    )


def series_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    series = access.get_series_or_404(request.user, public_id, partnership_or_404(request))
    return render(
        request,
        "meetings/series_detail.html",
        {
            "series": series,
            "members": series.member_organisations.all(),
            "attendees": series.attendees.select_related("organisation"),
            "meetings": series.meetings.order_by("-starts_at")[:20],
            "coordinates": access.coordinates(request.user, series.partnership_id),
        },
    )


def meeting_schedule(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    series = access.get_series_or_404(request.user, public_id, partnership_or_404(request))
    if not access.coordinates(request.user, series.partnership_id):
        raise Http404
    form = ScheduleForm(request.POST or None)
    return form_view(
        request,
        form,
        save=lambda data: services.meeting_schedule(
            actor=request.user, series=series, starts_at=data["starts_at"], venue=data["venue"]
        ),
        success_message=_("Meeting scheduled."),
        redirect_to=_detail_url,
        template=FORM,
        context=_form_context(_("Schedule a meeting of %(name)s") % {"name": series.name}, None),
    )


def meeting_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    meeting = _meeting(request, public_id)
    user = request.user
    runs = access.may_run(user, meeting)
    builds = access.builds_agenda(user, meeting)
    items = (
        list(selectors.agenda_items(meeting=meeting))
        if runs
        else selectors.agenda_items_visible(user=user, meeting=meeting)
    )
    visible_ids = set(
        visible_cases(user, meeting.partnership, Act.VIEW)
        .filter(pk__in=[i.case_id for i in items])
        .values_list("pk", flat=True)
    )
    lead_ids = {i.case_id for i in items if i.case.lead_organisation_id == user.organisation_id}

    def case_ids(act: Act) -> set[int]:
        cases = visible_cases(user, meeting.partnership, act).filter(pk__in=[i.case_id for i in items])
        return set(cases.values_list("pk", flat=True))

    # The same answers as access.may_remove and access.may_assign_task, one query each for the whole agenda.
    manage_ids, contribute_ids = case_ids(Act.MANAGE), case_ids(Act.CONTRIBUTE)
    rows = [
        {
            "item": i,
            "visible": i.case_id in visible_ids,
            "is_lead": i.case_id in lead_ids,
            "may_remove": runs or i.case_id in manage_ids,
            "may_assign": runs or i.case_id in contribute_ids,
        }
        for i in items
    ]
    proposals = [
        {"item": p, "visible": can(user, Act.VIEW, p.case), "may_agree": access.may_agree(user, p)}
        for p in selectors.proposals_pending(meeting=meeting)
    ]
    # Pending proposals are named to the agenda's builder and to those who may see their case.
    proposals = [p for p in proposals if builds or p["visible"]]
    attendance = Attendance.objects.filter(meeting=meeting, user=user).first()
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "rows": rows,
            "removed": selectors.removed_items_visible(user=user, meeting=meeting),
            "runs": runs,
            "builds": builds,
            "proposals": proposals,
            "papers_window": access.papers_window(meeting),
            "is_attendee": access.is_attendee(user, meeting),
            "acknowledged": attendance is not None and attendance.acknowledged_at is not None,
            "candidates": selectors.agenda_candidates(meeting=meeting, user=user) if builds else [],
            "shows_personal_data": True,
        },
    )


@require_POST
def agenda_build(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    meeting = _building(request, public_id)
    return _meeting_step(
        request,
        meeting,
        lambda: services.agenda_build(actor=request.user, meeting=meeting),
        lambda proposed: _("%(n)d cases proposed for the agenda.") % {"n": len(proposed)},
    )


def _proposed_message(item: AgendaItem) -> str:
    if item.is_on:
        return _("%(ref)s added to the agenda.") % {"ref": item.case.reference}
    return _("%(ref)s proposed for the agenda: it waits for the lead organisation's agreement.") % {
        "ref": item.case.reference
    }


def agenda_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """Propose a case: anyone who may see the meeting and the case."""
    meeting = _meeting(request, public_id)
    if meeting.minutes_published_at is not None:
        raise Http404
    form = AgendaAddForm(request.POST or None)

    def save(data: dict[str, Any]) -> AgendaItem:
        reference = data["reference"].strip().upper()
        case = Case.objects.filter(partnership_id=meeting.partnership_id, reference=reference).first()
        if case is None or not can(request.user, Act.VIEW, case):
            raise ValidationError({"reference": _("There is no case with that reference that you may see.")})
        return services.agenda_item_propose(
            actor=request.user, meeting=meeting, case=case, source=Source.COORDINATOR, reason=data["reason"]
        )

    return form_view(
        request,
        form,
        save=save,
        success_message=_proposed_message,
        **_meeting_page(meeting, _("Propose a case for the agenda")),
    )


@require_POST
def proposal_agree(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    item = _proposal(request, public_id)
    if not access.may_agree(request.user, item):
        raise Http404
    try:
        services.agenda_proposal_agree(actor=request.user, item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(ref)s is on the agenda.") % {"ref": item.case.reference})
    return _back_to(request, item)


@require_POST
def proposal_decline(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    item = _proposal(request, public_id)
    try:
        services.agenda_proposal_decline(actor=request.user, item=item, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The proposal of %(ref)s is declined.") % {"ref": item.case.reference})
    return _back_to(request, item)


@require_POST
def agenda_publish(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    meeting = _building(request, public_id)
    return _meeting_step(
        request, meeting, lambda: services.agenda_publish(actor=request.user, meeting=meeting), _("Agenda published.")
    )


def item_remove(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    item = _item(request, public_id)
    if not access.may_remove(request.user, item):
        raise Http404
    form = ReasonForm(request.POST or None)
    return form_view(
        request,
        form,
        save=lambda data: services.agenda_item_remove(actor=request.user, item=item, reason=data["reason"]),
        success_message=_("%(ref)s removed from the agenda.") % {"ref": item.case.reference},
        **_meeting_page(item.meeting, _("Remove %(ref)s from the agenda") % {"ref": item.case.reference}),
    )


@require_POST
def item_move(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    item = _item(request, public_id)
    if not access.builds_agenda(request.user, item.meeting):
        raise Http404
    services.agenda_item_move(actor=request.user, item=item, up=request.POST.get("direction") == "up")
    return redirect("meetings:detail", public_id=item.meeting.public_id)


def item_lead(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    item = _item(request, public_id)
    if not can(request.user, Act.LEAD, item.case):
        raise Http404
    form = LeadForm(request.POST or None, initial={"timeline_restricted": item.timeline_restricted})

    def save(data: dict[str, Any]) -> None:
        if data["timeline_restricted"] != item.timeline_restricted:
            services.agenda_item_restrict(actor=request.user, item=item, restricted=data["timeline_restricted"])
        if data["objection"].strip():
            services.agenda_item_object(actor=request.user, item=item, objection=data["objection"])

    title = _("%(ref)s on this agenda: your organisation's wishes") % {"ref": item.case.reference}
    return form_view(
        request,
        form,
        save=save,
        success_message=_("Your organisation's wishes for %(ref)s are recorded.") % {"ref": item.case.reference},
        **_meeting_page(item.meeting, title),
    )


def item_minutes(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    item = _item(request, public_id)
    if not access.may_run(request.user, item.meeting):
        raise Http404
    minute = getattr(item, "minute", None)
    initial = {}
    if minute is not None:
        initial = {f: getattr(minute, f) for f in MinuteForm.base_fields}
    form = MinuteForm(request.POST or None, initial=initial)
    return form_view(
        request,
        form,
        save=lambda data: services.minute_record(actor=request.user, item=item, **data),
        success_message=_("Minutes for %(ref)s saved.") % {"ref": item.case.reference},
        **_meeting_page(item.meeting, _("Minutes for %(ref)s") % {"ref": item.case.reference}, item=item),
    )


def attendance(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    meeting = _running(request, public_id)
    attendees = meeting.series.attendees.select_related("organisation").order_by("last_name")
    present = Attendance.objects.filter(meeting=meeting, present=True).values_list("user_id", flat=True)
    form = AttendanceForm(request.POST or None, attendees=attendees, initial={"present": list(present)})
    acknowledged = Attendance.objects.filter(meeting=meeting, acknowledged_at__isnull=False).select_related("user")
    return form_view(
        request,
        form,
        save=lambda data: services.attendance_record(
            actor=request.user, meeting=meeting, present=list(data["present"])
        ),
        success_message=_("Attendance recorded."),
        **_meeting_page(meeting, _("Attendance"), acknowledged=acknowledged),
    )


@require_POST
def acknowledge(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    meeting = _meeting(request, public_id)
    if not access.is_attendee(request.user, meeting):
        raise Http404
    services.confidentiality_acknowledge(actor=request.user, meeting=meeting)
    messages.success(request, _("Thank you: your acknowledgement is recorded."))
    return redirect("meetings:detail", public_id=meeting.public_id)


@require_POST
def minutes_publish(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    meeting = _running(request, public_id)
    return _meeting_step(
        request,
        meeting,
        lambda: services.minutes_publish(actor=request.user, meeting=meeting),
        lambda count: _("Minutes published onto %(n)d case timelines.") % {"n": count},
    )


@require_POST
def papers_publish(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    meeting = _running(request, public_id)
    return _meeting_step(
        request,
        meeting,
        lambda: services.papers_publish(actor=request.user, meeting=meeting),
        _("Papers published: each attendee's pack is being prepared."),
    )


def _attending(request: AuthenticatedRequest, public_id: UUID) -> Meeting:
    meeting = _meeting(request, public_id)
    if not access.is_attendee(request.user, meeting):
        raise Http404
    return meeting


def meeting_papers(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """The attendee's papers on screen, with their PDF's progress; refreshes itself while building."""
    meeting = _attending(request, public_id)
    pack = (
        Pack.objects.filter(meeting=meeting, recipient=request.user)
        .only("public_id", "state", "done", "total", "built_at")
        .first()
    )
    published = meeting.papers_published_at is not None
    ready = pack if pack is not None and pack.state == Pack.State.READY else None
    if ready is not None and services.pack_withdraw_if_stale(pack=ready, reader=request.user):
        ready.state = Pack.State.WITHDRAWN
    content = papers.pack_content(request.user, meeting) if published else []
    response = render(
        request,
        "meetings/papers.html",
        {"meeting": meeting, "pack": pack, "published": published, "content": content, "shows_personal_data": True},
    )
    if pack is not None and pack.state in (Pack.State.QUEUED, Pack.State.BUILDING):
        response["Refresh"] = str(PROGRESS_REFRESH_SECONDS)
    return response


@require_POST
def papers_request(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    meeting = _attending(request, public_id)
    if meeting.papers_published_at is None:
        raise Http404
    services.pack_request(actor=request.user, meeting=meeting)
    return redirect("meetings:papers", public_id=meeting.public_id)


def papers_download(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    meeting = _attending(request, public_id)
    pack = Pack.objects.filter(meeting=meeting, recipient=request.user).first()
    if pack is None or pack.state not in (Pack.State.READY, Pack.State.WITHDRAWN):
        raise Http404
    # Never served with a case its reader may not read now: withdrawn (a write kept, so no 404 here).
    if pack.state == Pack.State.WITHDRAWN or services.pack_withdraw_if_stale(pack=pack, reader=request.user):
        messages.error(request, _("Your pack was withdrawn. Prepare it again for what you may read now."))
        return redirect("meetings:papers", public_id=meeting.public_id)
    if not pack.pdf:
        raise Http404
    services.pack_downloaded(actor=request.user, pack=pack)
    response = HttpResponse(bytes(pack.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="papers-{meeting.starts_at:%Y-%m-%d}.pdf"'
    return response
