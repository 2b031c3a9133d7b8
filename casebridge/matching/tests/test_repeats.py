import datetime

from django.urls import reverse
from django.utils import timezone

from casebridge.cases import services as case_services
from casebridge.matching.models import RepeatThresholds
from casebridge.matching.repeats import hotspot_location_ids, person_flags, within_window
from casebridge.matching.tests.base import DuplicatesTestCase
from casebridge.people import services as people_services


class WindowTests(DuplicatesTestCase):
    def test_three_incidents_within_three_months_count_and_spread_out_ones_do_not(self):
        day = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        close = [day, day + datetime.timedelta(days=40), day + datetime.timedelta(days=90)]
        apart = [day, day + datetime.timedelta(days=60), day + datetime.timedelta(days=120)]
        assert within_window(close, count=3, days=91)
        assert not within_window(apart, count=3, days=91)
        assert not within_window(close[:2], count=3, days=91)


class RepeatFlagsTests(DuplicatesTestCase):
    def incidents(self, count: int, *, every_days: int, location=None) -> None:
        start = timezone.now() - datetime.timedelta(days=200)
        for number in range(count):
            case_services.incident_record(
                actor=self.asb_officer,
                case=self.case,
                occurred_at=start + datetime.timedelta(days=number * every_days),
                reported_on=(start + datetime.timedelta(days=number * every_days)).date(),
                category=self.category,
                description="Shouting and banging on the door.",
                location=location,
            )

    def test_three_incidents_in_three_months_make_a_repeat_victim(self):
        self.incidents(3, every_days=20)
        flags = person_flags(partnership=self.surrey_heath, person_ids=[self.victim.pk])
        assert flags[self.victim.pk].repeat_victim

    def test_the_victim_threshold_is_set_per_partnership(self):
        self.incidents(3, every_days=20)
        RepeatThresholds.objects.create(partnership=self.surrey_heath, victim_incidents=4)
        flags = person_flags(partnership=self.surrey_heath, person_ids=[self.victim.pk])
        assert not flags[self.victim.pk].repeat_victim

    def test_a_perpetrator_in_two_cases_is_a_repeat_perpetrator(self):
        flags = person_flags(partnership=self.surrey_heath, person_ids=[self.jon.pk, self.private_person.pk])
        assert not flags[self.jon.pk].repeat_perpetrator
        case_services.case_party_add(
            actor=self.asb_officer, case=self.private_case, person=self.jon, role="perpetrator"
        )
        flags = person_flags(partnership=self.surrey_heath, person_ids=[self.jon.pk])
        assert flags[self.jon.pk].repeat_perpetrator

    def test_also_known_to_names_other_organisations_only(self):
        case = case_services.case_create(
            actor=self.police_officer,
            partnership=self.surrey_heath,
            case_type=self.asb_perpetrator,
            risk_level="standard",
        )
        case_services.case_party_add(actor=self.police_officer, case=case, person=self.jon, role="witness")
        flags = person_flags(partnership=self.surrey_heath, person_ids=[self.jon.pk], organisation_id=self.council.pk)
        assert flags[self.jon.pk].known_to == ["Surrey Police"]

    def test_a_place_with_repeated_incidents_is_a_hotspot(self):
        place = people_services.location_create(
            actor=self.asb_officer, partnership=self.surrey_heath, kind="place", place_name="Park Street car park"
        )
        quiet = people_services.location_create(
            actor=self.asb_officer, partnership=self.surrey_heath, kind="place", place_name="Library"
        )
        self.incidents(3, every_days=10, location=place)
        assert hotspot_location_ids(partnership=self.surrey_heath, location_ids=[place.pk, quiet.pk]) == {place.pk}

    def test_the_person_page_shows_the_flags(self):
        self.incidents(3, every_days=20)
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("people:detail", args=[self.victim.public_id]))
        self.assertContains(response, "Repeat victim")
