"""Property: for any mix of shares, restrictions, expiries, revocations, break-glass and later
changes to the cases, the list query and the object check give the same answer, and "Shared with
me" read from the grants in order lists the same cases in the same order as sorting them."""

from hypothesis import given, settings

from casebridge.cases.models import Case, Note
from casebridge.cases.pagination import MergedKeys
from casebridge.cases.policy import (
    Act,
    can,
    led_cases,
    shared_case_grants,
    shared_cases,
    visible_cases,
    visible_cases_each,
    visible_entries,
)
from casebridge.cases.tests.grants import GrantsTestCase, grants_given


class PolicyAgreementTests(GrantsTestCase):
    # Each example builds cases and shares in the database: 40 at most, or fewer if the profile asks.
    @settings(max_examples=min(40, settings().max_examples))
    @given(**grants_given)
    def test_list_query_and_object_check_always_agree(self, leads, shares, glasses, notes, touches):
        self.check_with_grants(leads, shares, glasses, notes, touches)

    def check(self) -> None:
        all_cases = list(Case.objects.filter(partnership=self.surrey_heath))
        for user in self.people():
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
            for case in all_cases:
                if not can(user, Act.VIEW, case):
                    continue
                listed_notes = set(visible_entries(user, case, Note.objects.all()).values_list("pk", flat=True))
                checked_notes = {n.pk for n in Note.objects.filter(case=case) if can(user, Act.VIEW, n)}
                assert listed_notes == checked_notes, (user.email, case.reference)
