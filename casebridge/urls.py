from django.urls import include, path

from casebridge import views

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", include("casebridge.accounts.urls")),
    path("audit/", include("casebridge.audit.urls")),
]
urlpatterns.append(path("organisations/", include("casebridge.organisations.urls")))
