"""Shares, access requests and emergency access tell the people concerned, once committed."""

from casebridge.cases.models import Level
from casebridge.cases.tests.base import CasesTestCase
from casebridge.notifications.models import Notification
from casebridge.sharing import services


class SharingNotificationTests(CasesTestCase):
    def test_a_share_to_a_user_notifies_them(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.share_grant(
                actor=self.asb_officer, case=self.private_case, user=self.police_officer, level=Level.VIEW, reason="x"
            )
        assert Notification.objects.filter(user=self.police_officer, kind="share").exists()

    def test_break_glass_notifies_the_lead_officer(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.break_glass(actor=self.police_officer, case=self.private_case, reason="Urgent welfare check.")
        assert Notification.objects.filter(user=self.asb_officer, kind="break_glass").exists()

    def test_an_access_request_notifies_the_lead_organisations_managers(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.access_request_create(actor=self.support_worker, case=self.private_case, reason="Support.")
        assert Notification.objects.filter(user=self.council_manager, kind="access_request").exists()
        assert not Notification.objects.filter(user=self.support_worker, kind="access_request").exists()
