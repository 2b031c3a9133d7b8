"""Creating notifications and sending their emails.

Emails carry only a reference and a link: the reader signs in to see the rest. The app that owns
an event builds its notification and calls ``notify()``; when the notification is about a case it
passes the case policy's check as ``may_see``, so only users who may see the case receive it.
"""

import datetime
from collections.abc import Callable, Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.access.capabilities import Capability, roles_holding
from casebridge.accounts.models import User
from casebridge.notifications.emails import email_mode, email_send, notification_email_job
from casebridge.notifications.models import EmailMode, Notification, Preference
from casebridge.organisations.models import Organisation

RETRY_AFTER = datetime.timedelta(hours=1)


@transaction.atomic
def preference_set(*, actor: User, email_mode: str) -> Preference:
    preference, _created = Preference.objects.update_or_create(user=actor, defaults={"email_mode": email_mode})
    return preference


def notifications_mark_read(*, actor: User, pks: list[int]) -> None:
    """Mark the user's notifications read once they have been shown to them; one statement."""
    Notification.objects.filter(user=actor, pk__in=pks).update(read_at=timezone.now())


def _email_later(notification_id: int) -> None:
    notification_email_job.enqueue(notification_id)


@transaction.atomic
def notify(
    *,
    users: Iterable[User],
    kind: str,
    reference: str,
    path: str,
    may_see: Callable[[User], bool] | None,
    summary: str = "",
    email: bool = True,
) -> list[Notification]:
    """Notify each active user once, in the app and (unless ``email`` is False) by email.

    ``may_see`` is required so that no caller forgets it: for a notification about a case, the case
    policy's view check (users it refuses are skipped); None when the notification names no case.
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
        if may_see is not None and not may_see(user):
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
        memberships__role__in=roles_holding(Capability.MANAGE_STAFF),
    )
