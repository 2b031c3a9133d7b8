from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_list_indexes_end_in_id"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["id", "partnership", "lead_organisation", "updated_at"], name="case_id_sort_keys"
            ),
        ),
    ]
