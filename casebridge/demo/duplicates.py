"""Demo duplicates: the council's "Jon Smyth" and a second council record "Jonathan Smith" with the
same date of birth, in the possible-duplicates queue. Safe to run again."""

import datetime
from typing import TextIO

from django.db import transaction

from casebridge.accounts.models import User
from casebridge.matching.engine import Band
from casebridge.matching.models import DuplicateCandidate
from casebridge.matching.services import candidates_refresh
from casebridge.organisations.models import Partnership
from casebridge.people import services as people_services
from casebridge.people.models import Person

OFFICER = "asb.officer@surreyheath.example"
NEAR_DUPLICATES = (
    ("Jon", "Smyth", "07700 900461", ""),
    ("Jonathan", "Smith", "", "jon.smith@example.com"),
)
BORN = datetime.date(1990, 3, 4)


def seed_duplicates(stdout: TextIO) -> None:
    with transaction.atomic():
        partnership = Partnership.objects.filter(code="SH").first()
        officer = User.objects.filter(email=OFFICER).first()
        if partnership is None or officer is None:
            stdout.write("No Surrey Heath partnership or officer: skipping demo duplicates.")
            return
        people = []
        for first, last, phone, email in NEAR_DUPLICATES:
            person = Person.objects.filter(
                partnership=partnership, first_name=first, last_name=last, date_of_birth=BORN
            ).first()
            if person is None:
                person = people_services.person_create(
                    actor=officer,
                    partnership=partnership,
                    first_name=first,
                    last_name=last,
                    date_of_birth=BORN,
                    phone=phone,
                    email=email,
                )
            people.append(person)
        a, b = sorted(people, key=lambda person: person.pk)
        if not DuplicateCandidate.objects.filter(person_a=a, person_b=b).exists():
            DuplicateCandidate.objects.create(
                partnership=partnership, person_a=a, person_b=b, score=0.95, band=Band.LIKELY
            )
        added = candidates_refresh(partnership=partnership)
    stdout.write(f"Demo duplicates ready ({added} more pairs found).")
