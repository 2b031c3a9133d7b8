import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from casebridge.synthetic.generator import generate


class Command(BaseCommand):
    help = (
        "Builds a realistic synthetic data set (UK-style people, addresses, cases, parties, incidents and "
        "need-to-know shares) with bulk inserts. For demonstrations and benchmarks only: it writes NO audit "
        "events, because nobody did these things. Never run it against a live database."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument("--people", type=int, default=6_000)
        parser.add_argument("--organisations", type=int, default=12)
        parser.add_argument("--users", type=int, default=100)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--partnership", help="Code of the partnership to fill (created if missing); SYN if not given."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            summary = generate(
                cases=options["cases"],
                people=options["people"],
                organisations=options["organisations"],
                users=options["users"],
                seed=options["seed"],
                partnership_code=options["partnership"],
                log=self.stdout.write,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        total = time.perf_counter() - started
        rows = ", ".join(f"{count:,} {label}" for label, count in summary.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Wrote {rows} in {total:.1f} s."))
