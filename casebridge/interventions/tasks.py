"""Background work for interventions: reminders before review and expiry dates."""

from django_tasks import task

from casebridge.interventions.services import intervention_reminders_send


@task()
def intervention_reminders(days_ahead: int = 7) -> int:
    """Run daily (e.g. from cron via `send_intervention_reminders --enqueue`)."""
    return intervention_reminders_send(days_ahead=days_ahead)
