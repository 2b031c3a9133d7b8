"""Person pages and search: through the access policy, every view audited."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from casebridge.audit.models import Action
from casebridge.audit.services import audit_record
from casebridge.cases.policy import Act, does_casework_in
from casebridge.cases.versioning import StaleWriteError
from casebridge.lib.types import AuthenticatedRequest
from casebridge.matching import repeats
from casebridge.people import selectors, services
from casebridge.people.access import can_person, get_location_or_404, get_person_or_404
from casebridge.people.forms import (
    AddressForm,
    AliasForm,
    IdentifierForm,
    PersonEditForm,
    PersonLinkForm,
    SearchForm,
    WarningForm,
)
from casebridge.people.models import Person
from casebridge.web.cases.views import current_partnership, form_page, stale_context


def _person(request: AuthenticatedRequest, public_id: UUID, action: Act = Act.VIEW) -> Person:
    return get_person_or_404(request.user, public_id, action, current_partnership(request))


@login_required
@transaction.atomic
def person_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    person = _person(request, public_id)
    services.person_viewed(actor=request.user, person=person)
    context = {
        "person": person,
        "warnings": person.warning_markers.all(),
        "aliases": person.aliases.all(),
        "identifiers": person.identifiers.all(),
        "addresses": person.addresses.select_related("location"),
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


@login_required
@transaction.atomic
def person_edit(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    person = _editable(request, public_id)
    initial = {name: getattr(person, name) for name in PersonEditForm.base_fields}
    form = PersonEditForm(request.POST or None, initial=initial)
    if request.method != "POST":
        services.person_viewed(actor=request.user, person=person)
    extra: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            with transaction.atomic():
                services.person_update(actor=request.user, person=person, version=version, values=data)
        except StaleWriteError as error:
            extra = stale_context(request, form, error)
        else:
            messages.success(request, _("Details updated."))
            return redirect("people:detail", public_id=person.public_id)
    return form_page(
        request, title=_("Change %(name)s's details") % {"name": person.full_name}, form=form, person=person, **extra
    )


@login_required
@transaction.atomic
def identifier_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    person = _editable(request, public_id)
    form = IdentifierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.person_identifier_add(actor=request.user, person=person, **form.cleaned_data)
        except IntegrityError:
            form.add_error("value", _("Another person in this partnership already has this number."))
        else:
            messages.success(request, _("Identifier added."))
            return redirect("people:detail", public_id=person.public_id)
    return form_page(request, title=_("Add an identifier"), form=form, person=person)


@login_required
@transaction.atomic
def warning_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    person = _editable(request, public_id)
    form = WarningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.person_warning_add(actor=request.user, person=person, **form.cleaned_data)
        messages.success(request, _("Warning marker added."))
        return redirect("people:detail", public_id=person.public_id)
    return form_page(request, title=_("Add a warning marker"), form=form, person=person)


@login_required
@transaction.atomic
def alias_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    person = _editable(request, public_id)
    form = AliasForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.person_alias_add(actor=request.user, person=person, **form.cleaned_data)
        messages.success(request, _("Alias added."))
        return redirect("people:detail", public_id=person.public_id)
    return form_page(request, title=_("Add an alias"), form=form, person=person)


@login_required
@transaction.atomic
def address_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    person = _editable(request, public_id)
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        location = services.location_create(
            actor=request.user, partnership=person.partnership, **form.location_values()
        )
        services.person_address_add(
            actor=request.user,
            person=person,
            location=location,
            from_date=form.cleaned_data["from_date"],
            to_date=form.cleaned_data["to_date"],
        )
        messages.success(request, _("Address added."))
        return redirect("people:detail", public_id=person.public_id)
    return form_page(request, title=_("Add an address"), form=form, person=person)


@login_required
@transaction.atomic
def search(request: AuthenticatedRequest) -> HttpResponse:
    partnership = current_partnership(request)
    if partnership is None or not does_casework_in(request.user, partnership.pk):
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


@login_required
@transaction.atomic
def location_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """A place: its details, its cases and incidents the user may see, and whether it is a hotspot."""
    location = get_location_or_404(request.user, public_id, current_partnership(request))
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


@login_required
@transaction.atomic
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
    if request.method == "POST" and form.is_valid():
        other, relationship = form.cleaned_data["other"], form.cleaned_data["relationship"]
        if person.links.filter(other=other, relationship=relationship).exists():
            form.add_error("other", _("They are already linked in this way."))
        else:
            services.person_link_add(actor=request.user, person=person, other=other, relationship=relationship)
            messages.success(request, _("Link added."))
            return redirect("people:detail", public_id=person.public_id)
    return form_page(request, title=_("Link to another person"), form=form, person=person, no_candidates=not candidates)
