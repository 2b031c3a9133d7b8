"""Who may act on which account, change which organisation and read which audit event, registered
with the one access door.

The rules themselves are ``accounts.staff.permissions`` and ``accounts.audit_trail``. A user, an
organisation and an audit event may belong to several partnerships: one may act on them when one
may in any of them.
"""

from django.db.models import QuerySet

from casebridge.access import policy
from casebridge.accounts.audit_trail import audit_events_visible_to
from casebridge.accounts.models import User
from casebridge.accounts.staff.permissions import (
    accounts_actionable_by,
    may_act_on_account,
    may_change_organisation,
    organisations_changeable_by,
)
from casebridge.audit.models import AuditEvent
from casebridge.organisations.models import Organisation, Partnership

MANAGE = "manage"
READ = "read"


def may_manage(actor: User, user: User) -> bool:
    if not actor.is_authenticated:
        return False
    return any(may_act_on_account(actor, m.partnership, user) for m in actor.cached_memberships())


def may_change(actor: User, organisation: Organisation) -> bool:
    if not actor.is_authenticated:
        return False
    return any(may_change_organisation(actor, m.partnership, organisation) for m in actor.cached_memberships())


def events_readable_by(user: User, partnership: Partnership) -> QuerySet[AuditEvent]:
    if not user.is_authenticated or not user.is_active:
        return AuditEvent.objects.none()
    membership = next((m for m in user.cached_memberships() if m.partnership_id == partnership.pk), None)
    return audit_events_visible_to(user=user, membership=membership)


def may_read(user: User, event: AuditEvent) -> bool:
    if not user.is_authenticated:
        return False
    return any(events_readable_by(user, m.partnership).filter(pk=event.pk).exists() for m in user.cached_memberships())


def register() -> None:
    policy.register(User, MANAGE, may=may_manage, visible=accounts_actionable_by)
    policy.register(Organisation, MANAGE, may=may_change, visible=organisations_changeable_by)
    policy.register(AuditEvent, READ, may=may_read, visible=events_readable_by)
