"""The one way this app tells someone something; swap the body for a notifications app later."""

from typing import TYPE_CHECKING

from casebridge.referrals.models import Notification

if TYPE_CHECKING:
    from casebridge.accounts.models import User


def notify(*, recipient: "User", partnership_id: int, text: str, url: str = "") -> Notification:
    """Leave ``text`` in the recipient's notifications; no personal data beyond what they may see."""
    return Notification.objects.create(partnership_id=partnership_id, recipient=recipient, text=text[:300], url=url)
