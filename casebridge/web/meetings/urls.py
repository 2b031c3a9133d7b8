from django.urls import path

from casebridge.web.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("series/new/", views.series_create, name="series_create"),
    path("series/<uuid:public_id>/", views.series_detail, name="series"),
    path("series/<uuid:public_id>/schedule/", views.meeting_schedule, name="schedule"),
    path("<uuid:public_id>/", views.meeting_detail, name="detail"),
    path("<uuid:public_id>/agenda/build/", views.agenda_build, name="agenda_build"),
    path("<uuid:public_id>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("<uuid:public_id>/agenda/publish/", views.agenda_publish, name="agenda_publish"),
    path("<uuid:public_id>/attendance/", views.attendance, name="attendance"),
    path("<uuid:public_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<uuid:public_id>/minutes/publish/", views.minutes_publish, name="minutes_publish"),
    path("<uuid:public_id>/papers/", views.meeting_papers, name="papers"),
    path("<uuid:public_id>/papers/publish/", views.papers_publish, name="papers_publish"),
    path("<uuid:public_id>/papers/request/", views.papers_request, name="papers_request"),
    path("<uuid:public_id>/papers/pdf/", views.papers_download, name="papers_pdf"),
    path("proposals/<uuid:public_id>/agree/", views.proposal_agree, name="proposal_agree"),
    path("proposals/<uuid:public_id>/decline/", views.proposal_decline, name="proposal_decline"),
    path("items/<uuid:public_id>/remove/", views.item_remove, name="item_remove"),
    path("items/<uuid:public_id>/move/", views.item_move, name="item_move"),
    path("items/<uuid:public_id>/lead/", views.item_lead, name="item_lead"),
    path("items/<uuid:public_id>/minutes/", views.item_minutes, name="item_minutes"),
]
