"""Granting and revoking shares, access requests and break-glass: audited in the same transaction."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User
from casebridge.audit.models import Action
from casebridge.audit.services import audit_on_record, audit_record
from casebridge.cases.models import BreakGlass, Case, Level, Share
from casebridge.cases.policy import Act, can
from casebridge.notifications.models import Kind
from casebridge.notifications.services import notify, organisation_managers
from casebridge.organisations.models import Organisation, Team
from casebridge.sharing.models import BREAK_GLASS_HOURS, AccessRequest, Alert


@transaction.atomic
def share_grant(
    *,
    actor: User,
    case: Case,
    level: str,
    reason: str,
    organisation: Organisation | None = None,
    team: Team | None = None,
    user: User | None = None,
    expires_at: datetime.datetime | None = None,
) -> Share:
    """Share one case with exactly one organisation, team or user, recording the justified interest."""
    if not can(actor, Act.MANAGE, case):
        raise PermissionDenied
    if sum(x is not None for x in (organisation, team, user)) != 1:
        raise ValidationError(_("Choose one organisation, team or person to share with."))
    if not reason.strip():
        raise ValidationError(_("Enter the reason for sharing: the partner's justified interest."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(_("The expiry date must be in the future."))
    if organisation is not None and not organisation.partnerships.filter(pk=case.partnership_id).exists():
        raise ValidationError(_("That organisation is not part of this partnership."))
    share = Share.objects.create(
        partnership_id=case.partnership_id,
        case=case,
        organisation=organisation,
        team=team,
        user=user,
        level=level,
        reason=reason.strip(),
        granted_by=actor,
        expires_at=expires_at,
    )
    audit_on_record(
        Action.SHARED,
        actor=actor,
        obj=case,
        data={
            "share": str(share.public_id),
            "with": str(share.grantee),
            "level": level,
            "reason": share.reason,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    _notify_share(share)
    return share


@transaction.atomic
def share_revoke(*, actor: User, share: Share) -> Share:
    if not can(actor, Act.MANAGE, share.case):
        raise PermissionDenied
    if share.revoked_at is not None:
        return share
    share.revoked_at = timezone.now()
    share.revoked_by = actor
    share.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=actor,
        action=Action.SHARE_REVOKED,
        partnership_id=share.partnership_id,
        obj=share.case,
        data={"share": str(share.public_id), "with": str(share.grantee)},
    )
    return share


@transaction.atomic
def access_request_create(*, actor: User, case: Case, reason: str) -> AccessRequest:
    """Ask the lead organisation for access to a case the user only knows exists."""
    if not can(actor, Act.KNOW_EXISTS, case):
        raise PermissionDenied
    if can(actor, Act.VIEW, case):
        raise ValidationError(_("You can already see this case."))
    if not reason.strip():
        raise ValidationError(_("Enter why you need access to this case."))
    if AccessRequest.objects.filter(case=case, requester=actor, state=AccessRequest.State.PENDING).exists():
        raise ValidationError(_("You have already asked for access to this case. Wait for the lead organisation."))
    request = AccessRequest.objects.create(
        partnership_id=case.partnership_id, case=case, requester=actor, reason=reason.strip()
    )
    alert = Alert.objects.create(
        partnership_id=case.partnership_id,
        organisation_id=case.lead_organisation_id,
        case=case,
        kind=Alert.Kind.ACCESS_REQUEST,
        message=f"{actor} ({actor.organisation}) asked for access to {case.reference}.",
    )
    _notify_alert(alert)
    audit_on_record(
        Action.ACCESS_REQUESTED,
        actor=actor,
        obj=case,
        data={"request": str(request.public_id), "reason": request.reason},
    )
    return request


@transaction.atomic
def access_request_decide(
    *, actor: User, request: AccessRequest, approve: bool, note: str = "", level: str = Level.VIEW
) -> AccessRequest:
    """The lead organisation approves (a share to the requester) or declines."""
    case = request.case
    if not can(actor, Act.LEAD, case):
        raise PermissionDenied
    if request.state != AccessRequest.State.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if approve:
        request.share = share_grant(
            actor=actor,
            case=case,
            level=level,
            user=request.requester,
            reason=_("Access request approved: %(reason)s") % {"reason": request.reason},
        )
    request.state = AccessRequest.State.APPROVED if approve else AccessRequest.State.DECLINED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "share"])
    audit_on_record(
        Action.ACCESS_DECIDED,
        actor=actor,
        obj=case,
        data={"request": str(request.public_id), "decision": request.state, "requester": str(request.requester)},
    )
    return request


@transaction.atomic
def break_glass(*, actor: User, case: Case, reason: str) -> BreakGlass:
    """Emergency view access for three hours: alerted to the lead organisation and flagged for review."""
    if not can(actor, Act.KNOW_EXISTS, case):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Enter the emergency that means you must see this case now."))
    now = timezone.now()
    glass = BreakGlass.objects.create(
        partnership_id=case.partnership_id,
        case=case,
        user=actor,
        reason=reason.strip(),
        started_at=now,
        expires_at=now + datetime.timedelta(hours=BREAK_GLASS_HOURS),
    )
    alert = Alert.objects.create(
        partnership_id=case.partnership_id,
        organisation_id=case.lead_organisation_id,
        case=case,
        kind=Alert.Kind.BREAK_GLASS,
        message=f"{actor} ({actor.organisation}) used emergency access on {case.reference}: {glass.reason}"[:300],
    )
    _notify_alert(alert)
    audit_on_record(
        Action.BREAK_GLASS,
        actor=actor,
        obj=case,
        data={"reason": glass.reason, "expires_at": glass.expires_at.isoformat()},
        flagged=True,
    )
    return glass


def may_review_break_glass(user: User, glass: BreakGlass) -> bool:
    """The case's lead organisation (casework staff) or the partnership's auditors."""
    if holds(user, Capability.READ_PARTNERSHIP_AUDIT, glass.partnership_id):
        return True
    return can(user, Act.LEAD, glass.case)


@transaction.atomic
def break_glass_review(*, actor: User, glass: BreakGlass, note: str) -> BreakGlass:
    """Marks a flagged emergency access as reviewed, with what the reviewer found."""
    if not may_review_break_glass(actor, glass):
        raise PermissionDenied
    if glass.reviewed_at is not None:
        raise ValidationError(_("This emergency access has already been reviewed."))
    if not note.strip():
        raise ValidationError(_("Enter what you found when you reviewed the emergency access."))
    glass.reviewed_at = timezone.now()
    glass.reviewed_by = actor
    glass.review_note = note.strip()
    glass.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    audit_record(
        actor=actor,
        action=Action.CHANGED,
        partnership_id=glass.partnership_id,
        obj=glass.case,
        data={
            "break_glass": str(glass.public_id),
            "reviewed": {"from": None, "to": glass.review_note},
            "user": str(glass.user),
        },
    )
    return glass


def _notify_share(share: Share) -> None:
    """Tell the user, the team's members or the organisation's managers, once the share is committed."""
    if share.user_id:
        users: Iterable[User] = User.objects.filter(pk=share.user_id)
    elif share.team_id:
        users = User.objects.filter(team_id=share.team_id)
    else:
        users = organisation_managers(share.organisation, share.partnership_id)  # type: ignore[arg-type]
    case = share.case
    transaction.on_commit(
        lambda: notify(
            users=users,
            kind=Kind.SHARE,
            reference=case.reference,
            path=reverse("cases:summary", args=[case.reference]),
            may_see=lambda user: can(user, Act.VIEW, case),
        )
    )


def _notify_alert(alert: Alert) -> None:
    """Tell the lead organisation's managers and the case's lead officer, once the alert is committed."""
    case = alert.case
    kind = Kind.BREAK_GLASS if alert.kind == Alert.Kind.BREAK_GLASS else Kind.ACCESS_REQUEST
    recipients = list(organisation_managers(alert.organisation, alert.partnership_id))
    if case.lead_officer_id:
        recipients.append(case.lead_officer)  # type: ignore[arg-type]
    transaction.on_commit(
        lambda: notify(
            users=recipients,
            kind=kind,
            reference=case.reference,
            path=reverse("sharing:inbox"),
            may_see=lambda user: can(user, Act.VIEW, case),
        )
    )
