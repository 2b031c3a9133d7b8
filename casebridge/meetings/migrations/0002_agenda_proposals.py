import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def items_to_proposals_and_shares_ended(apps, schema_editor):
    """Agendas no longer share cases: the shares they made go, and live items wait for agreement.

    Items of meetings whose minutes are published are history and count as agreed; items of
    meetings still to come become proposals, so each case's lead decides afresh.
    """
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    AgendaShare = apps.get_model("meetings", "AgendaShare")
    Share = apps.get_model("cases", "Share")
    share_ids = list(AgendaShare.objects.values_list("share_id", flat=True))
    AgendaShare.objects.all().delete()
    Share.objects.filter(pk__in=share_ids).delete()
    for item in AgendaItem.objects.filter(meeting__minutes_published_at__isnull=False):
        item.state = "agreed"
        item.decided_at = item.added_at
        item.save(update_fields=["state", "decided_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("meetings", "0001_initial"),
        ("organisations", "0003_partnership_meeting_papers_days"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="agendaitem",
            name="agenda_case_once",
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="decline_reason",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="state",
            field=models.CharField(
                choices=[
                    ("proposed", "Waiting for the lead organisation's agreement"),
                    ("agreed", "Agreed"),
                    ("declined", "Declined"),
                ],
                default="proposed",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="pack",
            name="cases",
            field=models.ManyToManyField(blank=True, related_name="+", to="cases.case"),
        ),
        migrations.AddField(
            model_name="pack",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="agendaitem",
            name="added_reason",
            field=models.TextField(verbose_name="reason for proposing"),
        ),
        migrations.AlterField(
            model_name="agendaitem",
            name="source",
            field=models.CharField(
                choices=[
                    ("referral", "Accepted referral"),
                    ("review_due", "Due for review"),
                    ("high_risk", "High risk"),
                    ("overdue_actions", "Overdue actions"),
                    ("coordinator", "Proposed by a partner"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="pack",
            name="state",
            field=models.CharField(
                choices=[
                    ("queued", "Waiting to start"),
                    ("building", "Being prepared"),
                    ("ready", "Ready"),
                    ("failed", "Failed"),
                    ("withdrawn", "Withdrawn"),
                ],
                default="queued",
                max_length=10,
            ),
        ),
        migrations.RunPython(items_to_proposals_and_shares_ended, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="agendaitem",
            constraint=models.UniqueConstraint(
                condition=models.Q(("removed_at__isnull", True), models.Q(("state", "declined"), _negated=True)),
                fields=("meeting", "case"),
                name="agenda_case_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="agendaitem",
            constraint=models.CheckConstraint(
                condition=models.Q(("state__in", ["proposed", "agreed", "declined"])), name="agenda_item_state_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="agendaitem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "declined"), _negated=True),
                    models.Q(("decline_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="agenda_decline_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="agendaitem",
            constraint=models.CheckConstraint(
                condition=models.Q(("state", "proposed"), ("decided_at__isnull", False), _connector="OR"),
                name="agenda_decision_dated",
            ),
        ),
        migrations.RemoveField(
            model_name="agendashare",
            name="item",
        ),
        migrations.RemoveField(
            model_name="agendashare",
            name="share",
        ),
        migrations.DeleteModel(
            name="AgendaShare",
        ),
    ]
