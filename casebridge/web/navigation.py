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

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User

CASEWORK = (Capability.CASEWORK,)


@dataclass(frozen=True)
class NavItem:
    text: StrOrPromise
    url_name: str
    needs: tuple[Capability, ...] = ()  # any one of these; none: every signed-in user
    description: StrOrPromise = ""
    unless: Capability | None = None  # not shown to holders of this (they reach the page another way)


# On the "Manage" page: the partnership's settings and its people.
MANAGE = [
    NavItem(
        _("Audit"),
        "audit:event_list",
        (Capability.READ_STAFF_AUDIT,),
        _("What your organisation's staff have viewed and changed."),
    ),
    NavItem(
        _("Users"),
        "organisations:user_list",
        (Capability.MANAGE_STAFF,),
        _("Add, import, deactivate and unlock users."),
    ),
    NavItem(
        _("Organisations"),
        "organisations:organisation_list",
        (Capability.ADD_ORGANISATION,),
        _("The partner organisations and their teams."),
    ),
    NavItem(
        _("Duplicates"),
        "matching:queue",
        (Capability.MERGE_PEOPLE,),
        _("People who may have been recorded twice: compare, merge or keep apart."),
    ),
    NavItem(
        _("Case settings"),
        "cases:configuration",
        (Capability.CONFIGURE_PARTNERSHIP,),
        _("Case types and incident categories."),
    ),
    NavItem(
        _("Migrate data from spreadsheets"),
        "imports:start",
        (Capability.CONFIGURE_PARTNERSHIP,),
        _("Import legacy people, cases and incidents from CSV or Excel files, with a check first."),
    ),
    NavItem(
        _("Assessment templates"),
        "assessments:templates",
        (Capability.CONFIGURE_PARTNERSHIP,),
        _("Risk assessment questionnaires: draft, publish and retire."),
    ),
]

ITEMS = [
    NavItem(_("Home"), "home"),
    NavItem(_("Cases"), "cases:mine", CASEWORK),
    NavItem(_("Search"), "people:search", CASEWORK),
    NavItem(_("Referrals"), "referrals:mine", CASEWORK),
    NavItem(_("Meetings"), "meetings:list", CASEWORK),
    NavItem(_("Actions"), "actions:mine", CASEWORK),
    NavItem(_("Case reviews"), "case_reviews:list", CASEWORK),
    NavItem(_("Notifications"), "notifications:list"),
    # Casework staff reach the figures from the case reviews list.
    NavItem(_("Case review figures"), "case_reviews:figures", (Capability.VIEW_FIGURES,), unless=Capability.CASEWORK),
    NavItem(_("Manage"), "manage", tuple(dict.fromkeys(need for item in MANAGE for need in item.needs))),
    NavItem(_("Audit"), "audit:event_list", (Capability.READ_PARTNERSHIP_AUDIT,)),
    NavItem(_("Emergency access"), "sharing:break_glass_list", (Capability.READ_PARTNERSHIP_AUDIT,)),
]

# On the home page: the queues and alerts that wait for someone.
WAITING = [
    NavItem(
        _("Requests and alerts"),
        "sharing:inbox",
        CASEWORK,
        _("Requests for access to your organisation's cases, and emergency access to them."),
    ),
    NavItem(
        _("Triage"),
        "referrals:queue",
        (Capability.TRIAGE,),
        _("Referrals and residents' reports waiting for a decision."),
    ),
    NavItem(
        _("Case review alerts"),
        "case_reviews:alerts",
        (Capability.TRIAGE,),
        _("Repeat victims, and victims who meet the ASB Case Review threshold."),
    ),
    NavItem(
        _("Proposed merges"),
        "matching:proposals",
        (Capability.MERGE_PEOPLE, Capability.MANAGE_STAFF),
        _("Merges of two records waiting for your organisation to agree, as the lead of their cases."),
    ),
    NavItem(_("Reviews due"), "assessments:reviews_due", CASEWORK, _("Risk assessments due for review.")),
    NavItem(_("Risk alerts"), "assessments:alerts", CASEWORK, _("High-risk assessments on your cases.")),
]


def _shown(user: User, item: NavItem, partnership_id: int | None) -> bool:
    if not item.needs:
        return True
    if partnership_id is None:
        return False
    if item.unless is not None and holds(user, item.unless, partnership_id):
        return False
    return any(holds(user, need, partnership_id) for need in item.needs)


def links_for(request: HttpRequest, items: list[NavItem]) -> list[dict[str, object]]:
    """The items the signed-in user's capabilities in their current partnership let them use, with their addresses."""
    if not isinstance(request.user, User):
        return []
    membership = getattr(request, "membership", None)
    partnership_id = membership.partnership_id if membership else None
    return [
        {"text": item.text, "href": reverse(item.url_name), "description": item.description}
        for item in items
        if _shown(request.user, item, partnership_id)
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
