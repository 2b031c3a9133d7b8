"""Property: for any mix of shares, restrictions, expiries, revocations, break-glass and later
changes to the cases, the list query and the object check give the same answer, and "Shared with
me" read from the grants in order lists the same cases in the same order as sorting them."""

import datetime

from django.db import transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from casebridge.accounts.models import User
from casebridge.cases.models import Case, Note, Restriction
from casebridge.cases.pagination import MergedKeys
from casebridge.cases.tests.base import CasesTestCase
from casebridge.organisations.models import Role, Team
from casebridge.people.models import Person
from casebridge.sharing.models import BreakGlass, Level, Share
from casebridge.sharing.policy import (
    Act,
    can,
    led_cases,
    shared_case_grants,
    shared_cases,
    visible_cases,
    visible_cases_each,
    visible_entries,
    visible_people,
)
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


class PolicyAgreementTests(CasesTestCase, HypothesisTestCase):
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

    # Each example builds cases and shares in the database: 40 at most, or fewer if the profile asks.
    @settings(max_examples=min(40, settings().max_examples))
    @given(
        leads=lead_spec,
        shares=st.lists(share_spec, max_size=8),
        glasses=st.lists(glass_spec, max_size=3),
        notes=st.lists(note_spec, max_size=6),
        touches=st.lists(touch_spec, max_size=4),
    )
    def test_list_query_and_object_check_always_agree(self, leads, shares, glasses, notes, touches):
        savepoint = transaction.savepoint()
        try:
            self._check(leads, shares, glasses, notes, touches)
        finally:
            transaction.savepoint_rollback(savepoint)

    def _check(self, leads, shares, glasses, notes, touches) -> None:
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

        all_cases = list(Case.objects.filter(partnership=self.surrey_heath))
        all_people = list(Person.objects.filter(partnership=self.surrey_heath))
        for user in users:
            user = type(user).objects.get(pk=user.pk)  # fresh membership cache
            for action in (Act.VIEW, Act.CONTRIBUTE, Act.MANAGE, Act.LEAD):
                listed = set(visible_cases(user, self.surrey_heath, action).values_list("pk", flat=True))
                checked = {c.pk for c in all_cases if can(user, action, c)}
                assert listed == checked, (user.email, action, listed, checked)
                each = set(visible_cases_each(user, self.surrey_heath, action).values_list("pk", flat=True))
                assert each == checked, (user.email, action, each, checked)
            led = set(led_cases(user, self.surrey_heath).values_list("pk", flat=True))
            assert led == {c.pk for c in all_cases if can(user, Act.LEAD, c)}, user.email
            shared = set(shared_cases(user, self.surrey_heath, Act.VIEW).values_list("pk", flat=True))
            viewable = {c.pk for c in all_cases if can(user, Act.VIEW, c)}
            assert shared == viewable - led, user.email
            for action in (Act.VIEW, Act.CONTRIBUTE, Act.MANAGE):
                in_order = shared_cases(user, self.surrey_heath, action).order_by("-updated_at", "-id")
                expected = list(in_order.values_list("pk", flat=True))
                keys = MergedKeys(shared_case_grants(user, self.surrey_heath, action))
                found, counted = keys.window(offset=0, size=10, tail=0, cap=10)
                assert list(found.values()) == expected, (user.email, action)
                assert counted == keys.count(cap=10) == len(expected), (user.email, action)
                assert keys.count(cap=2) == min(len(expected), 2), (user.email, action)
            listed_people = set(visible_people(user, self.surrey_heath).values_list("pk", flat=True))
            checked_people = {p.pk for p in all_people if can(user, Act.VIEW, p)}
            assert listed_people == checked_people, (user.email, listed_people, checked_people)
            for case in all_cases:
                if not can(user, Act.VIEW, case):
                    continue
                listed_notes = set(visible_entries(user, case, Note.objects.all()).values_list("pk", flat=True))
                checked_notes = {n.pk for n in Note.objects.filter(case=case) if can(user, Act.VIEW, n)}
                assert listed_notes == checked_notes, (user.email, case.reference)
