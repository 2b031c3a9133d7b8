"""Audit events in two partnerships, for the audit page tests."""

from casebridge.accounts.models import User
from casebridge.audit.models import Action
from casebridge.audit.services import audit_record
from casebridge.organisations.models import Role
from tests.personas import PersonasTestCase, make_user


class AuditDataTestCase(PersonasTestCase):
    """Surrey Heath events by council, police and charity staff; Runnymede events by Rita."""

    runnymede_auditor: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        sh, ru = cls.surrey_heath.pk, cls.runnymede.pk
        cls.runnymede_auditor = make_user(
            "rory.quinn@runnymede.example", cls.other_council, roles={cls.runnymede: Role.AUDITOR}
        )
        audit_record(actor=cls.asb_officer, action=Action.SIGN_IN)
        audit_record(
            actor=cls.asb_officer,
            action=Action.VIEWED,
            partnership_id=sh,
            object_type="case",
            object_id="SH-2026-000001",
            object_label="SH-2026-000001",
        )
        audit_record(
            actor=cls.police_officer,
            action=Action.CHANGED,
            partnership_id=sh,
            object_type="case",
            object_id="SH-2026-000002",
            object_label="SH-2026-000002",
            data={"changes": {"risk_level": {"from": "medium", "to": "high"}}},
        )
        audit_record(
            actor=cls.support_worker,
            action=Action.BREAK_GLASS,
            partnership_id=sh,
            object_type="case",
            object_id="SH-2026-000003",
            data={"reason": "Threat to life"},
            flagged=True,
        )
        audit_record(actor=cls.police_manager, action=Action.SIGN_IN)
        audit_record(actor=cls.other_partnership_user, action=Action.SIGN_IN)
        audit_record(
            actor=cls.other_partnership_user,
            action=Action.VIEWED,
            partnership_id=ru,
            object_type="case",
            object_id="RU-2026-000009",
            object_label="RU-2026-000009",
        )

    # Addresses of people who work only in Surrey Heath.
    SURREY_HEATH_ONLY = (
        "alex.morgan@council.example",
        "priya.shah@police.example",
        "sam.taylor@charity.example",
    )
