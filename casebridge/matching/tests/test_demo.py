from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from casebridge.matching.models import DuplicateCandidate
from casebridge.people.models import Person


class DemoDuplicatesTests(TestCase):
    def test_the_demo_seeds_a_near_duplicate_pair_once(self):
        call_command("seed_demo", stdout=StringIO())
        call_command("seed_demo", stdout=StringIO())
        assert Person.objects.filter(first_name__in=["Jon", "Jonathan"], date_of_birth__year=1990).count() == 2
        pair = DuplicateCandidate.objects.get(person_a__first_name="Jon", person_b__first_name="Jonathan")
        assert pair.status == "open"
