"""Fold the referrals app's own notifications into the one notifications model.

Each old row becomes a "Referral decision" notification: its fixed text becomes the summary,
its link the path, and the referral it links to gives the reference (the day it was sent).
The old rows were only ever shown in the app, so they are marked as already emailed.
"""

import re

from django.db import migrations
from django.utils import timezone

REFERRAL_PATH = re.compile(r"/referrals/([0-9a-f-]{36})/")


def fold_in(apps, schema_editor):  # type: ignore[no-untyped-def]
    Old = apps.get_model("referrals", "Notification")
    Referral = apps.get_model("referrals", "Referral")
    Notification = apps.get_model("notifications", "Notification")
    for old in Old.objects.all().iterator():
        match = REFERRAL_PATH.search(old.url or "")
        referral = Referral.objects.filter(public_id=match.group(1)).first() if match else None
        day = timezone.localtime(referral.created_at if referral else old.created_at).strftime("%d %b %Y")
        new = Notification.objects.create(
            public_id=old.public_id,
            user_id=old.recipient_id,
            kind="referral_decision",
            reference=f"Referral sent {day}",
            path=old.url or "/referrals/",
            summary=old.text[:200],
            read_at=old.read_at,
            emailed_at=old.created_at,
        )
        # created_at is set on insert: keep the original time.
        Notification.objects.filter(pk=new.pk).update(created_at=old.created_at)


def fold_out(apps, schema_editor):  # type: ignore[no-untyped-def]
    Old = apps.get_model("referrals", "Notification")
    Referral = apps.get_model("referrals", "Referral")
    Notification = apps.get_model("notifications", "Notification")
    for new in Notification.objects.filter(kind="referral_decision").iterator():
        match = REFERRAL_PATH.search(new.path)
        referral = Referral.objects.filter(public_id=match.group(1)).first() if match else None
        if referral is None:
            continue
        old = Old.objects.create(
            public_id=new.public_id,
            partnership_id=referral.partnership_id,
            recipient_id=new.user_id,
            text=new.summary or "Referral decision",
            url=new.path,
            read_at=new.read_at,
        )
        Old.objects.filter(pk=old.pk).update(created_at=new.created_at)
        new.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_summary_and_kinds"),
        ("referrals", "0002_referral_notifications_related_name"),
    ]

    operations = [migrations.RunPython(fold_in, fold_out)]
