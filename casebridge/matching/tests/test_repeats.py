import datetime

from django.urls import reverse
from django.utils import timezone

from casebridge.case_reviews.models import ReviewRules
from casebridge.case_reviews.threshold import months_before
from casebridge.cases import services as case_services
from casebridge.matching.models import RepeatThresholds
from casebridge.matching.repeats import case_flags, hotspot_location_ids, person_flags, within_window
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


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


class RepeatFlagsTests(DuplicatesTestCase):
    def incidents(self, count: int, *, every_days: int, location=None, days_ago: int = 200, case=None) -> None:
        start = timezone.now() - datetime.timedelta(days=days_ago)
        for number in range(count):
            self.incident_on(start + datetime.timedelta(days=number * every_days), location=location, case=case)

    def victim_flag(self) -> bool:
        return person_flags(partnership=self.surrey_heath, person_ids=[self.victim.pk])[self.victim.pk].repeat_victim

    def test_three_incidents_in_the_last_three_months_make_a_repeat_victim(self):
        self.incidents(3, every_days=20, days_ago=60)
        assert self.victim_flag()

    def test_three_old_incidents_close_together_do_not_make_a_repeat_victim_now(self):
        self.incidents(3, every_days=20, days_ago=200)
        assert not self.victim_flag()

    def test_an_incident_on_the_first_day_of_the_period_counts_and_the_day_before_does_not(self):
        today = timezone.localdate()
        first_day = months_before(today, 3)
        self.incidents(2, every_days=1, days_ago=5)
        self.incident_on(at_noon(first_day - datetime.timedelta(days=1)))
        assert not self.victim_flag()
        self.incident_on(at_noon(first_day))
        assert self.victim_flag()

    def test_the_repeat_victim_rule_is_the_partnerships_case_review_rule(self):
        self.incidents(3, every_days=20, days_ago=60)
        rules = ReviewRules.objects.create(partnership=self.surrey_heath, repeat_victim_incidents=4)
        assert not self.victim_flag()
        rules.repeat_victim_incidents = 3
        rules.repeat_victim_months = 1
        rules.save()
        assert not self.victim_flag()
        rules.repeat_victim_months = 3
        rules.save()
        assert self.victim_flag()

    def test_incidents_of_a_case_where_the_person_is_not_the_victim_do_not_count(self):
        self.incidents(3, every_days=5, days_ago=30, case=self.private_case)
        assert not self.victim_flag()

    def test_a_perpetrator_in_two_cases_is_a_repeat_perpetrator(self):
        flags = person_flags(partnership=self.surrey_heath, person_ids=[self.jon.pk, self.private_person.pk])
        assert not flags[self.jon.pk].repeat_perpetrator
        case_services.case_party_add(
            actor=self.asb_officer, case=self.private_case, person=self.jon, role="perpetrator"
        )
        flags = person_flags(partnership=self.surrey_heath, person_ids=[self.jon.pk])
        assert flags[self.jon.pk].repeat_perpetrator

    def test_also_known_to_names_other_organisations_only(self):
        case = self.new_case(actor=self.police_officer)
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

    def test_the_hotspot_threshold_is_set_per_partnership(self):
        place = people_services.location_create(
            actor=self.asb_officer, partnership=self.surrey_heath, kind="place", place_name="Park Street car park"
        )
        self.incidents(3, every_days=10, location=place)
        RepeatThresholds.objects.create(partnership=self.surrey_heath, hotspot_incidents=4)
        assert hotspot_location_ids(partnership=self.surrey_heath, location_ids=[place.pk]) == set()

    def test_a_perpetrators_incidents_close_together_make_a_repeat_perpetrator(self):
        flags = person_flags(partnership=self.surrey_heath, person_ids=[self.private_person.pk])
        assert not flags[self.private_person.pk].repeat_perpetrator
        self.incidents(3, every_days=30, case=self.private_case)
        flags = person_flags(partnership=self.surrey_heath, person_ids=[self.private_person.pk])
        assert flags[self.private_person.pk].repeat_perpetrator

    def test_case_flags_gather_the_flags_of_a_cases_parties_and_places(self):
        place = people_services.location_create(
            actor=self.asb_officer, partnership=self.surrey_heath, kind="place", place_name="Park Street car park"
        )
        self.incidents(3, every_days=10, days_ago=40, location=place)
        flags = case_flags(partnership=self.surrey_heath, case_ids=[self.case.pk, self.private_case.pk])
        assert flags[self.case.pk].repeat_victim
        assert flags[self.case.pk].hotspot
        assert not flags[self.private_case.pk]

    def test_case_flags_cost_the_same_queries_for_one_case_or_many(self):
        cases = [self.case.pk, self.private_case.pk]
        for _ in range(5):
            extra = self.new_case()
            case_services.case_party_add(actor=self.asb_officer, case=extra, person=self.jon, role="perpetrator")
            cases.append(extra.pk)
        place = people_services.location_create(
            actor=self.asb_officer, partnership=self.surrey_heath, kind="place", place_name="Park Street car park"
        )
        self.incidents(1, every_days=1, location=place)
        self.incidents(1, every_days=1, location=place, case=self.private_case)
        with self.assertNumQueries(7):
            case_flags(partnership=self.surrey_heath, case_ids=cases[:1])
        with self.assertNumQueries(7):
            case_flags(partnership=self.surrey_heath, case_ids=cases)

    def test_the_person_page_shows_the_flags(self):
        self.incidents(3, every_days=20, days_ago=60)
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("people:detail", args=[self.victim.public_id]))
        self.assertContains(response, "Repeat victim")
