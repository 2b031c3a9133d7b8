from django.urls import path

from casebridge.cases import exports
from casebridge.web.cases import configuration_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, {"scope": "mine"}, name="mine"),
    path("organisation/", views.case_list, {"scope": "organisation"}, name="organisation"),
    path("shared/", views.case_list, {"scope": "shared"}, name="shared"),
    path("new/", views.case_create, name="create"),
    path("documents/<uuid:public_id>/", views.document_download, name="document"),
    path("configuration/", configuration_views.configuration, name="configuration"),
    path("configuration/case-types/new/", configuration_views.case_type_create, name="case_type_create"),
    path("configuration/case-types/<uuid:public_id>/", configuration_views.case_type_edit, name="case_type_edit"),
    path(
        "configuration/incident-categories/new/",
        configuration_views.incident_category_create,
        name="incident_category_create",
    ),
    path(
        "configuration/incident-categories/<uuid:public_id>/",
        configuration_views.incident_category_edit,
        name="incident_category_edit",
    ),
    path("<ref:reference>/", views.case_summary, name="summary"),
    path("<ref:reference>/timeline/", views.case_timeline, name="timeline"),
    path("<ref:reference>/parties/", views.case_parties, name="parties"),
    path("<ref:reference>/parties/add/", views.party_add, name="party_add"),
    path("<ref:reference>/sharing/", views.case_sharing, name="sharing"),
    path("<ref:reference>/access-log/", views.case_access_log, name="access_log"),
    path("<ref:reference>/edit/", views.case_edit, name="edit"),
    path("<ref:reference>/close/", views.case_close, name="close"),
    path("<ref:reference>/reopen/", views.case_reopen, name="reopen"),
    path("<ref:reference>/locations/new/", views.location_add, name="location_add"),
    path("<ref:reference>/links/new/", views.link_add, name="link_add"),
    path("<ref:reference>/notes/new/", views.note_add, name="note_add"),
    path("<ref:reference>/incidents/new/", views.incident_record, name="incident_record"),
    path("<ref:reference>/documents/new/", views.document_upload, name="document_upload"),
    path("export/<slug:scope>.<slug:fmt>", exports.case_list_export, name="export"),
]
