from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from casebridge.audit.models import Action, AuditChainHead, AuditEvent
from casebridge.audit.services import audit_record
from casebridge.audit.verify import audit_verify
from tests.personas import PersonasTestCase


def drop_append_only_triggers() -> None:
    """What someone tampering directly with the database would do first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_event_no_update_or_delete ON audit_auditevent")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")


class AuditVerifyTests(PersonasTestCase):
    def setUp(self) -> None:
        for n in range(5):
            audit_record(
                actor=self.asb_officer,
                action=Action.VIEWED,
                partnership_id=self.surrey_heath.pk,
                object_type="case",
                object_id=f"SH-2026-00000{n}",
                data={"n": n},
            )
        audit_record(actor=self.other_partnership_user, action=Action.SIGN_IN)

    def test_intact_chain_verifies_and_counts_every_event(self):
        out = StringIO()
        call_command("audit_verify", stdout=out)
        assert "6 events verified" in out.getvalue()

    def test_database_refuses_to_update_an_event(self):
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(chain=self.surrey_heath.pk).update(action=Action.SIGN_IN)

    def test_database_refuses_to_delete_an_event(self):
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(chain=self.surrey_heath.pk, seq=2)._raw_delete(using="default")

    def test_altered_event_is_named(self):
        drop_append_only_triggers()
        event = AuditEvent.objects.get(chain=self.surrey_heath.pk, seq=3)
        AuditEvent.objects.filter(pk=event.pk).update(object_id="SH-2026-999999")
        with pytest.raises(CommandError, match=f"event {event.pk} .*altered"):
            call_command("audit_verify")

    def test_deleted_event_is_named(self):
        drop_append_only_triggers()
        AuditEvent.objects.filter(chain=self.surrey_heath.pk, seq=2)._raw_delete(using="default")
        result = audit_verify()
        assert result.problem is not None
        assert result.problem.seq == 3
        assert "missing or was inserted" in result.problem.reason

    def test_deleted_last_event_is_caught_by_the_head(self):
        drop_append_only_triggers()
        AuditEvent.objects.filter(chain=self.surrey_heath.pk, seq=5)._raw_delete(using="default")
        result = audit_verify()
        assert result.problem is not None
        assert "removed from the end" in result.problem.reason

    def test_event_inserted_out_of_order_is_named(self):
        first = AuditEvent.objects.get(chain=self.surrey_heath.pk, seq=1)
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    chain=first.chain,
                    seq=6,
                    occurred_at=first.occurred_at,
                    action=Action.VIEWED,
                    prev_hash=first.hash,
                    hash=first.hash,
                )
            ]
        )
        result = audit_verify()
        assert result.problem is not None
        assert result.problem.seq == 6
        assert "does not follow" in result.problem.reason

    def test_chains_are_kept_per_partnership(self):
        heads = dict(AuditChainHead.objects.values_list("chain", "seq"))
        assert heads == {self.surrey_heath.pk: 5, 0: 1}
