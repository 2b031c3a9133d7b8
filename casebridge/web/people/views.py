"""Person pages and search: through the access policy, every view audited."""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.audit.models import Action
from casebridge.audit.services import audit_record
from casebridge.cases.policy import Act, does_casework_in
from casebridge.lib.pages import FormPage, form_view, partnership_or_404
from casebridge.lib.versioning import StaleWriteError
from casebridge.matching import repeats
from casebridge.people import selectors, services
from casebridge.people.access import can_person, get_location_or_404, get_person_or_404, visible_details
from casebridge.people.forms import (
    AddressForm,
    AliasForm,
    IdentifierForm,
    PersonEditForm,
    PersonLinkForm,
    SearchForm,
    WarningForm,
)
from casebridge.people.models import SOURCED_COLUMNS, Person

FORM = "cases/form.html"


def _detail_url(person: Person) -> str:
    return reverse("people:detail", args=[person.public_id])


def _form_context(title: str, person: Person, **extra: Any) -> dict[str, Any]:
    return {"title": title, "person": person, "case": None, "shows_personal_data": True, **extra}


def _person_page(person: Person, title: str, **extra: Any) -> FormPage:
    """A form that adds to or changes a person: the shared form page, returning to theirs."""
    return {"redirect_to": _detail_url(person), "template": FORM, "context": _form_context(title, person, **extra)}


def _person(request: AuthenticatedRequest, public_id: UUID, action: Act = Act.VIEW) -> Person:
    return get_person_or_404(request.user, public_id, action, partnership_or_404(request))


def person_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    person = _person(request, public_id)
    services.person_viewed(actor=request.user, person=person)
    details = visible_details(request.user, person)
    context = {
        "person": person,
        "details": details,
        "warnings": details.warnings,
        "aliases": details.aliases,
        "identifiers": details.identifiers,
        "addresses": details.addresses,
        "links": selectors.person_links_visible(user=request.user, person=person),
        "parties": selectors.person_cases_visible(user=request.user, person=person),
        "can_edit": can_person(request.user, Act.CONTRIBUTE, person)
        or request.user.organisation_id == person.created_by_organisation_id,
        "shows_personal_data": True,
        **repeats.person_page_context(person=person, organisation_id=request.user.organisation_id),
    }
    return render(request, "people/person_detail.html", context)


def _editable(request: AuthenticatedRequest, public_id: UUID) -> Person:
    person = _person(request, public_id)
    if not (
        can_person(request.user, Act.CONTRIBUTE, person)
        or request.user.organisation_id == person.created_by_organisation_id
    ):
        raise Http404
    return person


def _source_cases(request: AuthenticatedRequest, person: Person) -> dict[str, Any]:
    return {"source_cases": selectors.person_source_cases(user=request.user, person=person)}


def person_edit(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    person = _editable(request, public_id)
    details = visible_details(request.user, person)
    hidden = tuple(name for name in SOURCED_COLUMNS if getattr(person, name) and not getattr(details, name))
    shown = set(PersonEditForm.base_fields) - set(hidden) - {"source_case", "shared_with_everyone"}
    initial = {name: getattr(person, name) for name in shown}
    form = PersonEditForm(
        request.POST or None, initial=initial, hidden_columns=hidden, **_source_cases(request, person)
    )
    if request.method != "POST":
        services.person_viewed(actor=request.user, person=person)

    def save(data: dict[str, Any]) -> None:
        provenance = {name: data.pop(name) for name in ("source_case", "shared_with_everyone")}
        values = {name: value for name, value in data.items() if name != "version"}
        try:
            services.person_update(
                actor=request.user, person=person, version=data["version"], values=values, **provenance
            )
        except StaleWriteError as error:
            # Only the changes to what this form shows: a detail the user may not see stays unseen.
            shown_changes = {name: change for name, change in error.changes.items() if name in form.fields}
            raise StaleWriteError(shown_changes, error.current_version) from error

    return form_view(
        request,
        form,
        save=save,
        success_message=_("Details updated."),
        redirect_to=_detail_url(person),
        template=FORM,
        context=_form_context(_("Change %(name)s's details") % {"name": person.full_name}, person),
        stale=StaleWriteError,
    )


def identifier_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    person = _editable(request, public_id)
    form = IdentifierForm(request.POST or None, **_source_cases(request, person))

    def save(data: dict[str, Any]) -> None:
        try:
            services.person_identifier_add(actor=request.user, person=person, **data)
        except IntegrityError as error:
            taken = _("Another person in this partnership already has this number.")
            raise ValidationError({"value": taken}) from error

    return form_view(
        request,
        form,
        save=save,
        success_message=_("Identifier added."),
        **_person_page(person, _("Add an identifier")),
    )


def warning_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    person = _editable(request, public_id)
    form = WarningForm(request.POST or None, **_source_cases(request, person))
    return form_view(
        request,
        form,
        save=lambda data: services.person_warning_add(actor=request.user, person=person, **data),
        success_message=_("Warning marker added."),
        **_person_page(person, _("Add a warning marker")),
    )


def alias_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    person = _editable(request, public_id)
    form = AliasForm(request.POST or None, **_source_cases(request, person))
    return form_view(
        request,
        form,
        save=lambda data: services.person_alias_add(actor=request.user, person=person, **data),
        success_message=_("Alias added."),
        **_person_page(person, _("Add an alias")),
    )


def address_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    person = _editable(request, public_id)
    form = AddressForm(request.POST or None, **_source_cases(request, person))

    def save(data: dict[str, Any]) -> None:
        location = services.location_create(
            actor=request.user, partnership=person.partnership, **form.location_values()
        )
        services.person_address_add(
            actor=request.user,
            person=person,
            location=location,
            from_date=data["from_date"],
            to_date=data["to_date"],
            source_case=data["source_case"],
            shared_with_everyone=data["shared_with_everyone"],
        )

    return form_view(
        request,
        form,
        save=save,
        success_message=_("Address added."),
        **_person_page(person, _("Add an address")),
    )


def search(request: AuthenticatedRequest) -> HttpResponse:
    partnership = partnership_or_404(request)
    if not does_casework_in(request.user, partnership.pk):
        raise Http404
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        results = selectors.search(
            user=request.user, partnership=partnership, text=data["q"], date_of_birth=data["date_of_birth"]
        )
        # Flags are shown only for people the user may see; for the others, existence and holders
        # only. They are worked out for every result, so that the page costs the same queries
        # whoever the user may see.
        flags = repeats.person_flags(
            partnership=partnership, person_ids=[item.person.pk for item in results.people], known_to=False
        )
        for item in results.people:
            item.flags = flags[item.person.pk] if item.visible else None
        audit_record(
            actor=request.user,
            action=Action.SEARCHED,
            partnership_id=partnership.pk,
            data={
                "terms": data["q"],
                "date_of_birth": data["date_of_birth"].isoformat() if data["date_of_birth"] else None,
                "kind": results.kind,
                "results": len(results.people) + len(results.cases),
            },
        )
    return render(request, "people/search.html", {"form": form, "results": results, "shows_personal_data": True})


def location_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """A place: its details, its cases and incidents the user may see, and whether it is a hotspot."""
    location = get_location_or_404(request.user, public_id, partnership_or_404(request))
    services.location_viewed(actor=request.user, location=location)
    page = selectors.location_page(user=request.user, location=location)
    hotspot = location.pk in repeats.hotspot_location_ids(partnership=location.partnership, location_ids=[location.pk])
    cases = page.cases
    repeats.annotate_cases(partnership=location.partnership, cases=cases)
    context = {
        "location": location,
        "hotspot": hotspot,
        "cases": cases,
        "incidents": page.incidents,
        "people": page.people,
        "shows_personal_data": True,
    }
    return render(request, "people/location_detail.html", context)


def link_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """A household or associate link to someone the user can see (on the same cases, or ?other= from search)."""
    person = _editable(request, public_id)
    other_id = request.GET.get("other") or None
    try:
        candidates = selectors.person_link_candidates(
            user=request.user, person=person, other_id=UUID(other_id) if other_id else None
        )
    except ValueError as error:
        raise Http404 from error
    form = PersonLinkForm(request.POST or None, candidates=candidates)

    def save(data: dict[str, Any]) -> None:
        other, relationship = data["other"], data["relationship"]
        if person.links.filter(other=other, relationship=relationship).exists():
            raise ValidationError({"other": _("They are already linked in this way.")})
        services.person_link_add(actor=request.user, person=person, other=other, relationship=relationship)

    return form_view(
        request,
        form,
        save=save,
        success_message=_("Link added."),
        **_person_page(person, _("Link to another person"), no_candidates=not candidates),
    )
