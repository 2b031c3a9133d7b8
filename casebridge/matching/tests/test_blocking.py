import datetime as dt
from dataclasses import replace
from typing import Any

from casebridge.matching import blocking
from casebridge.matching.engine import PersonRecord, prepare


def pairs_of(*records: PersonRecord) -> set[tuple[str, str]]:
    people = [prepare(record) for record in records]
    blocks = blocking.build_blocks(people)
    return {(people[a].id, people[b].id) for a, b in blocking.candidate_pairs(blocks, max_block=100)}


def test_transposed_birth_dates_are_paired_although_nothing_else_agrees():
    pairs = pairs_of(
        PersonRecord("a", "Amelia", "Hartley", date_of_birth=dt.date(1990, 3, 4)),
        PersonRecord("b", "Millie", "Harding", date_of_birth=dt.date(1990, 4, 3)),
    )
    assert pairs == {("a", "b")}


def test_swapped_first_and_last_names_are_paired():
    pairs = pairs_of(PersonRecord("a", "Oliver", "Wilson"), PersonRecord("b", "Wilson", "Oliver"))
    assert pairs == {("a", "b")}


def test_nickname_and_surname_spelling_variant_are_paired():
    pairs = pairs_of(PersonRecord("a", "Jon", "Smyth"), PersonRecord("b", "Jonathan", "Smith"))
    assert pairs == {("a", "b")}


def test_shared_postcode_email_phone_or_identifier_pairs_people():
    for field, value in (
        ("postcode", "GU15 3HD"),
        ("email", "a@b.uk"),
        ("phone", "07700 900123"),
        ("nhs", "9434765919"),
    ):
        shared: dict[str, Any] = {field: value}
        left = replace(PersonRecord("a", "Amelia", "Hartley"), **shared)
        right = replace(PersonRecord("b", "Kevin", "Jones"), **shared)
        pairs = pairs_of(left, right)
        assert pairs == {("a", "b")}, field


def test_people_with_nothing_in_common_are_not_compared():
    pairs = pairs_of(
        PersonRecord("a", "Amelia", "Hartley", date_of_birth=dt.date(1990, 3, 4), postcode="GU15 3HD"),
        PersonRecord("b", "Kevin", "Jones", date_of_birth=dt.date(1971, 12, 30), postcode="KT16 9AB"),
    )
    assert pairs == set()


def test_each_pair_is_proposed_once_even_when_it_shares_several_keys():
    people = [
        prepare(PersonRecord("a", "Amelia", "Hartley", date_of_birth=dt.date(1990, 3, 4), postcode="GU15 3HD")),
        prepare(PersonRecord("b", "Amelia", "Hartley", date_of_birth=dt.date(1990, 3, 4), postcode="GU15 3HD")),
    ]
    blocks = blocking.build_blocks(people)
    assert list(blocking.candidate_pairs(blocks, max_block=100)) == [(0, 1)]


def test_blocks_larger_than_the_limit_are_skipped():
    people = [prepare(PersonRecord(str(i), "Amelia", "Hartley")) for i in range(5)]
    blocks = blocking.build_blocks(people)
    assert list(blocking.candidate_pairs(blocks, max_block=4)) == []
