"""The roles a user may hold in a partnership. What each role may do is ``capabilities``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Partnership administrator")
    COORDINATOR = "coordinator", _("Partnership coordinator")
    MANAGER = "manager", _("Organisation manager")
    PRACTITIONER = "practitioner", _("Practitioner")
    ANALYST = "analyst", _("Analyst")
    AUDITOR = "auditor", _("Auditor")
