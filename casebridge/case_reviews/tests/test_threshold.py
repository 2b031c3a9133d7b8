import datetime

from casebridge.case_reviews.models import ReviewRules
from casebridge.case_reviews.threshold import Report, evaluate, months_before

D = datetime.date
APPLIED = D(2026, 11, 27)


def complaint(occurred: datetime.date, reported_after: int = 1, *, hate: bool = False) -> Report:
    return Report(occurred, occurred + datetime.timedelta(days=reported_after), hate, "complaint", "Police")


def test_three_timely_complaints_in_six_months_meet_the_threshold():
    result = evaluate(
        ReviewRules(), [complaint(D(2026, 6, 1)), complaint(D(2026, 9, 1)), complaint(D(2026, 11, 1))], APPLIED
    )
    assert (result.qualifying, result.meets) == (3, True)


def test_two_complaints_do_not():
    result = evaluate(ReviewRules(), [complaint(D(2026, 9, 1)), complaint(D(2026, 11, 1))], APPLIED)
    assert (result.qualifying, result.meets) == (2, False)


def test_a_complaint_reported_more_than_a_month_after_the_incident_does_not_qualify():
    result = evaluate(
        ReviewRules(), [complaint(D(2026, 6, 1), 40), complaint(D(2026, 9, 1)), complaint(D(2026, 11, 1))], APPLIED
    )
    assert result.qualifying == 2
    assert result.verdicts[0].note == "Reported 40 days after the incident"


def test_a_complaint_more_than_six_months_before_the_application_does_not_qualify():
    assert months_before(APPLIED, 6) == D(2026, 5, 27)
    result = evaluate(ReviewRules(), [complaint(D(2026, 5, 26)), complaint(D(2026, 5, 27))], APPLIED)
    assert [v.qualifies for v in result.verdicts] == [False, True]


def test_a_complaint_and_an_incident_on_the_same_day_count_once():
    incident = Report(D(2026, 9, 1), D(2026, 9, 1), False, "incident", "SH-2026-000001: Noise")
    result = evaluate(ReviewRules(), [incident, complaint(D(2026, 9, 1))], APPLIED)
    assert result.qualifying == 1
    assert result.verdicts[0].report.source == "complaint"


def test_one_hate_incident_meets_the_threshold_only_where_the_partnership_says_so():
    reports = [complaint(D(2026, 11, 1), hate=True)]
    assert evaluate(ReviewRules(), reports, APPLIED).meets is False
    assert evaluate(ReviewRules(single_hate_incident_qualifies=True), reports, APPLIED).meets is True


def test_the_numbers_come_from_the_partnerships_rules():
    rules = ReviewRules(threshold_complaints=2, threshold_months=3, reported_within_days=7)
    reports = [
        complaint(D(2026, 8, 1)),
        complaint(D(2026, 9, 1), 10),
        complaint(D(2026, 10, 1)),
        complaint(D(2026, 11, 1)),
    ]
    result = evaluate(rules, reports, APPLIED)
    assert [v.qualifies for v in result.verdicts] == [False, False, True, True]
    assert result.meets is True


def test_incidents_after_the_application_do_not_count():
    assert evaluate(ReviewRules(), [complaint(D(2026, 11, 28))], APPLIED).qualifying == 0
