"""Building one attendee's meeting pack: run by the background task, saving progress as it goes."""

from django.utils import timezone

from casebridge.meetings import papers
from casebridge.meetings.models import Pack
from casebridge.meetings.selectors import agenda_items_visible


def pack_build(*, pack: Pack) -> Pack:
    """Build one pack, saving progress case by case so the progress page can show it."""
    recipient, meeting = pack.recipient, pack.meeting
    items = agenda_items_visible(user=recipient, meeting=meeting)
    Pack.objects.filter(pk=pack.pk).update(state=Pack.State.BUILDING, done=0, total=len(items))
    content = []
    for done, entry in enumerate(papers.pack_cases(recipient, items), start=1):
        content.append(entry)
        if done % 5 == 0:
            Pack.objects.filter(pk=pack.pk).update(done=done)
    at = timezone.now()
    try:
        pdf = papers.render_pdf(recipient=recipient, meeting=meeting, content=content, at=at)
    except Exception:
        Pack.objects.filter(pk=pack.pk).update(state=Pack.State.FAILED)
        raise
    Pack.objects.filter(pk=pack.pk).update(
        state=Pack.State.READY, done=len(items), pdf=pdf, built_at=at, withdrawn_at=None
    )
    pack.cases.set([item.case_id for item in items])
    pack.refresh_from_db()
    return pack
