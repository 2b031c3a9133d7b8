import io
import re
from collections import Counter
from unittest.mock import patch

from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.test import TestCase

from casebridge.accounts.models import User
from casebridge.audit.models import AuditEvent
from casebridge.cases.models import Case, CaseParty, CaseReferenceCounter, Incident, Share, Status
from casebridge.cases.services import case_reference_next
from casebridge.lib.addresses import POSTCODE_RE
from casebridge.organisations.models import Membership, Organisation, Partnership
from casebridge.people.models import Location, Person, PersonAddress, name_key
from casebridge.synthetic import forked, generator
from casebridge.synthetic.generator import Summary, generate


def make(seed: int) -> Summary:
    return generate(cases=300, people=200, organisations=8, users=40, seed=seed)


class Rollback(Exception):
    pass


def snapshot() -> list[tuple[object, ...]]:
    cases = Case.objects.order_by("reference").values_list(
        "reference", "public_id", "status", "risk_level", "case_type__code", "lead_organisation__name", "summary"
    )
    people = Person.objects.order_by("pk").values_list("first_name", "last_name", "date_of_birth")
    shares = Share.objects.order_by("pk").values_list("case__reference", "organisation__name", "level")
    return [*cases, *people, *shares]


class GenerateSyntheticTests(TestCase):
    def test_writes_the_numbers_asked_for(self):
        summary = make(1)
        partnership = summary.partnership
        assert partnership is not None
        assert Case.objects.filter(partnership=partnership).count() == 300
        assert Person.objects.filter(partnership=partnership).count() == 200
        assert PersonAddress.objects.filter(partnership=partnership).count() == 200
        assert Organisation.objects.filter(partnerships=partnership).count() == 8
        assert Membership.objects.filter(partnership=partnership).count() == 40
        assert summary.counts["shares"] == Share.objects.count()
        assert summary.counts["incidents"] == Incident.objects.count()

    def test_the_same_seed_gives_the_same_data(self):
        def run(seed: int) -> list[tuple[object, ...]]:
            try:
                with transaction.atomic():
                    make(seed)
                    rows = snapshot()
                    raise Rollback
            except Rollback:
                return rows

        first = run(7)
        assert run(7) == first
        assert run(8) != first

    def test_rows_made_in_a_second_process_are_the_rows_made_here(self):
        def run(second_process: bool) -> list[tuple[object, ...]]:
            made_elsewhere = forked.in_second_process if second_process else lambda batches: batches
            # Batches of 50: the 300 cases take the second process exactly as a big load does.
            with patch.object(generator, "BATCH", 50), patch.object(generator, "in_second_process", made_elsewhere):
                try:
                    with transaction.atomic():
                        make(9)
                        rows = snapshot()
                        raise Rollback
                except Rollback:
                    return rows

        assert run(second_process=True) == run(second_process=False)

    def test_references_are_unique_and_continue_after_the_counter(self):
        summary = make(2)
        partnership = summary.partnership
        assert partnership is not None
        references = list(Case.objects.values_list("reference", flat=True))
        assert len(set(references)) == len(references)
        for counter in CaseReferenceCounter.objects.filter(partnership=partnership):
            numbers = [int(ref.rsplit("-", 1)[1]) for ref in references if ref.startswith(f"SYN-{counter.year}-")]
            assert max(numbers) == counter.last_number
        year = max(CaseReferenceCounter.objects.values_list("year", flat=True))
        next_reference = case_reference_next(partnership=partnership, year=year)
        assert next_reference not in references
        assert (
            int(next_reference.rsplit("-", 1)[1])
            == max(int(ref.rsplit("-", 1)[1]) for ref in references if ref.startswith(f"SYN-{year}-")) + 1
        )

    def test_a_second_run_continues_the_references(self):
        make(3)
        make(3)
        references = list(Case.objects.values_list("reference", flat=True))
        assert len(references) == 600
        assert len(set(references)) == 600

    def test_most_cases_are_shared_with_one_to_four_other_organisations(self):
        make(4)
        organisation_shares = Counter(
            Share.objects.filter(organisation__isnull=False).values_list("case_id", flat=True)
        )
        per_case = [organisation_shares.get(pk, 0) for pk in Case.objects.values_list("pk", flat=True)]
        shared = sum(1 for n in per_case if 1 <= n <= 4)
        assert shared / len(per_case) > 0.7
        assert max(per_case) <= 4
        assert not Share.objects.filter(organisation_id=F("case__lead_organisation_id")).exists(), (
            "a case is never shared with its lead"
        )

    def test_every_share_carries_its_cases_update_time_lead_and_partnership(self):
        make(6)
        assert Share.objects.exists()
        stale = Share.objects.exclude(
            case_updated_at=F("case__updated_at"),
            case_lead_organisation=F("case__lead_organisation"),
            partnership=F("case__partnership"),
        )
        assert not stale.exists()

    def test_people_recur_across_cases_and_every_case_has_a_party(self):
        make(5)
        assert not Case.objects.filter(parties__isnull=True).exists()
        per_person = Counter(CaseParty.objects.values_list("person_id", flat=True))
        assert max(per_person.values()) >= 3

    def test_data_looks_like_a_uk_partnership(self):
        make(6)
        for postcode in Location.objects.values_list("postcode", flat=True):
            assert re.search(POSTCODE_RE, postcode)
        person = Person.objects.first()
        assert person is not None
        assert person.last_name_key == name_key(person.last_name)
        closed = Case.objects.filter(status=Status.CLOSED)
        assert closed.exists()
        assert not closed.filter(closed_at__isnull=True).exists()
        for reference in Case.objects.values_list("reference", flat=True)[:20]:
            assert re.search(re.compile(r"^SYN-\d{4}-\d{6}$"), reference)

    def test_writes_no_audit_events(self):
        before = AuditEvent.objects.count()
        make(7)
        assert AuditEvent.objects.count() == before

    def test_users_cannot_sign_in_with_a_password(self):
        make(8)
        user = User.objects.filter(email__endswith="@synthetic.example").first()
        assert user is not None
        assert not user.has_usable_password()

    def test_command_fills_the_partnership_named(self):
        out = io.StringIO()
        call_command(
            "generate_synthetic",
            "--cases=50",
            "--people=30",
            "--organisations=4",
            "--users=10",
            "--seed=9",
            "--partnership=RU",
            stdout=out,
        )
        assert Case.objects.filter(partnership__code="RU").count() == 50
        assert Partnership.objects.filter(code="RU").exists()
        assert "50 cases" in out.getvalue()
