from django_tasks import task

from casebridge.matching.duplicates import partnership_pairs
from casebridge.matching.services import candidates_refresh
from casebridge.organisations.models import Partnership


@task()
def refresh_duplicate_queue() -> int:
    """The nightly run: every partnership's candidate pairs feed its queue. Returns how many were new."""
    added = 0
    for partnership in Partnership.objects.order_by("code"):
        added += candidates_refresh(partnership=partnership, matches=partnership_pairs(partnership))
    return added
