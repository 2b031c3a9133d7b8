"""The client's address behind a load balancer: read from X-Forwarded-For only when proxies are configured."""

from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from casebridge.audit.models import Action, AuditEvent
from tests.personas import PersonasTestCase

SIGN_IN = reverse("accounts:sign_in")
PROGRESS = reverse("public_reports:progress")
PROXY = "10.0.0.1"
BALANCER = "10.0.0.2"
RESIDENT = "203.0.113.7"
NEIGHBOUR = "203.0.113.8"
INVENTED = "198.51.100.9"


class ClientAddressTests(PersonasTestCase):
    def setUp(self) -> None:
        cache.clear()

    def fail_sign_in(self, forwarded_for: str) -> None:
        self.client.post(
            SIGN_IN,
            {"username": self.asb_officer.email, "password": "wrong password"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    def check_progress(self, forwarded_for: str) -> int:
        response = self.client.post(
            PROGRESS,
            {"reference": "ASB-22222222", "email": "jo@example.com"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )
        return response.status_code

    def failed_sign_in_address(self) -> str | None:
        address: str | None = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED).ip
        return address

    @override_settings(PROXY_COUNT=1)
    def test_behind_a_load_balancer_the_audit_and_lockout_do_not_record_the_balancers_address(self):
        self.fail_sign_in(RESIDENT)
        assert self.failed_sign_in_address() == RESIDENT
        assert AccessAttempt.objects.get().ip_address == RESIDENT

    @override_settings(PROXY_COUNT=2)
    def test_behind_a_balancer_and_a_proxy_the_audit_records_the_client_not_a_proxy(self):
        self.fail_sign_in(f"{RESIDENT}, {BALANCER}")
        assert self.failed_sign_in_address() == RESIDENT

    @override_settings(PROXY_COUNT=1, PUBLIC_PROGRESS_CHECKS_PER_HOUR=2)
    def test_behind_a_load_balancer_residents_do_not_share_one_rate_limit(self):
        assert [self.check_progress(RESIDENT) for _ in range(3)] == [200, 200, 429]
        assert self.check_progress(NEIGHBOUR) == 200

    @override_settings(PROXY_COUNT=1, PUBLIC_PROGRESS_CHECKS_PER_HOUR=2)
    def test_behind_a_load_balancer_an_address_the_client_invents_is_not_believed(self):
        assert [self.check_progress(RESIDENT) for _ in range(2)] == [200, 200]
        # The balancer appends the address it saw to whatever the client sent.
        assert self.check_progress(f"{INVENTED}, {RESIDENT}") == 429
        self.fail_sign_in(f"{INVENTED}, {RESIDENT}")
        assert self.failed_sign_in_address() == RESIDENT

    @override_settings(PROXY_COUNT=2)
    def test_a_header_shorter_than_the_proxy_chain_is_not_believed(self):
        self.fail_sign_in(INVENTED)
        assert self.failed_sign_in_address() == PROXY

    @override_settings(PROXY_COUNT=0)
    def test_without_a_proxy_a_forwarded_for_header_is_not_believed_by_the_audit_or_lockout(self):
        self.fail_sign_in(INVENTED)
        assert self.failed_sign_in_address() == PROXY
        assert AccessAttempt.objects.get().ip_address == PROXY

    @override_settings(PROXY_COUNT=0, PUBLIC_PROGRESS_CHECKS_PER_HOUR=2)
    def test_without_a_proxy_a_forwarded_for_header_does_not_escape_the_rate_limit(self):
        assert [self.check_progress(f"{INVENTED}{n}") for n in range(3)] == [200, 200, 429]
