import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from casebridge.matching.compare import FIRST, LAST
from casebridge.matching.engine import PersonRecord, prepare, score
from casebridge.matching.fellegi_sunter import Model, estimate, probability_of
from casebridge.matching.tests.population import population


def test_estimation_is_deterministic_for_a_seed():
    records, _ = population()
    people = [prepare(record) for record in records]
    assert estimate(people, seed=11) == estimate(people, seed=11)


def test_estimated_agreement_is_more_likely_among_matches_than_among_non_matches():
    records, _ = population()
    model = estimate([prepare(record) for record in records], seed=1)
    assert model.m[FIRST][0] > model.u[FIRST][0]
    assert model.m[LAST][0] > model.u[LAST][0]
    assert model.weights[LAST][-1] < 0


def test_estimated_prior_is_close_to_the_true_share_of_matching_pairs():
    records, pairs = population()
    model = estimate([prepare(record) for record in records], seed=1)
    true_share = len(pairs) / (len(records) * (len(records) - 1) / 2)
    assert true_share / 5 < model.prior < true_share * 5


def test_too_few_people_to_learn_from_give_the_default_model():
    assert estimate([prepare(PersonRecord("a", "Amelia", "Hartley"))]) == Model()


def test_agreeing_on_a_rare_surname_weighs_more_than_on_a_common_one():
    model = Model(last_name_frequency={"smith": 0.05, "blackwood": 0.0001})
    common = score(PersonRecord("a", "Amelia", "Smith"), PersonRecord("b", "Amelia", "Smith"), model=model)
    rare = score(PersonRecord("a", "Amelia", "Blackwood"), PersonRecord("b", "Amelia", "Blackwood"), model=model)
    assert rare.weight > common.weight


def test_probability_rises_with_weight_and_stays_within_bounds():
    assert probability_of(-1000) == 0.0
    assert probability_of(0) == 0.5
    assert probability_of(1000) == 1.0
    assert probability_of(1) < probability_of(2)


names = st.sampled_from(["Jon", "Jonathan", "John", "Smith", "Smyth", "Bob", "Robert", "Hartley-Moss", "Moss", ""])
dates = st.one_of(st.none(), st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2010, 12, 31)))
records = st.builds(
    PersonRecord,
    id=st.text(min_size=1, max_size=3),
    first_name=names,
    last_name=names,
    aliases=st.lists(st.sampled_from(["Bob Moss", "Jon Smith", "Kate Hartley"]), max_size=2).map(tuple),
    date_of_birth=dates,
    gender=st.sampled_from(["", "Male", "Female"]),
    postcode=st.sampled_from(["", "GU15 3HD", "gu15 3he", "KT16 9AB"]),
    address=st.sampled_from(["", "1 High Street", "12 High St"]),
    phone=st.sampled_from(["", "07700 900123", "07700 900124"]),
    email=st.sampled_from(["", "a@b.uk", "c@d.uk"]),
    pnc=st.sampled_from(["", "12/345678A", "13/345678A"]),
    nhs=st.sampled_from(["", "9434765919"]),
    ni=st.sampled_from(["", "AB123456C"]),
)


@given(records, records)
def test_score_is_symmetric(left, right):
    forward, backward = score(left, right), score(right, left)
    assert forward.weight == backward.weight
    assert forward.band == backward.band
    assert forward.levels == backward.levels
