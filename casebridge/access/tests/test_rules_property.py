"""Property: after any sequence of shares, revocations, people joining cases, person details,
merges, role changes, agenda proposals, agreements and removals, publication and time passing
(meetings included), each through the real services, the cases, meeting papers and person
details each user can open are exactly what the rules of docs/access-model.md derive.

The rules are written out a second time below (``Rules``), in plain Python over what the test
did: who leads which case, the live shares by grantee and level, each user's role (read through
the role to capability table), the cases each person is in, each detail's source case,
organisation and "shared with everyone", and each agenda item's state with its meeting's
window. ``Rules`` never calls the access code under test; each step is applied through the
services, which must refuse exactly what the rules refuse.
"""

import datetime
import itertools
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from casebridge.access.capabilities import ROLE_CAPABILITIES, Capability
from casebridge.accounts.models import User
from casebridge.accounts.staff import services as staff_services
from casebridge.cases import services as case_services
from casebridge.cases.models import Case, CaseParty, CaseType, Share
from casebridge.cases.policy import Act, can, visible_cases
from casebridge.cases.tests.base import ConfiguredPersonasTestCase
from casebridge.matching import services as matching_services
from casebridge.matching.models import MergeProposal
from casebridge.meetings import services as meeting_services
from casebridge.meetings.access import may_read_item
from casebridge.meetings.models import AgendaItem, Kind, Meeting, MeetingSeries, Source
from casebridge.organisations.models import Role, Team
from casebridge.people import services as people_services
from casebridge.people.access import visible_details, visible_people
from casebridge.people.models import Location, Person, PersonAddress, PersonAlias, PersonIdentifier, WarningMarker
from casebridge.sharing import services as sharing_services
from tests.personas import make_user

# The clock every example starts at: the test moves it, never the real one.
START = datetime.datetime(2027, 1, 4, 9, 0, tzinfo=datetime.UTC)
RANK = {"view": 1, "contribute": 2, "manage": 3}
NEEDED = {Act.VIEW: 1, Act.CONTRIBUTE: 2, Act.MANAGE: 3}
DETAIL_MODELS: dict[str, type[Any]] = {
    "alias": PersonAlias,
    "identifier": PersonIdentifier,
    "address": PersonAddress,
    "warning": WarningMarker,
}


def capabilities(role: str | None) -> frozenset[Capability]:
    return ROLE_CAPABILITIES.get(role, frozenset()) if role else frozenset()


@dataclass
class ModelShare:
    case: int
    kind: str  # "organisation", "team" or "user"
    grantee: int
    level: str
    expires_at: datetime.datetime | None
    revoked: bool = False


@dataclass
class Detail:
    person: int
    source_case: int | None
    source_organisation: int | None
    shared: bool


@dataclass
class ModelMeeting:
    starts_at: datetime.datetime
    published_at: datetime.datetime | None = None


@dataclass
class ModelItem:
    meeting: int
    case: int
    agreed: bool
    removed: bool = False


@dataclass
class Rules:
    """What the rules say, from what the test did; nothing here reads the database."""

    now: datetime.datetime
    partnership: int
    organisation: dict[int, int | None]  # user → organisation
    team: dict[int, int | None]  # user → team
    role: dict[int, str | None]  # user → role in the partnership
    lead: dict[int, int]  # case → lead organisation
    shares: dict[int, ModelShare] = field(default_factory=dict)
    parties: dict[int, set[int]] = field(default_factory=dict)  # person → cases
    created_by: dict[int, int] = field(default_factory=dict)  # person → organisation
    details: dict[tuple[str, int], Detail] = field(default_factory=dict)  # (kind, pk) → detail
    phone: dict[int, Detail] = field(default_factory=dict)  # person → the phone's provenance
    chair: int = 0
    attendees: frozenset[int] = frozenset()
    member_organisations: frozenset[int] = frozenset()
    papers_days: int = 7
    meetings: dict[int, ModelMeeting] = field(default_factory=dict)
    items: dict[int, ModelItem] = field(default_factory=dict)

    def holds(self, user: int, capability: Capability) -> bool:
        return capability in capabilities(self.role.get(user))

    def casework(self, user: int) -> bool:
        return self.holds(user, Capability.CASEWORK)

    def share_reaches(self, share: ModelShare, user: int) -> bool:
        grantee = {"user": user, "organisation": self.organisation[user], "team": self.team[user]}[share.kind]
        live = not share.revoked and (share.expires_at is None or share.expires_at > self.now)
        return live and share.grantee == grantee

    def may(self, user: int, action: Act, case: int) -> bool:
        """Rules 1 and 2: the lead organisation's caseworkers, and live shares at the level."""
        if not self.casework(user):
            return False
        if self.lead[case] == self.organisation[user]:
            return True
        return any(
            s.case == case and RANK[s.level] >= NEEDED[action] and self.share_reaches(s, user)
            for s in self.shares.values()
        )

    def cases_for(self, user: int, action: Act) -> set[int]:
        return {case for case in self.lead if self.may(user, action, case)}

    def sees_person(self, user: int, person: int) -> bool:
        if not self.casework(user):
            return False
        if self.created_by[person] == self.organisation[user]:
            return True
        return any(self.may(user, Act.VIEW, case) for case in self.parties[person])

    def contributes_to_person(self, user: int, person: int) -> bool:
        if not self.casework(user):
            return False
        if self.created_by[person] == self.organisation[user]:
            return True
        return any(self.may(user, Act.CONTRIBUTE, case) for case in self.parties[person])

    def may_record_under(self, user: int, person: int, source_case: int | None) -> bool:
        if not self.contributes_to_person(user, person):
            return False
        return source_case is None or (
            self.may(user, Act.CONTRIBUTE, source_case) and source_case in self.parties[person]
        )

    def sees_detail(self, user: int, detail: Detail) -> bool:
        """Rule 7: on a person the user may see, from a source they may see, or shared with everyone."""
        if not self.sees_person(user, detail.person):
            return False
        if detail.shared:
            return True
        if detail.source_case is None:
            return detail.source_organisation == self.organisation[user]
        return self.may(user, Act.VIEW, detail.source_case)

    def merge_reviewer(self, user: int, first: int, second: int) -> bool:
        return (
            self.holds(user, Capability.MERGE_PEOPLE)
            and self.sees_person(user, first)
            and self.sees_person(user, second)
        )

    def organisations_to_agree(self, user: int, first: int, second: int) -> set[int]:
        """The leads of the cases either person is in that the merger may not manage."""
        cases = self.parties[first] | self.parties[second]
        return {self.lead[case] for case in cases if not self.may(user, Act.MANAGE, case)}

    def sees_meeting(self, user: int) -> bool:
        """The series' meetings: its chair, attendees and member organisations, and those who set meetings up."""
        if not self.casework(user):
            return False
        return (
            self.holds(user, Capability.TRIAGE)
            or self.holds(user, Capability.CONFIGURE_PARTNERSHIP)
            or user == self.chair
            or user in self.attendees
            or self.organisation[user] in self.member_organisations
        )

    def builds_agenda(self, user: int) -> bool:
        return self.casework(user) and self.holds(user, Capability.TRIAGE)

    def runs_meeting(self, user: int) -> bool:
        return self.casework(user) and (user == self.chair or self.holds(user, Capability.TRIAGE))

    def live_item(self, meeting: int, case: int) -> bool:
        return any(i.meeting == meeting and i.case == case and not i.removed for i in self.items.values())

    def reads_papers(self, user: int, item: ModelItem) -> bool:
        """An agreed item's papers: whoever may see the case, and the named attendees inside the window
        from the agenda's publication to ``papers_days`` after the meeting."""
        if not item.agreed or item.removed:
            return False
        meeting = self.meetings[item.meeting]
        in_window = meeting.published_at is not None and (
            meeting.published_at <= self.now < meeting.starts_at + datetime.timedelta(days=self.papers_days)
        )
        named = user == self.chair or user in self.attendees
        return (self.casework(user) and named and in_window) or self.may(user, Act.VIEW, item.case)

    def merge(self, survivor: int, merged: int, alias: int) -> None:
        """Everything of ``merged`` follows ``survivor``; its name stays as an alias shared with everyone."""
        self.parties[survivor] |= self.parties.pop(merged)
        del self.created_by[merged]
        self.phone.pop(merged, None)
        for detail in self.details.values():
            if detail.person == merged:
                detail.person = survivor
        self.details[("alias", alias)] = Detail(survivor, None, self.created_by[survivor], shared=True)


ACTOR = st.one_of(st.none(), st.none(), st.integers(0, 9))  # None (2 in 3): a caseworker of the lead organisation
operations = st.one_of(
    st.tuples(
        st.just("share"),
        ACTOR,
        st.integers(0, 3),  # case
        st.sampled_from(["organisation", "team", "user"]),
        st.integers(0, 9),  # which grantee
        st.sampled_from(list(RANK)),
        st.sampled_from([None, 2, 30, 200]),  # expires in hours
    ),
    st.tuples(st.just("revoke"), ACTOR, st.integers(0, 7)),
    st.tuples(st.just("role"), st.integers(0, 6), st.one_of(st.none(), st.sampled_from(Role.values))),
    st.tuples(st.just("party"), ACTOR, st.integers(0, 3), st.integers(0, 3)),
    st.tuples(
        st.just("detail"),
        ACTOR,  # None: a caseworker leading one of the person's cases
        st.integers(0, 3),  # person
        st.sampled_from([*DETAIL_MODELS, "phone"]),
        st.one_of(st.none(), st.integers(0, 3)),  # source case
        st.booleans(),  # shared with everyone
    ),
    st.tuples(
        st.just("merge"), st.one_of(st.none(), st.integers(0, 9)), st.integers(0, 3), st.integers(0, 3), st.booleans()
    ),
    st.tuples(st.just("time"), st.sampled_from([1, 5, 26, 24 * 6])),
    st.tuples(st.just("propose"), ACTOR, st.integers(0, 1), st.integers(0, 3)),
    st.tuples(st.just("agree"), ACTOR, st.integers(0, 7)),
    st.tuples(st.just("remove"), ACTOR, st.integers(0, 7)),
    st.tuples(st.just("publish"), st.one_of(st.none(), st.none(), st.integers(0, 9)), st.integers(0, 1)),
)


class AccessRulesPropertyTests(ConfiguredPersonasTestCase, HypothesisTestCase):
    """Surrey Heath with four cases (two led by the council, one by the police, one by the charity)
    and four people, two of them on the same case, and managers in each organisation to agree merges.

    A CHaRMM chaired by Colin, an ordinary practitioner, with Priya (police) and Sam (charity) as its
    named attendees, meets two and nine days after the clock starts; its papers stay readable for
    two days after each meeting.
    """

    police_team: Team
    team_member: User
    charity_manager: User
    location: Location
    series: MeetingSeries

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        sh = cls.surrey_heath
        cls.police_team = Team.objects.create(organisation=cls.police, name="Neighbourhood Policing")
        cls.team_member = make_user(
            "pat.quinn@police.example", cls.police, roles={sh: Role.PRACTITIONER}, team=cls.police_team
        )
        cls.charity_manager = make_user("cleo.hart@charity.example", cls.charity, roles={sh: Role.MANAGER})
        case_type = CaseType.objects.get(partnership=sh, code="asb_perpetrator")
        leads = [cls.council, cls.council, cls.police, cls.charity]
        cases = [
            Case.objects.create(
                partnership=sh,
                reference=f"SH-2027-{n:06d}",
                case_type=case_type,
                lead_organisation=lead,
                created_by=cls.asb_officer,
            )
            for n, lead in enumerate(leads, start=1)
        ]
        # Dana and Olive on the first council case, Jon on the police case (but first recorded by the
        # council, so the coordinator sees him and must ask the police to merge him), Kit on the charity's.
        names = [
            ("Dana", "Whitlock", 0, cls.council),
            ("Olive", "Pemberton", 0, cls.council),
            ("Jon", "Ashby", 2, cls.council),
            ("Kit", "Marlow", 3, cls.charity),
        ]
        for first, last, case_no, recorder in names:
            case = cases[case_no]
            person = Person.objects.create(
                partnership=sh, first_name=first, last_name=last, created_by_organisation=recorder
            )
            CaseParty.objects.create(partnership=sh, case=case, person=person, role="associate")
        cls.location = Location.objects.create(
            partnership=sh,
            address_line_1="1 Station Approach",
            postcode="GU16 7HF",
            created_by_organisation=cls.council,
        )
        sh.meeting_papers_days = 2
        sh.save(update_fields=["meeting_papers_days"])
        cls.series = meeting_services.series_create(
            actor=cls.coordinator,
            partnership=sh,
            kind=Kind.CHARMM,
            name="Surrey Heath CHaRMM",
            chair=cls.colleague,
            member_organisations=[cls.council, cls.police, cls.charity],
            attendees=[cls.police_officer, cls.support_worker],
            cadence="weekly",
        )
        for days in (2, 9):
            starts_at = START + datetime.timedelta(days=days, hours=1)
            meeting_services.meeting_schedule(actor=cls.coordinator, series=cls.series, starts_at=starts_at)

    # -- the cast ------------------------------------------------------------------------------

    def actors(self) -> list[User]:
        """Those who act: caseworkers of every organisation, the coordinator, managers and the auditor."""
        return [
            self.asb_officer,
            self.colleague,
            self.coordinator,
            self.council_manager,
            self.police_officer,
            self.team_member,
            self.police_manager,
            self.support_worker,
            self.charity_manager,
            self.auditor,
        ]

    def readers(self) -> list[User]:
        """Everyone whose access is checked: the actors, the administrator, the analyst and Runnymede's Rita."""
        return [*self.actors(), self.administrator, self.analyst, self.other_partnership_user]

    def role_targets(self) -> list[User]:
        """The administrator changes these people's roles (not the managers who agree merges)."""
        return [
            self.asb_officer,
            self.colleague,
            self.coordinator,
            self.police_officer,
            self.team_member,
            self.support_worker,
            self.auditor,
        ]

    def deciders(self) -> dict[int, User]:
        """Who agrees a proposed merge for each lead organisation."""
        return {
            self.council.pk: self.council_manager,
            self.police.pk: self.police_manager,
            self.charity.pk: self.charity_manager,
        }

    def fresh(self, user: User) -> User:
        return User.objects.get(pk=user.pk)  # roles change between steps

    # -- the property --------------------------------------------------------------------------

    # Each example replays up to ten steps and checks every reader after each: 20 at most in CI.
    @settings(max_examples=min(20, settings().max_examples))
    @given(steps=st.lists(operations, min_size=1, max_size=10))
    def test_what_each_user_can_open_is_exactly_what_the_rules_derive(self, steps):
        self.rules = self.start()
        self.counter = itertools.count()
        with mock.patch("django.utils.timezone.now", new=self.clock):
            for step in steps:
                self.operation = step[0]
                getattr(self, f"apply_{step[0]}")(*step[1:])
                self.check(step)
            self.check_pages()

    def clock(self) -> datetime.datetime:
        return self.rules.now

    def start(self) -> Rules:
        users = [*self.readers(), self.charity_manager]
        cases = Case.objects.filter(partnership=self.surrey_heath).order_by("pk")
        self.case_ids = [case.pk for case in cases]
        rules = Rules(
            now=START,
            partnership=self.surrey_heath.pk,
            organisation={u.pk: u.organisation_id for u in users},
            team={u.pk: u.team_id for u in users},
            role={u.pk: self.role_in_surrey_heath(u) for u in users},
            lead={case.pk: case.lead_organisation_id for case in cases},
        )
        for party in CaseParty.objects.filter(partnership=self.surrey_heath).select_related("person"):
            rules.parties.setdefault(party.person_id, set()).add(party.case_id)
            rules.created_by[party.person_id] = party.person.created_by_organisation_id
        self.person_ids = sorted(rules.parties)
        rules.chair = self.series.chair_id
        rules.attendees = frozenset(self.series.attendees.values_list("pk", flat=True))
        rules.member_organisations = frozenset(self.series.member_organisations.values_list("pk", flat=True))
        rules.papers_days = 2
        meetings = Meeting.objects.filter(series=self.series).order_by("starts_at")
        rules.meetings = {meeting.pk: ModelMeeting(meeting.starts_at) for meeting in meetings}
        self.meeting_ids = [meeting.pk for meeting in meetings]
        return rules

    def role_in_surrey_heath(self, user: User) -> str | None:
        found = [m.role for m in user.memberships.all() if m.partnership_id == self.surrey_heath.pk]
        return found[0] if found else None

    # -- steps, through the services -----------------------------------------------------------

    def actor_for(self, who: int | None, case_id: int) -> User:
        """The actor named, or else the first of the case's lead organisation who does casework."""
        if who is not None:
            return self.actors()[who]
        for user in self.actors():
            if self.rules.organisation[user.pk] == self.rules.lead[case_id] and self.rules.casework(user.pk):
                return user
        return self.actors()[0]

    def expect(self, allowed: bool, write: Any) -> Any:
        """Runs the service call ``write``: it must succeed exactly when the rules allow it."""
        event(f"{self.operation}: {'done' if allowed else 'refused'}")
        if allowed:
            return write()
        with pytest.raises(PermissionDenied):
            write()
        return None

    def apply_share(self, who, case_no, kind, grantee_no, level, expires_in) -> None:
        case_id = self.case_ids[case_no]
        actor = self.fresh(self.actor_for(who, case_id))
        grantee: dict[str, Any] = {
            "organisation": {"organisation": [self.council, self.police, self.charity][grantee_no % 3]},
            "team": {"team": [self.community_safety, self.police_team][grantee_no % 2]},
            "user": {"user": self.readers()[grantee_no]},
        }[kind]
        expires_at = self.rules.now + datetime.timedelta(hours=expires_in) if expires_in else None
        share = self.expect(
            self.rules.may(actor.pk, Act.MANAGE, case_id),
            lambda: sharing_services.share_grant(
                actor=actor,
                case=Case.objects.get(pk=case_id),
                level=level,
                reason="A justified interest.",
                expires_at=expires_at,
                **grantee,
            ),
        )
        if share is not None:
            (grantee_obj,) = grantee.values()
            self.rules.shares[share.pk] = ModelShare(case_id, kind, grantee_obj.pk, level, expires_at)

    def apply_revoke(self, who, share_no) -> None:
        if not self.rules.shares:
            return
        share_id = sorted(self.rules.shares)[share_no % len(self.rules.shares)]
        modelled = self.rules.shares[share_id]
        actor = self.fresh(self.actor_for(who, modelled.case))
        revoked = self.expect(
            self.rules.may(actor.pk, Act.MANAGE, modelled.case),
            lambda: sharing_services.share_revoke(actor=actor, share=Share.objects.get(pk=share_id)),
        )
        if revoked is not None:
            modelled.revoked = True

    def apply_role(self, target_no, role) -> None:
        target = self.role_targets()[target_no]
        administrator = self.fresh(self.administrator)
        if role is None:
            if self.rules.role[target.pk] is None:
                return
            staff_services.membership_remove(actor=administrator, user=target, partnership=self.surrey_heath)
        else:
            staff_services.membership_set(actor=administrator, user=target, partnership=self.surrey_heath, role=role)
        self.rules.role[target.pk] = role
        event("role: changed")

    def apply_party(self, who, case_no, person_no) -> None:
        case_id = self.case_ids[case_no]
        person_id = self.person_ids[person_no]
        if person_id not in self.rules.parties or case_id in self.rules.parties[person_id]:
            return
        actor = self.fresh(self.actor_for(who, case_id))
        added = self.expect(
            self.rules.may(actor.pk, Act.CONTRIBUTE, case_id),
            lambda: case_services.case_party_add(
                actor=actor,
                case=Case.objects.get(pk=case_id),
                person=Person.objects.get(pk=person_id),
                role="associate",
            ),
        )
        if added is not None:
            self.rules.parties[person_id].add(case_id)

    def apply_detail(self, who, person_no, kind, source_no, shared) -> None:
        person_id = self.person_ids[person_no]
        if person_id not in self.rules.parties:
            return
        source_id = self.case_ids[source_no] if source_no is not None else None
        actor = self.fresh(self.actor_for(who, source_id or min(self.rules.parties[person_id])))
        person = Person.objects.get(pk=person_id)
        source = Case.objects.get(pk=source_id) if source_id is not None else None
        n = next(self.counter)
        provenance: dict[str, Any] = {"source_case": source, "shared_with_everyone": shared}
        writes = {
            "alias": lambda: people_services.person_alias_add(
                actor=actor, person=person, first_name="Known", last_name=f"As{n}", **provenance
            ),
            "identifier": lambda: people_services.person_identifier_add(
                actor=actor, person=person, kind="pnc", value=f"27/{n:06d}X", **provenance
            ),
            "address": lambda: people_services.person_address_add(
                actor=actor, person=person, location=self.location, **provenance
            ),
            "warning": lambda: people_services.person_warning_add(
                actor=actor, person=person, kind="dogs", **provenance
            ),
            "phone": lambda: people_services.person_update(
                actor=actor, person=person, version=person.version, values={"phone": f"0770090{n:04d}"}, **provenance
            ),
        }
        recorded = self.expect(self.rules.may_record_under(actor.pk, person_id, source_id), writes[kind])
        if recorded is None:
            return
        detail = Detail(person_id, source_id, self.rules.organisation[actor.pk], shared)
        if kind == "phone":
            self.rules.phone[person_id] = detail
        else:
            self.rules.details[(kind, recorded.pk)] = detail

    def apply_merge(self, who, survivor_no, merged_no, decline) -> None:
        """The coordinator (or another actor) merges two people: directly where they may manage every
        case either is in, otherwise by proposing it to the other cases' leads, who agree or decline."""
        survivor_id, merged_id = self.person_ids[survivor_no], self.person_ids[merged_no]
        if survivor_id == merged_id or not {survivor_id, merged_id} <= set(self.rules.parties):
            return
        actor = self.fresh(self.coordinator if who is None else self.actors()[who])
        survivor, merged = Person.objects.get(pk=survivor_id), Person.objects.get(pk=merged_id)
        aliases_before = set(PersonAlias.objects.filter(person_id=survivor_id).values_list("pk", flat=True))
        to_agree = self.rules.organisations_to_agree(actor.pk, survivor_id, merged_id)
        if not self.rules.merge_reviewer(actor.pk, survivor_id, merged_id) or not to_agree:
            done = self.expect(
                self.rules.merge_reviewer(actor.pk, survivor_id, merged_id),
                lambda: matching_services.person_merge(actor=actor, survivor=survivor, merged=merged),
            )
        else:
            with pytest.raises(PermissionDenied):  # not alone
                matching_services.person_merge(actor=actor, survivor=survivor, merged=merged)
            proposal = matching_services.merge_propose(
                actor=actor, survivor=survivor, merged=merged, choices={}, reason="The same person."
            )
            for organisation_id in sorted(to_agree):
                decider = self.fresh(self.deciders()[organisation_id])
                matching_services.merge_proposal_decide(actor=decider, proposal=proposal, agree=not decline)
                if decline:
                    break
            proposal = MergeProposal.objects.get(pk=proposal.pk)
            done = proposal.merge if not decline else None
            assert (proposal.status, done is None) == (("declined", True) if decline else ("done", False)), (
                proposal.status
            )
            event(f"merge: proposed and {proposal.status}")
        if done is None:
            return
        (alias,) = PersonAlias.objects.filter(person_id=survivor_id).exclude(pk__in=aliases_before)
        self.rules.merge(survivor_id, merged_id, alias.pk)

    def apply_propose(self, who, meeting_no, case_no) -> None:
        """Anyone who may see the case and the meeting proposes it; one who may manage it agrees by proposing."""
        meeting_id, case_id = self.meeting_ids[meeting_no], self.case_ids[case_no]
        if self.rules.live_item(meeting_id, case_id):
            return
        actor = self.fresh(self.actor_for(who, case_id))
        item = self.expect(
            self.rules.may(actor.pk, Act.VIEW, case_id) and self.rules.sees_meeting(actor.pk),
            lambda: meeting_services.agenda_item_propose(
                actor=actor,
                meeting=Meeting.objects.get(pk=meeting_id),
                case=Case.objects.get(pk=case_id),
                source=Source.COORDINATOR,
                reason="Escalating.",
            ),
        )
        if item is not None:
            agreed = self.rules.may(actor.pk, Act.MANAGE, case_id)
            self.rules.items[item.pk] = ModelItem(meeting_id, case_id, agreed=agreed)

    def item_for(self, item_no: int) -> tuple[int, ModelItem] | None:
        if not self.rules.items:
            return None
        item_id = sorted(self.rules.items)[item_no % len(self.rules.items)]
        return item_id, self.rules.items[item_id]

    def apply_agree(self, who, item_no) -> None:
        """Only someone who may manage the case puts it on the agenda."""
        found = self.item_for(item_no)
        if found is None or found[1].agreed or found[1].removed:
            return
        item_id, item = found
        actor = self.fresh(self.actor_for(who, item.case))
        agreed = self.expect(
            self.rules.may(actor.pk, Act.MANAGE, item.case),
            lambda: meeting_services.agenda_proposal_agree(actor=actor, item=AgendaItem.objects.get(pk=item_id)),
        )
        if agreed is not None:
            item.agreed = True

    def apply_remove(self, who, item_no) -> None:
        """Those who run the meeting, or may manage the case, take it off the agenda."""
        found = self.item_for(item_no)
        if found is None or found[1].removed:
            return
        item_id, item = found
        actor = self.fresh(self.actor_for(who, item.case))
        removed = self.expect(
            self.rules.runs_meeting(actor.pk) or self.rules.may(actor.pk, Act.MANAGE, item.case),
            lambda: meeting_services.agenda_item_remove(
                actor=actor, item=AgendaItem.objects.get(pk=item_id), reason="No longer needed."
            ),
        )
        if removed is not None:
            item.removed = True

    def apply_publish(self, who, meeting_no) -> None:
        """The coordinator publishes the agenda: the attendees' window on the agreed items opens."""
        meeting_id = self.meeting_ids[meeting_no]
        if self.rules.meetings[meeting_id].published_at is not None:
            return
        actor = self.fresh(self.coordinator if who is None else self.actors()[who])
        meeting = Meeting.objects.get(pk=meeting_id)
        if not self.rules.builds_agenda(actor.pk):
            with pytest.raises(PermissionDenied):
                meeting_services.agenda_publish(actor=actor, meeting=meeting)
            return
        if not any(i.meeting == meeting_id and i.agreed and not i.removed for i in self.rules.items.values()):
            with pytest.raises(ValidationError):
                meeting_services.agenda_publish(actor=actor, meeting=meeting)
            return
        meeting_services.agenda_publish(actor=actor, meeting=meeting)
        event("publish: done")
        self.rules.meetings[meeting_id].published_at = self.rules.now

    def apply_time(self, hours) -> None:
        self.rules.now += datetime.timedelta(hours=hours)

    # -- the comparison ------------------------------------------------------------------------

    def check(self, step: tuple[Any, ...]) -> None:
        """The cases each reader may open, at each level, the people they may see and the agenda items
        whose papers they may read, after each step."""
        rules = self.rules
        cases = list(Case.objects.filter(partnership=self.surrey_heath))
        people = Person.objects.filter(partnership=self.surrey_heath)
        assert set(people.values_list("pk", flat=True)) == set(rules.parties), step
        items = list(
            AgendaItem.objects.filter(meeting__series=self.series).select_related(
                "case", "meeting__series", "meeting__partnership"
            )
        )
        assert {item.pk for item in items} == set(rules.items), step
        for reader in self.readers():
            user = self.fresh(reader)
            for action in (Act.VIEW, Act.CONTRIBUTE, Act.MANAGE):
                listed = set(visible_cases(user, self.surrey_heath, action).values_list("pk", flat=True))
                assert listed == rules.cases_for(user.pk, action), (step, user.email, action, listed)
            for case in cases:
                assert can(user, Act.VIEW, case) == rules.may(user.pk, Act.VIEW, case.pk), (step, user.email, case)
            listed_people = set(visible_people(user, self.surrey_heath).values_list("pk", flat=True))
            assert listed_people == {p for p in rules.parties if rules.sees_person(user.pk, p)}, (step, user.email)
            for item in items:
                expected = rules.reads_papers(user.pk, rules.items[item.pk])
                if expected and not rules.may(user.pk, Act.VIEW, item.case_id):
                    event("papers: an attendee reads them through the window alone")
                assert may_read_item(user, item) == expected, (step, user.email, item.case.reference, rules.now)

    def expected_phones(self, user: User) -> dict[int, str]:
        phones = dict(Person.objects.filter(pk__in=list(self.rules.phone)).values_list("pk", "phone"))
        return {pk: phones[pk] for pk, d in self.rules.phone.items() if self.rules.sees_detail(user.pk, d)}

    def check_pages(self) -> None:
        """Each person's page shows each reader exactly the details rule 7 derives.

        Once, at the end: the state after any shorter sequence is the end of another example, and
        each call costs five queries a person.
        """
        rules = self.rules
        # A person with no detail recorded has none to show: their pages are left out, to save time.
        with_details = {detail.person for detail in rules.details.values()} | set(rules.phone)
        on_record = set(Person.objects.exclude(phone="").values_list("pk", flat=True))
        for model in DETAIL_MODELS.values():
            on_record |= set(model.objects.values_list("person_id", flat=True))
        assert on_record == with_details, (on_record, with_details)
        for reader in self.readers():
            user = self.fresh(reader)
            for person in Person.objects.filter(pk__in=with_details):
                shown = visible_details(user, person)
                seen = {
                    "alias": {d.pk for d in shown.aliases},
                    "identifier": {d.pk for d in shown.identifiers},
                    "address": {d.pk for d in shown.addresses},
                    "warning": {d.pk for d in shown.warnings},
                }
                for kind in DETAIL_MODELS:
                    expected = {
                        pk
                        for (k, pk), detail in rules.details.items()
                        if k == kind and detail.person == person.pk and rules.sees_detail(user.pk, detail)
                    }
                    assert seen[kind] == expected, (user.email, person.full_name, kind, seen[kind], expected)
                assert shown.phone == self.expected_phones(user).get(person.pk, ""), (user.email, person.full_name)
