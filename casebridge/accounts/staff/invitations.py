"""Invitation emails with a single-use set-password link (see accounts.links)."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_tasks import task

from casebridge.accounts.links import password_set_link
from casebridge.accounts.models import User


def invitation_message(user: User) -> EmailMessage:
    """Only the person's name and the link: nothing else personal travels by email."""
    body = render_to_string(
        "accounts/email/invitation.txt",
        {
            "first_name": user.first_name,
            "link": password_set_link(user),
            "service_name": settings.SERVICE_NAME,
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )
    subject = _("Set your %(service)s password") % {"service": settings.SERVICE_NAME}
    return EmailMessage(subject=subject, body=body, to=[user.email])


@task()
def invitations_send(user_ids: list[int]) -> int:
    """Emails each new user their set-password link; runs after the creating transaction commits."""
    messages = [invitation_message(user) for user in User.objects.filter(pk__in=user_ids, is_active=True)]
    return get_connection().send_messages(messages) or 0
