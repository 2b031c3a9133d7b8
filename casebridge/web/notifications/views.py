from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.lib.pages import form_view
from casebridge.notifications import emails, services
from casebridge.notifications.forms import PreferenceForm
from casebridge.notifications.models import Notification


def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    """The user's own notifications; showing them marks them read."""
    notifications = Notification.objects.filter(user=request.user)
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    unread = [n.pk for n in page.object_list if n.read_at is None]
    response = render(request, "notifications/list.html", {"page": page, "unread": set(unread), "query": ""})
    services.notifications_mark_read(actor=request.user, pks=unread)
    return response


def preferences(request: AuthenticatedRequest) -> HttpResponse:
    form = PreferenceForm(request.POST or None, initial={"email_mode": emails.email_mode(request.user)})
    return form_view(
        request,
        form,
        save=lambda data: services.preference_set(actor=request.user, email_mode=data["email_mode"]),
        success_message=_("Your email preference is saved."),
        redirect_to="notifications:list",
        template="notifications/preferences.html",
    )
