import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casebridge.audit.models import Action, AuditEvent
from casebridge.cases.models import BreakGlass, Level, Share
from casebridge.cases.policy import Act, can, visible_cases
from casebridge.cases.tests.base import CasesTestCase
from casebridge.sharing import services
from casebridge.sharing.models import AccessRequest, Alert


class ShareTests(CasesTestCase):
    def test_a_share_to_a_user_grants_its_level_and_no_more(self):
        services.share_grant(
            actor=self.asb_officer, case=self.private_case, user=self.police_officer, level=Level.VIEW, reason="MARAC"
        )
        assert can(self.police_officer, Act.VIEW, self.private_case)
        assert not can(self.police_officer, Act.CONTRIBUTE, self.private_case)

    def test_a_team_share_reaches_its_members_only(self):
        services.share_grant(
            actor=self.asb_officer, case=self.private_case, team=self.community_safety, level=Level.VIEW, reason="x"
        )
        assert self.private_case in visible_cases(self.asb_officer, self.surrey_heath)
        assert self.private_case not in visible_cases(self.police_officer, self.surrey_heath)

    def test_an_expired_share_grants_nothing(self):
        share = services.share_grant(
            actor=self.asb_officer,
            case=self.private_case,
            user=self.police_officer,
            level=Level.VIEW,
            reason="For one day",
            expires_at=self.future(hours=1),
        )
        Share.objects.filter(pk=share.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
        assert not can(self.police_officer, Act.VIEW, self.private_case)

    def test_a_revoked_share_grants_nothing_and_the_revocation_is_audited(self):
        share = Share.objects.get(case=self.case, organisation=self.charity)
        services.share_revoke(actor=self.asb_officer, share=share)
        assert not can(self.support_worker, Act.VIEW, self.case)
        assert AuditEvent.objects.filter(action=Action.SHARE_REVOKED, object_id=str(self.case.public_id)).exists()

    def test_sharing_needs_a_reason_and_manage_access(self):
        with pytest.raises(ValidationError, match="reason"):
            services.share_grant(
                actor=self.asb_officer, case=self.case, user=self.police_officer, level=Level.VIEW, reason=" "
            )
        with pytest.raises(PermissionDenied):
            services.share_grant(
                actor=self.support_worker, case=self.case, user=self.police_officer, level=Level.VIEW, reason="x"
            )

    def test_a_share_is_audited_with_who_why_and_level(self):
        services.share_grant(
            actor=self.asb_officer, case=self.private_case, organisation=self.police, level=Level.MANAGE, reason="JAG"
        )
        event = AuditEvent.objects.filter(action=Action.SHARED, object_id=str(self.private_case.public_id)).get()
        assert event.data["with"] == "Surrey Police"
        assert event.data["level"] == "manage"
        assert event.data["reason"] == "JAG"


class AccessRequestTests(CasesTestCase):
    def test_approval_gives_the_requester_view_access(self):
        services.access_request_decide(actor=self.colleague, request=self.access_request, approve=True)
        self.access_request.refresh_from_db()
        assert self.access_request.state == AccessRequest.State.APPROVED
        assert can(self.police_officer, Act.VIEW, self.private_case)
        assert not can(self.police_officer, Act.CONTRIBUTE, self.private_case)

    def test_declining_gives_nothing(self):
        services.access_request_decide(actor=self.asb_officer, request=self.access_request, approve=False)
        assert not can(self.police_officer, Act.VIEW, self.private_case)
        assert AuditEvent.objects.filter(action=Action.ACCESS_DECIDED).exists()

    def test_only_the_lead_organisation_decides(self):
        services.share_grant(
            actor=self.asb_officer, case=self.private_case, organisation=self.charity, level=Level.MANAGE, reason="x"
        )
        with pytest.raises(PermissionDenied):
            services.access_request_decide(actor=self.support_worker, request=self.access_request, approve=True)

    def test_the_lead_organisation_is_alerted_to_a_request(self):
        assert Alert.objects.filter(organisation=self.council, kind=Alert.Kind.ACCESS_REQUEST).count() == 1

    def test_a_second_pending_request_for_the_same_case_is_refused(self):
        with pytest.raises(ValidationError, match="already asked"):
            services.access_request_create(actor=self.police_officer, case=self.private_case, reason="Again")


class BreakGlassTests(CasesTestCase):
    def test_break_glass_gives_view_for_three_hours_alerts_and_flags(self):
        glass = services.break_glass(actor=self.police_officer, case=self.private_case, reason="Child at risk now")
        assert glass.expires_at - glass.started_at == datetime.timedelta(hours=3)
        assert can(self.police_officer, Act.VIEW, self.private_case)
        assert not can(self.police_officer, Act.CONTRIBUTE, self.private_case)
        assert Alert.objects.filter(organisation=self.council, kind=Alert.Kind.BREAK_GLASS).exists()
        event = AuditEvent.objects.get(action=Action.BREAK_GLASS)
        assert event.flagged is True
        assert event.data["reason"] == "Child at risk now"

    def test_access_ends_when_the_time_limit_passes(self):
        glass = services.break_glass(actor=self.police_officer, case=self.private_case, reason="Emergency")
        BreakGlass.objects.filter(pk=glass.pk).update(
            started_at=timezone.now() - datetime.timedelta(hours=4),
            expires_at=timezone.now() - datetime.timedelta(hours=1),
        )
        assert not can(self.police_officer, Act.VIEW, self.private_case)

    def test_break_glass_needs_a_reason_and_stays_inside_the_partnership(self):
        with pytest.raises(ValidationError):
            services.break_glass(actor=self.police_officer, case=self.private_case, reason="")
        with pytest.raises(PermissionDenied):
            services.break_glass(actor=self.other_partnership_user, case=self.private_case, reason="Emergency")
