"""The toolkit seeded for Surrey Heath, and two subjects on the shared case: Jamie (14) and Lee (34)."""

import datetime
from typing import Any

from django.utils import timezone

from casebridge.cases import services as case_services
from casebridge.cases.tests.base import CasesTestCase
from casebridge.interventions import services
from casebridge.interventions.models import Intervention, InterventionType
from casebridge.people.models import Person


def years_ago(years: int, days: int = 30) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


class InterventionsTestCase(CasesTestCase):
    jamie: Person
    lee: Person

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        services.intervention_types_seed(partnership=cls.surrey_heath)
        officer = cls.asb_officer
        cls.jamie = cls.new_person("Jamie", "Smith", date_of_birth=years_ago(14))
        cls.lee = cls.new_person("Lee", "Carter", date_of_birth=years_ago(34))
        for person in (cls.jamie, cls.lee):
            case_services.case_party_add(actor=officer, case=cls.case, person=person, role="perpetrator")

    def type(self, code: str) -> InterventionType:
        return InterventionType.objects.get(partnership=self.surrey_heath, code=code)

    def issue(self, code: str, person: Person | None = None, **kwargs: Any) -> Intervention:
        arguments: dict[str, Any] = {
            "actor": self.asb_officer,
            "case": self.case,
            "type_": self.type(code),
            "subject_person": person or self.lee,
            "status": "in_force",
            "issued_on": timezone.localdate() - datetime.timedelta(days=10),
        }
        arguments.update(kwargs)
        return services.intervention_create(**arguments)
