"""The public application for an ASB Case Review: one question per page, answers kept in the session.

No sign-in. Like the online ASB report (public_reports), every POST is checked for the honeypot
field, sending is rate limited per address, and nothing typed is lost when a page shows an error.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_stubs_ext import StrOrPromise

from casebridge.case_reviews import services
from casebridge.case_reviews.apply_forms import (
    ComplaintForm,
    ConsentForm,
    ContactForm,
    MoreForm,
    ProblemForm,
    WhereForm,
    WhoForm,
)
from casebridge.case_reviews.models import ApplicantRole
from casebridge.lib.client_address import client_address
from casebridge.organisations.models import Partnership
from casebridge.public_reports import ratelimit

ANSWERS = "case_review_application"
REFERENCE = "case_review_reference"
HONEYPOT = "website"
COMPLAINTS = "list"


@dataclass(frozen=True)
class Step:
    slug: str
    form: type[forms.Form] | None
    title: StrOrPromise

    def applies(self, answers: dict[str, Any]) -> bool:
        if self.slug == "consent":
            role: str = answers.get("who", {}).get("applicant_role", "")
            return role == ApplicantRole.ON_BEHALF
        return True


STEPS = [
    Step("who", WhoForm, gettext_lazy("Are you the victim?")),
    Step("consent", ConsentForm, gettext_lazy("The victim's consent")),
    Step("where", WhereForm, gettext_lazy("Where is the anti-social behaviour happening?")),
    Step("problem", ProblemForm, gettext_lazy("What is the anti-social behaviour?")),
    Step("complaints", None, gettext_lazy("Your complaints")),
    Step("contact", ContactForm, gettext_lazy("Your contact details")),
]
STEP_BY_SLUG = {step.slug: step for step in STEPS}
QUESTION_SLUGS = [s.slug for s in STEPS if s.form is not None]
MAX_COMPLAINTS = services.MAX_COMPLAINTS


def _answers(request: HttpRequest) -> dict[str, Any]:
    answers: dict[str, Any] = request.session.get(ANSWERS, {})
    return answers


def _save(request: HttpRequest, answers: dict[str, Any]) -> None:
    request.session[ANSWERS] = answers


def _first_missing(answers: dict[str, Any]) -> str | None:
    return next((s.slug for s in STEPS if s.applies(answers) and s.slug not in answers), None)


def _goto(slug: str) -> HttpResponse:
    return redirect(f"case_reviews:apply_{slug}")


def _rejected(request: HttpRequest) -> HttpResponse:
    return render(request, "case_reviews/apply/rejected.html", status=400)


def _back(answers: dict[str, Any], slug: str) -> str:
    applicable = [s.slug for s in STEPS if s.applies(answers)]
    if slug not in applicable or applicable.index(slug) == 0:
        return reverse("case_reviews:apply_start")
    return reverse(f"case_reviews:apply_{applicable[applicable.index(slug) - 1]}")


def _stored(slug: str, data: dict[str, Any]) -> dict[str, Any]:
    if slug == "where":
        partnership: Partnership = data["partnership"]
        return {"postcode": data["postcode"], "partnership": str(partnership.public_id)}
    return {k: v for k, v in data.items() if isinstance(v, str | bool)}


def _after(request: HttpRequest, answers: dict[str, Any]) -> HttpResponse:
    following = _first_missing(answers)
    if following is None:
        return _goto("check")
    return _goto(following)


@login_not_required
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "case_reviews/apply/start.html")


@login_not_required
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, slug: str) -> HttpResponse:
    current = STEP_BY_SLUG[slug]
    answers = _answers(request)
    missing = _first_missing(answers)
    order = [s.slug for s in STEPS]
    if not current.applies(answers):
        return _after(request, answers)
    if missing is not None and order.index(missing) < order.index(slug):
        return _goto(missing)
    assert current.form is not None
    form = current.form(request.POST if request.method == "POST" else None, initial=answers.get(slug, {}))
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            return _rejected(request)
        if form.is_valid():
            answers[slug] = _stored(slug, form.cleaned_data)
            if slug == "who" and answers[slug].get("applicant_role") != ApplicantRole.ON_BEHALF:
                answers.pop("consent", None)
            _save(request, answers)
            return _after(request, answers)
    context = {"form": form, "title": current.title, "back": _back(answers, slug)}
    return render(request, "case_reviews/apply/question.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def complaint(request: HttpRequest) -> HttpResponse:
    """Add one complaint (the GOV.UK "add another" pattern)."""
    answers = _answers(request)
    if "problem" not in answers:
        return _goto(_first_missing(answers) or "check")
    complaints: list[dict[str, Any]] = answers.get(COMPLAINTS, [])
    if len(complaints) >= MAX_COMPLAINTS:
        return _goto("complaints")
    form = ComplaintForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            return _rejected(request)
        if form.is_valid():
            data = form.cleaned_data
            complaints.append(
                {
                    "occurred_on": data["occurred_on"].isoformat(),
                    "reported_on": data["reported_on"].isoformat(),
                    "reported_to": data["reported_to"],
                    "description": data["description"],
                    "is_hate": data["is_hate"],
                }
            )
            answers[COMPLAINTS] = complaints
            answers.pop("complaints", None)
            _save(request, answers)
            return _goto("complaints")
    back = reverse("case_reviews:apply_complaints") if complaints else reverse("case_reviews:apply_problem")
    return render(
        request,
        "case_reviews/apply/complaint.html",
        {"form": form, "back": back, "number": len(complaints) + 1, "dates": ComplaintForm.DATES},
    )


def _long_date(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


@login_not_required
@require_http_methods(["GET", "POST"])
def complaints(request: HttpRequest) -> HttpResponse:
    """The complaints so far, each removable, and "Do you need to add another?"."""
    answers = _answers(request)
    missing = _first_missing(answers)
    if missing is not None and missing != "complaints" and missing not in {"contact"}:
        return _goto(missing)
    listed: list[dict[str, Any]] = answers.get(COMPLAINTS, [])
    if not listed:
        return redirect("case_reviews:apply_complaint")
    form = MoreForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            return _rejected(request)
        remove = request.POST.get("remove")
        if remove is not None:
            if remove.isdigit() and int(remove) < len(listed):
                del listed[int(remove)]
                answers[COMPLAINTS] = listed
                answers.pop("complaints", None)
                _save(request, answers)
            return redirect("case_reviews:apply_complaints")
        if form.is_valid():
            if form.cleaned_data["more"] == "yes" and len(listed) < MAX_COMPLAINTS:
                return redirect("case_reviews:apply_complaint")
            answers["complaints"] = {"done": True}
            _save(request, answers)
            return _after(request, answers)
    rows = [
        {
            "occurred": _long_date(c["occurred_on"]),
            "reported": _long_date(c["reported_on"]),
            "reported_to": c["reported_to"],
            "description": c["description"],
            "is_hate": c["is_hate"],
        }
        for c in listed
    ]
    context = {
        "form": form,
        "rows": rows,
        "back": reverse("case_reviews:apply_problem"),
        "full": len(listed) >= MAX_COMPLAINTS,
        "max": MAX_COMPLAINTS,
    }
    return render(request, "case_reviews/apply/complaints.html", context)


def _application(answers: dict[str, Any]) -> services.Application:
    consent = answers.get("consent", {})
    contact = answers["contact"]
    return services.Application(
        applicant_role=answers["who"]["applicant_role"],
        applicant_name=contact["applicant_name"],
        applicant_email=contact.get("applicant_email", ""),
        applicant_phone=contact.get("applicant_phone", ""),
        applicant_address=contact.get("applicant_address", ""),
        postcode=answers["where"]["postcode"],
        victim_name=consent.get("victim_name", ""),
        relationship=consent.get("relationship", ""),
        consent_given=bool(consent.get("consent_given")),
        summary=answers["problem"]["summary"],
        complaints=[
            services.ComplaintData(
                occurred_on=datetime.date.fromisoformat(c["occurred_on"]),
                reported_on=datetime.date.fromisoformat(c["reported_on"]),
                reported_to=c["reported_to"],
                description=c["description"],
                is_hate=bool(c["is_hate"]),
            )
            for c in answers.get(COMPLAINTS, [])
        ],
    )


def _summary(answers: dict[str, Any], partnership: Partnership | None) -> list[tuple[StrOrPromise, str, str]]:
    def change(slug: str) -> str:
        return reverse(f"case_reviews:apply_{slug}") + "?change=1"

    who = answers["who"]["applicant_role"]
    rows: list[tuple[StrOrPromise, str, str]] = [
        (_("Who is applying"), str(ApplicantRole(who).label), change("who")),
    ]
    if who == ApplicantRole.ON_BEHALF:
        consent = answers["consent"]
        rows.append(
            (
                _("The victim"),
                "\n".join(
                    [
                        consent["victim_name"],
                        f"{_('Your relationship')}: {consent['relationship']}",
                        _("The victim has agreed"),
                    ]
                ),
                change("consent"),
            )
        )
    rows += [
        (
            _("Where"),
            " ".join(filter(None, [answers["where"]["postcode"], partnership.name if partnership else ""])),
            change("where"),
        ),
        (_("The anti-social behaviour"), answers["problem"]["summary"], change("problem")),
        (
            _("Complaints"),
            "\n".join(
                _("%(day)s: reported to %(to)s on %(on)s")
                % {"day": _long_date(c["occurred_on"]), "to": c["reported_to"], "on": _long_date(c["reported_on"])}
                for c in answers.get(COMPLAINTS, [])
            ),
            reverse("case_reviews:apply_complaints"),
        ),
    ]
    contact = answers["contact"]
    rows.append(
        (
            _("Your contact details"),
            "\n".join(
                filter(
                    None,
                    [
                        contact.get("applicant_name"),
                        contact.get("applicant_email"),
                        contact.get("applicant_phone"),
                        contact.get("applicant_address"),
                    ],
                )
            ),
            change("contact"),
        )
    )
    return rows


@login_not_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    missing = _first_missing(answers)
    if missing is not None:
        return _goto(missing)
    partnership = Partnership.objects.filter(public_id=answers["where"]["partnership"]).first()
    if partnership is None:
        del answers["where"]
        _save(request, answers)
        return _goto("where")
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            return _rejected(request)
        limit = settings.PUBLIC_CASE_REVIEWS_PER_HOUR
        ip: str | None = client_address(request)
        if not ratelimit.allow(scope="case_review", ip=ip, limit=limit):
            return render(request, "case_reviews/apply/rate_limited.html", status=429)
        review = services.review_apply_online(partnership=partnership, application=_application(answers))
        del request.session[ANSWERS]
        request.session[REFERENCE] = {"reference": review.reference, "emailed": bool(review.applicant_email)}
        return redirect("case_reviews:apply_confirmation")
    return render(request, "case_reviews/apply/check.html", {"rows": _summary(answers, partnership)})


@login_not_required
def confirmation(request: HttpRequest) -> HttpResponse:
    submitted = request.session.get(REFERENCE)
    if not submitted:
        return redirect("case_reviews:apply_start")
    return render(request, "case_reviews/apply/confirmation.html", submitted)
