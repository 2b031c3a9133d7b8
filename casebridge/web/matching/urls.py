from django.urls import path

from casebridge.web.matching import views

app_name = "matching"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<uuid:public_id>/", views.compare, name="compare"),
    path("<uuid:public_id>/not-the-same/", views.not_same, name="not_same"),
    path("merges/<uuid:public_id>/", views.merge_detail, name="merge_detail"),
    path("merges/<uuid:public_id>/undo/", views.unmerge, name="unmerge"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/<uuid:public_id>/", views.proposal, name="proposal"),
]
