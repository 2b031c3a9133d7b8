import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from casebridge.assessments import services
from casebridge.assessments.models import Alert
from casebridge.assessments.tests.base import AssessmentsTestCase
from casebridge.audit.models import AuditEvent


class AlertReadTests(AssessmentsTestCase):
    def high_alert(self) -> Alert:
        self.complete({"threatened": "yes", "weapon": "yes"}, actor=self.support_worker)
        return Alert.objects.get(recipient=self.asb_officer)

    def test_the_recipient_marks_an_alert_as_read_and_it_is_audited(self):
        alert = self.high_alert()
        self.sign_in(self.asb_officer)
        response = self.client.post(reverse("assessments:alert_read", args=[alert.public_id]))
        assert response.status_code == 302
        alert.refresh_from_db()
        assert alert.read_at is not None
        assert AuditEvent.objects.filter(action="changed", actor=self.asb_officer, data__read_at__isnull=False).exists()
        page = self.client.get(reverse("assessments:alerts"))
        self.assertContains(page, "Read")
        self.assertNotContains(page, "Mark as read")

    def test_marking_twice_keeps_the_first_time(self):
        alert = self.high_alert()
        services.alert_mark_read(actor=self.asb_officer, alert=alert)
        first = Alert.objects.get(pk=alert.pk).read_at
        services.alert_mark_read(actor=self.asb_officer, alert=Alert.objects.get(pk=alert.pk))
        assert Alert.objects.get(pk=alert.pk).read_at == first

    def test_someone_else_gets_404_and_the_alert_stays_unread(self):
        alert = self.high_alert()
        for persona in (self.colleague, self.administrator, self.support_worker, self.other_partnership_user):
            self.sign_in(persona)
            with self.subTest(persona=persona.email):
                response = self.client.post(reverse("assessments:alert_read", args=[alert.public_id]))
                assert response.status_code == 404
            self.client.logout()
        alert.refresh_from_db()
        assert alert.read_at is None

    def test_the_service_refuses_another_users_alert(self):
        alert = self.high_alert()
        with pytest.raises(PermissionDenied):
            services.alert_mark_read(actor=self.colleague, alert=alert)

    def test_reading_needs_a_post(self):
        alert = self.high_alert()
        self.sign_in(self.asb_officer)
        assert self.client.get(reverse("assessments:alert_read", args=[alert.public_id])).status_code == 405
