"""The POST matrix: every state-changing URL, every persona, against three targets.

Every URL pattern of the root URLconf whose view accepts POST (``accepts_post`` finds them) must
have a row in ``ROWS`` or be named in ``PENDING`` with the reason; otherwise
``test_every_url_that_accepts_post_has_a_row`` fails. A new form or action cannot ship without
someone deciding who may use it.

Each row is posted (with empty data unless the row gives some, CSRF checks off as in the test
client) by an anonymous visitor and every persona of ``tests.personas.PERSONAS``, against an object
of each target: ``council`` (Surrey Heath, led or recorded by the council), ``police`` (Surrey
Heath, the police's) and ``runnymede`` (the other partnership, Runnymede council's). Each request
is rolled back, so every persona meets the same data. A refused request must also leave no trace:
no new audit event of a writing kind, and the watched object's version and update time unchanged.

The expected answers come from the rules (docs/access-model.md and the capability table in
``casebridge.access.capabilities``), worked out by the small ``Rule`` functions below from what
the persona is (organisation, current partnership, capabilities) and whose the target is. A role
without the capability a page needs is refused with 403 before any object is looked up (the
answer then says nothing about the object); an object the persona may not see is 404.

How to add a URL
----------------
1. Add ``"app:name": Row(rule=..., kwargs=lambda t, target: {...})``. ``t`` is the test case and
   ``target`` the name of the target; ``t.objects[target]`` holds that target's objects (add any
   you need in ``PostMatrixTests.setUpTestData``). A URL that names no object takes ``targets=NONE``.
2. Pick or write the rule: ``case_rule(Act.CONTRIBUTE)`` for anything on a case or its records,
   ``capability_rule(Capability.X)`` for a page of the current partnership, ``configuration_rule``
   for an object the partnership owns, and so on. A rule returns ``ALLOWED`` (anything but a
   refusal), a status code, or ``SIGN_IN``.
3. If the code disagrees with the rule, do not write the code's answer as the rule: add the
   cell to ``KNOWN_DOORS`` (the code lets in someone the rules keep out) or ``REFUSED_OTHERWISE``
   (the code refuses, with another status), so the difference stays visible. The test fails when
   such a cell starts answering as the rule says, so the list cannot go stale.
"""

import datetime
import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Model
from django.http import HttpResponseBase
from django.test import Client, override_settings
from django.urls import URLPattern, reverse
from django.utils import timezone

from casebridge.access.capabilities import Capability, capabilities_of
from casebridge.accounts.models import User
from casebridge.actions import services as task_services
from casebridge.assessments import services as assessment_services
from casebridge.assessments.models import AlertKind, TemplateVersion
from casebridge.audit.models import Action, AuditEvent
from casebridge.case_reviews import services as review_services
from casebridge.case_reviews.models import CaseReview, Decision
from casebridge.cases import services as case_services
from casebridge.cases.models import CaseType, IncidentCategory, Level, Share
from casebridge.cases.policy import Act
from casebridge.cases.tests.base import TEST_MEDIA_ROOT, ConfiguredPersonasTestCase
from casebridge.imports import services as import_services
from casebridge.interventions import services as intervention_services
from casebridge.interventions.models import InterventionType
from casebridge.lib.tests.test_url_matrix import url_patterns
from casebridge.matching.models import DuplicateCandidate, MergeDecision, MergeProposal
from casebridge.matching.services import person_merge
from casebridge.meetings import services as meeting_services
from casebridge.meetings.models import Kind as MeetingKind
from casebridge.meetings.models import Source as MeetingSource
from casebridge.organisations.models import Partnership, PartnershipJoinRequest, Role
from casebridge.people import services as people_services
from casebridge.people.models import Person
from casebridge.referrals import services as referral_services
from casebridge.referrals.models import Referral
from casebridge.referrals.tests.base import referral_fields
from casebridge.sharing import services as sharing_services
from tests.personas import PERSONAS, make_user

ANONYMOUS = "anonymous"
IMPORT_CSV = b"Person ID,Forename,Surname\nOLD-1,Ann,Archer\n"
EVERYONE = (ANONYMOUS, *PERSONAS)


class _Answer:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


Answer = int | _Answer
ALLOWED = _Answer("ALLOWED")  # anything but 403, 404, 405 or a redirect to sign in
SIGN_IN = _Answer("SIGN_IN")  # a 302 to the sign-in page, carrying ?next=
REFUSALS = frozenset({403, 404, 405})

# Audit actions that record reading, not writing: a refused request may leave these (or none).
READING = frozenset({Action.VIEWED, Action.SEARCHED, Action.EXPORTED, Action.DOWNLOADED, Action.AUDIT_EXPORTED})

# -- Who the personas are, and whose the targets are ------------------------------------------------


@dataclass(frozen=True)
class Persona:
    name: str
    organisation: str | None = None  # the attribute naming their organisation on the test case
    partnership: str | None = None  # the partnership they work in now: "sh" or "ru"
    capabilities: frozenset[Capability] = frozenset()

    @property
    def anonymous(self) -> bool:
        return self.name == ANONYMOUS

    def holds(self, capability: Capability) -> bool:
        return capability in self.capabilities


@dataclass(frozen=True)
class Target:
    partnership: str  # "sh" or "ru"
    organisation: str  # the organisation that leads the case, recorded the person, owns the user
    shares: dict[str, str] = field(default_factory=dict)  # organisation -> level of a live share of its case


TARGETS: dict[str, Target] = {
    "council": Target("sh", "council", shares={"charity": Level.CONTRIBUTE}),
    "police": Target("sh", "police", shares={"council": Level.VIEW}),
    "runnymede": Target("ru", "other_council", shares={"police": Level.VIEW}),
}
ALL = tuple(TARGETS)
NONE: tuple[str | None, ...] = (None,)  # a URL that names no object
PARTNERSHIPS = ("council", "runnymede")  # one object of each partnership (configuration)

Rule = Callable[[Persona, Target | None], Answer]


def _level_grants(level: str | None, act: Act) -> bool:
    order = [Level.VIEW, Level.CONTRIBUTE, Level.MANAGE]
    needed = {Act.KNOW_EXISTS: -1, Act.VIEW: 0, Act.CONTRIBUTE: 1, Act.MANAGE: 2, Act.LEAD: 3}[act]
    return level is not None and order.index(Level(level)) >= needed


def may_case(p: Persona, t: Target, act: Act) -> bool:
    """Rules 1, 2 and 4: casework in the case's partnership, then the lead organisation or a share."""
    if p.partnership != t.partnership or not p.holds(Capability.CASEWORK):
        return False
    if act == Act.KNOW_EXISTS or p.organisation == t.organisation:
        return True
    return act != Act.LEAD and _level_grants(t.shares.get(p.organisation or ""), act)


def case_rule(act: Act) -> Rule:
    """Anything on a case or its records: 404 for anyone who may not do ``act`` to the case."""

    def rule(p: Persona, t: Target | None) -> Answer:
        assert t is not None
        if p.anonymous:
            return SIGN_IN
        return ALLOWED if may_case(p, t, act) else 404

    return rule


def capability_rule(capability: Capability, *, without: int = 403) -> Rule:
    """A page of the current partnership (no object): the capability there, or ``without``."""

    def rule(p: Persona, t: Target | None) -> Answer:
        if p.anonymous:
            return SIGN_IN
        return ALLOWED if p.holds(capability) else without

    return rule


def configuration_rule(capability: Capability = Capability.CONFIGURE_PARTNERSHIP) -> Rule:
    """An object a partnership owns: without the capability 403 (whatever the object); another partnership's 404."""

    def rule(p: Persona, t: Target | None) -> Answer:
        assert t is not None
        if p.anonymous:
            return SIGN_IN
        if not p.holds(capability):
            return 403
        return ALLOWED if p.partnership == t.partnership else 404

    return rule


def signed_in_rule(p: Persona, t: Target | None) -> Answer:
    return SIGN_IN if p.anonymous else ALLOWED


def member_of_surrey_heath_rule(p: Persona, t: Target | None) -> Answer:
    """Switching into Surrey Heath: its members; a partnership one has no role in is 404."""
    if p.anonymous:
        return SIGN_IN
    return 404 if p.name == "other_partnership_user" else ALLOWED


def public_rule(p: Persona, t: Target | None) -> Answer:
    return ALLOWED


def staff_rule() -> Rule:
    """A user of the target organisation, with a role in the target's partnership only.

    Their account and roles belong to their home organisation (its managers) and to the
    administrators of every partnership they work in; anyone else gets 404, like a user who does
    not exist. The target users work in one partnership, so its administrators own them.
    """

    def rule(p: Persona, t: Target | None) -> Answer:
        assert t is not None
        if p.anonymous:
            return SIGN_IN
        if p.partnership != t.partnership:
            return 404
        if p.holds(Capability.ACCOUNT_ACTIONS) and p.organisation == t.organisation:
            return ALLOWED
        return ALLOWED if p.holds(Capability.GRANT_PARTNERSHIP_ROLES) else 404

    return rule


# The partnerships each target organisation takes part in.
TAKES_PART_IN = {"council": {"sh"}, "police": {"sh", "ru"}, "charity": {"sh"}, "other_council": {"ru"}}


def organisation_rule(p: Persona, t: Target | None) -> Answer:
    """An organisation: its own managers, or an administrator while it takes part in no other partnership.

    Renaming (or adding teams to) an organisation that also works in another partnership would
    change it for that partnership too: only the organisation's own side may (issue #14, door 2).
    """
    assert t is not None
    if p.anonymous:
        return SIGN_IN
    if p.partnership not in TAKES_PART_IN[t.organisation]:
        return 404
    if p.holds(Capability.MANAGE_STAFF) and p.organisation == t.organisation:
        return ALLOWED  # from any partnership it takes part in
    if p.holds(Capability.ADD_ORGANISATION) and TAKES_PART_IN[t.organisation] <= {p.partnership}:
        return ALLOWED
    return 404


def join_request_rule(p: Persona, t: Target | None) -> Answer:
    """Another partnership asks the target organisation to take part: its managers answer, anyone else 404."""
    assert t is not None
    if p.anonymous:
        return SIGN_IN
    return ALLOWED if p.holds(Capability.MANAGE_STAFF) and p.organisation == t.organisation else 404


def recipient_rule(p: Persona, t: Target | None) -> Answer:
    """Something addressed to one user (an alert): the target's creator alone."""
    assert t is not None
    if p.anonymous:
        return SIGN_IN
    return ALLOWED if p.name == CREATORS[_target_name(t)] else 404


def merge_rule(p: Persona, t: Target | None) -> Answer:
    """Duplicates and merges: coordinators (merge_people), over people they may see in full.

    Without the capability the whole queue is refused (403, whatever the pair). The target's pairs
    are people its organisation recorded, in no case: its coordinators see them, others get 404.
    """
    assert t is not None
    if p.anonymous:
        return SIGN_IN
    if not p.holds(Capability.MERGE_PEOPLE):
        return 403
    if p.partnership != t.partnership:
        return 404
    return ALLOWED if p.organisation == t.organisation else 404


def proposal_decision_rule(p: Persona, t: Target | None) -> Answer:
    """A merge proposed to the target's organisation: its coordinators and managers who may manage its case.

    Without a deciding capability (merge_people or manage_staff) the proposals pages are refused (403).
    """
    assert t is not None
    if p.anonymous:
        return SIGN_IN
    if not (p.holds(Capability.MERGE_PEOPLE) or p.holds(Capability.MANAGE_STAFF)):
        return 403
    if p.organisation == t.organisation and may_case(p, t, Act.MANAGE):
        return ALLOWED
    return 404


def triage_rule(p: Persona, t: Target | None) -> Answer:
    """A referral or case review to run: the triage team (coordinators) of its partnership.

    Referrals and case reviews answer 404 to anyone else, whether or not they may see the record
    (casebridge/referrals/access.py: "anything not allowed answers 404").
    """
    assert t is not None
    if p.anonymous:
        return SIGN_IN
    return ALLOWED if p.holds(Capability.TRIAGE) and p.partnership == t.partnership else 404


def referrer_rule(p: Persona, t: Target | None) -> Answer:
    """Answering a question about a referral: the referrer alone (the target's creator)."""
    assert t is not None
    if p.anonymous:
        return SIGN_IN
    return ALLOWED if p.name == CREATORS[_target_name(t)] else 404


def alert_open_rule(p: Persona, t: Target | None) -> Answer:
    """Opening a case review from a threshold alert: the triage team, for a victim on a case they may view."""
    assert t is not None
    if p.anonymous:
        return SIGN_IN
    return ALLOWED if p.holds(Capability.TRIAGE) and may_case(p, t, Act.VIEW) else 404


def recommendation_rule(p: Persona, t: Target | None) -> Answer:
    """A recommendation owned by the target's organisation: its casework staff, and the triage team."""
    assert t is not None
    if p.anonymous:
        return SIGN_IN
    if p.partnership != t.partnership:
        return 404
    if p.holds(Capability.TRIAGE) or (p.holds(Capability.CASEWORK) and p.organisation == t.organisation):
        return ALLOWED
    return 404


def _coordinates(p: Persona) -> bool:
    """Sets up series and schedules meetings: coordinators (triage) and administrators (configuration)."""
    return p.holds(Capability.TRIAGE) or p.holds(Capability.CONFIGURE_PARTNERSHIP)


def _sees_meeting(p: Persona, t: Target) -> bool:
    """The target's series: its lead officer chairs and attends it, its organisation is the member."""
    if p.partnership != t.partnership or not p.holds(Capability.CASEWORK):
        return False
    return _coordinates(p) or p.organisation == t.organisation


def _chairs(p: Persona, t: Target) -> bool:
    return p.name == CREATORS[_target_name(t)]


def meeting_rule(may: Callable[[Persona, Target], bool]) -> Rule:
    """A meeting, series or agenda item of the target: 404 unless the persona sees it and ``may``."""

    def rule(p: Persona, t: Target | None) -> Answer:
        assert t is not None
        if p.anonymous:
            return SIGN_IN
        return ALLOWED if _sees_meeting(p, t) and may(p, t) else 404

    return rule


def series_create_rule(p: Persona, t: Target | None) -> Answer:
    if p.anonymous:
        return SIGN_IN
    return ALLOWED if _coordinates(p) and p.holds(Capability.CASEWORK) else 403


def agenda_decision_rule(*, builder_may: bool) -> Rule:
    """A pending proposal: whoever may manage the case decides; the agenda's builder may also decline."""

    def rule(p: Persona, t: Target | None) -> Answer:
        assert t is not None
        if p.anonymous:
            return SIGN_IN
        if may_case(p, t, Act.MANAGE):
            return ALLOWED
        builds = p.partnership == t.partnership and p.holds(Capability.TRIAGE) and p.holds(Capability.CASEWORK)
        return ALLOWED if builder_may and builds else 404

    return rule


RUNS = meeting_rule(lambda p, t: _chairs(p, t) or p.holds(Capability.TRIAGE))
BUILDS = meeting_rule(lambda p, t: p.holds(Capability.TRIAGE))
ATTENDS = meeting_rule(_chairs)


def break_glass_review_rule(p: Persona, t: Target | None) -> Answer:
    """Rule 5: the lead organisation's casework staff and the partnership's auditors."""
    assert t is not None
    if p.anonymous:
        return SIGN_IN
    if p.partnership == t.partnership and p.holds(Capability.READ_PARTNERSHIP_AUDIT):
        return ALLOWED
    return ALLOWED if may_case(p, t, Act.LEAD) else 404


def task_update_rule(p: Persona, t: Target | None) -> Answer:
    """An action given to the lead organisation: seen with its case; updated by its staff or the case's managers."""
    assert t is not None
    if p.anonymous:
        return SIGN_IN
    if not may_case(p, t, Act.VIEW):
        return 404
    return ALLOWED if may_case(p, t, Act.MANAGE) else 403


def _target_name(t: Target) -> str:
    return next(name for name, target in TARGETS.items() if target == t)


# The persona who made each target's records (lead officer of its case).
CREATORS = {"council": "asb_officer", "police": "police_officer", "runnymede": "other_partnership_user"}


@dataclass(frozen=True)
class Row:
    rule: Rule
    kwargs: Callable[[Any, str | None], dict[str, str]] = field(default=lambda t, target: {})
    targets: tuple[str | None, ...] = ALL
    data: Callable[[Any, str | None], dict[str, Any]] | None = None
    # Which object must not change when the request is refused (the target's case unless told).
    watch: Callable[[Any, str | None], Model | None] | None = None


def _case(t: Any, target: str | None) -> dict[str, str]:
    return {"reference": t.objects[target]["case"].reference}


def _obj(key: str, *, arg: str = "public_id") -> Callable[[Any, str | None], dict[str, str]]:
    return lambda t, target: {arg: str(t.objects[target][key].public_id)}


def _account_action(action: str) -> Callable[[Any, str | None], dict[str, str]]:
    return lambda t, target: {"public_id": str(t.objects[target]["user"].public_id), "action": action}


def _join_answer(answer: str) -> Callable[[Any, str | None], dict[str, str]]:
    return lambda t, target: {**_obj("join_request")(t, target), "answer": answer}


def _watched(key: str) -> Callable[[Any, str | None], Model | None]:
    return lambda t, target: t.objects[target][key]


def _nothing(t: Any, target: str | None) -> Model | None:
    return None


CONTRIBUTE = case_rule(Act.CONTRIBUTE)
MANAGE = case_rule(Act.MANAGE)

ROWS: dict[str, Row] = {
    # Signing in and out, two-factor and passwords: one's own account.
    "accounts:sign_in": Row(public_rule, targets=NONE, watch=_nothing),
    "accounts:sign_out": Row(public_rule, targets=NONE, watch=_nothing),
    "accounts:sign_out_everywhere": Row(signed_in_rule, targets=NONE, watch=_nothing),
    "accounts:mfa_set_up": Row(signed_in_rule, targets=NONE, watch=_nothing),
    "accounts:mfa_verify": Row(signed_in_rule, targets=NONE, watch=_nothing),
    "accounts:mfa_reset": Row(signed_in_rule, targets=NONE, watch=_nothing),
    "accounts:password_change": Row(signed_in_rule, targets=NONE, watch=_nothing),
    "accounts:password_reset": Row(public_rule, targets=NONE, watch=_nothing),
    "accounts:password_reset_confirm": Row(
        public_rule, targets=NONE, watch=_nothing, kwargs=lambda t, _: {"uidb64": "x", "token": "set-password"}
    ),
    "accounts:password_set": Row(
        public_rule, targets=NONE, watch=_nothing, kwargs=lambda t, _: {"uidb64": "x", "token": "set-password"}
    ),
    "notifications:preferences": Row(signed_in_rule, targets=NONE, watch=_nothing),
    "organisations:partnership_switch": Row(
        member_of_surrey_heath_rule,
        targets=NONE,
        watch=_nothing,
        data=lambda t, _: {"partnership": str(t.surrey_heath.public_id)},
    ),
    # Cases and their records (rules 1, 2 and 6).
    "cases:create": Row(capability_rule(Capability.CASEWORK), targets=NONE, watch=_nothing),
    "cases:edit": Row(MANAGE, kwargs=_case),
    "cases:close": Row(MANAGE, kwargs=_case),
    "cases:reopen": Row(
        MANAGE,
        kwargs=lambda t, target: {"reference": t.objects[target]["closed_case"].reference},
        watch=_watched("closed_case"),
    ),
    "cases:note_add": Row(CONTRIBUTE, kwargs=_case),
    "cases:incident_record": Row(CONTRIBUTE, kwargs=_case),
    "cases:document_upload": Row(CONTRIBUTE, kwargs=_case),
    "cases:party_add": Row(CONTRIBUTE, kwargs=_case),
    "cases:location_add": Row(CONTRIBUTE, kwargs=_case),
    "cases:link_add": Row(CONTRIBUTE, kwargs=_case),
    "sharing:share": Row(MANAGE, kwargs=_case),
    "sharing:revoke": Row(
        MANAGE, kwargs=lambda t, target: {**_case(t, target), **_obj("share")(t, target)}, watch=_watched("share")
    ),
    "sharing:request_access": Row(case_rule(Act.KNOW_EXISTS), kwargs=_case),
    "sharing:request_access_person": Row(case_rule(Act.KNOW_EXISTS), kwargs=_obj("person")),
    "sharing:break_glass": Row(case_rule(Act.KNOW_EXISTS), kwargs=_case),
    "sharing:decide": Row(case_rule(Act.LEAD), kwargs=_obj("access_request"), watch=_watched("access_request")),
    "sharing:break_glass_review": Row(
        break_glass_review_rule, kwargs=_obj("break_glass"), watch=_watched("break_glass")
    ),
    # People: edited by whoever may contribute to one of their cases, or whose organisation recorded them.
    "people:edit": Row(CONTRIBUTE, kwargs=_obj("person"), watch=_watched("person")),
    "people:alias_add": Row(CONTRIBUTE, kwargs=_obj("person"), watch=_watched("person")),
    "people:address_add": Row(CONTRIBUTE, kwargs=_obj("person"), watch=_watched("person")),
    "people:identifier_add": Row(CONTRIBUTE, kwargs=_obj("person"), watch=_watched("person")),
    "people:warning_add": Row(CONTRIBUTE, kwargs=_obj("person"), watch=_watched("person")),
    "people:link_add": Row(CONTRIBUTE, kwargs=_obj("person"), watch=_watched("person")),
    # Interventions, assessments and actions: as their case (rule 6).
    "interventions:create": Row(CONTRIBUTE, kwargs=_case),
    "interventions:status": Row(CONTRIBUTE, kwargs=_obj("intervention"), watch=_watched("intervention")),
    "interventions:breach_record": Row(CONTRIBUTE, kwargs=_obj("intervention"), watch=_watched("intervention")),
    "interventions:document_add": Row(CONTRIBUTE, kwargs=_obj("intervention"), watch=_watched("intervention")),
    "assessments:complete": Row(
        CONTRIBUTE,
        kwargs=lambda t, target: {**_case(t, target), "version_id": str(t.objects[target]["published"].public_id)},
    ),
    "assessments:alert_read": Row(recipient_rule, kwargs=_obj("alert"), watch=_watched("alert")),
    "actions:create": Row(CONTRIBUTE, kwargs=_case),
    "actions:detail": Row(task_update_rule, kwargs=_obj("task"), watch=_watched("task")),
    "actions:reassign": Row(task_update_rule, kwargs=_obj("task"), watch=_watched("task")),
    # Configuration: the partnership's administrators.
    "cases:case_type_create": Row(capability_rule(Capability.CONFIGURE_PARTNERSHIP), targets=NONE, watch=_nothing),
    "cases:incident_category_create": Row(
        capability_rule(Capability.CONFIGURE_PARTNERSHIP), targets=NONE, watch=_nothing
    ),
    "cases:case_type_edit": Row(
        configuration_rule(), targets=PARTNERSHIPS, kwargs=_obj("case_type"), watch=_watched("case_type")
    ),
    "cases:incident_category_edit": Row(
        configuration_rule(), targets=PARTNERSHIPS, kwargs=_obj("category"), watch=_watched("category")
    ),
    "interventions:type_edit": Row(
        capability_rule(Capability.CONFIGURE_PARTNERSHIP), targets=NONE, kwargs=lambda t, _: {"code": "cpn"}
    ),
    "assessments:template_create": Row(capability_rule(Capability.CONFIGURE_PARTNERSHIP), targets=NONE, watch=_nothing),
    **{
        f"assessments:{name}": Row(
            configuration_rule(), targets=PARTNERSHIPS, kwargs=_obj("draft"), watch=_watched("draft")
        )
        for name in ("section_add", "question_add", "band_add", "publish")
    },
    "assessments:new_draft": Row(
        configuration_rule(), targets=PARTNERSHIPS, kwargs=_obj("published"), watch=_watched("published")
    ),
    # Staff and organisations: administration stops at the partnership and the organisation.
    "organisations:user_create": Row(capability_rule(Capability.MANAGE_STAFF), targets=NONE, watch=_nothing),
    "organisations:users_import": Row(
        capability_rule(Capability.GRANT_PARTNERSHIP_ROLES), targets=NONE, watch=_nothing
    ),
    "organisations:user_edit": Row(staff_rule(), kwargs=_obj("user"), watch=_watched("user")),
    "organisations:membership_set": Row(staff_rule(), kwargs=_obj("user"), watch=_watched("user")),
    "organisations:membership_remove": Row(
        staff_rule(),
        kwargs=lambda t, target: {
            **_obj("user")(t, target),
            "partnership_id": str(t.objects[target]["partnership"].public_id),
        },
        watch=_watched("user"),
    ),
    **{
        f"organisations:user_account_action#{action}": Row(
            staff_rule(),
            kwargs=_account_action(action),
            watch=_watched("user"),
        )
        for action in ("deactivate", "unlock", "reset-two-factor")
    },
    "organisations:organisation_create": Row(
        capability_rule(Capability.ADD_ORGANISATION), targets=NONE, watch=_nothing
    ),
    "organisations:organisation_add_existing": Row(
        capability_rule(Capability.ADD_ORGANISATION), targets=NONE, watch=_nothing
    ),
    "organisations:organisation_edit": Row(
        organisation_rule, kwargs=_obj("organisation"), watch=_watched("organisation")
    ),
    "organisations:team_create": Row(organisation_rule, kwargs=_obj("organisation"), watch=_watched("organisation")),
    **{
        f"organisations:join_request_answer#{answer}": Row(
            join_request_rule,
            kwargs=_join_answer(answer),
            watch=_watched("join_request"),
        )
        for answer in ("accept", "decline")
    },
    # Possible duplicates and merges.
    "matching:compare": Row(merge_rule, kwargs=_obj("candidate"), watch=_watched("candidate")),
    "matching:not_same": Row(merge_rule, kwargs=_obj("candidate"), watch=_watched("candidate")),
    "matching:unmerge": Row(merge_rule, kwargs=_obj("merge"), watch=_watched("merge")),
    "matching:proposal": Row(proposal_decision_rule, kwargs=_obj("proposal"), watch=_watched("proposal")),
    # Meetings (DESIGN.md, "Meetings and access"): coordinators set up series and build agendas;
    # the chair and the coordinator run a meeting; whoever may manage a case agrees to its proposal.
    "meetings:series_create": Row(series_create_rule, targets=NONE, watch=_nothing),
    "meetings:schedule": Row(meeting_rule(lambda p, t: _coordinates(p)), kwargs=_obj("series"), watch=_nothing),
    "meetings:agenda_add": Row(meeting_rule(lambda p, t: True), kwargs=_obj("meeting"), watch=_watched("meeting")),
    **{
        f"meetings:{name}": Row(BUILDS, kwargs=_obj("meeting"), watch=_watched("meeting"))
        for name in ("agenda_build", "agenda_publish")
    },
    **{
        f"meetings:{name}": Row(RUNS, kwargs=_obj("published_meeting"), watch=_watched("published_meeting"))
        for name in ("attendance", "minutes_publish", "papers_publish")
    },
    **{
        f"meetings:{name}": Row(ATTENDS, kwargs=_obj("published_meeting"), watch=_watched("published_meeting"))
        for name in ("acknowledge", "papers_request")
    },
    "meetings:proposal_agree": Row(
        agenda_decision_rule(builder_may=False), kwargs=_obj("proposed_item"), watch=_watched("proposed_item")
    ),
    "meetings:proposal_decline": Row(
        agenda_decision_rule(builder_may=True), kwargs=_obj("proposed_item"), watch=_watched("proposed_item")
    ),
    "meetings:item_remove": Row(
        meeting_rule(lambda p, t: _chairs(p, t) or p.holds(Capability.TRIAGE) or may_case(p, t, Act.MANAGE)),
        kwargs=_obj("item"),
        watch=_watched("item"),
    ),
    "meetings:item_move": Row(BUILDS, kwargs=_obj("item"), watch=_watched("item")),
    "meetings:item_lead": Row(
        meeting_rule(lambda p, t: may_case(p, t, Act.LEAD)), kwargs=_obj("item"), watch=_watched("item")
    ),
    "meetings:item_minutes": Row(RUNS, kwargs=_obj("item"), watch=_watched("item")),
    # Referrals: made by casework staff, decided by the triage team.
    "referrals:create": Row(capability_rule(Capability.CASEWORK, without=404), targets=NONE, watch=_nothing),
    **{
        f"referrals:{name}": Row(triage_rule, kwargs=_obj("referral"), watch=_watched("referral"))
        for name in ("accept", "decline", "more_info")
    },
    "referrals:respond": Row(referrer_rule, kwargs=_obj("asked_referral"), watch=_watched("asked_referral")),
    # ASB Case Reviews: recorded by casework staff, run by the triage team.
    "case_reviews:create": Row(capability_rule(Capability.CASEWORK, without=404), targets=NONE, watch=_nothing),
    "case_reviews:alert_open": Row(
        alert_open_rule,
        data=lambda t, target: {
            "case": t.objects[target]["case"].reference,
            "person": str(t.objects[target]["victim"].public_id),
        },
        watch=_nothing,
    ),
    **{
        f"case_reviews:{name}": Row(triage_rule, kwargs=_obj("review"), watch=_watched("review"))
        for name in ("acknowledge", "complaint_add", "decision")
    },
    **{
        f"case_reviews:{name}": Row(triage_rule, kwargs=_obj("met_review"), watch=_watched("met_review"))
        for name in ("panel", "response_add", "recommendation_add", "letter", "appeal")
    },
    "case_reviews:appeal_outcome": Row(triage_rule, kwargs=_obj("appealed_review"), watch=_watched("appealed_review")),
    "case_reviews:recommendation": Row(
        recommendation_rule, kwargs=_obj("recommendation"), watch=_watched("recommendation")
    ),
    # Migrating data from spreadsheets: the partnership's administrators.
    "imports:upload": Row(
        capability_rule(Capability.CONFIGURE_PARTNERSHIP),
        targets=NONE,
        kwargs=lambda t, _: {"template": "people"},
        watch=_nothing,
    ),
    **{
        f"imports:{name}": Row(
            configuration_rule(), targets=PARTNERSHIPS, kwargs=_obj("import_job"), watch=_watched("import_job")
        )
        for name in ("sheet", "columns", "values", "check", "run", "rollback")
    },
    # The residents' online report: public (rate limits aside).
    **{
        f"public_reports:{step}": Row(public_rule, targets=NONE, watch=_nothing)
        for step in (
            "what",
            "where",
            "when",
            "how-often",
            "who",
            "impact",
            "contact",
            "privacy",
            "check",
            "progress",
        )
    },
    # An ASB Case Review application from a resident: public.
    **{
        f"case_reviews:apply_{step}": Row(public_rule, targets=NONE, watch=_nothing)
        for step in ("who", "consent", "where", "problem", "contact", "complaint", "complaints", "check")
    },
}

# URLs that accept POST and have no row yet, with the reason. Keep this short.
PENDING: dict[str, str] = {}

Cell = tuple[str, str, str | None]  # (URL, persona, target)


def cells(urls: str, target: str | None, personas: str, answer: Answer) -> dict[Cell, Answer]:
    """The same answer for several URLs and personas against one target (names split on spaces)."""
    return {(url, persona, target): answer for url in urls.split() for persona in personas.split()}


COUNCIL_STAFF = "asb_officer colleague coordinator council_manager"  # council casework roles but the administrator
NOT_ADMINISTRATORS = (
    f"{COUNCIL_STAFF} police_officer police_manager support_worker analyst auditor other_partnership_user"
)
TEMPLATE_PAGES = "assessments:band_add assessments:new_draft assessments:publish assessments:question_add "
TEMPLATE_PAGES += "assessments:section_add"
MATCHING = "matching:compare matching:not_same matching:unmerge"

# Doors: the code lets in someone the rules keep out. The value is the code's answer today.
# The test fails when a door starts answering as the rule says: remove it then.
KNOWN_DOORS: dict[Cell, Answer] = {}

# The rule allows, the code refuses (the value is its answer). Fails when the code catches up.
KNOWN_REFUSALS: dict[Cell, Answer] = {}

# The code refuses, as the rules say, but with another status (403 for 404 or back).
REFUSED_OTHERWISE: dict[Cell, Answer] = {
    # Assessment templates and intervention types hide themselves (404) from everyone but administrators.
    **cells(TEMPLATE_PAGES, "council", NOT_ADMINISTRATORS, 404),
    **cells(TEMPLATE_PAGES, "runnymede", NOT_ADMINISTRATORS, 404),
    **cells("assessments:template_create interventions:type_edit", None, NOT_ADMINISTRATORS, 404),
    # Setting up a meeting series without the coordinator's or administrator's role: 404.
    **cells(
        "meetings:series_create",
        None,
        "asb_officer colleague council_manager police_officer police_manager support_worker analyst auditor "
        "other_partnership_user",
        404,
    ),
    # Opening a case without a casework role: 404.
    **cells("cases:create", None, "analyst auditor", 404),
    # An action the persona sees but may not update: 404 rather than 403.
    **cells("actions:detail actions:reassign", "council", "support_worker", 404),
    **cells(
        "actions:detail actions:reassign",
        "police",
        "asb_officer colleague coordinator administrator council_manager",
        404,
    ),
    **cells("actions:detail actions:reassign", "runnymede", "police_manager", 404),
    # An analyst asked to review emergency access: 403 (role) rather than 404.
    **cells("sharing:break_glass_review", "council", "analyst", 403),
    **cells("sharing:break_glass_review", "police", "analyst", 403),
    **cells("sharing:break_glass_review", "runnymede", "analyst", 403),
}


# -- Finding every URL whose view accepts POST ----------------------------------------------------

_READS_POST = re.compile(r"request\.(POST|FILES|method)\b|[\"']POST[\"']")
_CALLS_WITH_REQUEST = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\(\s*request\b")


def _methods_allowed(callback: Callable[..., Any]) -> set[str] | None:
    """The methods a ``require_http_methods`` decorator lets through, if the view has one."""
    func: Any = callback
    while func is not None:
        for cell in getattr(func, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            strings = isinstance(value, list | tuple | set | frozenset) and value
            if strings and all(isinstance(item, str) and item.isupper() for item in value):
                return set(value)
        func = getattr(func, "__wrapped__", None)
    return None


def _reads_post(func: Callable[..., Any], seen: set[Any], depth: int = 0) -> bool:
    """Whether the function, or a function of its module it hands the request to, reads a POST."""
    if func in seen or depth > 3:
        return False
    seen.add(func)
    source = inspect.getsource(func)
    if _READS_POST.search(source):
        return True
    module = func.__globals__
    return any(
        inspect.isfunction(module.get(name)) and _reads_post(module[name], seen, depth + 1)
        for name in _CALLS_WITH_REQUEST.findall(source)
    )


def accepts_post(pattern: URLPattern) -> bool:
    view_class = getattr(pattern.callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    allowed = _methods_allowed(pattern.callback)
    if allowed is not None:
        return "POST" in allowed
    return _reads_post(inspect.unwrap(pattern.callback), set())


def post_urls() -> set[str]:
    return {name for name, pattern in url_patterns() if name and accepts_post(pattern)}


def _url_name(row_name: str) -> str:
    return row_name.partition("#")[0]


def _persona_facts(name: str, user: User | None) -> Persona:
    if user is None:
        return Persona(ANONYMOUS)
    membership = user.cached_memberships()[0]  # the partnership a user works in until they switch
    assert user.organisation is not None
    partnership = "sh" if membership.partnership.code == "SH" else "ru"
    organisation = {
        "Surrey Heath Council": "council",
        "Surrey Police": "police",
        "Safer Lives": "charity",
        "Runnymede Council": "other_council",
    }[user.organisation.name]
    return Persona(name, organisation, partnership, capabilities_of([membership.role]))


class PostMatrixCompletenessTests(ConfiguredPersonasTestCase):
    def test_every_url_that_accepts_post_has_a_row(self):
        """A form or action that neither has a row nor is pending fails the suite."""
        covered = {_url_name(name) for name in ROWS} | set(PENDING)
        missing = sorted(post_urls() - covered)
        assert missing == [], "Add these to ROWS in casebridge/web/tests/test_post_matrix.py (see its docstring)."

    def test_the_matrix_names_only_urls_that_accept_post(self):
        """Stale rows would give false comfort."""
        urls = post_urls()
        assert sorted({_url_name(name) for name in ROWS} - urls) == []
        assert sorted(set(PENDING) - urls) == []
        assert sorted({_url_name(name) for name in ROWS} & set(PENDING)) == []

    def test_the_finder_sees_form_views_and_post_only_views_but_not_pages(self):
        """The finder is not vacuous: forms, POST-only actions and read-only pages are told apart."""
        urls = post_urls()
        assert {"cases:note_add", "sharing:revoke", "accounts:sign_in", "imports:run"} <= urls
        assert not {"cases:summary", "cases:mine", "people:search", "audit:event_list"} & urls


@override_settings(MEDIA_ROOT=TEST_MEDIA_ROOT)
class PostMatrixTests(ConfiguredPersonasTestCase):
    objects: dict[str | None, dict[str, Any]]
    runnymede_manager: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for partnership in (cls.surrey_heath, cls.runnymede):
            intervention_services.intervention_types_seed(partnership=partnership)
        cls.runnymede_manager = make_user(
            "rhona.reed@runnymede.example", cls.other_council, roles={cls.runnymede: Role.MANAGER}
        )
        cls.objects = {None: {}}
        # A third partnership, which asks the police to take part.
        woking = Partnership.objects.create(name="Woking", code="WK")
        cls.objects["council"] = cls._target("council", cls.surrey_heath, cls.asb_officer, cls.administrator)
        cls.objects["police"] = cls._target("police", cls.surrey_heath, cls.police_officer, cls.administrator)
        cls.objects["runnymede"] = cls._target("runnymede", cls.runnymede, cls.other_partnership_user, None)
        # Each target organisation is asked to take part in a partnership it is not in.
        for target, (partnership, asker) in {
            "council": (cls.runnymede, cls.runnymede_manager),
            "police": (woking, cls.administrator),
            "runnymede": (cls.surrey_heath, cls.administrator),
        }.items():
            cls.objects[target]["join_request"] = PartnershipJoinRequest.objects.create(
                partnership=partnership, organisation=cls.objects[target]["organisation"], requested_by=asker
            )
        # The police's case is in Surrey Heath: its assessments use Surrey Heath's template.
        cls.objects["police"] |= {key: cls.objects["council"][key] for key in ("published", "draft")}

    @classmethod
    def _target(cls, name: str, partnership: Partnership, creator: User, admin: User | None) -> dict[str, Any]:
        """One target's objects, made by its creator (the lead officer of its case)."""
        target = TARGETS[name]
        case_type = CaseType.objects.filter(partnership=partnership).first()
        assert case_type is not None
        case = case_services.case_create(
            actor=creator, partnership=partnership, case_type=case_type, risk_level="standard"
        )
        closed_case = case_services.case_create(
            actor=creator, partnership=partnership, case_type=case_type, risk_level="standard"
        )
        for organisation, level in target.shares.items():
            sharing_services.share_grant(
                actor=creator, case=closed_case, organisation=getattr(cls, organisation), level=level, reason="Helped."
            )
        case_services.case_close(
            actor=creator, case=closed_case, version=closed_case.version, closure_reason="resolved", outcome="Stopped."
        )
        person = people_services.person_create(
            actor=creator, partnership=partnership, first_name="Pat", last_name=f"{name.title()} Subject"
        )
        case_services.case_party_add(actor=creator, case=case, person=person, role="perpetrator")
        # Asked for, and broken into, by someone the case is not shared with; then shared.
        outsider = {"council": cls.police_officer, "police": cls.support_worker, "runnymede": cls.police_manager}[name]
        access_request = sharing_services.access_request_create(
            actor=outsider, case=case, reason="Linked to an investigation."
        )
        glass = sharing_services.break_glass(actor=outsider, case=case, reason="A child is at risk tonight.")
        share: Share | None = None
        for organisation, level in target.shares.items():
            share = sharing_services.share_grant(
                actor=creator,
                case=case,
                organisation=getattr(cls, organisation),
                level=level,
                reason="Works with the family.",
            )
        intervention = intervention_services.intervention_create(
            actor=creator,
            case=case,
            type_=InterventionType.objects.get(partnership=partnership, code="warning_letter"),
            subject_person=person,
            status="in_force",
            issued_on=timezone.localdate() - datetime.timedelta(days=10),
        )
        task = task_services.task_create(
            actor=creator,
            case=case,
            title="Deliver the letter",
            due_on=timezone.localdate() + datetime.timedelta(days=7),
            assigned_organisation=creator.organisation,  # type: ignore[arg-type]
        )
        alert = assessment_services.alert_create(
            recipient=creator, case=case, kind=AlertKind.HIGH_RISK, message="High risk", link="/"
        )
        user = make_user(
            f"target.{name}@{name}.example",
            creator.organisation,  # type: ignore[arg-type]
            roles={partnership: Role.PRACTITIONER},
        )
        # Two pairs of people the creator's organisation recorded: one to compare, one merged.
        people = [
            people_services.person_create(actor=creator, partnership=partnership, first_name=first, last_name=last)
            for first, last in (("Jon", "Smyth"), ("Jonathan", "Smith"), ("Kate", "Ward"), ("Katherine", "Ward"))
        ]
        candidate = DuplicateCandidate.objects.create(
            partnership=partnership, person_a=people[0], person_b=people[1], score=0.95, band="likely"
        )
        # A coordinator of the creator's organisation merged one pair; one of another organisation
        # proposes merging the case's party with another person, which waits for the case's lead.
        home = creator.organisation
        assert home is not None
        merger, proposer = (
            make_user(f"{kind}.{name}@{name}.example", organisation, roles={partnership: Role.COORDINATOR})
            for kind, organisation in (
                ("merger", home),
                ("proposer", cls.charity if name != "runnymede" else cls.police),
            )
        )
        merge = person_merge(actor=merger, survivor=people[3], merged=people[2])
        proposal = MergeProposal.objects.create(
            partnership=partnership,
            survivor_public_id=person.public_id,
            merged_public_id=people[1].public_id,
            survivor_name=person.full_name,
            merged_name=people[1].full_name,
            reason="The same date of birth and address.",
            proposed_by=proposer,
        )
        MergeDecision.objects.create(proposal=proposal, organisation=home)
        victim = people_services.person_create(
            actor=creator, partnership=partnership, first_name="Vic", last_name=f"{name.title()} Victim"
        )
        case_services.case_party_add(actor=creator, case=case, person=victim, role="victim")
        objects: dict[str, Any] = {"victim": victim, **cls._referrals(partnership, creator, triager=merger)}
        objects |= cls._reviews(partnership, case, victim, creator, coordinator=merger)
        # Proposed for one meeting's agenda by someone who may not manage the case (so it waits),
        # agreed onto another's by the coordinator of its lead organisation, who publishes the papers.
        objects |= cls._meetings(
            partnership, case, creator, coordinator=merger, proposer=cls.coordinator if name == "police" else proposer
        )
        objects |= {
            "partnership": partnership,
            "case": case,
            "closed_case": closed_case,
            "person": person,
            "access_request": access_request,
            "break_glass": glass,
            "share": share,
            "intervention": intervention,
            "task": task,
            "alert": alert,
            "user": user,
            "organisation": creator.organisation,
            "candidate": candidate,
            "merge": merge,
            "proposal": proposal,
            "case_type": case_type,
            "category": IncidentCategory.objects.filter(partnership=partnership).first(),
        }
        if name != "police":  # configuration belongs to the partnership: one set each
            admin = admin or cls._runnymede_admin()
            objects |= cls._templates(partnership, admin)
            objects["import_job"] = import_services.create_job(
                actor=admin, partnership=partnership, template="people", data=IMPORT_CSV, file_name="people.csv"
            )
        return objects

    @classmethod
    def _meetings(
        cls, partnership: Partnership, case: Any, creator: User, coordinator: User, proposer: User
    ) -> dict[str, Any]:
        assert creator.organisation is not None
        series = meeting_services.series_create(
            actor=coordinator,
            partnership=partnership,
            kind=MeetingKind.CHARMM,
            name=f"CHaRMM of {creator.organisation}",
            chair=creator,
            member_organisations=[creator.organisation],
            attendees=[creator],
            cadence="monthly",
        )
        starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=14)
        meeting, published = (
            meeting_services.meeting_schedule(
                actor=coordinator, series=series, starts_at=starts + datetime.timedelta(days=days)
            )
            for days in (0, 28)
        )
        proposed = meeting_services.agenda_item_propose(
            actor=proposer, meeting=meeting, case=case, source=MeetingSource.COORDINATOR, reason="Escalating."
        )
        assert proposed.is_pending
        item = meeting_services.agenda_item_propose(
            actor=coordinator, meeting=published, case=case, source=MeetingSource.COORDINATOR, reason="Escalating."
        )
        assert item.is_on
        meeting_services.agenda_publish(actor=coordinator, meeting=published)
        meeting_services.papers_publish(actor=coordinator, meeting=published)
        published.refresh_from_db()
        return {
            "series": series,
            "meeting": meeting,
            "published_meeting": published,
            "proposed_item": proposed,
            "item": item,
        }

    @classmethod
    def _referrals(cls, partnership: Partnership, referrer: User, triager: User) -> dict[str, Referral]:
        """An open referral, and one the triage team asked its referrer about."""
        referral, asked = (
            referral_services.referral_create(
                actor=referrer, partnership=partnership, subjects=[], **referral_fields(reason=reason)
            )
            for reason in ("Repeated intimidation of neighbours.", "Noise every night.")
        )
        asked = referral_services.referral_more_info_request(
            actor=triager, referral=asked, version=asked.version, question="Which flat?"
        )
        return {"referral": referral, "asked_referral": asked}

    @classmethod
    def _reviews(
        cls, partnership: Partnership, case: Any, victim: Person, creator: User, coordinator: User
    ) -> dict[str, Any]:
        """Case reviews of the victim on the target's case: undecided, met, appealed; a recommendation."""

        def record() -> CaseReview:
            application = review_services.Application(
                applicant_role="victim", applicant_name=victim.full_name, summary="Harassment.", complaints=[]
            )
            return review_services.review_record(
                actor=coordinator,
                partnership=partnership,
                application=application,
                received_on=timezone.localdate(),
                case=case,
                victim=victim,
            )

        def decide(review: CaseReview, decision: str) -> CaseReview:
            return review_services.threshold_decide(
                actor=coordinator, review=review, decision=decision, reason="Complaints.", letter="", qualifying=3
            )

        review, met_review, appealed_review = (
            record(),
            decide(record(), Decision.MET),
            decide(record(), Decision.NOT_MET),
        )
        review_services.appeal_record(
            actor=coordinator,
            review=appealed_review,
            received_on=timezone.localdate(),
            grounds="Missed complaints.",
            reviewer_name="A. Reviewer",
            reviewer_body="The PCC",
        )
        recommendation = review_services.recommendation_add(
            actor=coordinator,
            review=met_review,
            text="Mediation",
            owner_organisation=creator.organisation,  # type: ignore[arg-type]
            due_on=timezone.localdate() + datetime.timedelta(days=28),
        )
        return {
            "review": review,
            "met_review": met_review,
            "appealed_review": appealed_review,
            "recommendation": recommendation,
        }

    @classmethod
    def _runnymede_admin(cls) -> User:
        return make_user("ravi.admin@runnymede.example", cls.other_council, roles={cls.runnymede: Role.ADMINISTRATOR})

    @classmethod
    def _templates(cls, partnership: Partnership, admin: User) -> dict[str, TemplateVersion]:
        """A published assessment template and its next draft."""
        template = assessment_services.template_create(actor=admin, partnership=partnership, name="Victim risk")
        version = template.versions.get()
        section = assessment_services.section_add(actor=admin, version=version, title="Threats")
        assessment_services.question_add(
            actor=admin,
            section=section,
            code="threatened",
            text="Threatened?",
            kind="yes_no",
            options=[("Yes", 3), ("No", 0)],
        )
        assessment_services.band_add(
            actor=admin, version=version, label="Standard", code="standard", min_score=0, review_days=56
        )
        published = assessment_services.version_publish(actor=admin, version=version)
        draft = assessment_services.version_draft_create(actor=admin, template=template)
        return {"published": published, "draft": draft}

    def setUp(self) -> None:
        self.clients: dict[str, tuple[Client, SimpleCookie]] = {}
        for name in EVERYONE:
            client = Client()
            if name != ANONYMOUS:
                client.force_login(getattr(self, name))
                session = client.session
                session["casebridge_mfa_verified"] = True
                session.save()
            self.clients[name] = (client, SimpleCookie(client.cookies.output(header="", sep=";")))
        self.facts = {
            name: _persona_facts(name, None if name == ANONYMOUS else getattr(self, name)) for name in EVERYONE
        }

    def post(
        self, persona: str, url: str, data: dict[str, Any], watched: Model | None
    ) -> tuple[HttpResponseBase, bool]:
        """POSTs as the persona, rolled back afterwards; also says whether anything was written."""
        client, cookies = self.clients[persona]
        before_state = _state(watched)
        last_event = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
        with transaction.atomic():
            response = client.post(url, data)
            written = (
                AuditEvent.objects.filter(id__gt=last_event).exclude(action__in=READING).exists()
                or _state(watched) != before_state
            )
            transaction.set_rollback(True)
        client.cookies = SimpleCookie(cookies.output(header="", sep=";"))
        cache.clear()
        return response, written

    def answer_of(self, response: HttpResponseBase) -> Answer:
        if response.status_code == 302 and urlsplit(response["Location"]).path == reverse("accounts:sign_in"):
            return SIGN_IN if "next=" in response["Location"] else ALLOWED
        if response.status_code in REFUSALS:
            return response.status_code
        return ALLOWED

    def cells(self) -> Iterator[tuple[str, Row, str | None, str, Answer]]:
        for row_name, row in ROWS.items():
            for target in row.targets:
                for persona in EVERYONE:
                    facts = self.facts[persona]
                    yield row_name, row, target, persona, row.rule(facts, TARGETS.get(target or ""))

    def test_the_known_differences_name_cells_of_the_matrix(self):
        """A stale entry in the lists of known differences would hide nothing, and mislead."""
        every_cell = {(row_name, persona, target) for row_name, _row, target, persona, _ in self.cells()}
        for known in (KNOWN_DOORS, KNOWN_REFUSALS, REFUSED_OTHERWISE):
            assert sorted(set(known) - every_cell, key=str) == []

    # The rows are tried in parts, so that parallel test runs share them out rather than wait on one test.
    def test_every_persona_gets_the_answer_the_rules_give_from_the_first_quarter_of_the_urls(self):
        self.assert_cells_answer_as_the_rules_say(part=0)

    def test_every_persona_gets_the_answer_the_rules_give_from_the_second_quarter_of_the_urls(self):
        self.assert_cells_answer_as_the_rules_say(part=1)

    def test_every_persona_gets_the_answer_the_rules_give_from_the_third_quarter_of_the_urls(self):
        self.assert_cells_answer_as_the_rules_say(part=2)

    def test_every_persona_gets_the_answer_the_rules_give_from_the_last_quarter_of_the_urls(self):
        self.assert_cells_answer_as_the_rules_say(part=3)

    def assert_cells_answer_as_the_rules_say(self, *, part: int, parts: int = 4) -> None:
        """Every cell of one part of the rows is tried; the failures are listed together, one line each."""
        failures: list[str] = []
        in_part = {name for index, name in enumerate(ROWS) if index % parts == part}
        for row_name, row, target, persona, expected in self.cells():
            if row_name not in in_part:
                continue
            url = reverse(_url_name(row_name), kwargs=row.kwargs(self, target) or None)
            data = row.data(self, target) if row.data else {}
            watch = row.watch or (lambda t, tg: t.objects[tg].get("case"))
            response, written = self.post(persona, url, data, watch(self, target))
            actual = self.answer_of(response)
            cell = (row_name, persona, target)
            known = KNOWN_DOORS.get(cell, KNOWN_REFUSALS.get(cell, REFUSED_OTHERWISE.get(cell)))
            if known is not None and actual != known:
                failures.append(f"{cell}: listed as {known!r}, answers {actual!r}: update the lists")
            elif known is None and actual != expected:
                failures.append(f"{cell}: the rules say {expected!r}, answers {actual!r} ({response.status_code})")
            if actual != ALLOWED and written:
                failures.append(f"{cell}: refused ({actual!r}) but changed something")
        assert failures == [], "\n".join(["", *failures])


def _state(obj: Model | None) -> tuple[Any, ...]:
    """What a refused request must not change: the object's version and update time, if it has them."""
    if obj is None:
        return ()
    fields = [name for name in ("version", "updated_at", "revoked_at", "status", "is_active") if hasattr(obj, name)]
    if not fields:
        return ()
    row = type(obj)._default_manager.filter(pk=obj.pk).values_list(*fields).first()
    return tuple(row or ())
