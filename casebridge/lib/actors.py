"""Who acts in a service, as the apps below accounts see them, and the one way a service refuses them."""

from collections.abc import Collection, Sequence
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied


class Actor(Protocol):
    """The signed-in user, reduced to what partnership-level rules read: apps below accounts cannot name ``User``."""

    @property
    def is_active(self) -> bool: ...

    def role_in(self, partnership: Any) -> str | None: ...


class Member(Protocol):
    """A user, or the anonymous user, as role checks read them."""

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...

    def cached_memberships(self) -> Sequence[Any]: ...


def holds_role_in(user: Member, partnership_id: int, roles: Collection[str]) -> bool:
    """Whether the user is signed in, active and holds one of ``roles`` in the partnership."""
    if not user.is_authenticated or not user.is_active:
        return False
    return any(m.partnership_id == partnership_id and m.role in roles for m in user.cached_memberships())


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
