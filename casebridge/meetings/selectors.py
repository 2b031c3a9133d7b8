"""Reads on meetings: agendas, candidates for the next agenda, and what each attendee may see."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from casebridge.accounts.models import User
from casebridge.actions.models import OPEN_STATUSES, Task
from casebridge.cases.models import Case, RiskLevel, Status
from casebridge.cases.policy import Act, visible_cases
from casebridge.meetings import access
from casebridge.meetings.models import AgendaItem, ItemState, Meeting, Minute, Source
from casebridge.referrals.models import Referral
from casebridge.referrals.models import Status as ReferralStatus


@dataclass(frozen=True)
class Candidate:
    case: Case
    source: str
    reason: str


# A source proposes cases for a meeting's agenda; other apps may add one with
# ``register_agenda_source(fn)``. The built-in ones are below.
AgendaSource = Callable[[Meeting], Iterable[Candidate]]
AGENDA_SOURCES: list[AgendaSource] = []


def register_agenda_source(source: AgendaSource) -> AgendaSource:
    if source not in AGENDA_SOURCES:
        AGENDA_SOURCES.append(source)
    return source


def _live_cases(meeting: Meeting) -> QuerySet[Case]:
    return Case.objects.filter(partnership_id=meeting.partnership_id).exclude(status=Status.CLOSED)


def accepted_referral_cases(meeting: Meeting) -> Iterable[Candidate]:
    """Cases from referrals made for this kind of meeting and accepted by its referral deadline.

    A referral counts until its case has been on an agenda of this series at a meeting held
    after the referral was accepted: then the meeting has discussed it.
    """
    discussed = AgendaItem.objects.filter(
        case_id=OuterRef("case_id"),
        state=ItemState.AGREED,
        meeting__series_id=meeting.series_id,
        meeting__starts_at__gte=OuterRef("decided_at"),
        meeting__starts_at__lt=meeting.starts_at,
    )
    referrals = (
        Referral.objects.filter(
            partnership_id=meeting.partnership_id,
            status=ReferralStatus.ACCEPTED,
            purpose=meeting.series.kind,
            decided_at__date__lte=meeting.referral_deadline,
            case__in=_live_cases(meeting),
        )
        .exclude(Exists(discussed))
        .select_related("case")
        .order_by("decided_at")
    )
    for referral in referrals:
        assert referral.case is not None
        yield Candidate(referral.case, Source.REFERRAL, str(Source.REFERRAL.label))


def review_due_cases(meeting: Meeting) -> Iterable[Candidate]:
    """Cases whose latest published minutes in this series set a review date this meeting reaches."""
    day = timezone.localdate(meeting.starts_at)
    latest = Minute.objects.filter(
        item__case_id=OuterRef("pk"),
        item__meeting__series_id=meeting.series_id,
        item__meeting__minutes_published_at__isnull=False,
    ).order_by("-item__meeting__starts_at")
    due = _live_cases(meeting).annotate(next_review=Subquery(latest.values("next_review_on")[:1]))
    for case in due.filter(Q(next_review__lte=day) | Q(status=Status.UNDER_REVIEW)):
        yield Candidate(case, Source.REVIEW_DUE, str(Source.REVIEW_DUE.label))


def high_risk_cases(meeting: Meeting) -> Iterable[Candidate]:
    for case in _live_cases(meeting).filter(risk_level=RiskLevel.HIGH):
        yield Candidate(case, Source.HIGH_RISK, str(Source.HIGH_RISK.label))


def overdue_action_cases(meeting: Meeting) -> Iterable[Candidate]:
    day = timezone.localdate(meeting.starts_at)
    overdue = Task.objects.filter(
        partnership_id=meeting.partnership_id, status__in=OPEN_STATUSES, due_on__lt=day
    ).values("case_id")
    for case in _live_cases(meeting).filter(pk__in=overdue):
        yield Candidate(case, Source.OVERDUE_ACTIONS, str(Source.OVERDUE_ACTIONS.label))


BUILT_IN_SOURCES: list[AgendaSource] = [
    accepted_referral_cases,
    review_due_cases,
    high_risk_cases,
    overdue_action_cases,
]


def agenda_candidates(*, meeting: Meeting, user: User | None = None) -> list[Candidate]:
    """Cases to propose for the agenda: one candidate per case, first reason wins.

    A case already proposed, agreed, declined or removed for this meeting is not suggested again.
    With ``user``, only cases that user may see (a person proposes only what they may see).
    """
    already = set(meeting.items.values_list("case_id", flat=True))
    allowed = None
    if user is not None:
        allowed = set(visible_cases(user, meeting.partnership, Act.VIEW).values_list("pk", flat=True))
    seen: dict[int, Candidate] = {}
    for source in [*AGENDA_SOURCES, *BUILT_IN_SOURCES]:
        for candidate in source(meeting):
            pk = candidate.case.pk
            if pk not in already and pk not in seen and (allowed is None or pk in allowed):
                seen[pk] = candidate
    return list(seen.values())


def agenda_items(*, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The agenda: agreed items still on it."""
    return (
        meeting.items.filter(state=ItemState.AGREED, removed_at__isnull=True)
        .select_related("case", "case__case_type", "case__lead_organisation", "minute")
        .order_by("position", "added_at")
    )


def agenda_items_visible(*, user: User, meeting: Meeting) -> list[AgendaItem]:
    """The agenda as this user may read it now: cases they may see, and, for named attendees, every
    agreed item while the papers window is open. Other items are left out, unnamed."""
    items = agenda_items(meeting=meeting)
    if access.attendee_reads_papers(user, meeting):
        return list(items)
    visible = visible_cases(user, meeting.partnership, Act.VIEW).values("pk")
    return list(items.filter(case_id__in=visible))


def proposals_pending(*, meeting: Meeting) -> QuerySet[AgendaItem]:
    return (
        meeting.items.filter(state=ItemState.PROPOSED, removed_at__isnull=True)
        .select_related("case", "case__lead_organisation", "added_by")
        .order_by("added_at")
    )


def proposals_for_case(*, case: Case) -> QuerySet[AgendaItem]:
    """Pending proposals of this case for meetings whose minutes are not yet published: the case page panel."""
    return (
        AgendaItem.objects.filter(
            case=case, state=ItemState.PROPOSED, removed_at__isnull=True, meeting__minutes_published_at__isnull=True
        )
        .select_related("meeting", "meeting__series", "added_by")
        .order_by("meeting__starts_at")
    )


def removed_items_visible(*, user: User, meeting: Meeting) -> list[AgendaItem]:
    visible = visible_cases(user, meeting.partnership, Act.VIEW).values("pk")
    return list(
        meeting.items.filter(removed_at__isnull=False, case_id__in=visible)
        .select_related("case", "removed_by")
        .order_by("removed_at")
    )


def meetings_upcoming(*, meetings: QuerySet[Meeting], today: datetime.date | None = None) -> QuerySet[Meeting]:
    day = today or timezone.localdate()
    return meetings.filter(starts_at__date__gte=day).select_related("series").order_by("starts_at")


def meetings_past(*, meetings: QuerySet[Meeting], today: datetime.date | None = None) -> QuerySet[Meeting]:
    day = today or timezone.localdate()
    return meetings.filter(starts_at__date__lt=day).select_related("series").order_by("-starts_at")
