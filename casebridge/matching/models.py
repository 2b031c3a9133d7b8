"""The possible-duplicates queue, the pairs a person said are different, and reversible merges."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casebridge.organisations.models import PartnershipRecord


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    MERGED = "merged", _("Merged")
    NOT_SAME = "not_same", _("Not the same person")


class DuplicateCandidate(PartnershipRecord):
    """Two people of one partnership whom the engine proposes may be one; person_a has the lower pk."""

    person_a = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(help_text=_("Match probability, 0 to 1."))
    band = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.OPEN)
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(person_a__lt=models.F("person_b")), name="candidate_pair_ordered"),
            models.UniqueConstraint(fields=["person_a", "person_b"], name="candidate_pair_unique"),
            models.CheckConstraint(condition=Q(status__in=CandidateStatus.values), name="candidate_status_valid"),
        ]
        indexes = [models.Index(fields=["partnership", "status"])]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.band})"


class NotSamePerson(models.Model):
    """A reviewer's decision that two people are different: the pair is never proposed again.

    Kept by public id so that it survives a merge and unmerge of either person.
    """

    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    first = models.UUIDField()
    second = models.UUIDField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="not_same_pair_ordered"),
            models.UniqueConstraint(fields=["partnership", "first", "second"], name="not_same_pair_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.first} ≠ {self.second}"


class PersonMerge(PartnershipRecord):
    """One merge, with exactly what moved, so that unmerge can put every row back.

    ``record`` holds the removed person's own fields, the surviving person's fields before
    the merge, the primary keys of every row moved from one to the other, and the rows that
    had to be removed because the survivor already had them (a party role in the same case,
    a link between the two people).
    """

    survivor = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    merged_public_id = models.UUIDField()
    merged_name = models.CharField(max_length=201)
    record = models.JSONField()
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    unmerged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_name} → {self.survivor_id}"


class ProposalKind(models.TextChoices):
    MERGE = "merge", _("Merge")
    UNMERGE = "unmerge", _("Undo a merge")


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Awaiting agreement")
    DONE = "done", _("Agreed and carried out")
    DECLINED = "declined", _("Declined")
    LAPSED = "lapsed", _("Lapsed")


class MergeProposal(PartnershipRecord):
    """A merge (or the undoing of one) that waits for the lead organisations of cases the proposer may not manage.

    The two people are kept by public id, like ``PersonMerge``: a merge removes one of them and an
    unmerge brings them back with the same public id, and the proposal must outlive both.
    ``choices`` says, for each field that differs, whose value the surviving record keeps
    ("survivor" or "merged"), read from the two people when the merge finally runs.
    """

    kind = models.CharField(max_length=10, choices=ProposalKind.choices, default=ProposalKind.MERGE)
    survivor_public_id = models.UUIDField()
    merged_public_id = models.UUIDField()
    survivor_name = models.CharField(max_length=201)
    merged_name = models.CharField(max_length=201)
    choices = models.JSONField(default=dict, blank=True)
    undo = models.ForeignKey(PersonMerge, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField(_("why these records are the same person"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    merge = models.ForeignKey(PersonMerge, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ProposalStatus.values), name="merge_proposal_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=ProposalKind.values), name="merge_proposal_kind_valid"),
            models.CheckConstraint(
                condition=~Q(survivor_public_id=models.F("merged_public_id")), name="merge_proposal_two_people"
            ),
            models.CheckConstraint(
                condition=Q(kind=ProposalKind.MERGE, undo__isnull=True)
                | Q(kind=ProposalKind.UNMERGE, undo__isnull=False),
                name="merge_proposal_undo_names_its_merge",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "status"])]

    def __str__(self) -> str:
        return f"{self.merged_name} → {self.survivor_name} ({self.get_status_display()})"


class DecisionOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting")
    AGREED = "agreed", _("Agreed")
    DECLINED = "declined", _("Declined")


class MergeDecision(models.Model):
    """One lead organisation's answer to a proposal: every one must agree before the merge runs."""

    proposal = models.ForeignKey(MergeProposal, on_delete=models.CASCADE, related_name="decisions")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=10, choices=DecisionOutcome.choices, default=DecisionOutcome.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "organisation"], name="merge_decision_one_per_organisation"),
            models.CheckConstraint(condition=Q(outcome__in=DecisionOutcome.values), name="merge_decision_valid"),
            models.CheckConstraint(
                condition=Q(outcome=DecisionOutcome.PENDING, decided_by__isnull=True)
                | (~Q(outcome=DecisionOutcome.PENDING) & Q(decided_by__isnull=False)),
                name="merge_decision_decided_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.outcome}"


class RepeatThresholds(models.Model):
    """When a perpetrator or a place counts as a repeat, per partnership.

    The repeat victim rule is the partnership's case review rules (``case_reviews.ReviewRules``).
    """

    partnership = models.OneToOneField("organisations.Partnership", on_delete=models.CASCADE, related_name="+")
    perpetrator_cases = models.PositiveSmallIntegerField(default=2)
    perpetrator_incidents = models.PositiveSmallIntegerField(default=3)
    perpetrator_days = models.PositiveSmallIntegerField(default=91)
    hotspot_incidents = models.PositiveSmallIntegerField(default=3)
    hotspot_days = models.PositiveSmallIntegerField(default=91)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(perpetrator_cases__gte=2, hotspot_incidents__gte=2),
                name="repeat_thresholds_at_least_two",
            )
        ]

    def __str__(self) -> str:
        return f"Repeat thresholds of {self.partnership_id}"
