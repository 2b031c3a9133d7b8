from django.urls import include, path

from casebridge import views

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", include("casebridge.accounts.urls")),
    path("audit/", include("casebridge.audit.urls")),
    path("organisations/", include("casebridge.organisations.urls")),
    path("cases/", include("casebridge.cases.urls")),
    path("sharing/", include("casebridge.sharing.urls")),
    path("duplicates/", include("casebridge.matching.urls")),
    path("", include("casebridge.people.urls")),
]
