"""Demo cases: some shared between the demo organisations and some not, so signing in as
different demo users shows need-to-know access at work. Safe to run again."""

import datetime
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from casebridge.accounts.models import User
from casebridge.cases import services
from casebridge.cases.models import Case, CaseType, IncidentCategory, Level, Restriction
from casebridge.lib.addresses import LocationKind
from casebridge.organisations.models import Organisation, Partnership
from casebridge.people import services as people_services
from casebridge.people.models import Person
from casebridge.sharing import services as sharing_services

COUNCIL = "Surrey Heath Borough Council"
POLICE = "Surrey Police"
VICTIM_SUPPORT = "Safer Lives Victim Support"
HOUSING = "Heathside Housing Association"
YOUTH = "Surrey Youth Service"

LEADS = {
    COUNCIL: "asb.officer@surreyheath.example",
    POLICE: "police.officer@surreypolice.example",
    VICTIM_SUPPORT: "support.worker@saferlives.example",
    HOUSING: "housing.officer@heathside.example",
    YOUTH: "youth.worker@surreyyouth.example",
    "Runnymede Borough Council": "asb.officer@runnymede.example",
}

# (partnership, type, lead org, risk, summary, [(first, last, dob, role, warning)], {org: level}, closed)
CASES: list[dict[str, Any]] = [
    {
        "type": "asb_perpetrator",
        "lead": COUNCIL,
        "risk": "high",
        "summary": "Intimidation of neighbours on Park Road; repeated late-night noise.",
        "people": [
            ("Jason", "Kerr", datetime.date(1994, 3, 2), "perpetrator", "violent"),
            ("Margaret", "Ellis", datetime.date(1951, 11, 20), "victim", ""),
        ],
        "shares": {POLICE: Level.CONTRIBUTE, VICTIM_SUPPORT: Level.VIEW},
    },
    {
        "type": "asb_victim",
        "lead": COUNCIL,
        "risk": "medium",
        "summary": "Repeat victim of youths gathering outside her flat.",
        "people": [("Ruth", "Okafor", datetime.date(1968, 7, 9), "victim", "")],
        "shares": {VICTIM_SUPPORT: Level.CONTRIBUTE},
    },
    {
        "type": "asb_location",
        "lead": COUNCIL,
        "risk": "medium",
        "summary": "Drug litter and motorbikes at Heatherside Recreation Ground (JAG).",
        "people": [],
        "place": "Heatherside Recreation Ground",
        "shares": {POLICE: Level.CONTRIBUTE},
    },
    {
        "type": "hate_incident",
        "lead": POLICE,
        "risk": "high",
        "summary": "Racially aggravated abuse directed at a shopkeeper.",
        "people": [("Amir", "Haddad", datetime.date(1979, 1, 30), "victim", "")],
        "shares": {COUNCIL: Level.MANAGE, VICTIM_SUPPORT: Level.VIEW},
    },
    {
        "type": "support_referral",
        "lead": VICTIM_SUPPORT,
        "risk": "standard",
        "summary": "Self-referral for emotional support after a burglary.",
        "people": [("Lucy", "Grant", datetime.date(1988, 4, 14), "victim", "")],
        "shares": {},
    },
    {
        "type": "family_support",
        "lead": COUNCIL,
        "risk": "medium",
        "summary": "Family struggling with a teenager's behaviour; early help offered.",
        "people": [
            ("Kerry", "Mason", datetime.date(1985, 9, 5), "family_member", ""),
            ("Tyler", "Mason", datetime.date(2010, 2, 17), "perpetrator", ""),
        ],
        "shares": {},
    },
    {
        "type": "asb_perpetrator",
        "lead": HOUSING,
        "risk": "medium",
        "summary": "Tenancy breach: dogs and shouting at Laburnum Court.",
        "people": [("Dean", "Fowler", datetime.date(1990, 6, 23), "perpetrator", "dogs")],
        "shares": {COUNCIL: Level.CONTRIBUTE},
    },
    {
        "type": "victim_witness_care",
        "lead": POLICE,
        "risk": "high",
        "summary": "Witness in a criminal damage case, fearful of reprisals.",
        "people": [("Helen", "Ward", datetime.date(1972, 12, 1), "witness", "")],
        "shares": {},
    },
    {
        "type": "asb_perpetrator",
        "lead": COUNCIL,
        "risk": "standard",
        "summary": "Graffiti around the station underpass.",
        "people": [("Connor", "Blake", datetime.date(2008, 8, 8), "perpetrator", "")],
        "shares": {},
    },
    {
        "type": "asb_perpetrator",
        "lead": COUNCIL,
        "risk": "standard",
        "summary": "Noise complaints resolved after mediation.",
        "people": [("Gary", "Stone", datetime.date(1966, 5, 28), "perpetrator", "")],
        "shares": {POLICE: Level.VIEW},
        "closed": True,
    },
    {
        "type": "support_referral",
        "lead": YOUTH,
        "risk": "medium",
        "summary": "Young person at risk of exploitation; mentoring in place.",
        "people": [("Jade", "Turner", datetime.date(2009, 10, 3), "victim", "")],
        "shares": {COUNCIL: Level.VIEW},
    },
    {
        "partnership": "RU",
        "type": "asb_perpetrator",
        "lead": "Runnymede Borough Council",
        "risk": "medium",
        "summary": "Runnymede: fly-tipping behind the parade of shops.",
        "people": [("Paul", "Archer", datetime.date(1983, 2, 11), "perpetrator", "")],
        "shares": {},
    },
]


def seed_cases(stdout: TextIO) -> None:
    """Create the demo cases once; a second run finds them by summary and changes nothing."""
    with transaction.atomic():
        partnerships = {p.code: p for p in Partnership.objects.filter(code__in=["SH", "RU"])}
        if "SH" not in partnerships:
            stdout.write("No Surrey Heath partnership: skipping demo cases.")
            return
        for partnership in partnerships.values():
            services.partnership_seed_configuration(partnership=partnership)
        organisations = {o.name: o for o in Organisation.objects.all()}
        users = {u.email: u for u in User.objects.filter(email__in=LEADS.values())}
        created = 0
        for spec in CASES:
            home = partnerships.get(spec.get("partnership", "SH"))
            lead = users.get(LEADS[spec["lead"]])
            if home is None or lead is None:
                continue
            if Case.objects.filter(partnership=home, summary=spec["summary"]).exists():
                continue
            _seed_case(spec, partnership=home, lead=lead, organisations=organisations)
            created += 1
        _seed_requests(partnerships["SH"], users)
    stdout.write(f"Demo cases ready ({created} created).")


def _seed_case(
    spec: dict[str, Any],
    *,
    partnership: Partnership,
    lead: User,
    organisations: dict[str, Organisation],
) -> None:
    case_type = CaseType.objects.get(partnership=partnership, code=spec["type"])
    case = services.case_create(
        actor=lead, partnership=partnership, case_type=case_type, risk_level=spec["risk"], summary=spec["summary"]
    )
    people: list[Person] = []
    for first, last, dob, role, warning in spec["people"]:
        person = people_services.person_create(
            actor=lead, partnership=partnership, first_name=first, last_name=last, date_of_birth=dob
        )
        services.case_party_add(actor=lead, case=case, person=person, role=role)
        if warning:
            # Recorded under the case: everyone who may see the case sees the warning (rule 7).
            people_services.person_warning_add(actor=lead, person=person, kind=warning, source_case=case)
        people.append(person)
    if len(people) == 2 and people[0].last_name == people[1].last_name:
        people_services.person_link_add(actor=lead, person=people[0], other=people[1], relationship="parent")
    if spec.get("place"):
        location = people_services.location_create(
            actor=lead, partnership=partnership, kind=LocationKind.PLACE, place_name=spec["place"], postcode="GU15 1AA"
        )
        services.case_location_add(actor=lead, case=case, location=location, is_subject=True)
    category = IncidentCategory.objects.filter(partnership=partnership).order_by("pk").first()
    if category is not None:
        services.incident_record(
            actor=lead,
            case=case,
            occurred_at=timezone.now() - datetime.timedelta(days=6, hours=3),
            reported_on=timezone.localdate() - datetime.timedelta(days=5),
            category=category,
            description="Reported by a neighbour; see the summary.",
        )
    services.note_add(actor=lead, case=case, text="Initial contact made; plan agreed with the lead officer.")
    if spec["lead"] == COUNCIL and spec["shares"]:
        services.note_add(
            actor=lead,
            case=case,
            text="Council-only note: information from a confidential source.",
            restriction=Restriction.LEAD_ORGANISATION,
        )
    for name, level in spec["shares"].items():
        if name in organisations:
            sharing_services.share_grant(
                actor=lead,
                case=case,
                organisation=organisations[name],
                level=level,
                reason=f"{name} works with the people on this case.",
            )
    if spec.get("closed"):
        services.case_close(
            actor=lead, case=case, version=case.version, closure_reason="resolved", outcome="Mediation worked."
        )


def _seed_requests(partnership: Partnership, users: dict[str, User]) -> None:
    """A pending access request, so the ASB officer has one to decide."""
    youth_worker = users.get(LEADS[YOUTH])
    case = Case.objects.filter(partnership=partnership, summary__startswith="Graffiti").first()
    if youth_worker is None or case is None or case.access_requests.exists():
        return
    sharing_services.access_request_create(
        actor=youth_worker, case=case, reason="Connor attends our youth club; we may be able to help."
    )
