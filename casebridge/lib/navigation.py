"""The main navigation: each item shown only to the roles that can use it."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from casebridge.organisations.models import CASEWORK_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    text: StrOrPromise
    url_name: str
    roles: frozenset[str] | None = None  # None: every signed-in user


ITEMS = [
    NavItem(_("Home"), "home"),
    NavItem(_("Cases"), "cases:mine", CASEWORK_ROLES),
    NavItem(_("Search"), "people:search", CASEWORK_ROLES),
    NavItem(_("Referrals"), "referrals:mine", CASEWORK_ROLES),
    NavItem(_("Triage"), "referrals:queue", frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})),
    NavItem(_("Meetings"), "meetings:list", CASEWORK_ROLES),
    NavItem(_("Actions"), "tasks:mine", CASEWORK_ROLES),
    NavItem(_("Reviews due"), "assessments:reviews_due", CASEWORK_ROLES),
    NavItem(_("Requests and alerts"), "sharing:inbox", CASEWORK_ROLES),
    NavItem(_("Notifications"), "notifications:list"),
    NavItem(_("Duplicates"), "matching:queue", frozenset({"administrator", "manager"})),
    NavItem(_("Users"), "organisations:user_list", frozenset({"administrator", "manager"})),
    NavItem(_("Organisations"), "organisations:organisation_list", frozenset({"administrator"})),
    NavItem(_("Assessment templates"), "assessments:templates", frozenset({Role.ADMINISTRATOR})),
    NavItem(_("Audit"), "audit:event_list", frozenset({"auditor", "manager"})),
    NavItem(_("Case settings"), "cases:configuration", frozenset({"administrator"})),
    NavItem(_("Emergency access"), "sharing:break_glass_list", frozenset({"auditor"})),
    NavItem(_("Case reviews"), "case_reviews:list", CASEWORK_ROLES),
    NavItem(_("Case review figures"), "case_reviews:figures", frozenset({"coordinator", "administrator", "analyst"})),
]


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    if not request.user.is_authenticated:
        return []
    membership = getattr(request, "membership", None)
    role = membership.role if membership else None
    items: list[dict[str, object]] = []
    for item in ITEMS:
        if item.roles is not None and role not in item.roles:
            continue
        href = reverse(item.url_name)
        items.append({"text": item.text, "href": href, "current": request.path == href})
    return items
