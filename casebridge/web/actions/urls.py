from django.urls import path

from casebridge.web.actions import views

app_name = "actions"

urlpatterns = [
    path("", views.task_list, {"scope": "mine"}, name="mine"),
    path("organisation/", views.task_list, {"scope": "organisation"}, name="organisation"),
    path("meeting/<uuid:public_id>/", views.meeting_tracker, name="meeting"),
    path("new/<ref:reference>/", views.task_create, name="create"),
    path("<uuid:public_id>/", views.task_detail, name="detail"),
    path("<uuid:public_id>/reassign/", views.task_reassign, name="reassign"),
]
