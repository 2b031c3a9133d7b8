import datetime as dt

from casebridge.matching.engine import Band, Index, PersonRecord
from casebridge.matching.tests.population import population


def index_with_jonathan() -> Index:
    records, _ = population()
    jonathan = PersonRecord("police-1", "Jonathan", "Smith", date_of_birth=dt.date(1990, 3, 4), postcode="GU15 3HD")
    return Index([*records, jonathan])


def test_one_new_person_is_matched_against_existing_people():
    matches = index_with_jonathan().matches_for(PersonRecord("new", "Jon", "Smyth", date_of_birth=dt.date(1990, 3, 4)))
    assert matches[0].right_id == "police-1"
    assert matches[0].left_id == "new"
    assert matches[0].band in (Band.LIKELY, Band.POSSIBLE)


def test_a_transposed_birth_date_is_found_through_the_index():
    matches = index_with_jonathan().matches_for(
        PersonRecord("new", "Jonathan", "Smith", date_of_birth=dt.date(1990, 4, 3), postcode="gu153hd")
    )
    assert matches[0].right_id == "police-1"
    assert matches[0].level_of("date_of_birth") == "day_month_transposed"


def test_a_record_is_not_matched_with_itself():
    index = index_with_jonathan()
    same = PersonRecord("police-1", "Jonathan", "Smith", date_of_birth=dt.date(1990, 3, 4), postcode="GU15 3HD")
    assert all(match.right_id != "police-1" for match in index.matches_for(same))


def test_results_are_limited_and_strongest_first():
    index = Index([PersonRecord(str(i), "Amelia", "Hartley", postcode="GU15 3HD") for i in range(20)])
    matches = index.matches_for(PersonRecord("new", "Amelia", "Hartley", postcode="GU15 3HD"), limit=5)
    assert len(matches) == 5
    assert [match.weight for match in matches] == sorted((match.weight for match in matches), reverse=True)


def test_nobody_alike_gives_no_matches():
    matches = index_with_jonathan().matches_for(
        PersonRecord("new", "Xanthe", "Quigley", date_of_birth=dt.date(1931, 1, 2))
    )
    assert matches == []
