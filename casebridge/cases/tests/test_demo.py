import io

from django.core.management import call_command
from django.test import TestCase

from casebridge.accounts.models import User
from casebridge.cases.models import Case
from casebridge.cases.policy import visible_cases
from casebridge.organisations.models import Partnership


class DemoCasesTests(TestCase):
    def test_the_demo_is_idempotent_and_shows_different_cases_to_different_partners(self):
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())
        assert Case.objects.count() == 12
        surrey_heath = Partnership.objects.get(code="SH")
        council = User.objects.get(email="asb.officer@surreyheath.example")
        police = User.objects.get(email="police.officer@surreypolice.example")
        support = User.objects.get(email="support.worker@saferlives.example")
        seen = {u: set(visible_cases(u, surrey_heath)) for u in (council, police, support)}
        assert seen[council] != seen[police] != seen[support]
        assert seen[council] & seen[support]  # some shared
        assert seen[support] - seen[council]  # and some the council may not see
