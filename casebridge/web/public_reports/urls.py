from django.urls import path

from casebridge.web.public_reports import views

app_name = "public_reports"

urlpatterns = [
    path("", views.start, name="start"),
    *(path(f"{step.slug}/", views.step, {"slug": step.slug}, name=step.slug) for step in views.STEPS),
    path("check/", views.check, name="check"),
    path("confirmation/", views.confirmation, name="confirmation"),
    path("progress/", views.progress, name="progress"),
]
