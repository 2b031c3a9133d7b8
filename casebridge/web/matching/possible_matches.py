"""The "is this one of these people?" step, shown by any page that is about to create a person."""

from django.http import HttpResponse
from django.shortcuts import render

from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.matching import selectors
from casebridge.matching.engine import PersonRecord
from casebridge.organisations.models import Partnership


def possible_matches_step(
    request: AuthenticatedRequest, *, partnership: Partnership, data: dict[str, object]
) -> HttpResponse | None:
    """ "Is this one of these people?": shown before a new person is created, unless already answered.

    Returns the page when existing profiles may be this person, or None to go ahead and create.
    """
    if request.POST.get("confirmed_new"):
        return None
    candidate = PersonRecord(
        id="",
        first_name=str(data.get("first_name") or ""),
        last_name=str(data.get("last_name") or ""),
        date_of_birth=data.get("date_of_birth") or None,  # type: ignore[arg-type]
        gender=str(data.get("gender") or ""),
    )
    matches = selectors.person_matches_for(user=request.user, partnership=partnership, candidate=candidate)
    if not matches:
        return None
    posted = [(name, value) for name, value in request.POST.items() if name != "csrfmiddlewaretoken"]
    context = {"matches": matches, "posted": posted, "role": request.POST.get("role", ""), "shows_personal_data": True}
    return render(request, "matching/possible_matches.html", context)
