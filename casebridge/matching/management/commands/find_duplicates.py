from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casebridge.matching.duplicates import partnership_pairs, write_csv
from casebridge.organisations.models import Partnership


class Command(BaseCommand):
    help = "Write every candidate pair of possibly duplicated people to a CSV file (person_a, person_b, score, band)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", help="Partnership code; every partnership when left out.")
        parser.add_argument("--output", required=True, help="Path of the CSV file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        partnerships = Partnership.objects.order_by("code")
        if options["partnership"]:
            partnerships = partnerships.filter(code=options["partnership"])
            if not partnerships.exists():
                raise CommandError(f"There is no partnership with the code {options['partnership']!r}.")
        path = Path(options["output"])
        total = 0
        with path.open("w", newline="", encoding="utf-8") as out:
            header = True
            for partnership in partnerships:
                matches = partnership_pairs(partnership)
                write_csv(out, partnership, matches, header=header)
                header = False
                total += len(matches)
        self.stdout.write(f"Wrote {total} candidate pairs to {path}.")
