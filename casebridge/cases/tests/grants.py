"""Random mixes of shares, restrictions, expiries, revocations, break-glass and later changes to
the cases, for the property tests that hold the access rules' two answers to agreeing."""

import datetime

from django.db import transaction
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from casebridge.accounts.models import User
from casebridge.cases.models import BreakGlass, Case, Level, Note, Restriction, Share
from casebridge.cases.tests.base import CasesTestCase
from casebridge.organisations.models import Role, Team
from tests.personas import make_user

EXPIRY = st.sampled_from([None, -2.0, 2.0])  # hours from now
share_spec = st.tuples(
    st.integers(0, 3),  # case
    st.sampled_from(["organisation", "team", "user"]),
    st.integers(0, 7),  # which grantee
    st.sampled_from(Level.values),
    EXPIRY,
    st.booleans(),  # revoked
)
glass_spec = st.tuples(st.integers(0, 3), st.integers(0, 7), st.booleans())  # case, user, expired
note_spec = st.tuples(st.integers(0, 3), st.sampled_from(Restriction.values), st.integers(0, 7))
lead_spec = st.lists(st.integers(0, 2), min_size=4, max_size=4)
# A change to a case after it was shared: its update time (minutes after a base, so that times
# tie) and perhaps a new lead organisation.
touch_spec = st.tuples(st.integers(0, 3), st.integers(0, 2), st.one_of(st.none(), st.integers(0, 2)))
grants_given = {
    "leads": lead_spec,
    "shares": st.lists(share_spec, max_size=8),
    "glasses": st.lists(glass_spec, max_size=3),
    "notes": st.lists(note_spec, max_size=6),
    "touches": st.lists(touch_spec, max_size=4),
}


class GrantsTestCase(CasesTestCase, HypothesisTestCase):
    police_team: Team
    team_member: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.police_team = Team.objects.create(organisation=cls.police, name="Neighbourhood Policing")
        cls.team_member = make_user(
            "pat.quinn@police.example", cls.police, roles={cls.surrey_heath: Role.PRACTITIONER}, team=cls.police_team
        )

    def people(self) -> list[User]:
        return [
            self.asb_officer,
            self.colleague,
            self.police_officer,
            self.team_member,
            self.support_worker,
            self.police_manager,
            self.auditor,
            self.other_partnership_user,
        ]

    def check_with_grants(self, leads, shares, glasses, notes, touches) -> None:
        """Build the grants, run ``check``, and undo them for the next example."""
        savepoint = transaction.savepoint()
        try:
            self.grant(leads, shares, glasses, notes, touches)
            self.check()
        finally:
            transaction.savepoint_rollback(savepoint)

    def check(self) -> None:
        raise NotImplementedError

    def grant(self, leads, shares, glasses, notes, touches) -> None:
        now = timezone.now()
        organisations = [self.council, self.police, self.charity]
        teams = [self.community_safety, self.police_team]
        users = self.people()
        cases = [self.case, self.private_case]
        cases += [
            Case.objects.create(
                partnership=self.surrey_heath,
                reference=f"SH-2000-{n:06d}",
                case_type=self.asb_perpetrator,
                lead_organisation=organisations[leads[n]],
                created_by=self.asb_officer,
            )
            for n in (2, 3)
        ]
        for case_no, kind, who, level, expiry, revoked in shares:
            grantee = {
                "organisation": {"organisation": organisations[who % 3]},
                "team": {"team": teams[who % 2]},
                "user": {"user": users[who]},
            }[kind]
            Share.objects.create(
                partnership=self.surrey_heath,
                case=cases[case_no],
                level=level,
                reason="Property test",
                granted_by=self.asb_officer,
                expires_at=now + datetime.timedelta(hours=expiry) if expiry is not None else None,
                revoked_at=now if revoked else None,
                **grantee,
            )
        for case_no, who, expired in glasses:
            started = now - datetime.timedelta(hours=5 if expired else 1)
            BreakGlass.objects.create(
                partnership=self.surrey_heath,
                case=cases[case_no],
                user=users[who],
                reason="Emergency",
                started_at=started,
                expires_at=started + datetime.timedelta(hours=3),
            )
        for case_no, restriction, who in notes:
            note = Note.objects.create(
                partnership=self.surrey_heath,
                case=cases[case_no],
                created_by=self.asb_officer,
                text="x",
                restriction=restriction,
            )
            if restriction == Restriction.NAMED_USERS:
                note.restricted_to.set([users[who]])

        base = now - datetime.timedelta(days=1)
        for case_no, minutes, lead in touches:
            changes = {"updated_at": base + datetime.timedelta(minutes=minutes)}
            if lead is not None:
                changes["lead_organisation"] = organisations[lead]
            Case.objects.filter(pk=cases[case_no].pk).update(**changes)
