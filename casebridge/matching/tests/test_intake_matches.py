"""Referral triage and residents' reports use the matching engine to find existing people."""

import datetime

from casebridge.matching.tests.base import DuplicatesTestCase
from casebridge.public_reports.services import ReportAnswers, public_report_submit
from casebridge.referrals import services as referral_services
from casebridge.referrals.selectors import intake_matches
from casebridge.referrals.tests.base import referral_fields


class IntakeMatchesTests(DuplicatesTestCase):
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
        answers = ReportAnswers(
            partnership=self.surrey_heath,
            category_name=self.category.name,
            description="Loud music every night until 3am.",
            occurred_on=datetime.date.today(),
            frequency="daily",
            postcode="GU15 3HD",
            place="Outside my flat",
            contact_name="Jonathan Smith",
            email="J.Smith@example.com",
        )
        report = public_report_submit(answers=answers)
        matches = intake_matches(user=self.coordinator, referral=report.referral)
        assert [result.person for result in matches.people][:1] == [self.jonathan]

    def test_an_anonymous_report_matches_no_one(self):
        answers = ReportAnswers(
            partnership=self.surrey_heath,
            category_name=self.category.name,
            description="Loud music every night until 3am.",
            occurred_on=datetime.date.today(),
            frequency="daily",
            place="Park Street car park",
        )
        report = public_report_submit(answers=answers)
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
