"""Who is asking, from where: set once per request so services can audit it."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None
    user_agent: str


_current: ContextVar[RequestContext | None] = ContextVar("casebridge_request", default=None)


def current() -> RequestContext | None:
    return _current.get()


def set_current(context: RequestContext | None) -> object:
    return _current.set(context)


def reset(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
