from django.urls import path

from casebridge.web.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list_mine, name="mine"),
    path("new/", views.referral_create, name="create"),
    path("triage/", views.triage_queue, name="queue"),
    path("documents/<uuid:public_id>/", views.referral_document, name="document"),
    path("<uuid:public_id>/", views.referral_detail, name="detail"),
    path("<uuid:public_id>/accept/", views.referral_accept, name="accept"),
    path("<uuid:public_id>/decline/", views.referral_decline, name="decline"),
    path("<uuid:public_id>/more-information/", views.referral_more_info, name="more_info"),
    path("<uuid:public_id>/respond/", views.referral_respond, name="respond"),
]
