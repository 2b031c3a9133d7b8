"""Where people go: the short main navigation, and the longer lists on the home and "Manage" pages.

The main navigation holds only the places used every day. Queues that need someone's attention are
listed on the home page, and the settings and administration pages are gathered on one "Manage" page,
so no role sees more than nine items across the top.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from casebridge.access.capabilities import Capability, roles_holding
from casebridge.organisations.models import CASEWORK_ROLES, Role

TRIAGE_ROLES = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})
MANAGING_ROLES = frozenset({Role.ADMINISTRATOR, Role.MANAGER})


@dataclass(frozen=True)
class NavItem:
    text: StrOrPromise
    url_name: str
    roles: frozenset[str] | None = None  # None: every signed-in user
    description: StrOrPromise = ""


ITEMS = [
    NavItem(_("Home"), "home"),
    NavItem(_("Cases"), "cases:mine", CASEWORK_ROLES),
    NavItem(_("Search"), "people:search", CASEWORK_ROLES),
    NavItem(_("Referrals"), "referrals:mine", CASEWORK_ROLES),
    NavItem(_("Meetings"), "meetings:list", CASEWORK_ROLES),
    NavItem(_("Actions"), "actions:mine", CASEWORK_ROLES),
    NavItem(_("Case reviews"), "case_reviews:list", CASEWORK_ROLES),
    NavItem(_("Notifications"), "notifications:list"),
    NavItem(_("Case review figures"), "case_reviews:figures", frozenset({Role.ANALYST})),
    NavItem(_("Manage"), "manage", MANAGING_ROLES),
    NavItem(_("Audit"), "audit:event_list", frozenset({Role.AUDITOR})),
    NavItem(_("Emergency access"), "sharing:break_glass_list", frozenset({Role.AUDITOR})),
]

# On the home page: the queues and alerts that wait for someone.
WAITING = [
    NavItem(
        _("Requests and alerts"),
        "sharing:inbox",
        CASEWORK_ROLES,
        _("Requests for access to your organisation's cases, and emergency access to them."),
    ),
    NavItem(
        _("Triage"), "referrals:queue", TRIAGE_ROLES, _("Referrals and residents' reports waiting for a decision.")
    ),
    NavItem(
        _("Case review alerts"),
        "case_reviews:alerts",
        TRIAGE_ROLES,
        _("Repeat victims, and victims who meet the ASB Case Review threshold."),
    ),
    NavItem(
        _("Duplicates"),
        "matching:queue",
        roles_holding(Capability.MERGE_PEOPLE),
        _("People who may have been recorded twice: compare, merge or keep apart."),
    ),
    NavItem(
        _("Proposed merges"),
        "matching:proposals",
        roles_holding(Capability.MERGE_PEOPLE) | roles_holding(Capability.MANAGE_STAFF),
        _("Merges of two records waiting for your organisation to agree, as the lead of their cases."),
    ),
    NavItem(_("Reviews due"), "assessments:reviews_due", CASEWORK_ROLES, _("Risk assessments due for review.")),
    NavItem(_("Risk alerts"), "assessments:alerts", CASEWORK_ROLES, _("High-risk assessments on your cases.")),
]

# On the "Manage" page: the partnership's settings and its people.
MANAGE = [
    NavItem(
        _("Audit"),
        "audit:event_list",
        frozenset({Role.MANAGER}),
        _("What your organisation's staff have viewed and changed."),
    ),
    NavItem(_("Users"), "organisations:user_list", MANAGING_ROLES, _("Add, import, deactivate and unlock users.")),
    NavItem(
        _("Organisations"),
        "organisations:organisation_list",
        frozenset({Role.ADMINISTRATOR}),
        _("The partner organisations and their teams."),
    ),
    NavItem(
        _("Case settings"),
        "cases:configuration",
        frozenset({Role.ADMINISTRATOR}),
        _("Case types and incident categories."),
    ),
    NavItem(
        _("Migrate data from spreadsheets"),
        "imports:start",
        frozenset({Role.ADMINISTRATOR}),
        _("Import legacy people, cases and incidents from CSV or Excel files, with a check first."),
    ),
    NavItem(
        _("Assessment templates"),
        "assessments:templates",
        frozenset({Role.ADMINISTRATOR}),
        _("Risk assessment questionnaires: draft, publish and retire."),
    ),
]


def _role(request: HttpRequest) -> str | None:
    membership = getattr(request, "membership", None)
    return membership.role if membership else None


def links_for(request: HttpRequest, items: list[NavItem]) -> list[dict[str, object]]:
    """The items the signed-in user's current role may use, with their addresses."""
    if not request.user.is_authenticated:
        return []
    role = _role(request)
    return [
        {"text": item.text, "href": reverse(item.url_name), "description": item.description}
        for item in items
        if item.roles is None or role in item.roles
    ]


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    """The main navigation; the item whose address is the longest prefix of this page is current."""
    links = links_for(request, ITEMS)
    path = request.path
    matches = [
        link for link in links if path == link["href"] or (link["href"] != "/" and path.startswith(str(link["href"])))
    ]
    current = max(matches, key=lambda link: len(str(link["href"])), default=None)
    for link in links:
        link["current"] = link is current
    return links
