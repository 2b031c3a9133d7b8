"""Emails about accounts, sent in the background."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from casebridge.accounts.links import password_reset_link
from casebridge.accounts.models import User


@task()
def password_reset_email_send(user_id: int) -> None:
    # The link is made here, not when queued, so no usable token waits in the task table.
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    context = {
        "first_name": user.first_name,
        "link": password_reset_link(user),
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    subject = render_to_string("accounts/email/password_reset_subject.txt", context).strip()
    body = render_to_string("accounts/email/password_reset_body.txt", context)
    send_mail(subject, body, None, [user.email])
