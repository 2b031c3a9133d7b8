"""Invitation emails with a single-use set-password link.

The link uses Django's default token generator, which hashes the password and
last sign-in: once a password is set the link stops working.

``PasswordSetView`` and ``urlpatterns`` stand in for the accounts app's own
set-password page (``accounts:password_set``) until that lands; when it does,
remove them and the line in ``accounts/urls.py`` that includes them.
"""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import path, reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from casebridge.audit.models import Action
from casebridge.audit.services import audit_record
from casebridge.lib.forms import GovukFormMixin

if TYPE_CHECKING:
    from casebridge.accounts.models import User


def password_set_link(user: "User") -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:password_set", args=(uidb64, token))


def invitation_message(user: "User") -> EmailMessage:
    """Only the person's name and the link: nothing else personal travels by email."""
    body = render_to_string(
        "organisations/email/invitation.txt",
        {
            "first_name": user.first_name,
            "link": password_set_link(user),
            "service_name": settings.SERVICE_NAME,
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )
    subject = _("Set your %(service)s password") % {"service": settings.SERVICE_NAME}
    return EmailMessage(subject=subject, body=body, to=[user.email])


def invitations_send(user_ids: list[int]) -> int:
    from casebridge.accounts.models import User

    messages = [invitation_message(user) for user in User.objects.filter(pk__in=user_ids, is_active=True)]
    return get_connection().send_messages(messages) or 0


class PasswordSetForm(GovukFormMixin, SetPasswordForm):  # type: ignore[type-arg]
    pass


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """A new user chooses their password from the invitation link (once)."""

    form_class = PasswordSetForm
    template_name = "organisations/password_set.html"
    success_url = reverse_lazy("accounts:sign_in")
    reset_url_token = "set"  # noqa: S105 (a URL segment, not a secret)

    @transaction.atomic
    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(actor=form.user, action=Action.PASSWORD_RESET, data={"via": "invitation"})
        return response


urlpatterns = [
    path("set-password/<uidb64>/<token>/", PasswordSetView.as_view(), name="password_set"),
]
