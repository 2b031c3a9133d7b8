"""Who may manage which user and read which audit event, registered with the one access door.

The rules themselves are ``accounts.staff.permissions`` and ``accounts.audit_trail``. A user and an
audit event may belong to several partnerships: one may act on them when one may in any of them.
"""

from django.db.models import QuerySet

from casebridge.access import policy
from casebridge.accounts.audit_trail import audit_events_visible_to
from casebridge.accounts.models import User
from casebridge.accounts.staff.permissions import may_manage_user, users_manageable_by
from casebridge.audit.models import AuditEvent
from casebridge.organisations.models import Partnership

MANAGE = "manage"
READ = "read"


def may_manage(actor: User, user: User) -> bool:
    if not actor.is_authenticated:
        return False
    return any(may_manage_user(actor, m.partnership, user) for m in actor.cached_memberships())


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
    policy.register(User, MANAGE, may=may_manage, visible=users_manageable_by)
    policy.register(AuditEvent, READ, may=may_read, visible=events_readable_by)
