"""Creating notifications and sending their emails.

Emails carry only a reference and a link: the reader signs in to see the rest. When a
notification is about a case, only users the access policy lets see the case receive it.
"""

import datetime
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.accounts.models import User
from casebridge.cases.models import Case
from casebridge.cases.policy import Act, can
from casebridge.notifications.emails import email_mode, email_send, notification_email_job
from casebridge.notifications.models import EmailMode, Kind, Notification, Preference
from casebridge.organisations.models import Organisation, Role

if TYPE_CHECKING:
    from casebridge.actions.models import Task
    from casebridge.meetings.models import Meeting

RETRY_AFTER = datetime.timedelta(hours=1)


@transaction.atomic
def preference_set(*, actor: User, email_mode: str) -> Preference:
    preference, _created = Preference.objects.update_or_create(user=actor, defaults={"email_mode": email_mode})
    return preference


def _email_later(notification_id: int) -> None:
    notification_email_job.enqueue(notification_id)


@transaction.atomic
def notify(
    *,
    users: Iterable[User],
    kind: str,
    reference: str,
    path: str,
    case: Case | None = None,
    summary: str = "",
    email: bool = True,
) -> list[Notification]:
    """Notify each active user once, in the app and (unless ``email`` is False) by email.

    ``summary`` must be fixed text from the code, never anything a user typed. Each-mode users'
    emails are queued for the task worker once the transaction commits, so sending mail never
    holds up or fails the request that caused the notification.
    """
    created: list[Notification] = []
    seen: set[int] = set()
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if case is not None and not can(user, Act.VIEW, case):
            continue
        notification = Notification.objects.create(
            user=user,
            kind=kind,
            reference=reference,
            path=path,
            summary=summary,
            # Nothing to email: marked as done so digests and retries leave it alone.
            emailed_at=None if email else timezone.now(),
        )
        created.append(notification)
        if email and email_mode(user) == EmailMode.EACH:
            transaction.on_commit(partial(_email_later, notification.pk))
    return created


def digests_send(*, now: datetime.datetime | None = None) -> int:
    """Daily: one email per digest-mode user with everything not yet emailed; returns emails sent.

    Each-mode users' notifications that are still not emailed an hour after they were made
    (the worker could not send them, e.g. the mail server was down) go out here too, in one email.
    """
    retry_before = (now or timezone.now()) - RETRY_AFTER
    sent = 0
    user_ids = (
        Notification.objects.filter(emailed_at__isnull=True, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user in User.objects.filter(pk__in=list(user_ids)):
        mode = email_mode(user)
        pending = Notification.objects.filter(user=user, emailed_at__isnull=True).order_by("created_at")
        if mode == EmailMode.EACH:
            pending = pending.filter(created_at__lt=retry_before)
        elif mode != EmailMode.DIGEST:
            continue
        notifications = list(pending)
        if notifications:
            email_send(user, notifications, _("Casebridge: your notifications"))
            sent += 1
    return sent


def organisation_managers(organisation: Organisation, partnership_id: int) -> Iterable[User]:
    return User.objects.filter(
        organisation=organisation,
        is_active=True,
        memberships__partnership_id=partnership_id,
        memberships__role=Role.MANAGER,
    )


def _task_recipients(task: "Task") -> Iterable[User]:
    if task.assigned_user is not None:
        return [task.assigned_user]
    return organisation_managers(task.assigned_organisation, task.partnership_id)


def notify_task_assigned(*, task: "Task") -> None:
    notify(
        users=_task_recipients(task),
        kind=Kind.TASK_ASSIGNED,
        reference=task.case.reference,
        path=reverse("actions:detail", args=[task.public_id]),
        case=task.case,
    )


def notify_task_overdue(*, task: "Task") -> None:
    notify(
        users=_task_recipients(task),
        kind=Kind.TASK_OVERDUE,
        reference=task.case.reference,
        path=reverse("actions:detail", args=[task.public_id]),
        case=task.case,
    )


def notify_papers_published(*, meeting: "Meeting", users: Iterable[User]) -> None:
    notify(
        users=users,
        kind=Kind.PAPERS_PUBLISHED,
        reference=timezone.localtime(meeting.starts_at).strftime("%d %b %Y"),
        path=reverse("meetings:papers", args=[meeting.public_id]),
    )


def notify_review_due(*, case: Case) -> None:
    users = [case.lead_officer] if case.lead_officer else []
    notify(
        users=users,
        kind=Kind.REVIEW_DUE,
        reference=case.reference,
        path=reverse("cases:summary", args=[case.reference]),
        case=case,
    )


def notify_referral_decision(*, user: User, reference: str, path: str, summary: str) -> None:
    """Tell the referrer the decision on their referral (accepted, declined, more information)."""
    notify(users=[user], kind=Kind.REFERRAL_DECISION, reference=reference, path=path, summary=summary)
