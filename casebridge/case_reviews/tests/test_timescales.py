import datetime

from casebridge.case_reviews.models import CaseReview, Decision, ReviewRules
from casebridge.case_reviews.timescales import timescales
from casebridge.lib.working_days import bank_holidays, is_working_day, working_days_after

D = datetime.date


def test_christmas_and_new_year_2026_27_are_skipped():
    # 25 Dec (Fri), 28 Dec (Mon, Boxing Day moved from Saturday) and 1 Jan 2027 (Fri) are bank holidays.
    assert {D(2026, 12, 25), D(2026, 12, 28)} <= bank_holidays(2026)
    assert D(2027, 1, 1) in bank_holidays(2027)
    # Fifteen working days from Friday 11 December 2026: 14 Dec to 6 Jan less the holidays.
    assert working_days_after(D(2026, 12, 11), 15) == D(2027, 1, 6)


def test_easter_2027_is_skipped():
    # Easter Sunday 2027 is 28 March: Good Friday 26 March and Easter Monday 29 March.
    assert {D(2027, 3, 26), D(2027, 3, 29)} <= bank_holidays(2027)
    assert not is_working_day(D(2027, 3, 26))
    assert working_days_after(D(2027, 3, 25), 1) == D(2027, 3, 30)
    assert working_days_after(D(2027, 3, 19), 5) == D(2027, 3, 30)


def test_christmas_2027_at_a_weekend_moves_both_holidays():
    assert working_days_after(D(2027, 12, 24), 1) == D(2027, 12, 29)


def review(**fields: object) -> CaseReview:
    defaults: dict[str, object] = {"received_on": D(2026, 12, 11)}
    return CaseReview(**{**defaults, **fields})


def states(r: CaseReview, today: datetime.date) -> list[tuple[object, str]]:
    return [(t.due_on, t.state) for t in timescales(r, ReviewRules(), today)]


def test_each_timescale_is_due_then_overdue():
    # Acknowledge in 5 working days (18 Dec), decide in 15 (6 Jan 2027); no meeting until the threshold is met.
    assert states(review(), D(2026, 12, 14)) == [(D(2026, 12, 18), "due"), (D(2027, 1, 6), "due"), (None, "n/a")]
    assert states(review(), D(2027, 1, 8)) == [
        (D(2026, 12, 18), "overdue"),
        (D(2027, 1, 6), "overdue"),
        (None, "n/a"),
    ]


def test_the_meeting_is_due_twenty_working_days_after_the_threshold_is_met():
    r = review(acknowledged_on=D(2026, 12, 14), decision=Decision.MET, decided_on=D(2027, 1, 6))
    assert states(r, D(2027, 1, 6)) == [
        (D(2026, 12, 18), "done"),
        (D(2027, 1, 6), "done"),
        (D(2027, 2, 3), "due"),
    ]


def test_a_late_step_and_a_meeting_arranged_after_its_due_date():
    r = review(
        acknowledged_on=D(2026, 12, 21),
        decision=Decision.MET,
        decided_on=D(2027, 1, 6),
        panel_on=D(2027, 2, 10),
    )
    assert [t.state for t in timescales(r, ReviewRules(), D(2027, 1, 20))] == ["late", "done", "overdue"]
    assert [t.state for t in timescales(r, ReviewRules(), D(2027, 2, 11))] == ["late", "done", "late"]


def test_the_partnership_sets_the_number_of_working_days():
    rules = ReviewRules(acknowledge_working_days=3, decision_working_days=10, meeting_working_days=15)
    due = [t.due_on for t in timescales(review(), rules, D(2026, 12, 14))]
    assert due[:2] == [D(2026, 12, 16), D(2026, 12, 29)]
