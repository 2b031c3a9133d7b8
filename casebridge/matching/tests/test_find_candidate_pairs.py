from dataclasses import replace

from casebridge.matching import blocking, engine
from casebridge.matching.columns import Columns
from casebridge.matching.compare import levels
from casebridge.matching.engine import Band, Match, PersonRecord, find_candidate_pairs
from casebridge.matching.fellegi_sunter import estimate
from casebridge.matching.tests.population import population


def proposed(matches: list[Match]) -> set[tuple[str, ...]]:
    return {tuple(sorted((match.left_id, match.right_id))) for match in matches}


def test_finds_most_known_duplicates_and_few_others():
    records, known = population()
    found = proposed(find_candidate_pairs(records))
    truth = {tuple(sorted(pair)) for pair in known}
    assert len(found & truth) >= 0.9 * len(truth)
    assert len(found - truth) <= 0.1 * len(found)


def test_matches_come_strongest_first_with_a_band():
    matches = find_candidate_pairs(population()[0])
    assert [match.weight for match in matches] == sorted((match.weight for match in matches), reverse=True)
    assert all(match.band in (Band.CERTAIN, Band.LIKELY, Band.POSSIBLE) for match in matches)


def test_pairs_compared_column_by_column_agree_with_one_pair_at_a_time():
    records, _ = population(size=300)
    records = [
        replace(record, aliases=(f"{records[0].first_name} {records[0].last_name}",)) if index % 17 == 0 else record
        for index, record in enumerate(records)
    ]
    people = [engine.prepare(record) for record in records]
    table = Columns(people)
    model = estimate(people, columns=table)
    left, right = table.candidate_pairs(max_block=engine.DEDUPLICATE_MAX_BLOCK)
    blocks = blocking.build_blocks(people)
    expected = set(blocking.candidate_pairs(blocks, max_block=engine.DEDUPLICATE_MAX_BLOCK))
    assert set(zip(left.tolist(), right.tolist(), strict=True)) == expected
    found = table.levels(left, right)
    weights = table.weights(model, left, right, found)
    for row, (a, b) in enumerate(zip(left.tolist(), right.tolist(), strict=True)):
        weight, pattern = engine._weight(model, people[a], people[b])
        assert tuple(found[row].tolist()) == pattern == levels(people[a], people[b])
        assert abs(weights[row] - weight) < 1e-9


def test_chunks_of_pairs_give_the_same_result(monkeypatch):
    records, _ = population(size=200)
    whole = find_candidate_pairs(records)
    monkeypatch.setattr(engine, "CHUNK_PAIRS", 7)
    assert find_candidate_pairs(records) == whole


def test_nothing_is_merged_the_records_are_left_as_they_were():
    records, _ = population(size=50)
    before = list(records)
    find_candidate_pairs(records)
    assert records == before


def test_an_empty_set_has_no_pairs():
    assert find_candidate_pairs([]) == []
    assert find_candidate_pairs([PersonRecord("a", "Amelia", "Hartley")]) == []
