"""Loads the demo partnerships, organisations and one user per persona.

Idempotent: everything is looked up by its natural key first, so a second
run changes nothing.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from casebridge.accounts.models import User
from casebridge.demo.case_reviews import seed_case_reviews
from casebridge.demo.cases import seed_cases
from casebridge.demo.duplicates import seed_duplicates
from casebridge.demo.meetings import seed_meetings
from casebridge.demo.postcode_districts import seed_postcode_districts
from casebridge.demo.risk_toolkit import seed_risk_toolkit
from casebridge.organisations.models import (
    Membership,
    Organisation,
    OrganisationType,
    Partnership,
    Role,
    Team,
)

DEMO_PASSWORD = "demo-casebridge-2026"  # noqa: S105 (published demo sign-in)

PARTNERSHIPS = [("Surrey Heath", "SH"), ("Runnymede", "RU")]

ORGANISATIONS = [
    ("Surrey Police", OrganisationType.POLICE, ["SH", "RU"], ["Neighbourhood Policing Team"]),
    ("Surrey Heath Borough Council", OrganisationType.COUNCIL, ["SH"], ["Community Safety Team"]),
    ("Runnymede Borough Council", OrganisationType.COUNCIL, ["RU"], ["Community Safety Team"]),
    ("Heathside Housing Association", OrganisationType.HOUSING, ["SH", "RU"], ["Tenancy Enforcement"]),
    ("Surrey Youth Service", OrganisationType.YOUTH_JUSTICE, ["SH", "RU"], ["Targeted Youth Support"]),
    ("Safer Lives Victim Support", OrganisationType.VOLUNTARY, ["SH", "RU"], ["Victim Care"]),
]

# (email, first, last, organisation, team, job title, {partnership: role})
USERS = [
    (
        "admin@surreyheath.example",
        "Jo",
        "Bennett",
        "Surrey Heath Borough Council",
        "Community Safety Team",
        "Partnership administrator",
        {"SH": Role.ADMINISTRATOR},
    ),
    (
        "coordinator@surreyheath.example",
        "Chris",
        "Evans",
        "Surrey Heath Borough Council",
        "Community Safety Team",
        "Community safety coordinator",
        {"SH": Role.COORDINATOR},
    ),
    (
        "asb.officer@surreyheath.example",
        "Alex",
        "Morgan",
        "Surrey Heath Borough Council",
        "Community Safety Team",
        "ASB officer",
        {"SH": Role.PRACTITIONER},
    ),
    (
        "police.officer@surreypolice.example",
        "Priya",
        "Shah",
        "Surrey Police",
        "Neighbourhood Policing Team",
        "PCSO",
        {"SH": Role.PRACTITIONER, "RU": Role.PRACTITIONER},
    ),
    (
        "police.manager@surreypolice.example",
        "Morgan",
        "Lee",
        "Surrey Police",
        "Neighbourhood Policing Team",
        "Inspector (SPOC)",
        {"SH": Role.MANAGER, "RU": Role.MANAGER},
    ),
    (
        "housing.officer@heathside.example",
        "Hannah",
        "Price",
        "Heathside Housing Association",
        "Tenancy Enforcement",
        "Tenancy enforcement officer",
        {"SH": Role.PRACTITIONER},
    ),
    (
        "youth.worker@surreyyouth.example",
        "Yusuf",
        "Khan",
        "Surrey Youth Service",
        "Targeted Youth Support",
        "Youth worker",
        {"SH": Role.PRACTITIONER},
    ),
    (
        "support.worker@saferlives.example",
        "Sam",
        "Taylor",
        "Safer Lives Victim Support",
        "Victim Care",
        "Victim support caseworker",
        {"SH": Role.PRACTITIONER},
    ),
    (
        "analyst@surreyheath.example",
        "Ana",
        "Lopes",
        "Surrey Heath Borough Council",
        "Community Safety Team",
        "Community safety analyst",
        {"SH": Role.ANALYST},
    ),
    (
        "auditor@surreyheath.example",
        "Dev",
        "Patel",
        "Surrey Heath Borough Council",
        "Community Safety Team",
        "Information governance officer",
        {"SH": Role.AUDITOR},
    ),
    (
        "asb.officer@runnymede.example",
        "Riley",
        "Jones",
        "Runnymede Borough Council",
        "Community Safety Team",
        "ASB officer",
        {"RU": Role.PRACTITIONER},
    ),
    (
        "admin@runnymede.example",
        "Taylor",
        "Reed",
        "Runnymede Borough Council",
        "Community Safety Team",
        "Partnership administrator",
        {"RU": Role.ADMINISTRATOR},
    ),
]


class Command(BaseCommand):
    help = "Load the demo partnerships, organisations and users (safe to run again)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        partnerships = {
            code: Partnership.objects.get_or_create(code=code, defaults={"name": name})[0]
            for name, code in PARTNERSHIPS
        }
        organisations: dict[str, Organisation] = {}
        teams: dict[tuple[str, str], Team] = {}
        for name, kind, codes, team_names in ORGANISATIONS:
            organisation, _ = Organisation.objects.get_or_create(name=name, defaults={"type": kind})
            organisation.partnerships.add(*(partnerships[c] for c in codes))
            organisations[name] = organisation
            for team_name in team_names:
                teams[(name, team_name)] = Team.objects.get_or_create(organisation=organisation, name=team_name)[0]

        created = 0
        for email, first, last, org, team, title, roles in USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email,
                    DEMO_PASSWORD,
                    first_name=first,
                    last_name=last,
                    organisation=organisations[org],
                    team=teams[(org, team)],
                    job_title=title,
                )
                created += 1
            for code, role in roles.items():
                Membership.objects.get_or_create(user=user, partnership=partnerships[code], defaults={"role": role})

        for seeder in extra_seeders():
            seeder(self.stdout)

        self.stdout.write(
            f"Demo partnership ready ({created} users created). Every demo user's password is: {DEMO_PASSWORD}"
        )
        self.stdout.write("Sign in at http://127.0.0.1:8000/account/sign-in/ as, for example:")
        for email, first, last, org, _team, title, _roles in USERS:
            self.stdout.write(f"  {email:40} {first} {last}, {title}, {org}")


def extra_seeders() -> list[Any]:
    """Later parts of the product add their demo data here, in dependency order."""
    return [seed_cases, seed_duplicates, seed_risk_toolkit, seed_postcode_districts, seed_case_reviews, seed_meetings]
