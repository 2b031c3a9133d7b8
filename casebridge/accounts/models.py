import secrets
import uuid
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from casebridge.accounts.email_key import email_key
from casebridge.organisations.models import Membership, Organisation, Partnership, Role, Team


def new_session_salt() -> str:
    return secrets.token_hex(16)


class UserQuerySet(models.QuerySet["User"]):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list["User"]:
        users = list(objs)
        for user in users:
            user.email_key = email_key(user.email)
        return super().bulk_create(users, *args, **kwargs)

    def with_email(self, email: str) -> "UserQuerySet":
        """The account this address names, by the one canonical form that sign-in and lockout also use."""
        return self.filter(email_key=email_key(email))


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def with_email(self, email: str) -> UserQuerySet:
        return self.get_queryset().with_email(email)

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.with_email(username or "").get()

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in: belongs to one organisation, with a role per partnership."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    # The address folded as sign-in and lockout fold it (see email_key.py); kept in step by save().
    email_key = models.CharField(max_length=254, unique=True, editable=False)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, related_name="members", null=True, blank=True)
    job_title = models.CharField(max_length=120, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    # Rotating this ends every session the user has (sign-out everywhere, deactivation).
    session_salt = models.CharField(max_length=32, default=new_session_salt)

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email_key = email_key(self.email)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "email_key"}
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        return salted_hmac(
            "casebridge.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_salt}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def membership_in(self, partnership: Partnership) -> Membership | None:
        return next((m for m in self.cached_memberships() if m.partnership_id == partnership.pk), None)

    def role_in(self, partnership: Partnership) -> Role | None:
        membership = self.membership_in(partnership)
        return Role(membership.role) if membership else None

    def cached_memberships(self) -> list[Membership]:
        cache: list[Membership] | None = getattr(self, "_memberships_cache", None)
        if cache is None:
            cache = list(self.memberships.select_related("partnership").order_by("partnership__name"))
            self._memberships_cache = cache
        return cache
