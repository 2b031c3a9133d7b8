from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from casebridge.web.navigation import MANAGE, WAITING, links_for


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"waiting": links_for(request, WAITING)})


def manage(request: HttpRequest) -> HttpResponse:
    """The partnership's settings and people, for whoever may use one of them."""
    links = links_for(request, MANAGE)
    if not links:
        raise Http404
    return render(request, "manage.html", {"links": links})
