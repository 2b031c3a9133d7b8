import uuid

from django.db import migrations, models


def give_public_ids(apps, schema_editor):
    for model_name in ("CaseType", "IncidentCategory"):
        model = apps.get_model("cases", model_name)
        for row in model.objects.filter(public_id__isnull=True).only("pk"):
            row.public_id = uuid.uuid4()
            row.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [
        migrations.AddField(model_name="casetype", name="public_id", field=models.UUIDField(null=True)),
        migrations.AddField(model_name="incidentcategory", name="public_id", field=models.UUIDField(null=True)),
        migrations.AddField(model_name="incidentcategory", name="is_active", field=models.BooleanField(default=True)),
        migrations.RunPython(give_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="casetype",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="incidentcategory",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
