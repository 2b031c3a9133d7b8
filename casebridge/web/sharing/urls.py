from django.urls import path

from casebridge.web.sharing import views

app_name = "sharing"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("requests/<uuid:public_id>/", views.access_request_decide, name="decide"),
    path("emergency-access/", views.break_glass_list, name="break_glass_list"),
    path("emergency-access/<uuid:public_id>/review/", views.break_glass_review, name="break_glass_review"),
    path("cases/<ref:reference>/share/", views.share_create, name="share"),
    path("cases/<ref:reference>/shares/<uuid:public_id>/revoke/", views.share_revoke, name="revoke"),
    path("cases/<ref:reference>/request-access/", views.access_request_create, name="request_access"),
    path("cases/<ref:reference>/break-glass/", views.break_glass, name="break_glass"),
    path("people/<uuid:public_id>/request-access/", views.access_request_person, name="request_access_person"),
]
