"""Demo meetings: a CHaRMM whose next agenda holds one agreed case and one proposal of a
police-led case waiting for the police's agreement (the coordinator sees it pending; the
police officer decides from the case page). Safe to run again: the series is looked for first.
"""

import datetime
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from casebridge.accounts.models import User
from casebridge.cases.models import Case
from casebridge.meetings import services
from casebridge.meetings.models import Cadence, Kind, MeetingSeries, Source
from casebridge.organisations.models import Organisation, Partnership

SERIES = "Surrey Heath CHaRMM"
COORDINATOR = "coordinator@surreyheath.example"
ATTENDEES = [
    "asb.officer@surreyheath.example",
    "police.officer@surreypolice.example",
    "housing.officer@heathside.example",
    "support.worker@saferlives.example",
]
MEMBERS = [
    "Surrey Heath Borough Council",
    "Surrey Police",
    "Heathside Housing Association",
    "Safer Lives Victim Support",
]
AGREED_CASE = "Intimidation of neighbours on Park Road; repeated late-night noise."
POLICE_CASE = "Witness in a criminal damage case, fearful of reprisals."


def seed_meetings(stdout: TextIO) -> None:
    partnership = Partnership.objects.filter(code="SH").first()
    users = {u.email: u for u in User.objects.filter(email__in=[COORDINATOR, *ATTENDEES])}
    if partnership is None or COORDINATOR not in users:
        stdout.write("No Surrey Heath demo users: skipping demo meetings.")
        return
    if MeetingSeries.objects.filter(partnership=partnership, name=SERIES).exists():
        stdout.write("Demo meetings ready (nothing created).")
        return
    with transaction.atomic():
        _seed_charmm(partnership, users)
    stdout.write("Demo meetings ready (1 series created).")


def _seed_charmm(partnership: Partnership, users: dict[str, User]) -> None:
    coordinator = users[COORDINATOR]
    series = services.series_create(
        actor=coordinator,
        partnership=partnership,
        kind=Kind.CHARMM,
        name=SERIES,
        chair=coordinator,
        member_organisations=list(Organisation.objects.filter(name__in=MEMBERS)),
        attendees=[users[email] for email in ATTENDEES if email in users],
        cadence=Cadence.MONTHLY,
    )
    day = timezone.localdate() + datetime.timedelta(days=14)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    meeting = services.meeting_schedule(
        actor=coordinator, series=series, starts_at=starts_at, venue="Surrey Heath House"
    )
    agreed = Case.objects.filter(partnership=partnership, summary=AGREED_CASE).first()
    if agreed is not None:
        # The coordinator works for the council, which leads this case: proposing is agreeing.
        services.agenda_item_propose(
            actor=coordinator,
            meeting=meeting,
            case=agreed,
            source=Source.HIGH_RISK,
            reason="High risk; the victim is elderly and the behaviour is escalating.",
        )
    police_case = Case.objects.filter(partnership=partnership, summary=POLICE_CASE).first()
    if police_case is not None:
        # An automatic suggestion: only the police, who lead the case, can agree to it.
        services.agenda_item_propose(
            actor=None,
            meeting=meeting,
            case=police_case,
            source=Source.HIGH_RISK,
            reason=str(Source.HIGH_RISK.label),
        )
