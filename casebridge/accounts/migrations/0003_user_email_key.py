import unicodedata

from django.db import migrations, models


def _fold(value):
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).upper().lower()).strip()


def _key(value):
    key = _fold(value)
    for _ in range(8):  # bounded: a crafted address must not keep a sign-in busy
        again = _fold(key)
        if again == key:
            break
        key = again
    return key


def fill_email_keys(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    users = list(User.objects.only("pk", "email"))
    for user in users:
        # The same folding as casebridge.accounts.email_key, as it stood when this migration was written.
        user.email_key = _key(user.email)
    User.objects.bulk_update(users, ["email_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_key",
            field=models.CharField(default="", editable=False, max_length=254),
            preserve_default=False,
        ),
        migrations.RunPython(fill_email_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="email_key",
            field=models.CharField(editable=False, max_length=254, unique=True),
        ),
    ]
