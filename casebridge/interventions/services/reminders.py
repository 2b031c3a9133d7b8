"""Reminders before an intervention's review and expiry dates."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.assessments.models import AlertKind
from casebridge.assessments.services import alert_create
from casebridge.cases.policy import Act, can
from casebridge.interventions.models import Intervention, Status

LIVE_STATUSES = (Status.IN_FORCE, Status.BREACHED, Status.VARIED)
REMINDER_DAYS = 7


def intervention_reminders_send(*, today: datetime.date | None = None, days_ahead: int = REMINDER_DAYS) -> int:
    """Alert the issuing officer and the case's lead officer before review and expiry dates.

    Idempotent per intervention, date and recipient. Emails carry only the case reference and a link.
    """
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=days_ahead)
    due = (
        Intervention.objects.filter(status__in=LIVE_STATUSES)
        .filter(Q(review_on__range=(today, horizon)) | Q(expires_on__range=(today, horizon)))
        .select_related("case__lead_officer", "issuing_officer", "type")
    )
    sent = 0
    for intervention in due:
        for kind, day in (
            (AlertKind.INTERVENTION_REVIEW, intervention.review_on),
            (AlertKind.INTERVENTION_EXPIRY, intervention.expires_on),
        ):
            if day is None or not today <= day <= horizon:
                continue
            sent += _remind(intervention, kind=kind, day=day)
    return sent


@transaction.atomic
def _remind(intervention: Intervention, *, kind: str, day: datetime.date) -> int:
    case = intervention.case
    link = reverse("interventions:detail", args=[intervention.public_id])
    if kind == AlertKind.INTERVENTION_REVIEW:
        message = _("%(ref)s: %(type)s due for review on %(day)s.")
    else:
        message = _("%(ref)s: %(type)s expires on %(day)s.")
    message = message % {"ref": case.reference, "type": intervention.type.name, "day": day.strftime("%d %B %Y")}
    recipients = {u.pk: u for u in (intervention.issuing_officer, case.lead_officer) if u is not None and u.is_active}
    sent = 0
    for user in recipients.values():
        if not can(user, Act.VIEW, case):
            continue
        alert = alert_create(
            recipient=user,
            case=case,
            kind=kind,
            message=message,
            link=link,
            dedupe_key=f"{intervention.public_id}:{day.isoformat()}",
        )
        if alert is None:
            continue
        sent += 1
        send_mail(
            subject=_("Casebridge reminder for %(ref)s") % {"ref": case.reference},
            message=message + "\n\n" + settings.SITE_URL + link,
            from_email=None,
            recipient_list=[user.email],
        )
    return sent
