from django.urls import path

from casebridge.web.interventions import views

app_name = "interventions"

urlpatterns = [
    path("types/", views.type_list, name="types"),
    path("types/<slug:code>/", views.type_edit, name="type_edit"),
    path("<uuid:public_id>/", views.intervention_detail, name="detail"),
    path("<uuid:public_id>/status/", views.intervention_status, name="status"),
    path("<uuid:public_id>/breaches/new/", views.breach_record, name="breach_record"),
    path("<uuid:public_id>/documents/new/", views.intervention_document_add, name="document_add"),
    path("people/<uuid:public_id>/escalation/", views.person_ladder, name="ladder"),
    path("cases/<ref:reference>/interventions/", views.case_interventions, name="case_list"),
    path("cases/<ref:reference>/interventions/new/", views.intervention_create, name="create"),
]
