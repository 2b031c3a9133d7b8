"""The shape every form page shares, written once.

A form page fetches its object through an access helper (in the view), then: a valid POST calls
the service; a refusal (a ``ValidationError``, or a stale edit) is shown on the form; success is
a message and a redirect; anything else shows the form page again.
"""

from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypedDict, TypeVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

T = TypeVar("T")
PartnershipT_co = TypeVar("PartnershipT_co", covariant=True)


class _Membership(Protocol[PartnershipT_co]):
    @property
    def partnership(self) -> PartnershipT_co: ...


class _MembershipRequest(Protocol[PartnershipT_co]):
    """A request after the partnership middleware: the user's role where they work now, if any."""

    @property
    def membership(self) -> _Membership[PartnershipT_co] | None: ...


class StaleWrite(Protocol):
    """An edit refused because the record changed after the form was opened."""

    changes: dict[str, dict[str, Any]]
    current_version: int


class FormPage(TypedDict):
    """Where a family of form pages is shown and returns to: ``form_view(request, form, ..., **page)``."""

    redirect_to: str
    template: str
    context: Mapping[str, Any]


def partnership_or_404(request: _MembershipRequest[PartnershipT_co]) -> PartnershipT_co:
    """The partnership the user works in now; 404 for someone with no role in any."""
    if request.membership is None:
        raise Http404
    return request.membership.partnership


def errors_to_form(form: forms.BaseForm, error: ValidationError, *, prefix: str = "") -> None:
    """A service's errors on the form's fields where the names match, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            name = f"{prefix}{field}"
            form.add_error(name if name in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


def stale_context(form: forms.BaseForm, error: StaleWrite) -> dict[str, Any]:
    """Show what changed; the form now carries the current version, so resubmitting is a choice."""
    data = cast(QueryDict, form.data).copy()
    data["version"] = str(error.current_version)
    form.data = data
    form.add_error(None, str(error))
    return {"stale_changes": error.changes}


def form_view(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[dict[str, Any]], T],
    redirect_to: str | Callable[[T], str],
    template: str,
    context: Mapping[str, Any] | None = None,
    success_message: str | Callable[[T], str] | None = None,
    error_prefix: str = "",
    stale: type[Exception] | None = None,
    refused: tuple[type[Exception], ...] = (),
) -> HttpResponse:
    """Save a valid POST with ``save(cleaned_data)`` and redirect, or show the form page.

    ``redirect_to`` and ``success_message`` may be functions of what ``save`` returned.
    ``save`` runs in a savepoint, so a refused write leaves nothing behind. A ``ValidationError``
    lands on the form's fields (named ``error_prefix`` + key); a ``stale`` error shows what the
    other person changed; any ``refused`` error is shown above the form.
    """
    extra: dict[str, Any] = {}
    stale_errors = (stale,) if stale else ()
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                result = save(form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error, prefix=error_prefix)
        except stale_errors as error:
            extra = stale_context(form, cast(StaleWrite, error))
        except refused as error:
            form.add_error(None, str(error))
        else:
            message = success_message(result) if callable(success_message) else success_message
            if message:
                messages.success(request, message)
            return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)
    return render(request, template, {**(context or {}), **extra, "form": form})
