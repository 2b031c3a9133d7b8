"""Notification emails, sent by the task worker and never inside a request.

An email holds each notification's kind, its reference, its fixed summary and a link: no names,
addresses or anything a user typed. A notification is marked emailed only once the email is sent,
so one that failed (an SMTP outage) is sent later by the daily reminders run.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from casebridge.accounts.models import User
from casebridge.notifications.models import EmailMode, Notification, Preference


def email_mode(user: User) -> str:
    preference = Preference.objects.filter(user=user).first()
    return preference.email_mode if preference else EmailMode.EACH


def email_body(notifications: list[Notification]) -> str:
    lines = [_("You have new notifications in Casebridge."), ""]
    for notification in notifications:
        line = f"- {notification.get_kind_display()}: {notification.reference}"
        if notification.summary:
            line += f" ({notification.summary})"
        lines.append(line)
        lines.append(f"  {settings.SITE_URL}{notification.path}")
    lines += ["", _("Sign in to see the details. This email holds no personal information.")]
    return "\n".join(lines)


def email_send(user: User, notifications: list[Notification], subject: str) -> None:
    """Send one email and mark its notifications emailed (only if the email went)."""
    send_mail(subject, email_body(notifications), None, [user.email])
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())


@task()
def notification_email_job(notification_id: int) -> bool:
    """Email one notification to its user if they still want each one by email; True if sent."""
    notification = (
        Notification.objects.select_related("user")
        .filter(pk=notification_id, emailed_at__isnull=True, user__is_active=True)
        .first()
    )
    if notification is None or email_mode(notification.user) != EmailMode.EACH:
        return False
    subject = _("Casebridge: %(what)s") % {"what": notification.get_kind_display()}
    email_send(notification.user, [notification], subject)
    return True
