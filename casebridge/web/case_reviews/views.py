"""Staff pages for ASB Case Reviews: alerts, the list, one review and its steps, the annual figures."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.audit.models import Action
from casebridge.audit.services import audit_record
from casebridge.case_reviews import access, figures, letters, selectors, services
from casebridge.case_reviews.forms import (
    AcknowledgeForm,
    AppealForm,
    AppealOutcomeForm,
    ComplaintForm,
    DecisionForm,
    LetterForm,
    PanelForm,
    RecommendationForm,
    RecommendationStatusForm,
    ResponseForm,
    ReviewFilterForm,
    ReviewRecordForm,
)
from casebridge.case_reviews.models import Appeal, CaseReview, Decision
from casebridge.case_reviews.timescales import timescales
from casebridge.cases.models import Case, CaseParty, PartyRole
from casebridge.cases.policy import Act, does_casework_in, get_case_or_404
from casebridge.lib.pages import FormPage, form_view, partnership_or_404
from casebridge.organisations.models import Partnership
from casebridge.people.access import get_person_or_404
from casebridge.people.models import Person

FORM = "cases/form.html"


def _running(request: AuthenticatedRequest) -> Partnership:
    partnership = partnership_or_404(request)
    if not holds(request.user, Capability.TRIAGE, partnership.pk):
        raise Http404
    return partnership


def _review(request: AuthenticatedRequest, public_id: UUID, *, manage: bool = True) -> CaseReview:
    return access.get_review_or_404(request.user, public_id, partnership_or_404(request), manage=manage)


def _detail_url(review: CaseReview) -> str:
    return reverse("case_reviews:detail", args=[review.public_id])


def _form_context(title: str, back_url: str) -> dict[str, Any]:
    return {"title": title, "back_url": back_url, "shows_personal_data": True}


def _met_review(request: AuthenticatedRequest, public_id: UUID) -> CaseReview:
    """A review whose threshold was met: only those go on to a meeting, responses and a letter."""
    review = _review(request, public_id)
    if review.decision != Decision.MET:
        raise Http404
    return review


def _undecided_review(request: AuthenticatedRequest, public_id: UUID) -> CaseReview:
    review = _review(request, public_id)
    if review.decision:
        raise Http404
    return review


def _review_page(review: CaseReview, title: str) -> FormPage:
    """A step of a review: the shared form page, returning to the review."""
    return {"redirect_to": _detail_url(review), "template": FORM, "context": _form_context(title, _detail_url(review))}


# -- alerts -----------------------------------------------------------------------------------


def alerts(request: AuthenticatedRequest) -> HttpResponse:
    """Repeat victims and victims meeting the ASB Case Review threshold, for the coordinator to act on."""
    partnership = _running(request)
    victims = selectors.victims_needing_attention(user=request.user, partnership=partnership)
    reviews = selectors.open_reviews_for_people(partnership=partnership, person_ids=[v.person.pk for v in victims])
    context = {
        "victims": [(v, reviews.get(v.person.pk)) for v in victims],
        "rules": selectors.rules_for(partnership),
        "shows_personal_data": True,
    }
    return render(request, "case_reviews/alerts.html", context)


@require_POST
def alert_open(request: AuthenticatedRequest) -> HttpResponse:
    """ "Open a case review" from a threshold alert: the review is created from the victim and their case."""
    partnership = _running(request)
    try:
        person_id = UUID(request.POST.get("person", ""))
    except ValueError:
        raise Http404 from None
    case = get_case_or_404(request.user, request.POST.get("case", ""), Act.VIEW, partnership)
    person = get_person_or_404(request.user, person_id, Act.VIEW, partnership)
    try:
        review = services.review_open_from_alert(actor=request.user, partnership=partnership, victim=person, case=case)
    except ValidationError:
        raise Http404 from None
    messages.success(request, _("Case review %(ref)s opened.") % {"ref": review.reference})
    return redirect("case_reviews:detail", public_id=review.public_id)


# -- the list and one review ----------------------------------------------------------------


def review_list(request: AuthenticatedRequest) -> HttpResponse:
    partnership = partnership_or_404(request)
    if not does_casework_in(request.user, partnership.pk):
        raise Http404
    form = ReviewFilterForm(request.GET or None)
    state = form.cleaned_data.get("state", "") if form.is_valid() else ""
    if not request.GET:
        state = "open"
        form = ReviewFilterForm(initial={"state": "open"})
    rows = selectors.review_list(user=request.user, partnership=partnership, state=state)
    context = {
        "form": form,
        "rows": rows,
        "runs": holds(request.user, Capability.TRIAGE, partnership.pk),
        "figures": holds(request.user, Capability.VIEW_FIGURES, partnership.pk),
        "shows_personal_data": True,
    }
    return render(request, "case_reviews/review_list.html", context)


def _case_for_new(request: AuthenticatedRequest, partnership: Partnership) -> tuple[Case | None, list[Person]]:
    reference = request.GET.get("case") or ""
    if not reference:
        return None, []
    case = get_case_or_404(request.user, reference, Act.VIEW, partnership)
    victims = [p.person for p in CaseParty.objects.filter(case=case, role=PartyRole.VICTIM).select_related("person")]
    return case, victims


def review_create(request: AuthenticatedRequest) -> HttpResponse:
    """An application taken by staff, optionally linked to a case (?case=) and the victim on it."""
    partnership = partnership_or_404(request)
    if not does_casework_in(request.user, partnership.pk):
        raise Http404
    case, victims = _case_for_new(request, partnership)
    initial: dict[str, Any] = {"received_on": timezone.localdate()}
    if len(victims) == 1:
        initial.update(victim=victims[0], applicant_name=victims[0].full_name, applicant_role="victim")
    form = ReviewRecordForm(request.POST or None, victims=victims, initial=initial)

    def save(data: dict[str, Any]) -> CaseReview:
        application = services.Application(
            applicant_role=data["applicant_role"],
            applicant_name=data["applicant_name"],
            applicant_email=data["applicant_email"],
            applicant_phone=data["applicant_phone"],
            applicant_address=data["applicant_address"],
            victim_name=data["victim_name"],
            relationship=data["relationship"],
            consent_given=data["consent_given"],
            summary=data["summary"],
        )
        return services.review_record(
            actor=request.user,
            partnership=partnership,
            application=application,
            received_on=data["received_on"],
            case=case,
            victim=data.get("victim"),
        )

    title = _("Record an ASB Case Review application")
    if case is not None:
        title = _("Record an ASB Case Review application for %(ref)s") % {"ref": case.reference}
    back = reverse("cases:summary", args=[case.reference]) if case else reverse("case_reviews:list")
    return form_view(
        request,
        form,
        save=save,
        success_message=lambda review: _("Application %(ref)s recorded.") % {"ref": review.reference},
        redirect_to=_detail_url,
        template=FORM,
        context=_form_context(title, back),
    )


def review_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    review = _review(request, public_id, manage=False)
    partnership = review.partnership
    rules = selectors.rules_for(partnership)
    runs = holds(request.user, Capability.TRIAGE, partnership.pk)
    audit_record(actor=request.user, action=Action.VIEWED, partnership_id=partnership.pk, obj=review)
    appeal = Appeal.objects.filter(review=review).first()
    context = {
        "review": review,
        "runs": runs,
        "timescales": timescales(review, rules, timezone.localdate()),
        "threshold": selectors.review_threshold(user=request.user, review=review),
        "case_shown": access.case_shown(request.user, review),
        "person_shown": access.person_shown(request.user, review),
        "responses": review.responses.select_related("organisation", "recorded_by"),
        "recommendations": review.recommendations.select_related("owner_organisation", "owner_user"),
        "appeal": appeal,
        "rules": rules,
        "shows_personal_data": True,
    }
    return render(request, "case_reviews/review_detail.html", context)


def acknowledge(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    review = _review(request, public_id)
    form = AcknowledgeForm(request.POST or None, initial={"acknowledged_on": timezone.localdate()})
    return form_view(
        request,
        form,
        save=lambda data: services.review_acknowledge(actor=request.user, review=review, **data),
        success_message=_("Acknowledgement recorded."),
        **_review_page(review, _("Record the acknowledgement")),
    )


def complaint_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    review = _undecided_review(request, public_id)
    form = ComplaintForm(request.POST or None)
    return form_view(
        request,
        form,
        save=lambda data: services.complaint_add(
            actor=request.user, review=review, complaint=services.ComplaintData(**data)
        ),
        success_message=_("Complaint added."),
        **_review_page(review, _("Add a complaint")),
    )


def decision(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """The computed threshold, shown to the coordinator, who confirms it (or not) with a reason."""
    review = _undecided_review(request, public_id)
    result = selectors.review_threshold(user=request.user, review=review)
    suggested = Decision.MET if result.meets else Decision.NOT_MET
    form = DecisionForm(request.POST or None, initial={"decision": suggested, "version": review.version})

    def save(data: dict[str, Any]) -> None:
        services.threshold_decide(
            actor=request.user,
            review=review,
            decision=data["decision"],
            reason=data["reason"],
            letter=data["letter"] or letters.decision_letter_text(review, data["decision"], data["reason"]),
            qualifying=result.qualifying,
            version=data["version"],
        )

    return form_view(
        request,
        form,
        save=save,
        success_message=_("Threshold decision recorded."),
        redirect_to=_detail_url(review),
        template="case_reviews/decision.html",
        context={"review": review, "threshold": result, "rules": result.rules, "shows_personal_data": True},
    )


def panel(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    review = _met_review(request, public_id)
    meetings = selectors.panel_meetings(partnership=review.partnership)
    form = PanelForm(
        request.POST or None,
        meetings=meetings,
        initial={"meeting": review.panel_meeting, "panel_on": review.panel_on},
    )
    return form_view(
        request,
        form,
        save=lambda data: services.panel_set(
            actor=request.user, review=review, meeting=data["meeting"], panel_on=data["panel_on"]
        ),
        success_message=_("Review meeting recorded."),
        **_review_page(review, _("The review meeting")),
    )


def response_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    review = _met_review(request, public_id)
    form = ResponseForm(request.POST or None, partnership=review.partnership)
    return form_view(
        request,
        form,
        save=lambda data: services.response_add(actor=request.user, review=review, **data),
        success_message=_("Agency response added."),
        **_review_page(review, _("Add an agency's response")),
    )


def recommendation_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    review = _met_review(request, public_id)
    form = RecommendationForm(request.POST or None, partnership=review.partnership)
    return form_view(
        request,
        form,
        save=lambda data: services.recommendation_add(actor=request.user, review=review, **data),
        success_message=_("Recommendation added."),
        **_review_page(review, _("Add a recommendation")),
    )


def recommendation_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """One recommendation, for its owner to update: only the recommendation, not the review."""
    recommendation = access.get_recommendation_or_404(request.user, public_id, partnership_or_404(request))
    form = RecommendationStatusForm(
        request.POST or None,
        initial={"status": recommendation.status, "completion_note": recommendation.completion_note},
    )
    return form_view(
        request,
        form,
        save=lambda data: services.recommendation_update(actor=request.user, recommendation=recommendation, **data),
        success_message=_("Recommendation updated."),
        redirect_to=reverse("case_reviews:recommendation", args=[recommendation.public_id]),
        template="case_reviews/recommendation.html",
        context={
            "recommendation": recommendation,
            "runs": holds(request.user, Capability.TRIAGE, recommendation.partnership_id),
            "today": timezone.localdate(),
            "shows_personal_data": True,
        },
        refused=(PermissionDenied,),
    )


def letter(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """The outcome letter: written from the review for the coordinator to edit, then marked sent."""
    review = _met_review(request, public_id)
    form = LetterForm(
        request.POST or None,
        initial={"text": review.outcome_letter or letters.outcome_letter_text(review), "version": review.version},
    )
    sent = "send" in request.POST
    return form_view(
        request,
        form,
        save=lambda data: services.outcome_letter_save(
            actor=request.user, review=review, text=data["text"], sent=sent, version=data["version"]
        ),
        success_message=_("Outcome letter sent: the review is complete.") if sent else _("Outcome letter saved."),
        redirect_to=_detail_url(review),
        template="case_reviews/letter.html",
        context={"review": review, "shows_personal_data": True},
    )


def letter_pdf(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    review = _review(request, public_id)
    if not review.outcome_letter:
        raise Http404
    services.outcome_letter_downloaded(actor=request.user, review=review)
    response = HttpResponse(letters.outcome_letter_pdf(review), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="outcome-{review.reference}.pdf"'
    return response


def appeal_record(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    review = _review(request, public_id)
    if not review.decision or Appeal.objects.filter(review=review).exists():
        raise Http404
    form = AppealForm(request.POST or None, initial={"received_on": timezone.localdate()})
    return form_view(
        request,
        form,
        save=lambda data: services.appeal_record(actor=request.user, review=review, **data),
        success_message=_("Appeal recorded."),
        **_review_page(review, _("Record an appeal")),
    )


def appeal_outcome(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    review = _review(request, public_id)
    appeal = Appeal.objects.filter(review=review).first()
    if appeal is None or appeal.outcome:
        raise Http404
    form = AppealOutcomeForm(request.POST or None)
    title = _("Outcome of the appeal (reviewed by %(who)s, %(body)s)") % {
        "who": appeal.reviewer_name,
        "body": appeal.reviewer_body,
    }
    return form_view(
        request,
        form,
        save=lambda data: services.appeal_decide(actor=request.user, appeal=appeal, **data),
        success_message=_("Appeal outcome recorded."),
        **_review_page(review, title),
    )


# -- annual figures ---------------------------------------------------------------------------


def _figures_partnership(request: AuthenticatedRequest) -> Partnership:
    partnership = partnership_or_404(request)
    if not holds(request.user, Capability.VIEW_FIGURES, partnership.pk):
        raise Http404
    return partnership


def figures_page(request: AuthenticatedRequest) -> HttpResponse:
    partnership = _figures_partnership(request)
    years = figures.years_available(partnership=partnership)
    table = [figures.figures_for(partnership=partnership, year=year) for year in years]
    return render(request, "case_reviews/figures.html", {"table": table, "partnership": partnership})


def figures_csv(request: AuthenticatedRequest) -> HttpResponse:
    partnership = _figures_partnership(request)
    years = figures.years_available(partnership=partnership)
    services.figures_exported(actor=request.user, partnership=partnership, years=years)
    response = HttpResponse(
        figures.figures_csv(partnership=partnership, years=years), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="asb-case-review-figures-{partnership.code}.csv"'
    return response
