"""Turn other apps' records into notifications without changing their code.

A share to a user, a team or an organisation; an access request or a break-glass alert
raised to a case's lead organisation (sharing.Alert); a risk alert to one user
(assessments.Alert: high risk, reviews due, interventions expiring).
"""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from casebridge.accounts.models import User
from casebridge.assessments.models import Alert as RiskAlert
from casebridge.assessments.models import AlertKind
from casebridge.cases.models import Share
from casebridge.notifications.models import Kind
from casebridge.notifications.services import notify, organisation_managers
from casebridge.sharing.models import Alert


@receiver(post_save, sender=Share, dispatch_uid="notify_share")
def share_saved(sender: type[Share], instance: Share, created: bool, **kwargs: Any) -> None:
    if not created or hasattr(instance, "_from_agenda"):
        return
    if instance.user_id:
        users: Any = User.objects.filter(pk=instance.user_id)
    elif instance.team_id:
        users = User.objects.filter(team_id=instance.team_id)
    else:
        users = organisation_managers(instance.organisation, instance.partnership_id)  # type: ignore[arg-type]
    case = instance.case
    transaction.on_commit(
        lambda: notify(
            users=users,
            kind=Kind.SHARE,
            reference=case.reference,
            path=reverse("cases:summary", args=[case.reference]),
            case=case,
        )
    )


@receiver(post_save, sender=Alert, dispatch_uid="notify_alert")
def alert_saved(sender: type[Alert], instance: Alert, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    case = instance.case
    kind = Kind.BREAK_GLASS if instance.kind == Alert.Kind.BREAK_GLASS else Kind.ACCESS_REQUEST
    recipients = list(organisation_managers(instance.organisation, instance.partnership_id))
    if case.lead_officer_id:
        recipients.append(case.lead_officer)  # type: ignore[arg-type]
    transaction.on_commit(
        lambda: notify(
            users=recipients,
            kind=kind,
            reference=case.reference,
            path=reverse("sharing:inbox"),
            case=case,
        )
    )


RISK_ALERT_KINDS = {
    AlertKind.HIGH_RISK: Kind.HIGH_RISK,
    AlertKind.REVIEW_DUE: Kind.REVIEW_DUE,
    AlertKind.INTERVENTION_REVIEW: Kind.REVIEW_DUE,
    AlertKind.INTERVENTION_EXPIRY: Kind.INTERVENTION_EXPIRY,
}
# The interventions reminder emails its own alerts; these are notified in the app only.
EMAILED_BY_SENDER = frozenset({AlertKind.INTERVENTION_REVIEW, AlertKind.INTERVENTION_EXPIRY})


@receiver(post_save, sender=RiskAlert, dispatch_uid="notify_risk_alert")
def risk_alert_saved(sender: type[RiskAlert], instance: RiskAlert, created: bool, **kwargs: Any) -> None:
    if not created or instance.kind not in RISK_ALERT_KINDS:
        return
    case, recipient = instance.case, instance.recipient
    kind, email = RISK_ALERT_KINDS[AlertKind(instance.kind)], instance.kind not in EMAILED_BY_SENDER
    transaction.on_commit(
        lambda: notify(
            users=[recipient], kind=kind, reference=case.reference, path=instance.link, case=case, email=email
        )
    )
