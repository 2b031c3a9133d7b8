"""The "Shared with me" query is visible_cases minus the user's own organisation's cases."""

import datetime

from django.utils import timezone

from casebridge.accounts.models import User
from casebridge.cases.models import BreakGlass, Level, Share
from casebridge.cases.policy import Act, shared_cases, visible_cases
from casebridge.cases.tests.base import CasesTestCase


class SharedCasesTests(CasesTestCase):
    def everyone(self) -> list[User]:
        return [
            self.asb_officer,
            self.colleague,
            self.police_officer,
            self.support_worker,
            self.police_manager,
            self.auditor,
            self.analyst,
            self.other_partnership_user,
        ]

    def assert_agrees_with_visible_cases(self) -> None:
        for user in self.everyone():
            for action in Act:
                with self.subTest(user=user.email, action=action):
                    expected = visible_cases(user, self.surrey_heath, action)
                    if user.organisation_id:
                        expected = expected.exclude(lead_organisation_id=user.organisation_id)
                    got = shared_cases(user, self.surrey_heath, action)
                    assert set(got.values_list("pk", flat=True)) == set(expected.values_list("pk", flat=True))

    def test_agrees_with_visible_cases_for_every_persona_and_action(self):
        self.assert_agrees_with_visible_cases()

    def test_agrees_with_team_user_expired_revoked_shares_and_break_glass(self):
        now = timezone.now()
        hour = datetime.timedelta(hours=1)
        common = {"partnership": self.surrey_heath, "reason": "Joint visit", "granted_by": self.asb_officer}
        Share.objects.create(case=self.private_case, user=self.police_officer, level=Level.MANAGE, **common)
        Share.objects.create(case=self.private_case, organisation=self.charity, expires_at=now - hour, **common)
        Share.objects.create(case=self.case, organisation=self.police, revoked_at=now, **common)
        BreakGlass.objects.create(
            partnership=self.surrey_heath,
            case=self.case,
            user=self.police_manager,
            reason="Emergency",
            expires_at=now + hour,
        )
        self.assert_agrees_with_visible_cases()
        assert shared_cases(self.police_officer, self.surrey_heath).filter(pk=self.private_case.pk).exists()
        assert not shared_cases(self.support_worker, self.surrey_heath).filter(pk=self.private_case.pk).exists()
        assert shared_cases(self.police_manager, self.surrey_heath).filter(pk=self.case.pk).exists()
