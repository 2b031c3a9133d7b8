"""Background jobs for meetings, run by the django-tasks worker (immediately in tests)."""

from django_tasks import task

from casebridge.meetings.models import Pack
from casebridge.meetings.pack_builder import pack_build


@task()
def pack_build_job(pack_id: int) -> None:
    pack = Pack.objects.select_related("meeting", "meeting__series", "recipient").filter(pk=pack_id).first()
    if pack is not None:
        pack_build(pack=pack)
