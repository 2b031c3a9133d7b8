"""The residents' online ASB report: one question per page, answers kept in the session.

No sign-in. Every POST is checked for the honeypot field; submitting and checking progress are
rate limited per address (see ratelimit.py).
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
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_stubs_ext import StrOrPromise

from casebridge.lib.client_address import client_address
from casebridge.organisations.models import Partnership
from casebridge.public_reports import ratelimit, selectors, services
from casebridge.public_reports.forms import (
    ContactForm,
    HowOftenForm,
    ImpactForm,
    ProgressForm,
    WhatForm,
    WhenForm,
    WhereForm,
    WhoForm,
)
from casebridge.public_reports.models import Frequency, Impact
from casebridge.referrals.models import Status

ANSWERS = "public_report_answers"
REFERENCE = "public_report_reference"
HONEYPOT = "website"


@dataclass(frozen=True)
class Step:
    slug: str
    form: type[forms.Form] | None
    title: StrOrPromise
    template: str = "public_reports/question.html"


STEPS = [
    Step("what", WhatForm, _("What happened?")),
    Step("where", WhereForm, _("Where did it happen?")),
    Step("when", WhenForm, _("When did it happen?"), "public_reports/when.html"),
    Step("how-often", HowOftenForm, _("How often does it happen?")),
    Step("who", WhoForm, _("Who was involved?")),
    Step("impact", ImpactForm, _("How is it affecting you?")),
    Step("contact", ContactForm, _("Your contact details")),
    Step("privacy", None, _("How we use your information"), "public_reports/privacy.html"),
]
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def _answers(request: HttpRequest) -> dict[str, dict[str, Any]]:
    answers: dict[str, dict[str, Any]] = request.session.get(ANSWERS, {})
    return answers


def _first_missing(answers: dict[str, Any]) -> str | None:
    return next((step.slug for step in STEPS if step.slug not in answers), None)


def _stored(slug: str, data: dict[str, Any]) -> dict[str, Any]:
    """What the session keeps for a step: plain JSON values only."""
    if slug == "where":
        partnership: Partnership = data["partnership"]
        return {"postcode": data["postcode"], "place": data["place"], "partnership": str(partnership.public_id)}
    if slug == "when":
        return {"occurred_on": data["occurred_on"].isoformat()}
    return {
        key: value
        for key, value in data.items()
        if key
        in {
            "category",
            "description",
            "frequency",
            "people_involved",
            "impacts",
            "wants_contact",
            "contact_name",
            "email",
            "phone",
        }
    }


def _initial(slug: str, stored: dict[str, Any]) -> dict[str, Any]:
    if slug == "where":
        return {**stored, "area": "" if stored.get("postcode") else stored.get("partnership", "")}
    if slug == "when" and stored.get("occurred_on"):
        day = datetime.date.fromisoformat(stored["occurred_on"])
        return {"day": day.day, "month": day.month, "year": day.year}
    return stored


def _rejected(request: HttpRequest) -> HttpResponse:
    return render(request, "public_reports/rejected.html", status=400)


def _client_ip(request: HttpRequest) -> str | None:
    ip: str | None = client_address(request)
    return ip


@login_not_required
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "public_reports/start.html", {"first": reverse("public_reports:what")})


@login_not_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, slug: str) -> HttpResponse:
    current = STEP_BY_SLUG[slug]
    answers = _answers(request)
    missing = _first_missing(answers)
    if missing is not None and STEPS.index(STEP_BY_SLUG[missing]) < STEPS.index(current):
        return redirect(f"public_reports:{missing}")
    form: forms.Form | None = None
    if current.form is not None:
        form = current.form(
            request.POST if request.method == "POST" else None, initial=_initial(slug, answers.get(slug, {}))
        )
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            return _rejected(request)
        if form is None or form.is_valid():
            answers[slug] = _stored(slug, form.cleaned_data) if form is not None else {"seen": True}
            request.session[ANSWERS] = answers
            following = _first_missing(answers)
            if following is None or request.GET.get("change"):
                following = following or "check"
            return redirect(f"public_reports:{following}")
    index = STEPS.index(current)
    back = reverse(f"public_reports:{STEPS[index - 1].slug}") if index else reverse("public_reports:start")
    context = {"form": form, "title": current.title, "back": back, "step": index + 1, "steps": len(STEPS)}
    return render(request, current.template, context)


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _summary(answers: dict[str, dict[str, Any]]) -> list[tuple[StrOrPromise, str, str]]:
    where = answers["where"]
    partnership = Partnership.objects.filter(public_id=where["partnership"]).first()
    contact = answers["contact"]
    impacts = [str(Impact(i).label) for i in answers["impact"].get("impacts", [])]

    def change(slug: str) -> str:
        return reverse(f"public_reports:{slug}") + "?change=1"

    return [
        (_("What happened"), answers["what"]["category"], change("what")),
        (_("Description"), answers["what"]["description"], change("what")),
        (
            _("Where"),
            " ".join(filter(None, [where["place"], where["postcode"], partnership.name if partnership else ""])),
            change("where"),
        ),
        (_("When"), _long_date(datetime.date.fromisoformat(answers["when"]["occurred_on"])), change("when")),
        (_("How often"), str(Frequency(answers["how-often"]["frequency"]).label), change("how-often")),
        (_("Who was involved"), answers["who"].get("people_involved") or str(_("Not given")), change("who")),
        (_("How it affects you"), "\n".join(impacts) or str(_("None of these")), change("impact")),
        (
            _("Contact details"),
            "\n".join(filter(None, [contact.get("contact_name"), contact.get("email"), contact.get("phone")]))
            or str(_("Anonymous")),
            change("contact"),
        ),
    ]


@login_not_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    missing = _first_missing(answers)
    if missing is not None:
        return redirect(f"public_reports:{missing}")
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            return _rejected(request)
        if not ratelimit.allow(scope="report", ip=_client_ip(request), limit=settings.PUBLIC_REPORTS_PER_HOUR):
            return render(request, "public_reports/rate_limited.html", status=429)
        partnership = Partnership.objects.filter(public_id=answers["where"]["partnership"]).first()
        if partnership is None:
            del answers["where"]
            request.session[ANSWERS] = answers
            return redirect("public_reports:where")
        contact = answers["contact"]
        report = services.public_report_submit(
            answers=services.ReportAnswers(
                partnership=partnership,
                category_name=answers["what"]["category"],
                description=answers["what"]["description"],
                occurred_on=datetime.date.fromisoformat(answers["when"]["occurred_on"]),
                frequency=answers["how-often"]["frequency"],
                postcode=answers["where"]["postcode"],
                place=answers["where"]["place"],
                people_involved=answers["who"].get("people_involved", ""),
                impacts=answers["impact"].get("impacts", []),
                contact_name=contact.get("contact_name", ""),
                email=contact.get("email", ""),
                phone=contact.get("phone", ""),
            )
        )
        del request.session[ANSWERS]
        request.session[REFERENCE] = {"reference": report.reference, "emailed": bool(report.email)}
        return redirect("public_reports:confirmation")
    return render(request, "public_reports/check.html", {"rows": _summary(answers)})


@login_not_required
def confirmation(request: HttpRequest) -> HttpResponse:
    submitted = request.session.get(REFERENCE)
    if not submitted:
        return redirect("public_reports:start")
    return render(request, "public_reports/confirmation.html", submitted)


RESIDENT_STATUS = {
    Status.SUBMITTED: _("We have received your report. A coordinator will look at it soon."),
    Status.MORE_INFO: _("We have received your report. A coordinator will look at it soon."),
    Status.ACCEPTED: _("Your report is being dealt with. An officer has been given your report."),
    Status.DECLINED: _(
        "We have looked at your report and are not taking further action at the moment. "
        "If the problem continues, please report it again."
    ),
}


@login_not_required
@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest) -> HttpResponse:
    form = ProgressForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            return _rejected(request)
        if not ratelimit.allow(
            scope="progress", ip=_client_ip(request), limit=settings.PUBLIC_PROGRESS_CHECKS_PER_HOUR
        ):
            return render(request, "public_reports/rate_limited.html", status=429)
        if form.is_valid():
            report = selectors.report_for_progress(
                reference=form.cleaned_data["reference"], email=form.cleaned_data["email"]
            )
            context["searched"] = True
            if report is not None:
                context["report"] = report
                context["status"] = RESIDENT_STATUS[Status(report.referral.status)]
    return render(request, "public_reports/progress.html", context)
