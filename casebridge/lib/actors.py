"""Who acts in a service, as the apps below accounts see them, and the one way a service refuses them."""

from typing import Any, Protocol

from django.core.exceptions import PermissionDenied


class Actor(Protocol):
    """The signed-in user, reduced to what partnership-level rules read: apps below accounts cannot name ``User``."""

    @property
    def is_active(self) -> bool: ...

    def role_in(self, partnership: Any) -> str | None: ...


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
