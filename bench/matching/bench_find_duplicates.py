"""find_duplicates end to end: people read from the database, then the engine.

    DEBUG=1 DATABASE_URL=sqlite:////tmp/cb_bench.sqlite3 \\
        .venv/bin/python -m bench.matching.bench_find_duplicates --size 100000

Use a throwaway database: the first run migrates it and loads a partnership "BENCH" with the
generated people (``generate.py``; names, date of birth, gender, phone, email, current address
and identifiers — an identifier only on the first record holding it, as the database allows one
holder per partnership). Later runs reuse it. Then ``duplicates.partnership_pairs`` — what
``find_duplicates`` and the nightly task run — is timed: reading the people, and the engine.
"""

import argparse
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebridge.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from bench.matching.bench_matching import truth_pairs  # noqa: E402
from bench.matching.generate import generate  # noqa: E402
from casebridge.lib.addresses import normalise_postcode  # noqa: E402
from casebridge.matching import duplicates  # noqa: E402
from casebridge.matching.engine import Band  # noqa: E402
from casebridge.matching.selectors import person_records  # noqa: E402
from casebridge.organisations.models import Organisation, OrganisationType, Partnership  # noqa: E402
from casebridge.people.models import Location, Person, PersonAddress, PersonIdentifier, name_key  # noqa: E402

GENDERS = {"m": "male", "f": "female"}


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def load(size: int) -> Partnership:
    call_command("migrate", verbosity=0)
    partnership, _ = Partnership.objects.get_or_create(code="BENCH", defaults={"name": "Bench"})
    if Person.objects.filter(partnership=partnership).exists():
        return partnership
    organisation = Organisation.objects.create(name="Bench Council", type=OrganisationType.COUNCIL)
    records = generate(size, seed=size).records
    people = [
        Person(
            partnership=partnership,
            first_name=record.first_name[:100],
            last_name=record.last_name[:100],
            first_name_key=name_key(record.first_name),
            last_name_key=name_key(record.last_name),
            date_of_birth=record.date_of_birth,
            gender=GENDERS.get(record.gender[:1].lower(), "unknown"),
            phone=record.phone[:30],
            email=record.email[:254],
            legacy_id=record.id,
            created_by_organisation=organisation,
        )
        for record in records
    ]
    Person.objects.bulk_create(people, batch_size=2_000)
    locations, addresses, identifiers, held = [], [], [], set()
    for person, record in zip(people, records, strict=True):
        if record.postcode and record.address:
            location = Location(
                partnership=partnership,
                address_line_1=record.address[:200],
                postcode=normalise_postcode(record.postcode)[:8],
                created_by_organisation=organisation,
            )
            locations.append(location)
            addresses.append(PersonAddress(partnership=partnership, person=person, location=location))
        for kind in ("pnc", "nhs", "ni"):
            value = getattr(record, kind).upper().replace(" ", "")[:20]
            if value and (kind, value) not in held:
                held.add((kind, value))
                identifiers.append(PersonIdentifier(partnership=partnership, person=person, kind=kind, value=value))
    Location.objects.bulk_create(locations, batch_size=2_000)
    for address in addresses:
        address.location_id = address.location.pk
    PersonAddress.objects.bulk_create(addresses, batch_size=2_000)
    PersonIdentifier.objects.bulk_create(identifiers, batch_size=2_000)
    return partnership


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    size = parser.parse_args().size
    partnership = load(size)
    start, cpu = time.perf_counter(), _cpu()
    records = person_records(partnership=partnership)
    read_wall, read_cpu = time.perf_counter() - start, _cpu() - cpu
    start, cpu = time.perf_counter(), _cpu()
    matches = duplicates.partnership_pairs(partnership)
    wall, cpu_seconds = time.perf_counter() - start, _cpu() - cpu
    print(f"{len(records):,} people in the database ({django.db.connection.vendor})")
    print(f"reading them as engine records:       {read_wall:6.2f} s wall {read_cpu:6.2f} s CPU")
    print(f"partnership_pairs (read + engine):    {wall:6.2f} s wall {cpu_seconds:6.2f} s CPU")
    legacy = dict(Person.objects.filter(partnership=partnership).values_list("pk", "legacy_id"))
    truth = truth_pairs(generate(size, seed=size))
    for label, bands in (("likely or certain", {Band.CERTAIN, Band.LIKELY}), ("possible or above", set(Band))):
        found = {
            tuple(sorted((legacy[int(match.left_id)], legacy[int(match.right_id)])))
            for match in matches
            if match.band in bands
        }
        hits = len(found & truth)
        precision, recall = hits / max(len(found), 1), hits / max(len(truth), 1)
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        print(f"{label:<20} pairs {len(found):>7,}  precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}")
    print(f"(load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
