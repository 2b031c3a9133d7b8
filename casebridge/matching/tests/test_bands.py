import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from casebridge.matching.engine import Band, PersonRecord, score


def person(identifier: str = "a", **fields: Any) -> PersonRecord:
    return PersonRecord(id=identifier, **fields)


@pytest.mark.parametrize("identifier", ["pnc", "nhs", "ni"])
def test_a_shared_identifier_is_certain_even_when_names_differ(identifier):
    left = person("a", first_name="Kevin", last_name="Jones", **{identifier: "AB 12/3456"})
    right = person("b", first_name="Kev", last_name="Jonas", **{identifier: "ab123456"})
    assert score(left, right).band == Band.CERTAIN


def test_jon_smyth_and_jonathan_smith_with_the_same_birth_date_are_likely():
    council = person("council", first_name="Jon", last_name="Smyth", date_of_birth=dt.date(1990, 3, 4))
    police = person("police", first_name="Jonathan", last_name="Smith", date_of_birth=dt.date(1990, 3, 4))
    match = score(council, police)
    assert match.band == Band.LIKELY
    assert match.level_of("first_name") == "nickname"


def test_nickname_at_the_same_address_is_likely():
    left = person("a", first_name="Robert", last_name="Jones", postcode="GU15 3HD")
    right = person("b", first_name="Bob", last_name="Jones", postcode="gu153hd")
    assert score(left, right).band == Band.LIKELY


def test_same_name_and_a_birth_date_one_part_apart_is_possible():
    left = person("a", first_name="Amelia", last_name="Hartley", date_of_birth=dt.date(1985, 6, 1))
    right = person("b", first_name="Amelia", last_name="Hartley", date_of_birth=dt.date(1986, 6, 1))
    match = score(left, right)
    assert match.band == Band.POSSIBLE
    assert match.level_of("date_of_birth") == "one_part_differs"


def test_two_people_sharing_only_a_common_name_are_not_likely():
    left = person("a", first_name="John", last_name="Smith")
    right = person("b", first_name="John", last_name="Smith")
    assert score(left, right).band not in (Band.CERTAIN, Band.LIKELY)


def test_a_common_name_with_different_birth_dates_and_addresses_is_no_match():
    left = person("a", first_name="John", last_name="Smith", date_of_birth=dt.date(1980, 1, 1), postcode="GU15 3HD")
    right = person("b", first_name="John", last_name="Smith", date_of_birth=dt.date(1975, 6, 12), postcode="KT16 9AB")
    assert score(left, right).band is None


def test_conflicting_identifiers_count_against_a_match():
    left = person("a", first_name="Amelia", last_name="Hartley", date_of_birth=dt.date(1985, 6, 1))
    right = person("b", first_name="Amelia", last_name="Hartley", date_of_birth=dt.date(1985, 6, 1))
    agreeing = score(left, right)
    conflicting = score(replace(left, nhs="9434765919"), replace(right, nhs="4010232137"))
    assert conflicting.weight < agreeing.weight
    assert conflicting.level_of("identifiers") == "conflict"


def test_swapped_names_and_transposed_birth_date_are_still_recognised():
    left = person("a", first_name="Smith", last_name="Jonathan", date_of_birth=dt.date(1990, 4, 3), postcode="GU15 3HD")
    right = person(
        "b", first_name="Jonathan", last_name="Smith", date_of_birth=dt.date(1990, 3, 4), postcode="GU15 3HD"
    )
    match = score(left, right)
    assert match.level_of("first_name") == "exact"
    assert match.level_of("last_name") == "exact"
    assert match.level_of("date_of_birth") == "day_month_transposed"
    assert match.band == Band.LIKELY


def test_an_alias_can_provide_the_name_match():
    left = person("a", first_name="Zoe", last_name="Hartley", aliases=("Zoe Blackwood",), postcode="GU15 3HD")
    right = person("b", first_name="Zoe", last_name="Blackwood", postcode="GU15 3HD")
    assert score(left, right).level_of("last_name") == "exact"


def test_double_barrelled_surname_agrees_with_one_of_its_parts():
    left = person("a", first_name="Amelia", last_name="Hartley-Blackwood")
    right = person("b", first_name="Amelia", last_name="Blackwood")
    assert score(left, right).level_of("last_name") == "part_of_compound"


def test_missing_fields_are_left_out_rather_than_counted_as_disagreement():
    match = score(person("a", first_name="Amelia"), person("b", first_name="Amelia", date_of_birth=dt.date(1985, 6, 1)))
    assert match.level_of("date_of_birth") == "missing"
