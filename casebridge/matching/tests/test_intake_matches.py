"""Referral triage and residents' reports use the matching engine to find existing people."""

import datetime

from django.urls import reverse
from django.utils import timezone

from casebridge.matching.selectors import intake_matches
from casebridge.matching.tests.base import DuplicatesTestCase
from casebridge.public_reports.services import ReportAnswers, public_report_submit
from casebridge.referrals import services as referral_services
from casebridge.referrals.tests.base import ReferralsTestCase, referral_fields


class IntakeMatchesTests(DuplicatesTestCase):
    def noise_report(self, **contact_and_place: str):
        """Submits a public report of nightly loud music, with the given place and any contact details."""
        answers = ReportAnswers(
            partnership=self.surrey_heath,
            category_name=self.category.name,
            description="Loud music every night until 3am.",
            occurred_on=timezone.localdate(),
            frequency="daily",
            **contact_and_place,  # type: ignore[arg-type]
        )
        return public_report_submit(answers=answers)

    def test_a_referred_person_written_differently_is_found_by_the_engine(self):
        referral = referral_services.referral_create(
            actor=self.police_officer,
            partnership=self.surrey_heath,
            subjects=[
                referral_services.SubjectData(
                    first_name="Johnny", last_name="Smythe", date_of_birth=datetime.date(1990, 4, 3), role="perpetrator"
                )
            ],
            **referral_fields(),
        )
        matches = intake_matches(user=self.coordinator, referral=referral)
        found = [result.person for result in matches.people]
        assert self.jon in found
        # Found by the engine (nickname, surname spelling, day and month exchanged), not by name alone.
        assert found.index(self.jon) == 0

    def test_a_named_resident_who_reports_online_is_matched_to_their_profile(self):
        report = self.noise_report(
            postcode="GU15 3HD", place="Outside my flat", contact_name="Jonathan Smith", email="J.Smith@example.com"
        )
        matches = intake_matches(user=self.coordinator, referral=report.referral)
        assert [result.person for result in matches.people][:1] == [self.jonathan]

    def test_an_anonymous_report_matches_no_one(self):
        report = self.noise_report(place="Park Street car park")
        assert intake_matches(user=self.coordinator, referral=report.referral).people == []

    def test_people_the_triager_may_not_open_are_shown_existence_only(self):
        referral = referral_services.referral_create(
            actor=self.police_officer,
            partnership=self.surrey_heath,
            subjects=[referral_services.SubjectData(first_name="Olive", last_name="Pemberton", role="perpetrator")],
            **referral_fields(),
        )
        matches = intake_matches(user=self.police_officer, referral=referral)
        result = next(result for result in matches.people if result.person == self.private_person)
        assert not result.visible
        assert result.holders == ["Surrey Heath Council"]


class IntakeMatchesOnReferralsTests(ReferralsTestCase):
    def test_a_misspelt_name_still_finds_the_existing_person_and_their_open_case(self):
        referral = referral_services.referral_create(
            actor=self.asb_officer,
            partnership=self.surrey_heath,
            subjects=[referral_services.SubjectData(first_name="Dana", last_name="Whitlok")],
            **referral_fields(),
        )
        matches = intake_matches(user=self.coordinator, referral=referral)
        assert [r.person for r in matches.people] == [self.victim]
        assert [(r.case, r.visible) for r in matches.cases] == [(self.case, True)]

    def test_a_case_the_coordinator_cannot_see_is_shown_existence_only(self):
        matches = intake_matches(user=self.coordinator, referral=self.charity_referral)
        assert [(r.case, r.visible) for r in matches.cases] == [(self.police_case, False)]
        self.sign_in(self.coordinator)
        response = self.client.get(reverse("referrals:detail", args=[self.charity_referral.public_id]))
        self.assertContains(response, "An open case held by Surrey Police")
        self.assertNotContains(response, self.police_case.reference)

    def test_places_match_by_postcode(self):
        from casebridge.people import services as people_services

        place = people_services.location_create(
            actor=self.asb_officer, partnership=self.surrey_heath, address_line_1="1 Park Street", postcode="GU15 3HD"
        )
        referral = referral_services.referral_create(
            actor=self.asb_officer,
            partnership=self.surrey_heath,
            subjects=[referral_services.SubjectData(kind="location", address="Park Street", postcode="gu15 3hd")],
            **referral_fields(),
        )
        matches = intake_matches(user=self.coordinator, referral=referral)
        assert [(r.location, r.visible) for r in matches.locations] == [(place, True)]
