"""The letters to the applicant: the threshold decision and the review's outcome, and the outcome as a PDF.

Letters hold no more personal data than the applicant needs: their own name and address, the
reference, the decision and the recommendations. No case, incident or other person is named.
"""

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from casebridge.case_reviews.models import CaseReview, Decision
from casebridge.lib.dates import long_date

MARKING = "OFFICIAL-SENSITIVE"


def decision_letter_text(review: CaseReview, decision: str, reason: str) -> str:
    greeting = _("Dear %(name)s,") % {"name": review.applicant_name}
    if decision == Decision.MET:
        body = _(
            "Thank you for your application for an ASB Case Review (reference %(ref)s), received on %(received)s.\n\n"
            "We have decided that the threshold for a review is met. The partner agencies will now review "
            "how they have responded to the anti-social behaviour you reported, and a review meeting will "
            "be held. We will write to you with the outcome and any recommendations."
        )
    else:
        body = _(
            "Thank you for your application for an ASB Case Review (reference %(ref)s), received on %(received)s.\n\n"
            "We have decided that the threshold for a review is not met."
        )
    text = body % {"ref": review.reference, "received": long_date(review.received_on)}
    closing = _(
        "If you are not satisfied with this decision you may appeal to the Office of the Police and Crime "
        "Commissioner, quoting your reference number.\n\nYours sincerely,\n\nASB Case Review coordinator\n%(p)s"
    ) % {"p": review.partnership.name}
    return f"{greeting}\n\n{text}\n\n{_('Reason:')} {reason}\n\n{closing}"


def outcome_letter_text(review: CaseReview) -> str:
    """A starting point for the coordinator to edit."""
    lines = [
        _("Dear %(name)s,") % {"name": review.applicant_name},
        "",
        _(
            "Your ASB Case Review (reference %(ref)s) has been carried out. The partner agencies have looked "
            "at how they responded to the anti-social behaviour you reported."
        )
        % {"ref": review.reference},
        "",
    ]
    recommendations = list(review.recommendations.select_related("owner_organisation"))
    if recommendations:
        lines.append(_("The review panel made these recommendations:"))
        lines += [f"- {r.text} ({r.owner_organisation}, {_('by')} {long_date(r.due_on)})" for r in recommendations]
    else:
        lines.append(_("The review panel did not make any recommendations."))
    lines += [
        "",
        _(
            "If you are not satisfied with how the review was carried out you may appeal to the Office of the "
            "Police and Crime Commissioner, quoting your reference number."
        ),
        "",
        _("Yours sincerely,"),
        "",
        _("ASB Case Review coordinator"),
        review.partnership.name,
    ]
    return "\n".join(lines)


def _mark(canvas: Canvas, doc: Any) -> None:
    width, height = A4
    canvas.saveState()
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawCentredString(width / 2, height - 12 * mm, MARKING)
    canvas.drawCentredString(width / 2, 10 * mm, MARKING)
    canvas.restoreState()


def outcome_letter_pdf(review: CaseReview) -> bytes:
    sheet = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"ASB Case Review {review.reference}",
        author=review.partnership.name,
        topMargin=22 * mm,
        bottomMargin=22 * mm,
    )
    address = "\n".join(filter(None, [review.applicant_name, review.applicant_address, review.postcode]))
    story: list[Any] = [
        Paragraph(escape(address).replace("\n", "<br/>"), sheet["BodyText"]),
        Spacer(1, 6 * mm),
        Paragraph(escape(long_date(timezone.localdate())), sheet["BodyText"]),
        Paragraph(escape(_("Our reference: %(ref)s") % {"ref": review.reference}), sheet["BodyText"]),
        Spacer(1, 6 * mm),
    ]
    for paragraph in review.outcome_letter.split("\n\n"):
        story.append(Paragraph(escape(paragraph).replace("\n", "<br/>"), sheet["BodyText"]))
    doc.build(story, onFirstPage=_mark, onLaterPages=_mark)
    return buffer.getvalue()
