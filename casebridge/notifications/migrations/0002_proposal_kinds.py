# The notification kinds for merge and agenda proposals.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("task_assigned", "Action assigned to you"),
                    ("task_overdue", "Action overdue"),
                    ("papers_published", "Meeting papers published"),
                    ("share", "Case shared with you"),
                    ("access_request", "Access request"),
                    ("referral_decision", "Referral decision"),
                    ("break_glass", "Emergency access to your case"),
                    ("review_due", "Review date reached"),
                    ("high_risk", "High risk assessment"),
                    ("intervention_expiry", "Intervention expiring"),
                    ("merge_proposal", "Merge of two records proposed"),
                    ("agenda_proposal", "Case proposed for a meeting"),
                ],
                max_length=20,
            ),
        ),
    ]
