import io

from django.apps import apps
from django.core.management import call_command
from django.test import TestCase

from casebridge.accounts.models import User
from casebridge.assessments.models import AssessmentTemplate
from casebridge.cases.models import Case
from casebridge.cases.policy import visible_cases
from casebridge.matching.models import DuplicateCandidate
from casebridge.organisations.models import Partnership
from casebridge.people.models import Person


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


class SeedDemoTests(TestCase):
    """The demo is loaded once for the class (it takes a while); each test reads what it made."""

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("seed_demo", stdout=io.StringIO())

    def test_a_second_run_changes_nothing(self):
        before = row_counts()
        call_command("seed_demo", stdout=io.StringIO())
        assert row_counts() == before

    def test_different_partners_see_different_cases(self):
        assert Case.objects.count() == 12
        surrey_heath = Partnership.objects.get(code="SH")
        council = User.objects.get(email="asb.officer@surreyheath.example")
        police = User.objects.get(email="police.officer@surreypolice.example")
        support = User.objects.get(email="support.worker@saferlives.example")
        seen = {u: set(visible_cases(u, surrey_heath)) for u in (council, police, support)}
        assert seen[council] != seen[police] != seen[support]
        assert seen[council] & seen[support]  # some shared
        assert seen[support] - seen[council]  # and some the council may not see

    def test_it_makes_one_open_near_duplicate_pair(self):
        assert Person.objects.filter(first_name__in=["Jon", "Jonathan"], date_of_birth__year=1990).count() == 2
        pair = DuplicateCandidate.objects.get(person_a__first_name="Jon", person_b__first_name="Jonathan")
        assert pair.status == "open"

    def test_each_partnership_gets_the_victim_risk_template(self):
        assert AssessmentTemplate.objects.filter(code="asb-victim-risk").count() == 2
