from casebridge.matching import engine
from casebridge.matching.engine import Band, Match, PersonRecord, find_candidate_pairs
from casebridge.matching.tests.population import population


def proposed(matches: list[Match]) -> set[tuple[str, ...]]:
    return {tuple(sorted((match.left_id, match.right_id))) for match in matches}


def test_finds_most_known_duplicates_and_few_others():
    records, known = population()
    found = proposed(find_candidate_pairs(records, workers=1))
    truth = {tuple(sorted(pair)) for pair in known}
    assert len(found & truth) >= 0.9 * len(truth)
    assert len(found - truth) <= 0.1 * len(found)


def test_matches_come_strongest_first_with_a_band():
    matches = find_candidate_pairs(population()[0], workers=1)
    assert [match.weight for match in matches] == sorted((match.weight for match in matches), reverse=True)
    assert all(match.band in (Band.CERTAIN, Band.LIKELY, Band.POSSIBLE) for match in matches)


def test_scoring_in_several_processes_gives_the_same_result(monkeypatch):
    records, _ = population(size=200)
    alone = find_candidate_pairs(records, workers=1)
    monkeypatch.setattr(engine, "PARALLEL_MIN_PAIRS", 1)
    together = find_candidate_pairs(records, workers=2)
    assert together == alone


def test_nothing_is_merged_the_records_are_left_as_they_were():
    records, _ = population(size=50)
    before = list(records)
    find_candidate_pairs(records, workers=1)
    assert records == before


def test_an_empty_set_has_no_pairs():
    assert find_candidate_pairs([], workers=1) == []
    assert find_candidate_pairs([PersonRecord("a", "Amelia", "Hartley")], workers=1) == []
