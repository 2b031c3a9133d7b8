"""Two records of one man, kept by different teams, with every kind of row a person can have."""

import datetime
from typing import Any

from casebridge.cases import services as case_services
from casebridge.cases.models import Incident
from casebridge.cases.tests.base import CasesTestCase
from casebridge.people import services as people_services
from casebridge.people.models import Person


class DuplicatesTestCase(CasesTestCase):
    """``jon`` (Jon Smyth, 4/3/1990) and ``jonathan`` (Jonathan Smith, 1990-03-04) are one man."""

    jon: Person
    jonathan: Person
    neighbour: Person

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        officer = cls.asb_officer
        sh = cls.surrey_heath
        cls.jon = cls.new_person("Jon", "Smyth", date_of_birth=datetime.date(1990, 3, 4), phone="07700 900123")
        cls.jonathan = cls.new_person(
            "Jonathan", "Smith", date_of_birth=datetime.date(1990, 3, 4), email="j.smith@example.com"
        )
        cls.neighbour = cls.new_person("Nora", "Vale", date_of_birth=datetime.date(1975, 1, 2))
        # Both are parties to the main case in the same role (a clash), and each to another case.
        case_services.case_party_add(actor=officer, case=cls.case, person=cls.jon, role="perpetrator")
        case_services.case_party_add(actor=officer, case=cls.case, person=cls.jonathan, role="perpetrator")
        case_services.case_party_add(actor=officer, case=cls.case, person=cls.jon, role="witness")
        case_services.case_party_add(actor=officer, case=cls.private_case, person=cls.jonathan, role="associate")
        people_services.person_alias_add(actor=officer, person=cls.jon, first_name="Johnny", last_name="Smyth")
        people_services.person_identifier_add(actor=officer, person=cls.jon, kind="pnc", value="12/345678Z")
        people_services.person_warning_add(actor=officer, person=cls.jon, kind="dogs", detail="Two dogs")
        location = people_services.location_create(
            actor=officer, partnership=sh, address_line_1="1 High Street", postcode="GU15 3HD"
        )
        people_services.person_address_add(actor=officer, person=cls.jon, location=location)
        people_services.person_address_add(actor=officer, person=cls.jonathan, location=location)
        people_services.person_link_add(actor=officer, person=cls.jon, other=cls.neighbour, relationship="associate")
        people_services.person_link_add(actor=officer, person=cls.neighbour, other=cls.jon, relationship="associate")
        people_services.person_link_add(
            actor=officer, person=cls.jonathan, other=cls.neighbour, relationship="associate"
        )
        people_services.person_link_add(actor=officer, person=cls.jon, other=cls.jonathan, relationship="sibling")

    def incident_on(self, moment: datetime.datetime, **fields: Any) -> Incident:
        """An incident at ``moment`` on ``case`` (the shared case unless told), reported that day."""
        return self.record_incident(
            occurred_at=moment, reported_on=moment.date(), description="Shouting and banging on the door.", **fields
        )
