"""Who acts in a service, as the apps below accounts see them, and the one way a service refuses them."""

from collections.abc import Sequence
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied


class Member(Protocol):
    """A user, or the anonymous user, as role checks read them."""

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...

    def cached_memberships(self) -> Sequence[Any]: ...


class Actor(Member, Protocol):
    """The signed-in user, reduced to what partnership-level rules read: apps below accounts cannot name ``User``."""

    @property
    def is_active(self) -> bool: ...

    def role_in(self, partnership: Any) -> str | None: ...


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
