import csv
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from casebridge.matching.models import DuplicateCandidate, NotSamePerson
from casebridge.matching.services import not_same_person_record
from casebridge.matching.tests.base import DuplicatesTestCase
from casebridge.people.models import Person


class FindDuplicatesTests(DuplicatesTestCase):
    def run_command(self, *args: str) -> list[dict[str, str]]:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "pairs.csv"
            call_command("find_duplicates", *args, "--output", str(path), stdout=StringIO())
            with path.open(encoding="utf-8-sig") as rows:
                return list(csv.DictReader(rows))

    def test_the_csv_names_each_pair_with_score_and_band(self):
        Person.objects.filter(pk=self.jon.pk).update(legacy_id="LEG-0042")
        rows = self.run_command("--partnership", "SH")
        assert rows
        assert set(rows[0]) == {"person_a", "person_b", "score", "band"}
        pair = {"LEG-0042", str(self.jonathan.public_id)}
        found = [row for row in rows if {row["person_a"], row["person_b"]} == pair]
        assert len(found) == 1
        assert found[0]["band"] in ("likely", "possible")
        assert 0.5 <= float(found[0]["score"]) <= 1

    def test_a_legacy_id_that_a_spreadsheet_would_run_is_written_quoted(self):
        """Legacy ids come from imported files: one starting with =, +, - or @ must not run as a formula."""
        pair = str(self.jonathan.public_id)
        for legacy_id in ('=HYPERLINK("http://evil.example")', "+44 1234", "-1+1", "@SUM(A1)"):
            with self.subTest(legacy_id=legacy_id):
                Person.objects.filter(pk=self.jon.pk).update(legacy_id=legacy_id)
                rows = self.run_command("--partnership", "SH")
                found = [row for row in rows if pair in (row["person_a"], row["person_b"])]
                labels = {row["person_a"] for row in found} | {row["person_b"] for row in found}
                assert "'" + legacy_id in labels
                assert legacy_id not in labels

    def test_a_pair_said_to_differ_is_not_written(self):
        first, second = sorted((str(self.jon.public_id), str(self.jonathan.public_id)))
        NotSamePerson.objects.create(
            partnership=self.surrey_heath, first=first, second=second, decided_by=self.coordinator
        )
        rows = self.run_command()
        ids = {str(self.jon.public_id), str(self.jonathan.public_id)}
        assert not [row for row in rows if {row["person_a"], row["person_b"]} == ids]

    def test_an_unknown_partnership_is_refused(self):
        with self.assertRaisesMessage(CommandError, "no partnership with the code 'nowhere'"):
            self.run_command("--partnership", "nowhere")

    def test_the_nightly_run_feeds_the_queue_and_never_proposes_a_refused_pair_again(self):
        call_command("find_duplicates_nightly", "--now", stdout=StringIO())
        pair = DuplicateCandidate.objects.get(person_a=self.jon, person_b=self.jonathan)
        not_same_person_record(actor=self.coordinator, candidate=pair)
        pair.delete()
        call_command("find_duplicates_nightly", "--now", stdout=StringIO())
        assert not DuplicateCandidate.objects.filter(person_a=self.jon, person_b=self.jonathan).exists()

    def test_the_nightly_run_can_be_enqueued(self):
        out = StringIO()
        call_command("find_duplicates_nightly", stdout=out)
        assert "Enqueued" in out.getvalue()
