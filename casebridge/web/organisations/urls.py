from django.urls import path

from casebridge.web.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("switch-partnership/", views.partnership_switch, name="partnership_switch"),
    path("new/", views.organisation_create, name="organisation_create"),
    path("add-existing/", views.organisation_add_existing, name="organisation_add_existing"),
    path("join-requests/", views.join_request_list, name="join_request_list"),
    path("join-requests/<uuid:public_id>/<slug:answer>/", views.join_request_answer, name="join_request_answer"),
    path("<uuid:public_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path("<uuid:public_id>/teams/new/", views.team_create, name="team_create"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/import/", views.users_import, name="users_import"),
    path("users/import/<uuid:report_id>/", views.users_import_report, name="users_import_report"),
    path("users/import/<uuid:report_id>/errors.csv", views.users_import_errors, name="users_import_errors"),
    path("users/<uuid:public_id>/", views.user_detail, name="user_detail"),
    path("users/<uuid:public_id>/account/<slug:action>/", views.user_account_action, name="user_account_action"),
    path("users/<uuid:public_id>/edit/", views.user_edit, name="user_edit"),
    path("users/<uuid:public_id>/roles/", views.membership_set, name="membership_set"),
    path(
        "users/<uuid:public_id>/roles/<uuid:partnership_id>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
]
