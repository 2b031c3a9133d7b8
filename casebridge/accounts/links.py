"""Single-use links for choosing a password, sent by email."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse

from casebridge.accounts.models import User


def _link(user: User, url_name: str) -> str:
    # Django's reset token hashes the password and last sign-in: setting a
    # password makes the link unusable, and it expires after PASSWORD_RESET_TIMEOUT.
    token = default_token_generator.make_token(user)
    path = reverse(url_name, kwargs={"uidb64": str(user.public_id), "token": token})
    return f"{settings.SITE_URL}{path}"


def password_reset_link(user: User) -> str:
    return _link(user, "accounts:password_reset_confirm")


def password_set_link(user: User) -> str:
    """The link in an invitation email: a new user chooses their first password."""
    return _link(user, "accounts:password_set")
