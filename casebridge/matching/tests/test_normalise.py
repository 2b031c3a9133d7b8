import datetime as dt

import pytest

from casebridge.matching import normalise as n


def test_fold_lowers_case_and_strips_accents():
    assert n.fold("ZOË Siân Renée") == "zoe sian renee"


def test_fold_turns_punctuation_into_single_spaces_and_joins_apostrophes():
    assert n.fold("  O'Brien,  Jr. ") == "obrien jr"


def test_fold_keeps_hyphens_of_double_barrelled_names():
    assert n.fold("Smith - Jones") == "smith-jones"


def test_name_key_ignores_hyphens_spaces_and_apostrophes():
    assert n.name_key("Smith-Jones") == n.name_key("smith jones") == "smithjones"
    assert n.name_key("O'Connor") == n.name_key("OCONNOR")


def test_hyphenated_and_double_barrelled_surnames_give_each_part():
    assert n.name_parts("Bowes-Lyon") == ("bowes", "lyon")
    assert n.name_parts("Da Silva") == ("da", "silva")


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Bob", "robert"),
        ("Rob", "robert"),
        ("Robbie", "robert"),
        ("Bill", "william"),
        ("Will", "william"),
        ("Liz", "elizabeth"),
        ("Beth", "elizabeth"),
        ("Kate", "katherine"),
        ("Katie", "catherine"),
        ("Kath", "katherine"),
        ("Jon", "jonathan"),
        ("Jonny", "john"),
    ],
)
def test_nicknames_stand_for_their_canonical_names(written, canonical):
    assert canonical in n.canonical_given_names(written)


def test_a_nickname_can_stand_for_several_names():
    assert {"jonathan", "john"} <= n.canonical_given_names("Jon")
    assert {"katherine", "catherine"} <= n.canonical_given_names("Kate")


def test_nicknames_agree_with_full_names_and_with_each_other():
    assert n.given_names_agree_as_nicknames("Bob", "Robert")
    assert n.given_names_agree_as_nicknames("Bob", "Robbie")
    assert n.given_names_agree_as_nicknames("KATE", "Catherine")


def test_different_full_names_are_not_nicknames_of_each_other():
    assert not n.given_names_agree_as_nicknames("John", "Jonathan")
    assert not n.given_names_agree_as_nicknames("Robert", "William")


def test_swapped_exchanges_given_name_and_surname():
    assert n.swapped("Smith", "John") == ("John", "Smith")


def test_transposed_date_exchanges_day_and_month():
    assert n.transposed_date(dt.date(1990, 3, 4)) == dt.date(1990, 4, 3)


def test_transposed_date_is_none_when_it_would_be_the_same_or_invalid():
    assert n.transposed_date(dt.date(1990, 5, 5)) is None
    assert n.transposed_date(dt.date(1990, 3, 24)) is None


def test_dates_transposed_recognises_exchanged_day_and_month_only():
    assert n.dates_transposed(dt.date(1990, 3, 4), dt.date(1990, 4, 3))
    assert not n.dates_transposed(dt.date(1990, 3, 4), dt.date(1991, 4, 3))
    assert not n.dates_transposed(dt.date(1990, 3, 3), dt.date(1990, 3, 3))


@pytest.mark.parametrize("written", ["gu15 3hd", "GU153HD", " Gu15  3Hd ", "GU15-3HD"])
def test_postcodes_are_upper_case_with_one_space_before_the_inward_code(written):
    assert n.normalise_postcode(written) == "GU15 3HD"


def test_text_that_is_not_a_postcode_is_only_compacted():
    assert n.normalise_postcode("no fixed abode") == "NOFIXEDABODE"


def test_postcode_sector_and_district():
    assert n.postcode_sector("SW1A 1AA") == "SW1A 1"
    assert n.postcode_district("SW1A 1AA") == "SW1A"
    assert n.postcode_sector("NOFIXEDABODE") == ""


def test_phonetic_keys_agree_on_spelling_variants():
    assert n.phonetic_key("Smith") == n.phonetic_key("Smyth")
    assert n.nysiis_key("Catherine") == n.nysiis_key("Katherine")
    assert n.soundex_key("Clarke") == n.soundex_key("Clark")


def test_phonetic_key_of_an_empty_name_is_empty():
    assert n.phonetic_key(" - ") == ""


def test_phone_numbers_keep_digits_and_turn_the_uk_prefix_into_zero():
    assert n.normalise_phone("+44 (0)7700 900123".replace("(0)", "")) == "07700900123"
    assert n.normalise_phone("0044 7700 900123") == "07700900123"
    assert n.normalise_phone("07700-900-123") == "07700900123"


def test_identifiers_ignore_spaces_slashes_and_case():
    assert n.normalise_identifier("12/345678a") == "12345678A"
    assert n.normalise_identifier("943 476 5919") == "9434765919"


def test_email_is_trimmed_and_case_folded():
    assert n.normalise_email(" Jon.Smith@Example.COM ") == "jon.smith@example.com"
