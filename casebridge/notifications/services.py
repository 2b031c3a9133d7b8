"""Creating notifications and sending their emails.

Emails carry only a reference and a link: the reader signs in to see the rest. When a
notification is about a case, only users the access policy lets see the case receive it.
"""

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.accounts.models import User
from casebridge.cases.models import Case
from casebridge.notifications.models import EmailMode, Kind, Notification, Preference
from casebridge.organisations.models import Organisation, Role
from casebridge.sharing.policy import Act, can

if TYPE_CHECKING:
    from casebridge.meetings.models import Meeting
    from casebridge.tasks.models import Task


def email_mode(user: User) -> str:
    preference = Preference.objects.filter(user=user).first()
    return preference.email_mode if preference else EmailMode.EACH


@transaction.atomic
def preference_set(*, actor: User, email_mode: str) -> Preference:
    preference, _created = Preference.objects.update_or_create(user=actor, defaults={"email_mode": email_mode})
    return preference


def _email_body(notifications: list[Notification]) -> str:
    lines = [_("You have new notifications in Casebridge."), ""]
    for notification in notifications:
        lines.append(f"- {notification.get_kind_display()}: {notification.reference}")
        lines.append(f"  {settings.SITE_URL}{notification.path}")
    lines += ["", _("Sign in to see the details. This email holds no personal information.")]
    return "\n".join(lines)


def _send(user: User, notifications: list[Notification], subject: str) -> None:
    send_mail(subject, _email_body(notifications), None, [user.email])
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())


@transaction.atomic
def notify(
    *, users: Iterable[User], kind: str, reference: str, path: str, case: Case | None = None
) -> list[Notification]:
    """Notify each active user once; each-mode users get an email after the transaction commits."""
    created: list[Notification] = []
    seen: set[int] = set()
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if case is not None and not can(user, Act.VIEW, case):
            continue
        notification = Notification.objects.create(user=user, kind=kind, reference=reference, path=path)
        created.append(notification)
        if email_mode(user) == EmailMode.EACH:
            subject = _("Casebridge: %(what)s") % {"what": notification.get_kind_display()}
            transaction.on_commit(partial(_send, user, [notification], subject))
    return created


def digests_send() -> int:
    """One email per digest-mode user with everything not yet emailed; returns emails sent."""
    sent = 0
    user_ids = (
        Notification.objects.filter(emailed_at__isnull=True, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user in User.objects.filter(pk__in=list(user_ids)):
        if email_mode(user) != EmailMode.DIGEST:
            continue
        pending = list(Notification.objects.filter(user=user, emailed_at__isnull=True).order_by("created_at"))
        _send(user, pending, _("Casebridge: your notifications"))
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
        path=reverse("tasks:detail", args=[task.public_id]),
        case=task.case,
    )


def notify_task_overdue(*, task: "Task") -> None:
    notify(
        users=_task_recipients(task),
        kind=Kind.TASK_OVERDUE,
        reference=task.case.reference,
        path=reverse("tasks:detail", args=[task.public_id]),
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


def notify_referral_decision(*, users: Iterable[User], reference: str, path: str) -> None:
    """Hook for the referrals app: tell the referrer the decision on their referral."""
    notify(users=users, kind=Kind.REFERRAL_DECISION, reference=reference, path=path)
