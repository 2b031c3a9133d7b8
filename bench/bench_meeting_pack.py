"""Benchmark: meeting papers for a 40-case agenda and 15 attendees.

Builds every attendee's pack (policy checks, timeline, open actions, the marked and
watermarked PDF) the way the background job does, and prints the time per pack and the
peak memory. The target is a pack ready within 10 seconds.

Runs in a throwaway test database (``test_`` + the configured name), never a real one:

    DATABASE_URL=sqlite:///:memory: .venv/bin/python bench/bench_meeting_pack.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/meetings .venv/bin/python bench/bench_meeting_pack.py
"""

import datetime
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebridge.test_settings")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

CASES = 40
ATTENDEES = 15
NOTES_PER_CASE = 6
INCIDENTS_PER_CASE = 3
TASKS_PER_CASE = 2
TARGET_SECONDS = 10.0


def main() -> None:
    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        run()
    finally:
        teardown_databases(old_config, verbosity=0)


def run() -> None:
    from django.utils import timezone

    from casebridge.actions import services as tasks
    from casebridge.cases import services as cases
    from casebridge.cases.models import CaseType, IncidentCategory, Restriction
    from casebridge.meetings import services as meetings
    from casebridge.meetings.models import Kind, Pack
    from casebridge.organisations.models import Organisation, OrganisationType, Partnership, Role
    from casebridge.people import services as people
    from tests.personas import make_user

    partnership = Partnership.objects.create(name="Bench", code="BN")
    cases.partnership_seed_configuration(partnership=partnership)
    kinds = [OrganisationType.COUNCIL, OrganisationType.POLICE, OrganisationType.HOUSING, OrganisationType.VOLUNTARY]
    orgs = [Organisation.objects.create(name=f"Org {n}", type=kind) for n, kind in enumerate(kinds)]
    for org in orgs:
        org.partnerships.add(partnership)
    lead = make_user("lead@bench.example", orgs[0], roles={partnership: Role.PRACTITIONER})
    coordinator = make_user("coordinator@bench.example", orgs[0], roles={partnership: Role.COORDINATOR})
    attendees = [
        make_user(f"attendee{n}@bench.example", orgs[n % len(orgs)], roles={partnership: Role.PRACTITIONER})
        for n in range(ATTENDEES - 1)
    ]
    case_type = CaseType.objects.get(partnership=partnership, code="asb_perpetrator")
    category = IncidentCategory.objects.filter(partnership=partnership).first()
    assert category is not None
    now = timezone.now()
    print(
        f"Seeding {CASES} cases: {NOTES_PER_CASE} notes, {INCIDENTS_PER_CASE} incidents, {TASKS_PER_CASE} actions each"
    )
    for n in range(CASES):
        case = cases.case_create(
            actor=lead, partnership=partnership, case_type=case_type, risk_level="high", summary=f"Case {n} " * 20
        )
        for role in ("victim", "perpetrator"):
            person = people.person_create(
                actor=lead, partnership=partnership, first_name=f"P{n}", last_name=role.title()
            )
            cases.case_party_add(actor=lead, case=case, person=person, role=role)
        for k in range(NOTES_PER_CASE):
            restriction = Restriction.LEAD_ORGANISATION if k == 0 else Restriction.NONE
            cases.note_add(actor=lead, case=case, text=f"Note {k} on case {n}. " * 10, restriction=restriction)
        for k in range(INCIDENTS_PER_CASE):
            cases.incident_record(
                actor=lead,
                case=case,
                occurred_at=now - datetime.timedelta(days=k + 1),
                reported_on=(now - datetime.timedelta(days=k)).date(),
                category=category,
                description=f"Incident {k}. " * 15,
            )
        for k in range(TASKS_PER_CASE):
            tasks.task_create(
                actor=lead,
                case=case,
                title=f"Action {k} on case {n}",
                due_on=now.date() + datetime.timedelta(days=7),
                assigned_organisation=orgs[0],
            )
    series = meetings.series_create(
        actor=coordinator,
        partnership=partnership,
        kind=Kind.CHARMM,
        name="Bench CHaRMM",
        chair=coordinator,
        member_organisations=orgs,
        attendees=[lead, *attendees],
        cadence="monthly",
    )
    meeting = meetings.meeting_schedule(actor=coordinator, series=series, starts_at=now + datetime.timedelta(days=10))
    items = meetings.agenda_build(actor=coordinator, meeting=meeting)
    meetings.agenda_publish(actor=coordinator, meeting=meeting)
    packs = meetings.papers_publish(actor=coordinator, meeting=meeting)  # jobs run on commit; built below
    print(f"Agenda: {len(items)} cases; packs: {len(packs)}")

    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        pack = Pack.objects.select_related("meeting__series", "recipient").filter(meeting=meeting).first()
        assert pack is not None
        cProfile.runctx("meetings.pack_build(pack=pack)", globals(), locals(), "/tmp/pack.prof")
        pstats.Stats("/tmp/pack.prof").sort_stats("cumulative").print_stats(25)
        return
    timings = []
    all_packs = list(Pack.objects.filter(meeting=meeting).select_related("meeting__series", "recipient"))
    for pack in all_packs:
        started = time.perf_counter()
        built = meetings.pack_build(pack=pack)
        timings.append(time.perf_counter() - started)
        assert built.state == Pack.State.READY
        assert built.done == len(items)
    # Memory is traced on one more build only: tracing slows Python several times over.
    tracemalloc.start()
    meetings.pack_build(pack=all_packs[0])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    sizes = [len(bytes(p.pdf or b"")) for p in Pack.objects.filter(meeting=meeting)]
    print(f"Database: {os.environ['DATABASE_URL'].split(':')[0]}")
    print(
        f"Per pack ({len(timings)} packs, {len(items)} cases each): "
        f"median {statistics.median(timings):.2f} s, max {max(timings):.2f} s, total {sum(timings):.1f} s"
    )
    print(f"PDF size: median {statistics.median(sizes) / 1024:.0f} KiB")
    print(f"Peak traced Python memory building one pack: {peak / 1024 / 1024:.1f} MiB")
    verdict = "met" if max(timings) <= TARGET_SECONDS else "MISSED"
    print(f"Target of {TARGET_SECONDS:.0f} s per pack: {verdict}")


if __name__ == "__main__":
    main()
