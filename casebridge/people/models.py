"""People the partnership holds data about, and the places that matter to cases."""

import uuid

import jellyfish
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casebridge.lib.addresses import LocationKind, validate_postcode, validate_uprn
from casebridge.organisations.models import PartnershipRecord


def fold(value: str) -> str:
    """A surname as the prefix search compares it: trimmed, in lower case."""
    return " ".join((value or "").split()).lower()[:100]


def name_key(value: str) -> str:
    """Phonetic key so that Smyth finds Smith and Jonson finds Johnson."""
    cleaned = "".join(ch for ch in (value or "").lower() if ch.isalpha())
    return jellyfish.metaphone(cleaned)[:40] if cleaned else ""


class Location(PartnershipRecord):
    """An address (postcode, optional UPRN) or a named public place."""

    kind = models.CharField(max_length=10, choices=LocationKind.choices, default=LocationKind.ADDRESS)
    address_line_1 = models.CharField(_("address line 1"), max_length=200, blank=True)
    address_line_2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    town = models.CharField(_("town or city"), max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, validators=[validate_postcode])
    uprn = models.CharField(_("UPRN"), max_length=12, blank=True, validators=[validate_uprn])
    place_name = models.CharField(_("place name"), max_length=200, blank=True)
    created_by_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=LocationKind.values), name="location_kind_valid"),
            models.CheckConstraint(
                condition=(Q(kind=LocationKind.ADDRESS) & ~Q(postcode="") & ~Q(address_line_1=""))
                | (Q(kind=LocationKind.PLACE) & ~Q(place_name="")),
                name="location_address_or_place",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "postcode"])]

    def __str__(self) -> str:
        if self.kind == LocationKind.PLACE:
            return self.place_name + (f", {self.postcode}" if self.postcode else "")
        parts = [self.address_line_1, self.address_line_2, self.town, self.postcode]
        return ", ".join(p for p in parts if p)


class RecordedDetail(models.Model):
    """A person's detail beyond their core identity, carrying what it was recorded under (rule 7).

    A user sees it when they may see its source case, or, with no source case, when they work
    for the organisation that recorded it; or when that organisation shared it with everyone
    working with the person. ``people.access`` applies this; nothing else reads these rows.
    """

    source_case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, related_name="+", null=True, blank=True)
    source_organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    # A database default as well, so that the bulk writers (imports, synthetic data) may leave it out.
    shared_with_everyone = models.BooleanField(
        _("share with everyone working with this person"), default=False, db_default=False
    )

    class Meta:
        abstract = True


# A person's columns that are details (rule 7) rather than core identity, each with its provenance.
SOURCED_COLUMNS = ("phone", "email", "vulnerabilities")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Another gender")
    UNKNOWN = "unknown", _("Not known")


class Person(models.Model):
    """A profile: a human being the partnership holds data about."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The indexes below lead with partnership, so it needs none of its own.
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name_key = models.CharField(max_length=40, editable=False, blank=True)
    last_name_key = models.CharField(max_length=40, editable=False, blank=True)
    # The surname in lower case, so that a prefix search is an index range on either database.
    last_name_folded = models.CharField(max_length=100, editable=False, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    approximate_age = models.PositiveSmallIntegerField(_("approximate age"), null=True, blank=True)
    gender = models.CharField(max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    vulnerabilities = models.TextField(blank=True)
    # Phone, email and vulnerabilities are details (rule 7): each carries what it was recorded
    # under, as RecordedDetail does for the detail tables.
    phone_source_case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    phone_source_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    phone_shared_with_everyone = models.BooleanField(default=False, db_default=False)
    email_source_case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    email_source_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    email_shared_with_everyone = models.BooleanField(default=False, db_default=False)
    vulnerabilities_source_case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    vulnerabilities_source_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    vulnerabilities_shared_with_everyone = models.BooleanField(default=False, db_default=False)
    # The person's id in the system the partnership migrated from, if any.
    legacy_id = models.CharField(_("legacy id"), max_length=64, blank=True)
    # The spreadsheet import that created the profile, if one did.
    import_job = models.ForeignKey(
        "imports.ImportJob", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    created_by_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(condition=Q(gender__in=Gender.values), name="person_gender_valid"),
            models.CheckConstraint(
                condition=Q(approximate_age__isnull=True) | Q(approximate_age__lte=120), name="person_age_plausible"
            ),
        ]
        # The name indexes carry both names (on PostgreSQL), so that a name search finds and
        # sorts its candidates from the indexes alone.
        indexes = [
            models.Index(
                fields=["partnership", "last_name_key"], include=["first_name", "last_name"], name="person_surname_key"
            ),
            models.Index(
                fields=["partnership", "first_name_key"],
                include=["first_name", "last_name"],
                name="person_forename_key",
            ),
            models.Index(
                fields=["partnership", "last_name_folded"],
                include=["first_name", "last_name"],
                name="person_surname_folded",
            ),
            models.Index(fields=["partnership", "date_of_birth"]),
            models.Index(fields=["partnership", "created_by_organisation"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.first_name_key = name_key(self.first_name)
        self.last_name_key = name_key(self.last_name)
        self.last_name_folded = fold(self.last_name)
        update_fields = kwargs.get("update_fields")
        if isinstance(update_fields, list | tuple | set) and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = [*update_fields, "first_name_key", "last_name_key", "last_name_folded"]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PersonAlias(RecordedDetail):
    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    last_name_key = models.CharField(max_length=40, editable=False, blank=True)
    last_name_folded = models.CharField(max_length=100, editable=False, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["partnership", "last_name_key"]),
            models.Index(fields=["partnership", "last_name_folded"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def save(self, *args: object, **kwargs: object) -> None:
        self.last_name_key = name_key(self.last_name)
        self.last_name_folded = fold(self.last_name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class PersonAddress(RecordedDetail):
    """Where someone lived, from and to."""

    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="residents")
    from_date = models.DateField(_("from"), null=True, blank=True)
    to_date = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["-from_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_date__isnull=True) | Q(to_date__isnull=True) | Q(to_date__gte=models.F("from_date")),
                name="person_address_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return str(self.location)


class IdentifierKind(models.TextChoices):
    PNC = "pnc", _("Police National Computer (PNC) number")
    NHS = "nhs", _("NHS number")
    NI = "ni", _("National Insurance number")


class PersonIdentifier(RecordedDetail):
    # The indexes below lead with partnership, so it needs none of its own.
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=10, choices=IdentifierKind.choices)
    value = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=IdentifierKind.values), name="identifier_kind_valid"),
            models.UniqueConstraint(fields=["partnership", "kind", "value"], name="identifier_unique_in_partnership"),
        ]
        indexes = [models.Index(fields=["partnership", "value"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class WarningKind(models.TextChoices):
    VIOLENT = "violent", _("Violent towards staff")
    WEAPONS = "weapons", _("Weapons")
    DOGS = "dogs", _("Dangerous dogs")
    DRUGS = "drugs", _("Drugs")
    LONE_WORKING = "lone_working", _("Do not visit alone")
    SELF_HARM = "self_harm", _("Risk of self-harm")
    OTHER = "other", _("Other")


class WarningMarker(RecordedDetail):
    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="warning_markers")
    kind = models.CharField(max_length=20, choices=WarningKind.choices)
    detail = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(kind__in=WarningKind.values), name="warning_kind_valid")]

    def __str__(self) -> str:
        return self.get_kind_display() + (f": {self.detail}" if self.detail else "")


class Relationship(models.TextChoices):
    HOUSEHOLD = "household", _("Household member")
    PARENT = "parent", _("Parent or carer")
    CHILD = "child", _("Child")
    PARTNER = "partner", _("Partner")
    SIBLING = "sibling", _("Sibling")
    ASSOCIATE = "associate", _("Associate")


class PersonLink(models.Model):
    """A household or associate link between two people."""

    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(person=models.F("other")), name="person_link_not_self"),
            models.CheckConstraint(condition=Q(relationship__in=Relationship.values), name="person_link_kind_valid"),
            models.UniqueConstraint(fields=["person", "other", "relationship"], name="person_link_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_relationship_display()} — {self.other}"
