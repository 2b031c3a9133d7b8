from django.urls import include, path

from casebridge.web import home as views

urlpatterns = [
    path("", views.home, name="home"),
    path("manage/", views.manage, name="manage"),
    path("account/", include("casebridge.web.accounts.urls")),
    path("audit/", include("casebridge.web.audit.urls")),
    path("organisations/", include("casebridge.web.organisations.urls")),
    path("cases/", include("casebridge.web.cases.urls")),
    path("sharing/", include("casebridge.web.sharing.urls")),
    path("duplicates/", include("casebridge.web.matching.urls")),
    path("people/", include("casebridge.web.people.urls")),
    path("referrals/", include("casebridge.web.referrals.urls")),
    path("report/", include("casebridge.web.public_reports.urls")),
    path("case-reviews/", include("casebridge.web.case_reviews.urls")),
    path("meetings/", include("casebridge.web.meetings.urls")),
    path("actions/", include("casebridge.web.actions.urls")),
    path("notifications/", include("casebridge.web.notifications.urls")),
    path("assessments/", include("casebridge.web.assessments.urls")),
    path("interventions/", include("casebridge.web.interventions.urls")),
    path("imports/", include("casebridge.web.imports.urls")),
]
