"""Each partnership's rules for recognising repeat victims and the ASB Case Review threshold."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReviewRules(models.Model):
    """Defaults follow common practice: 3 in 3 months (repeat victim); 3 in 6 months, each reported within a month."""

    partnership = models.OneToOneField("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    repeat_victim_incidents = models.PositiveSmallIntegerField(_("incidents that make a repeat victim"), default=3)
    repeat_victim_months = models.PositiveSmallIntegerField(_("within this many months"), default=3)
    threshold_complaints = models.PositiveSmallIntegerField(_("qualifying complaints for a case review"), default=3)
    threshold_months = models.PositiveSmallIntegerField(_("within this many months"), default=6)
    reported_within_days = models.PositiveSmallIntegerField(
        _("each reported within this many days of the incident"), default=31
    )
    single_hate_incident_qualifies = models.BooleanField(_("one hate incident meets the threshold"), default=False)
    acknowledge_working_days = models.PositiveSmallIntegerField(default=5)
    decision_working_days = models.PositiveSmallIntegerField(default=15)
    meeting_working_days = models.PositiveSmallIntegerField(default=20)

    class Meta:
        verbose_name_plural = "review rules"
        constraints = [
            models.CheckConstraint(
                condition=Q(repeat_victim_incidents__gte=1) & Q(threshold_complaints__gte=1),
                name="review_rules_positive",
            )
        ]

    def __str__(self) -> str:
        return f"Review rules for {self.partnership_id}"
