"""The one door to every access question: "may this user do X to this object?" and "which
objects may this user do X to?".

Each app owns the rules for its own records and registers them here when Django starts
(``AppConfig.ready``): a ``may`` function for one object and a ``visible`` function for a
queryset, per action. Any layer may then ask without importing the app above it, and every
page, search, export, PDF and email asks the same rules. The two answers must agree; the
access tests check that they do for every registered rule.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404

MayRule = Callable[[Any, Any], bool]
VisibleRule = Callable[[Any, Any], QuerySet[Any]]


@dataclass(frozen=True)
class Rule:
    may: MayRule
    visible: VisibleRule


_RULES: dict[tuple[type[Model], str], Rule] = {}


def register(model: type[Model], action: str, *, may: MayRule, visible: VisibleRule) -> None:
    """Record how to answer ``action`` on ``model``. ``visible(user, partnership)`` returns a queryset."""
    key = (model, str(action))
    if key in _RULES and _RULES[key] != Rule(may, visible):
        raise ValueError(f"{model.__name__}: a rule for {action!r} is already registered")
    _RULES[key] = Rule(may, visible)


def rule_for(model: type[Model], action: str) -> Rule:
    try:
        return _RULES[(model, str(action))]
    except KeyError:
        # Fail closed, loudly: an unregistered question is a programming error, never a yes.
        raise LookupError(f"No access rule for {action!r} on {model.__name__}") from None


def registered() -> list[tuple[type[Model], str]]:
    return sorted(_RULES, key=lambda key: (key[0].__name__, key[1]))


def may(user: Any, action: str, obj: Model) -> bool:
    """Whether ``user`` may do ``action`` to ``obj``."""
    return rule_for(type(obj), action).may(user, obj)


def visible(user: Any, action: str, model: type[Model], partnership: Any) -> QuerySet[Any]:
    """The records of ``model`` in ``partnership`` that ``user`` may do ``action`` to."""
    return rule_for(model, action).visible(user, partnership)


def get_or_404(user: Any, action: str, model: type[Model], partnership: Any, **lookup: Any) -> Any:
    """One record the user may do ``action`` to, or 404: the same answer as "no such record"."""
    if partnership is None:
        raise Http404
    found = visible(user, action, model, partnership).filter(**lookup).first()
    if found is None:
        raise Http404
    return found
