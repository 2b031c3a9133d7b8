from django.urls import include, path

from casebridge import views

urlpatterns = [
    path("", views.home, name="home"),
    path("manage/", views.manage, name="manage"),
    path("account/", include("casebridge.accounts.urls")),
    path("audit/", include("casebridge.audit.urls")),
    path("organisations/", include("casebridge.organisations.urls")),
    path("cases/", include("casebridge.cases.urls")),
    path("sharing/", include("casebridge.sharing.urls")),
    path("duplicates/", include("casebridge.matching.urls")),
    path("", include("casebridge.people.urls")),
    path("referrals/", include("casebridge.referrals.urls")),
    path("report/", include("casebridge.public_reports.urls")),
    path("case-reviews/", include("casebridge.case_reviews.urls")),
    path("meetings/", include("casebridge.meetings.urls")),
    path("actions/", include("casebridge.actions.urls")),
    path("notifications/", include("casebridge.notifications.urls")),
    path("", include("casebridge.assessments.urls")),
    path("", include("casebridge.interventions.urls")),
    path("imports/", include("casebridge.imports.urls")),
]
