from django.urls import path

from casebridge.people import exports
from casebridge.web.people import views

app_name = "people"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("<uuid:public_id>/", views.person_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.person_edit, name="edit"),
    path("<uuid:public_id>/identifiers/new/", views.identifier_add, name="identifier_add"),
    path("<uuid:public_id>/warnings/new/", views.warning_add, name="warning_add"),
    path("<uuid:public_id>/aliases/new/", views.alias_add, name="alias_add"),
    path("<uuid:public_id>/addresses/new/", views.address_add, name="address_add"),
    path("<uuid:public_id>/links/new/", views.link_add, name="link_add"),
    path("locations/<uuid:public_id>/", views.location_detail, name="location"),
    path("search/export.<slug:fmt>", exports.search_export, name="search_export"),
]
