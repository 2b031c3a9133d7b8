from django.urls import include, path

from casebridge import views

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", include("casebridge.accounts.urls")),
    path("cases/", include("casebridge.cases.urls")),
    path("sharing/", include("casebridge.sharing.urls")),
    path("", include("casebridge.people.urls")),
    path("meetings/", include("casebridge.meetings.urls")),
    path("actions/", include("casebridge.tasks.urls")),
    path("notifications/", include("casebridge.notifications.urls")),
]
