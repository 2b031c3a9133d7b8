"""Meeting papers: what one attendee may see of the agenda, on screen and as a marked PDF.

Every case and entry goes through cases.policy, so a pack never holds a case the recipient
cannot see nor a restricted entry of another organisation.
"""

import datetime
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from casebridge.accounts.models import User
from casebridge.actions.models import OPEN_STATUSES, Task
from casebridge.cases.models import Case, CaseParty, Incident, Note
from casebridge.cases.policy import visible_entries
from casebridge.meetings.models import AgendaItem, Meeting
from casebridge.meetings.selectors import agenda_items_visible

MARKING = "OFFICIAL-SENSITIVE"
RECENT_ENTRIES = 5


@dataclass
class PackCase:
    item: AgendaItem
    case: Case
    parties: list[CaseParty]
    timeline: list[tuple[datetime.datetime, str, str]] = field(default_factory=list)
    timeline_withheld: bool = False
    tasks: list[Task] = field(default_factory=list)


def pack_cases(user: User, items: list[AgendaItem]) -> Iterator[PackCase]:
    """Agenda items as the recipient may see them: pass only items from agenda_items_visible.

    Parties and open actions load in one query each; entries per case, as restrictions
    depend on the case's lead organisation.
    """
    case_ids = [item.case_id for item in items]
    parties: dict[int, list[CaseParty]] = defaultdict(list)
    for party in CaseParty.objects.filter(case_id__in=case_ids).select_related("person").order_by("role"):
        parties[party.case_id].append(party)
    tasks: dict[int, list[Task]] = defaultdict(list)
    open_tasks = Task.objects.filter(case_id__in=case_ids, status__in=OPEN_STATUSES).select_related(
        "assigned_organisation"
    )
    for task in open_tasks.order_by("due_on", "id"):
        tasks[task.case_id].append(task)
    for item in items:
        case = item.case
        entry = PackCase(item=item, case=case, parties=parties[case.pk], tasks=tasks[case.pk])
        if item.timeline_restricted and user.organisation_id != case.lead_organisation_id:
            entry.timeline_withheld = True
        else:
            notes = visible_entries(user, case, Note.objects.all()).order_by("-created_at")[:RECENT_ENTRIES]
            incidents = visible_entries(user, case, Incident.objects.select_related("category"))
            timeline = [(n.created_at, n.get_kind_display(), n.text) for n in notes]
            timeline += [
                (i.occurred_at, str(i.category), i.description)
                for i in incidents.order_by("-occurred_at")[:RECENT_ENTRIES]
            ]
            entry.timeline = sorted(timeline, key=lambda row: row[0], reverse=True)[:RECENT_ENTRIES]
        yield entry


def pack_content(user: User, meeting: Meeting) -> list[PackCase]:
    return list(pack_cases(user, agenda_items_visible(user=user, meeting=meeting)))


def _styles() -> dict[str, Any]:
    sheet = getSampleStyleSheet()
    return {"h1": sheet["Heading1"], "h2": sheet["Heading2"], "h3": sheet["Heading3"], "body": sheet["BodyText"]}


def _para(text: str, style: Any) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


class PackDocument:
    """Draws the protective marking and the recipient watermark on every page."""

    def __init__(self, recipient: str, at: datetime.datetime) -> None:
        self.watermark = f"{recipient} — {timezone.localtime(at):%d %b %Y %H:%M}"

    def decorate(self, canvas: Canvas, doc: Any) -> None:
        width, height = A4
        canvas.saveState()
        canvas.setFont("Helvetica-Bold", 10)
        canvas.drawCentredString(width / 2, height - 12 * mm, MARKING)
        canvas.drawCentredString(width / 2, 10 * mm, MARKING)
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(width - 15 * mm, 10 * mm, _("Page %(n)d") % {"n": doc.page})
        canvas.setFillColor(colors.Color(0.6, 0.6, 0.6, alpha=0.25))
        canvas.setFont("Helvetica-Bold", 26)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(45)
        canvas.drawCentredString(0, 0, self.watermark)
        canvas.restoreState()


def render_pdf(*, recipient: User, meeting: Meeting, content: list[PackCase], at: datetime.datetime) -> bytes:
    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{meeting.series.name} papers",
        author="Casebridge",
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )
    story: list[Any] = [
        _para(f"{meeting.series.name}: {_('papers')}", styles["h1"]),
        _para(
            _("Meeting on %(when)s. Prepared for %(name)s on %(at)s. Do not forward or copy.")
            % {
                "when": timezone.localtime(meeting.starts_at).strftime("%d %B %Y %H:%M"),
                "name": recipient.get_full_name(),
                "at": timezone.localtime(at).strftime("%d %B %Y %H:%M"),
            },
            styles["body"],
        ),
        Spacer(1, 6 * mm),
    ]
    for number, entry in enumerate(content, start=1):
        case = entry.case
        story.append(_para(f"{number}. {case.reference} — {case.case_type}", styles["h2"]))
        story.append(
            _para(
                _("Risk: %(risk)s. Status: %(status)s. Lead: %(lead)s.")
                % {
                    "risk": case.get_risk_level_display(),
                    "status": case.get_status_display(),
                    "lead": case.lead_organisation,
                },
                styles["body"],
            )
        )
        if case.summary:
            story.append(_para(case.summary, styles["body"]))
        if entry.parties:
            story.append(
                _para("; ".join(f"{p.person} ({p.get_role_display()})" for p in entry.parties), styles["body"])
            )
        story.append(_para(_("Recent timeline"), styles["h3"]))
        if entry.timeline_withheld:
            story.append(_para(_("Withheld by the lead organisation."), styles["body"]))
        for when, kind, text in entry.timeline:
            story.append(_para(f"{timezone.localtime(when):%d %b %Y} {kind}: {text}", styles["body"]))
        if entry.tasks:
            story.append(_para(_("Open actions"), styles["h3"]))
            rows = [[_("Action"), _("Assigned to"), _("Due")]]
            rows += [[t.title, str(t.assigned_organisation), t.due_on.strftime("%d %b %Y")] for t in entry.tasks]
            table = Table(rows, colWidths=[95 * mm, 50 * mm, 25 * mm])
            table.setStyle(
                TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("FONTSIZE", (0, 0), (-1, -1), 8)])
            )
            story.append(table)
        story.append(Spacer(1, 4 * mm))
    if not content:
        story.append(_para(_("There are no cases on this agenda that you may see."), styles["body"]))
    marks = PackDocument(recipient.get_full_name() or recipient.email, at)
    doc.build(story, onFirstPage=marks.decorate, onLaterPages=marks.decorate)
    return buffer.getvalue()
