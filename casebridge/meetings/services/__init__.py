"""Writes on meetings: each checks who may do it and audits in the same transaction.

One module per topic: ``series`` (series and meetings), ``agenda``, ``attendance``, ``minutes``,
``packs`` (the papers and their withdrawal) and ``actions`` (actions assigned in a meeting). Callers import from here.
"""

from casebridge.meetings.models import Source
from casebridge.meetings.pack_builder import pack_build
from casebridge.meetings.services.actions import meeting_task_create
from casebridge.meetings.services.agenda import (
    SYSTEM_LABEL,
    agenda_build,
    agenda_item_move,
    agenda_item_object,
    agenda_item_propose,
    agenda_item_remove,
    agenda_item_restrict,
    agenda_proposal_agree,
    agenda_proposal_decline,
    agenda_publish,
    agendas_build_due,
)
from casebridge.meetings.services.attendance import attendance_record, confidentiality_acknowledge
from casebridge.meetings.services.minutes import minute_record, minutes_publish, reviews_remind_due
from casebridge.meetings.services.packs import (
    pack_downloaded,
    pack_request,
    pack_withdraw_if_stale,
    packs_withdraw,
    papers_publish,
    papers_publish_due,
)
from casebridge.meetings.services.series import meeting_dates, meeting_schedule, series_create

__all__ = [
    "SYSTEM_LABEL",
    "Source",
    "agenda_build",
    "agenda_item_move",
    "agenda_item_object",
    "agenda_item_propose",
    "agenda_item_remove",
    "agenda_item_restrict",
    "agenda_proposal_agree",
    "agenda_proposal_decline",
    "agenda_publish",
    "agendas_build_due",
    "attendance_record",
    "confidentiality_acknowledge",
    "meeting_dates",
    "meeting_schedule",
    "meeting_task_create",
    "minute_record",
    "minutes_publish",
    "pack_build",
    "pack_downloaded",
    "pack_request",
    "pack_withdraw_if_stale",
    "packs_withdraw",
    "papers_publish",
    "papers_publish_due",
    "reviews_remind_due",
    "series_create",
]
