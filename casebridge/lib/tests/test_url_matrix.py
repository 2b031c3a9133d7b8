"""The permission matrix: every named URL, every persona, the exact answer.

Every named URL pattern in the root URLconf must be either in ``EXPECTATIONS`` below or
named in ``COVERED_BY_APP_MATRIX`` (an app's own, more detailed matrix test covers it);
otherwise ``test_every_named_url_is_in_the_matrix`` fails. A new page cannot ship
without someone deciding who may open it.

How to add a URL
----------------
1. Add a row to ``EXPECTATIONS``: ``"app:name": Row(get=answers(...))``.
   ``answers(anonymous=SIGN_IN, signed_in=200, auditor=403, ...)`` gives the answer for
   anonymous visitors, the default for every signed-in persona, and the exceptions by
   persona name (see ``PERSONAS``). An answer is a status code, a ``Redirect`` (a 302 to a
   named URL; ``SIGN_IN`` is the redirect of a page that needs signing in), or ``ALLOWED``
   (anything but a refusal: for a POST with empty data, which may re-show a form).
   The usual answers: anonymous visitors are sent to sign in (``SIGN_IN``); a page a
   persona's role does not allow is 403; an object of another organisation or partnership
   is 404, the same as one that does not exist.
2. If the URL only accepts POST, give ``get=answers(anonymous=405, signed_in=405)`` and the
   answers to a POST with empty data in ``post=answers(...)``.
3. If the URL takes arguments, give ``kwargs=lambda t: {...}`` building them from objects
   made in ``UrlMatrixTests.setUpTestData`` (``t`` is the test case): add the objects there,
   e.g. a user of another partnership for a user page that must answer 404.
4. Or, if the app has its own matrix test, add ``"app:name": "path/to/its/test.py"`` to
   ``COVERED_BY_APP_MATRIX`` instead.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from casebridge.accounts.models import User
from casebridge.audit.models import Action
from casebridge.audit.services import audit_record
from casebridge.cases.models import CaseType, IncidentCategory
from casebridge.cases.services import case_create, case_party_add
from casebridge.cases.tests.base import ConfiguredPersonasTestCase
from casebridge.matching.models import DuplicateCandidate, MergeProposal, PersonMerge
from casebridge.matching.services import merge_propose, person_merge
from casebridge.organisations.models import Membership, Role
from casebridge.people.models import Location
from casebridge.people.services import location_create, person_create
from tests.personas import PERSONAS, PersonasTestCase, make_user

# URL names that an app's own permission matrix test covers, with the path of that test.
CASES_MATRIX = "casebridge/cases/tests/test_permission_matrix.py"
RISK_MATRIX = "casebridge/interventions/tests/test_permission_matrix.py"
REFERRALS_MATRIX = "casebridge/referrals/tests/test_permission_matrix.py"
MEETINGS_MATRIX = "casebridge/meetings/tests/test_permission_matrix.py"
CASE_REVIEWS_MATRIX = "casebridge/case_reviews/tests/test_permission_matrix.py"
COVERED_BY_APP_MATRIX: dict[str, str] = {
    "meetings:acknowledge": MEETINGS_MATRIX,
    "meetings:agenda_add": MEETINGS_MATRIX,
    "meetings:agenda_build": MEETINGS_MATRIX,
    "meetings:agenda_publish": MEETINGS_MATRIX,
    "meetings:attendance": MEETINGS_MATRIX,
    "meetings:detail": MEETINGS_MATRIX,
    "meetings:item_lead": MEETINGS_MATRIX,
    "meetings:item_minutes": MEETINGS_MATRIX,
    "meetings:item_move": MEETINGS_MATRIX,
    "meetings:item_remove": MEETINGS_MATRIX,
    "meetings:list": MEETINGS_MATRIX,
    "meetings:minutes_publish": MEETINGS_MATRIX,
    "meetings:papers": MEETINGS_MATRIX,
    "meetings:papers_pdf": MEETINGS_MATRIX,
    "meetings:papers_publish": MEETINGS_MATRIX,
    "meetings:papers_request": MEETINGS_MATRIX,
    "meetings:proposal_agree": MEETINGS_MATRIX,
    "meetings:proposal_decline": MEETINGS_MATRIX,
    "meetings:schedule": MEETINGS_MATRIX,
    "meetings:series": MEETINGS_MATRIX,
    "meetings:series_create": MEETINGS_MATRIX,
    "notifications:list": MEETINGS_MATRIX,
    "notifications:preferences": MEETINGS_MATRIX,
    "actions:create": MEETINGS_MATRIX,
    "actions:detail": MEETINGS_MATRIX,
    "actions:meeting": MEETINGS_MATRIX,
    "actions:mine": MEETINGS_MATRIX,
    "actions:organisation": MEETINGS_MATRIX,
    "actions:reassign": MEETINGS_MATRIX,
    "case_reviews:alerts": "casebridge/case_reviews/tests/test_alerts.py",
    "case_reviews:list": CASE_REVIEWS_MATRIX,
    "case_reviews:alert_open": CASE_REVIEWS_MATRIX,
    "case_reviews:create": CASE_REVIEWS_MATRIX,
    "case_reviews:figures": CASE_REVIEWS_MATRIX,
    "case_reviews:figures_csv": CASE_REVIEWS_MATRIX,
    "case_reviews:recommendation": CASE_REVIEWS_MATRIX,
    "case_reviews:detail": CASE_REVIEWS_MATRIX,
    "case_reviews:acknowledge": CASE_REVIEWS_MATRIX,
    "case_reviews:complaint_add": CASE_REVIEWS_MATRIX,
    "case_reviews:decision": CASE_REVIEWS_MATRIX,
    "case_reviews:panel": CASE_REVIEWS_MATRIX,
    "case_reviews:response_add": CASE_REVIEWS_MATRIX,
    "case_reviews:recommendation_add": CASE_REVIEWS_MATRIX,
    "case_reviews:letter": CASE_REVIEWS_MATRIX,
    "case_reviews:letter_pdf": CASE_REVIEWS_MATRIX,
    "case_reviews:appeal": CASE_REVIEWS_MATRIX,
    "case_reviews:appeal_outcome": CASE_REVIEWS_MATRIX,
    "case_reviews:apply_start": CASE_REVIEWS_MATRIX,
    "case_reviews:apply_who": CASE_REVIEWS_MATRIX,
    "case_reviews:apply_consent": CASE_REVIEWS_MATRIX,
    "case_reviews:apply_where": CASE_REVIEWS_MATRIX,
    "case_reviews:apply_problem": CASE_REVIEWS_MATRIX,
    "case_reviews:apply_contact": CASE_REVIEWS_MATRIX,
    "case_reviews:apply_complaint": CASE_REVIEWS_MATRIX,
    "case_reviews:apply_complaints": CASE_REVIEWS_MATRIX,
    "case_reviews:apply_check": CASE_REVIEWS_MATRIX,
    "case_reviews:apply_confirmation": CASE_REVIEWS_MATRIX,
    "referrals:accept": REFERRALS_MATRIX,
    "referrals:create": REFERRALS_MATRIX,
    "referrals:decline": REFERRALS_MATRIX,
    "referrals:detail": REFERRALS_MATRIX,
    "referrals:document": REFERRALS_MATRIX,
    "referrals:mine": REFERRALS_MATRIX,
    "referrals:more_info": REFERRALS_MATRIX,
    "referrals:queue": REFERRALS_MATRIX,
    "referrals:respond": REFERRALS_MATRIX,
    "assessments:alert_read": RISK_MATRIX,
    "assessments:alerts": RISK_MATRIX,
    "assessments:band_add": RISK_MATRIX,
    "assessments:case_list": RISK_MATRIX,
    "assessments:choose": RISK_MATRIX,
    "assessments:complete": RISK_MATRIX,
    "assessments:detail": RISK_MATRIX,
    "assessments:new_draft": RISK_MATRIX,
    "assessments:publish": RISK_MATRIX,
    "assessments:question_add": RISK_MATRIX,
    "assessments:reviews_due": RISK_MATRIX,
    "assessments:section_add": RISK_MATRIX,
    "assessments:template_create": RISK_MATRIX,
    "assessments:templates": RISK_MATRIX,
    "assessments:version": RISK_MATRIX,
    "interventions:breach_record": RISK_MATRIX,
    "interventions:case_list": RISK_MATRIX,
    "interventions:create": RISK_MATRIX,
    "interventions:detail": RISK_MATRIX,
    "interventions:document_add": RISK_MATRIX,
    "interventions:ladder": RISK_MATRIX,
    "interventions:status": RISK_MATRIX,
    "interventions:type_edit": RISK_MATRIX,
    "interventions:types": RISK_MATRIX,
    "cases:access_log": CASES_MATRIX,
    "cases:close": CASES_MATRIX,
    "cases:create": CASES_MATRIX,
    "cases:document": CASES_MATRIX,
    "cases:document_upload": CASES_MATRIX,
    "cases:edit": CASES_MATRIX,
    "cases:incident_record": CASES_MATRIX,
    "cases:link_add": CASES_MATRIX,
    "cases:location_add": CASES_MATRIX,
    "cases:mine": CASES_MATRIX,
    "cases:note_add": CASES_MATRIX,
    "cases:organisation": CASES_MATRIX,
    "cases:parties": CASES_MATRIX,
    "cases:party_add": CASES_MATRIX,
    "cases:reopen": CASES_MATRIX,
    "cases:shared": CASES_MATRIX,
    "cases:sharing": CASES_MATRIX,
    "cases:summary": CASES_MATRIX,
    "cases:timeline": CASES_MATRIX,
    "people:address_add": CASES_MATRIX,
    "people:alias_add": CASES_MATRIX,
    "people:detail": CASES_MATRIX,
    "people:edit": CASES_MATRIX,
    "people:identifier_add": CASES_MATRIX,
    "people:link_add": CASES_MATRIX,
    "people:search": CASES_MATRIX,
    "people:warning_add": CASES_MATRIX,
    "sharing:break_glass": CASES_MATRIX,
    "sharing:break_glass_list": CASES_MATRIX,
    "sharing:break_glass_review": CASES_MATRIX,
    "sharing:decide": CASES_MATRIX,
    "sharing:inbox": CASES_MATRIX,
    "sharing:request_access": CASES_MATRIX,
    "sharing:request_access_person": CASES_MATRIX,
    "sharing:revoke": CASES_MATRIX,
    "sharing:share": CASES_MATRIX,
    "cases:export": CASES_MATRIX,
    "people:search_export": CASES_MATRIX,
    "imports:blank_template": "casebridge/imports/tests/test_views_permissions.py",
    "imports:check": "casebridge/imports/tests/test_views_permissions.py",
    "imports:columns": "casebridge/imports/tests/test_views_permissions.py",
    "imports:progress": "casebridge/imports/tests/test_views_permissions.py",
    "imports:report": "casebridge/imports/tests/test_views_permissions.py",
    "imports:report_csv": "casebridge/imports/tests/test_views_permissions.py",
    "imports:rollback": "casebridge/imports/tests/test_views_permissions.py",
    "imports:run": "casebridge/imports/tests/test_views_permissions.py",
    "imports:sheet": "casebridge/imports/tests/test_views_permissions.py",
    "imports:start": "casebridge/imports/tests/test_views_permissions.py",
    "imports:upload": "casebridge/imports/tests/test_views_permissions.py",
    "imports:values": "casebridge/imports/tests/test_views_permissions.py",
}

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Redirect:
    """A 302 to the named URL; ``with_next`` when it carries ?next= (the page needs signing in)."""

    to: str
    with_next: bool = False
    kwargs: Callable[[Any], dict[str, str]] | None = None


class _Allowed:
    def __repr__(self) -> str:
        return "ALLOWED"


Answer = int | Redirect | _Allowed
SIGN_IN = Redirect("accounts:sign_in", with_next=True)
ALLOWED = _Allowed()  # any answer but 403, 404, 405 or the sign-in redirect
HOME = Redirect("home")
FIRST_QUESTION = Redirect("public_reports:what")
REFUSALS = frozenset({403, 404, 405})


def answers(*, anonymous: Answer, signed_in: Answer, **by_persona: Answer) -> dict[str, Answer]:
    """The expected answer for anonymous visitors and every persona: ``signed_in`` unless named."""
    unknown = set(by_persona) - set(PERSONAS)
    if unknown:
        raise ValueError(f"Unknown personas: {sorted(unknown)}")
    return {ANONYMOUS: anonymous, **{name: by_persona.get(name, signed_in) for name in PERSONAS}}


@dataclass(frozen=True)
class Row:
    get: dict[str, Answer]
    post: dict[str, Answer] | None = None
    kwargs: Callable[[Any], dict[str, str]] = field(default=lambda t: {})


def _reset_link(t: Any) -> dict[str, str]:
    return {"uidb64": str(t.link_user.public_id), "token": t.link_token}


def _reset_link_used(t: Any) -> dict[str, str]:
    # Django swaps the token for this placeholder (kept in the session) and redirects.
    return {"uidb64": str(t.link_user.public_id), "token": "set-password"}


COUNCIL_CASEWORKERS = dict.fromkeys(
    ("asb_officer", "colleague", "coordinator", "administrator", "council_manager"), 200
)
# The police manager works in Runnymede first (memberships are ordered by partnership name).
USER_MANAGERS = {"administrator": 200, "council_manager": 200, "police_manager": 200}
ALEX_MANAGERS = {"administrator": 200, "council_manager": 200}


def _alex(t: Any) -> dict[str, str]:
    return {"public_id": str(t.asb_officer.public_id)}


def _locked_out_user(t: Any) -> dict[str, str]:
    return {"public_id": str(t.locked_out_user.public_id)}


def _council(t: Any) -> dict[str, str]:
    return {"public_id": str(t.council.public_id)}


def _unknown_report(t: Any) -> dict[str, str]:
    return {"report_id": "00000000-0000-4000-8000-000000000000"}


def _candidate(t: Any) -> dict[str, str]:
    return {"public_id": str(t.duplicate_candidate.public_id)}


def _person_merge(t: Any) -> dict[str, str]:
    return {"public_id": str(t.person_merge.public_id)}


# Possible duplicates are the coordinators' (``Capability.MERGE_PEOPLE``), of people they may see in full.
DUPLICATE_REVIEWERS = {"coordinator": 200}
# Proposed merges: coordinators, who propose, and the coordinators and managers who decide for their
# organisation; the police manager works in Runnymede first, where the Surrey Heath proposal is not (404).
MERGE_DECIDERS = {"coordinator": 200, "administrator": 200, "council_manager": 200, "police_manager": 200}


def _merge_proposal(t: Any) -> dict[str, str]:
    return {"public_id": str(t.merge_proposal.public_id)}


def _case_type(t: Any) -> dict[str, str]:
    return {"public_id": str(CaseType.objects.filter(partnership=t.surrey_heath).values_list("public_id")[0][0])}


def _incident_category(t: Any) -> dict[str, str]:
    category = IncidentCategory.objects.filter(partnership=t.surrey_heath).values_list("public_id")[0][0]
    return {"public_id": str(category)}


# Audit trail: auditors see their partnership's; organisation managers their own staff's.
AUDIT_READERS = {"auditor": 200, "council_manager": 200, "police_manager": 200}

EXPECTATIONS: dict[str, Row] = {
    "home": Row(get=answers(anonymous=SIGN_IN, signed_in=200)),
    # The Manage page lists what its reader may use: users (managers), configuration, duplicates (coordinator).
    "manage": Row(get=answers(anonymous=SIGN_IN, signed_in=404, coordinator=200, **USER_MANAGERS)),
    # Signing in and out.
    "accounts:sign_in": Row(get=answers(anonymous=200, signed_in=HOME)),
    "accounts:sign_out": Row(
        get=answers(anonymous=405, signed_in=405),
        post=answers(anonymous=Redirect("accounts:sign_in"), signed_in=Redirect("accounts:sign_in")),
    ),
    "accounts:sign_out_everywhere": Row(
        get=answers(anonymous=405, signed_in=405),
        post=answers(anonymous=SIGN_IN, signed_in=Redirect("accounts:sign_in")),
    ),
    "accounts:account": Row(get=answers(anonymous=SIGN_IN, signed_in=200)),
    # Two-factor authentication (the personas have passed it in the session, without a device).
    "accounts:mfa_set_up": Row(get=answers(anonymous=SIGN_IN, signed_in=200)),
    "accounts:mfa_verify": Row(get=answers(anonymous=SIGN_IN, signed_in=HOME)),
    "accounts:mfa_reset": Row(get=answers(anonymous=SIGN_IN, signed_in=Redirect("accounts:mfa_set_up"))),
    # Passwords: the emailed links are authorised by their token, whoever follows them.
    "accounts:password_change": Row(get=answers(anonymous=SIGN_IN, signed_in=200)),
    "accounts:password_reset": Row(get=answers(anonymous=200, signed_in=200)),
    "accounts:password_reset_sent": Row(get=answers(anonymous=200, signed_in=200)),
    "accounts:password_reset_confirm": Row(
        get=answers(
            anonymous=Redirect("accounts:password_reset_confirm", kwargs=_reset_link_used),
            signed_in=Redirect("accounts:password_reset_confirm", kwargs=_reset_link_used),
        ),
        kwargs=_reset_link,
    ),
    "accounts:password_set": Row(
        get=answers(
            anonymous=Redirect("accounts:password_set", kwargs=_reset_link_used),
            signed_in=Redirect("accounts:password_set", kwargs=_reset_link_used),
        ),
        kwargs=_reset_link,
    ),
    # Managing users and organisations: managers their own organisation's staff,
    # administrators their partnership's; a person they may not manage is 404.
    "organisations:partnership_switch": Row(
        get=answers(anonymous=SIGN_IN, signed_in=405), post=answers(anonymous=SIGN_IN, signed_in=404)
    ),
    "organisations:user_list": Row(get=answers(anonymous=SIGN_IN, signed_in=403, **USER_MANAGERS)),
    "organisations:user_create": Row(get=answers(anonymous=SIGN_IN, signed_in=403, **USER_MANAGERS)),
    "organisations:user_detail": Row(get=answers(anonymous=SIGN_IN, signed_in=404, **ALEX_MANAGERS), kwargs=_alex),
    "organisations:user_edit": Row(get=answers(anonymous=SIGN_IN, signed_in=404, **ALEX_MANAGERS), kwargs=_alex),
    "organisations:membership_set": Row(get=answers(anonymous=SIGN_IN, signed_in=404, **ALEX_MANAGERS), kwargs=_alex),
    "organisations:membership_remove": Row(
        get=answers(anonymous=SIGN_IN, signed_in=404, **ALEX_MANAGERS),
        kwargs=lambda t: {**_alex(t), "partnership_id": str(t.surrey_heath.public_id)},
    ),
    "organisations:user_account_action": Row(
        get=answers(anonymous=SIGN_IN, signed_in=405),
        post=answers(
            anonymous=SIGN_IN,
            signed_in=404,
            administrator=Redirect("organisations:user_detail", kwargs=_locked_out_user),
            council_manager=Redirect("organisations:user_detail", kwargs=_locked_out_user),
        ),
        kwargs=lambda t: {**_locked_out_user(t), "action": "unlock"},
    ),
    "organisations:users_import": Row(get=answers(anonymous=SIGN_IN, signed_in=403, administrator=200)),
    "organisations:users_import_report": Row(
        get=answers(anonymous=SIGN_IN, signed_in=403, administrator=404), kwargs=_unknown_report
    ),
    "organisations:users_import_errors": Row(
        get=answers(anonymous=SIGN_IN, signed_in=403, administrator=404), kwargs=_unknown_report
    ),
    # Managers see and change their own organisation; administrators every one in the partnership, and
    # change those that take part in no other partnership.
    "organisations:organisation_list": Row(get=answers(anonymous=SIGN_IN, signed_in=403, **USER_MANAGERS)),
    "organisations:organisation_create": Row(get=answers(anonymous=SIGN_IN, signed_in=403, administrator=200)),
    "organisations:organisation_add_existing": Row(get=answers(anonymous=SIGN_IN, signed_in=403, administrator=200)),
    "organisations:organisation_edit": Row(
        get=answers(anonymous=SIGN_IN, signed_in=404, **ALEX_MANAGERS), kwargs=_council
    ),
    "organisations:team_create": Row(get=answers(anonymous=SIGN_IN, signed_in=404, **ALEX_MANAGERS), kwargs=_council),
    # Requests to take part in a partnership: answered by the organisation's own managers.
    "organisations:join_request_list": Row(get=answers(anonymous=SIGN_IN, signed_in=403, **USER_MANAGERS)),
    "organisations:join_request_answer": Row(
        get=answers(anonymous=SIGN_IN, signed_in=405),
        post=answers(anonymous=SIGN_IN, signed_in=404),
        kwargs=lambda t: {"public_id": "00000000-0000-4000-8000-000000000000", "answer": "accept"},
    ),
    # The residents' online report: public, the same for everyone. A step reached without
    # the answers before it sends the resident back to the first question.
    "public_reports:start": Row(get=answers(anonymous=200, signed_in=200)),
    "public_reports:what": Row(get=answers(anonymous=200, signed_in=200)),
    "public_reports:progress": Row(get=answers(anonymous=200, signed_in=200)),
    **{
        f"public_reports:{step}": Row(get=answers(anonymous=FIRST_QUESTION, signed_in=FIRST_QUESTION))
        for step in ("where", "when", "how-often", "who", "impact", "contact", "privacy", "check")
    },
    "public_reports:confirmation": Row(
        get=answers(anonymous=Redirect("public_reports:start"), signed_in=Redirect("public_reports:start"))
    ),
    # Case types and incident categories: the partnership's administrators configure them.
    "cases:configuration": Row(get=answers(anonymous=SIGN_IN, signed_in=403, administrator=200)),
    "cases:case_type_create": Row(get=answers(anonymous=SIGN_IN, signed_in=403, administrator=200)),
    "cases:case_type_edit": Row(get=answers(anonymous=SIGN_IN, signed_in=403, administrator=200), kwargs=_case_type),
    "cases:incident_category_create": Row(get=answers(anonymous=SIGN_IN, signed_in=403, administrator=200)),
    "cases:incident_category_edit": Row(
        get=answers(anonymous=SIGN_IN, signed_in=403, administrator=200), kwargs=_incident_category
    ),
    # Audit pages.
    "audit:event_list": Row(get=answers(anonymous=SIGN_IN, signed_in=403, **AUDIT_READERS)),
    "audit:event_export": Row(get=answers(anonymous=SIGN_IN, signed_in=403, **AUDIT_READERS)),
    # Possible duplicates: the partnership's coordinators (``Capability.MERGE_PEOPLE``), of people they
    # may see in full. Managers and administrators no longer reach the queue.
    "matching:queue": Row(get=answers(anonymous=SIGN_IN, signed_in=403, **DUPLICATE_REVIEWERS)),
    "matching:compare": Row(
        get=answers(anonymous=SIGN_IN, signed_in=403, **DUPLICATE_REVIEWERS),
        # An empty form is shown again with its errors.
        post=answers(anonymous=SIGN_IN, signed_in=403, coordinator=200),
        kwargs=_candidate,
    ),
    "matching:not_same": Row(
        get=answers(anonymous=SIGN_IN, signed_in=405),
        post=answers(anonymous=SIGN_IN, signed_in=403, coordinator=Redirect("matching:queue")),
        kwargs=_candidate,
    ),
    "matching:merge_detail": Row(
        get=answers(anonymous=SIGN_IN, signed_in=403, **DUPLICATE_REVIEWERS), kwargs=_person_merge
    ),
    "matching:unmerge": Row(
        get=answers(anonymous=SIGN_IN, signed_in=405),
        post=answers(
            anonymous=SIGN_IN,
            signed_in=403,
            coordinator=Redirect("matching:merge_detail", kwargs=_person_merge),
        ),
        kwargs=_person_merge,
    ),
    "matching:proposals": Row(get=answers(anonymous=SIGN_IN, signed_in=403, **MERGE_DECIDERS)),
    # A proposal by the council's coordinator, put to the police: the police manager would decide it
    # in Surrey Heath, but works in Runnymede first (404); the council's managers are not asked (404);
    # the proposer reads it but has no decision to make (403 on POST).
    "matching:proposal": Row(
        get=answers(
            anonymous=SIGN_IN,
            signed_in=403,
            coordinator=200,
            administrator=404,
            council_manager=404,
            police_manager=404,
        ),
        post=answers(
            anonymous=SIGN_IN,
            signed_in=403,
            coordinator=403,
            administrator=404,
            council_manager=404,
            police_manager=404,
        ),
        kwargs=_merge_proposal,
    ),
    # A place the council recorded and no case is tied to: the council's caseworkers only.
    "people:location": Row(
        get=answers(anonymous=SIGN_IN, signed_in=404, **COUNCIL_CASEWORKERS),
        kwargs=lambda t: {"public_id": str(t.place.public_id)},
    ),
}


def _is_django_internal(pattern: URLPattern) -> bool:
    """Static and media serving, i18n and the like: Django's own views, not ours."""
    module = getattr(pattern.callback, "__module__", "") or ""
    return module.startswith(("django.", "whitenoise."))


def url_patterns(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[tuple[str | None, URLPattern]]:
    """Every URL pattern of the root URLconf with its full name (``ns:name``), or None if unnamed."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, inner)
        elif not _is_django_internal(entry):
            yield (f"{namespace}{entry.name}" if entry.name else None), entry


def named_urls() -> set[str]:
    return {name for name, _pattern in url_patterns() if name}


class UrlMatrixCompletenessTests(PersonasTestCase):
    def test_every_named_url_is_in_the_matrix(self):
        """A URL name that is neither in the table nor covered by an app's matrix fails the suite."""
        missing = sorted(named_urls() - set(EXPECTATIONS) - set(COVERED_BY_APP_MATRIX))
        assert missing == [], (
            "These URLs have no expected answers: add them to EXPECTATIONS in "
            "casebridge/lib/tests/test_url_matrix.py (see its docstring) or to COVERED_BY_APP_MATRIX."
        )

    def test_every_url_pattern_has_a_name(self):
        """An unnamed pattern could not be listed in the matrix, so it would escape it."""
        unnamed = [str(pattern.pattern) for name, pattern in url_patterns() if name is None]
        assert unnamed == []

    def test_the_matrix_names_only_urls_that_exist(self):
        """Stale rows would give false comfort."""
        urls = named_urls()
        assert sorted(set(EXPECTATIONS) - urls) == []
        assert sorted(set(COVERED_BY_APP_MATRIX) - urls) == []
        assert sorted(set(EXPECTATIONS) & set(COVERED_BY_APP_MATRIX)) == []

    def test_the_app_matrices_named_exist(self):
        root = Path(settings.BASE_DIR)
        for name, path in COVERED_BY_APP_MATRIX.items():
            with self.subTest(name):
                assert (root / path).is_file(), f"{name}: {path} does not exist"


class UrlMatrixTests(ConfiguredPersonasTestCase):
    link_user: User
    link_token: str
    locked_out_user: User
    duplicate_candidate: DuplicateCandidate
    person_merge: PersonMerge
    merge_proposal: MergeProposal
    place: Location

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Someone in Runnymede with a password link (reset or invitation) that nobody has used.
        cls.link_user = make_user(
            "rupert.link@runnymede.example", cls.other_council, roles={cls.runnymede: Role.PRACTITIONER}
        )
        cls.link_token = default_token_generator.make_token(cls.link_user)
        # A council officer whom managers may unlock (harmless to repeat for every persona).
        cls.locked_out_user = make_user(
            "una.lock@council.example", cls.council, roles={cls.surrey_heath: Role.PRACTITIONER}
        )
        # Activity on both sides of the partnership boundary, for the audit pages to show or hide.
        audit_record(actor=cls.other_partnership_user, action=Action.SIGN_IN)
        audit_record(actor=cls.other_partnership_user, action=Action.SIGN_OUT, partnership_id=cls.runnymede.pk)
        audit_record(actor=cls.asb_officer, action=Action.SIGN_IN)
        audit_record(actor=cls.asb_officer, action=Action.SIGN_OUT, partnership_id=cls.surrey_heath.pk)
        # A possible duplicate to review, and a merge to undo.
        people = [
            person_create(actor=cls.asb_officer, partnership=cls.surrey_heath, first_name=first, last_name=last)
            for first, last in (("Jon", "Smyth"), ("Jonathan", "Smith"), ("Kate", "Ward"), ("Katherine", "Ward"))
        ]
        cls.duplicate_candidate = DuplicateCandidate.objects.create(
            partnership=cls.surrey_heath, person_a=people[0], person_b=people[1], score=0.95, band="likely"
        )
        cls.person_merge = person_merge(actor=cls.coordinator, survivor=people[3], merged=people[2])
        # A merge the council's coordinator may only propose: one of the two is in a police case.
        police_case = case_create(
            actor=cls.police_officer,
            partnership=cls.surrey_heath,
            case_type=CaseType.objects.get(partnership=cls.surrey_heath, code="asb_perpetrator"),
            risk_level="standard",
        )
        proposed = [
            person_create(actor=cls.asb_officer, partnership=cls.surrey_heath, first_name="Lee", last_name=last)
            for last in ("Cross", "Crosse")
        ]
        case_party_add(actor=cls.police_officer, case=police_case, person=proposed[1], role="witness")
        cls.merge_proposal = merge_propose(
            actor=cls.coordinator, survivor=proposed[0], merged=proposed[1], choices={}, reason="Same man."
        )
        cls.place = location_create(
            actor=cls.asb_officer, partnership=cls.surrey_heath, kind="place", place_name="Park Street car park"
        )

    def client_for(self, persona: str) -> Client:
        """A new client (no cookies), signed in as the persona unless anonymous."""
        self.client = Client()
        if persona != ANONYMOUS:
            # From the database: an earlier request may have rotated the session salt.
            self.sign_in(User.objects.get(pk=getattr(self, persona).pk))
        return self.client

    def strangers_emails(self, persona: str) -> set[str]:
        """The emails of every user who shares no partnership with this persona."""
        if persona == ANONYMOUS:
            return set(User.objects.values_list("email", flat=True))
        user = getattr(self, persona)
        mine = Membership.objects.filter(user=user).values("partnership_id")
        sharing = Membership.objects.filter(partnership_id__in=mine).values("user_id")
        return set(User.objects.exclude(pk__in=sharing).values_list("email", flat=True))

    def assert_answer(self, response: HttpResponseBase, expected: Answer) -> None:
        if isinstance(expected, _Allowed):
            assert response.status_code not in REFUSALS
            assert not self._is_sign_in_redirect(response), "refused with a sign-in redirect"
        elif isinstance(expected, Redirect):
            assert response.status_code == 302
            location = urlsplit(response["Location"])
            target = reverse(expected.to, kwargs=expected.kwargs(self) if expected.kwargs else None)
            assert location.path == target
            assert location.query.startswith("next=") == expected.with_next, response["Location"]
        else:
            assert response.status_code == expected

    def _is_sign_in_redirect(self, response: HttpResponseBase) -> bool:
        location = response.get("Location", "")
        return response.status_code == 302 and urlsplit(location).path == reverse("accounts:sign_in")

    def assert_no_strangers(self, response: HttpResponseBase, persona: str) -> None:
        """No page (200, and the 403 and 404 pages too) shows the email of someone of another partnership."""
        content = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        text = content.decode()
        for email in self.strangers_emails(persona):
            assert email not in text, f"{persona} was shown {email}, of another partnership"

    def test_every_persona_gets_the_expected_answer_from_every_url(self):
        for name, row in EXPECTATIONS.items():
            kwargs = row.kwargs(self)
            url = reverse(name, kwargs=kwargs or None)
            for method, expected_by_persona in (("get", row.get), ("post", row.post)):
                if expected_by_persona is None:
                    continue
                for persona, expected in expected_by_persona.items():
                    with self.subTest(url=name, method=method, persona=persona):
                        client = self.client_for(persona)
                        response = client.get(url) if method == "get" else client.post(url, {})
                        self.assert_answer(response, expected)
                        self.assert_no_strangers(response, persona)

    def test_the_email_check_sees_the_emails_a_page_may_show(self):
        """The audit trail shows the partnership's own people, so the stranger check is not vacuous."""
        self.client_for("auditor")
        response = self.client.get(reverse("audit:event_list"))
        self.assertContains(response, self.asb_officer.email)
        self.assertNotContains(response, self.other_partnership_user.email)
