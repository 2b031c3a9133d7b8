# Rule 7: every person detail carries the case or organisation it was recorded under.

import django.db.models.deletion
from django.db import migrations, models


def _earliest_lead(apps, schema_editor):
    """Details recorded before provenance take the organisation that led the earliest case the
    person is in (else the one that created the profile), and no source case: from now on only
    that organisation's staff see them, until it shares them with everyone working with the person."""
    Person = apps.get_model("people", "Person")
    CaseParty = apps.get_model("cases", "CaseParty")
    earliest: dict[int, int] = {}
    parties = CaseParty.objects.order_by("person_id", "case__created_at", "case_id")
    for person_id, organisation_id in parties.values_list("person_id", "case__lead_organisation_id").iterator():
        earliest.setdefault(person_id, organisation_id)
    by_organisation: dict[int, list[int]] = {}
    for pk, creator in Person.objects.values_list("pk", "created_by_organisation_id").iterator():
        by_organisation.setdefault(earliest.get(pk, creator), []).append(pk)
    for organisation_id, person_ids in by_organisation.items():
        for start in range(0, len(person_ids), 500):
            people = Person.objects.filter(pk__in=person_ids[start : start + 500])
            for column in ("phone", "email", "vulnerabilities"):
                people.exclude(**{column: ""}).update(**{f"{column}_source_organisation_id": organisation_id})
    for name in ("PersonAlias", "PersonAddress", "PersonIdentifier", "WarningMarker"):
        model = apps.get_model("people", name)
        for organisation_id, person_ids in by_organisation.items():
            for start in range(0, len(person_ids), 500):
                chunk = person_ids[start : start + 500]
                model.objects.filter(person_id__in=chunk).update(source_organisation_id=organisation_id)


DETAIL_MODELS = ("personaddress", "personalias", "personidentifier", "warningmarker")
PERSON_COLUMNS = ("email", "phone", "vulnerabilities")
SHARE_LABEL = "share with everyone working with this person"


def _source_organisation(**options):
    return models.ForeignKey(
        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="organisations.organisation", **options
    )


def _provenance(model_name, prefix="", **shared_options):
    """The three provenance fields of one detail: on its own row, or beside a column of Person (``prefix``)."""
    return [
        migrations.AddField(
            model_name=model_name,
            name=f"{prefix}shared_with_everyone",
            field=models.BooleanField(db_default=False, default=False, **shared_options),
        ),
        migrations.AddField(
            model_name=model_name,
            name=f"{prefix}source_case",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="cases.case"
            ),
        ),
        migrations.AddField(
            model_name=model_name,
            name=f"{prefix}source_organisation",
            # Nullable until the data step fills it; detail rows then require it, Person's columns stay optional.
            field=_source_organisation(null=True, **({"blank": True} if prefix else {})),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("organisations", "0001_initial"),
        ("people", "0001_initial"),
    ]

    operations = [
        *[operation for column in PERSON_COLUMNS for operation in _provenance("person", f"{column}_")],
        *[operation for model in DETAIL_MODELS for operation in _provenance(model, verbose_name=SHARE_LABEL)],
        migrations.RunPython(_earliest_lead, migrations.RunPython.noop),
        *[
            migrations.AlterField(model_name=model, name="source_organisation", field=_source_organisation())
            for model in DETAIL_MODELS
        ],
    ]
