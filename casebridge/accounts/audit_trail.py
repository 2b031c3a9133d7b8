"""Reading the audit trail: who sees which events, and the audited export.

It lives with the accounts because the rule is about roles and staff: an auditor sees their
partnership, an organisation manager their own organisation's staff. The trail itself is
written and verified by the audit app, below every other app.
"""

from django.db import transaction
from django.db.models import Q, QuerySet

from casebridge.access.capabilities import Capability, role_holds
from casebridge.accounts.models import User
from casebridge.audit.export import events_csv
from casebridge.audit.models import SYSTEM_CHAIN, Action, AuditEvent
from casebridge.audit.selectors import AuditFilters, filter_events
from casebridge.audit.services import audit_record
from casebridge.organisations.models import Membership


def may_view_audit(*, membership: Membership | None) -> bool:
    """Auditors read their whole partnership's trail; managers their own organisation's staff's."""
    return membership is not None and (
        role_holds(membership.role, Capability.READ_PARTNERSHIP_AUDIT)
        or role_holds(membership.role, Capability.READ_STAFF_AUDIT)
    )


def audit_events_visible_to(
    *, user: User, membership: Membership | None, filters: AuditFilters | None = None
) -> QuerySet[AuditEvent]:
    """The events this user may see in their current partnership, newest first.

    An auditor sees every event of the partnership's chain, plus the system
    chain's events (sign-ins, account changes) of the partnership's members.
    An organisation manager sees the same events restricted to their own
    organisation's staff. Everyone else sees nothing.
    """
    if not may_view_audit(membership=membership) or membership is None:
        return AuditEvent.objects.none()
    partnership_id = membership.partnership_id
    members = Membership.objects.filter(partnership_id=partnership_id).values("user_id")
    scope = Q(chain=partnership_id) | Q(chain=SYSTEM_CHAIN, actor_id__in=members)
    if not role_holds(membership.role, Capability.READ_PARTNERSHIP_AUDIT):
        if user.organisation_id is None:
            return AuditEvent.objects.none()
        scope &= Q(organisation_id=user.organisation_id)
    events = AuditEvent.objects.filter(scope)
    if filters is not None:
        events = filter_events(events, filters)
    return events.select_related("organisation").order_by("-id")


@transaction.atomic
def audit_events_export(*, actor: User, membership: Membership, filters: AuditFilters) -> str:
    """The CSV of the events the actor may see, audited in the same transaction."""
    events = audit_events_visible_to(user=actor, membership=membership, filters=filters)
    text, count = events_csv(events.iterator(chunk_size=2000))
    audit_record(
        actor=actor,
        action=Action.AUDIT_EXPORTED,
        partnership_id=membership.partnership_id,
        data={"filters": filters.as_data(), "events": count},
    )
    return text
