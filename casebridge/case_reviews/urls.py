from django.urls import path

from casebridge.case_reviews import views

app_name = "case_reviews"

urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
]
