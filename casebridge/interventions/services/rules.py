"""The toolkit's rules for issuing an intervention: the subject, age, court and signatories."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.cases.models import Case, CaseLocation, CaseParty
from casebridge.interventions.models import InterventionType, SignatoryRole, Status, SubjectKind
from casebridge.people.models import Location, Person


def age_on(person: Person, day: datetime.date) -> int | None:
    """Age in whole years on a day; the approximate age when no date of birth is known."""
    born = person.date_of_birth
    if born is None:
        return person.approximate_age
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def a_type(type_: InterventionType) -> str:
    """The type's name with its indefinite article, capitalised to open a sentence."""
    article = "An" if type_.name[:1].lower() in "aeiou" else "A"
    return f"{article} {type_.name}"


def check_age(*, type_: InterventionType, person: Person, on: datetime.date) -> None:
    """The toolkit's age rules, with a message that names the rule, the person and their age."""
    if type_.min_age is None:
        return
    age = age_on(person, on)
    if age is None:
        raise ValidationError(
            {
                "subject_person": _(
                    "%(a_type)s can only be issued to someone aged %(min)s or over; record %(name)s's date of "
                    "birth or age first."
                )
                % {"a_type": a_type(type_), "min": type_.min_age, "name": person.full_name}
            }
        )
    if age < type_.min_age:
        raise ValidationError(
            {
                "subject_person": _(
                    "%(a_type)s can only be issued to someone aged %(min)s or over; %(name)s is %(age)s."
                )
                % {"a_type": a_type(type_), "min": type_.min_age, "name": person.full_name, "age": age}
            }
        )


def check_subject(
    *,
    case: Case,
    type_: InterventionType,
    person: Person | None,
    organisation_name: str,
    location: Location | None,
) -> str:
    given = [
        kind
        for kind, value in (("person", person), ("organisation", organisation_name), ("location", location))
        if value
    ]
    if len(given) != 1:
        raise ValidationError(_("Choose exactly one subject: a person, a business or body, or a place."))
    kind = given[0]
    if kind not in type_.allowed_subjects:
        allowed = ", ".join(str(SubjectKind(k).label).lower() for k in type_.allowed_subjects)
        raise ValidationError(
            _("%(a_type)s can only apply to %(allowed)s.") % {"a_type": a_type(type_), "allowed": allowed}
        )
    if person is not None and not CaseParty.objects.filter(case=case, person=person).exists():
        raise ValidationError({"subject_person": _("Choose someone who is a party to this case.")})
    if location is not None and not CaseLocation.objects.filter(case=case, location=location).exists():
        raise ValidationError({"subject_location": _("Choose a place linked to this case.")})
    return kind


def check_issue_rules(
    *,
    type_: InterventionType,
    person: Person | None,
    status: str,
    issued_on: datetime.date | None,
    court: str,
    signatories: Sequence[tuple[str, str]],
) -> None:
    if status != Status.PROPOSED and issued_on is None:
        raise ValidationError({"issued_on": _("Enter the date it was issued.")})
    if person is not None:
        check_age(type_=type_, person=person, on=issued_on or timezone.localdate())
    if status == Status.PROPOSED:
        return
    if type_.needs_court and not court.strip():
        raise ValidationError(
            {"court": _("%(a_type)s is made by a court: enter the court.") % {"a_type": a_type(type_)}}
        )
    if type_.parent_signatory_under_18 and person is not None:
        age = age_on(person, issued_on or timezone.localdate())
        if age is not None and age < 18 and not any(role == SignatoryRole.PARENT for _name, role in signatories):
            raise ValidationError(
                {
                    "parent_guardian_name": _(
                        "%(name)s is %(age)s: a parent or guardian must sign the %(type)s. Enter their name."
                    )
                    % {"name": person.full_name, "age": age, "type": type_.name}
                }
            )
