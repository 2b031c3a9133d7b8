from django.urls import path

from casebridge.web.case_reviews import apply_views, views

app_name = "case_reviews"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/open/", views.alert_open, name="alert_open"),
    path("new/", views.review_create, name="create"),
    path("figures/", views.figures_page, name="figures"),
    path("figures.csv", views.figures_csv, name="figures_csv"),
    path("recommendations/<uuid:public_id>/", views.recommendation_detail, name="recommendation"),
    path("<uuid:public_id>/", views.review_detail, name="detail"),
    path("<uuid:public_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<uuid:public_id>/complaints/new/", views.complaint_add, name="complaint_add"),
    path("<uuid:public_id>/decision/", views.decision, name="decision"),
    path("<uuid:public_id>/panel/", views.panel, name="panel"),
    path("<uuid:public_id>/responses/new/", views.response_add, name="response_add"),
    path("<uuid:public_id>/recommendations/new/", views.recommendation_add, name="recommendation_add"),
    path("<uuid:public_id>/letter/", views.letter, name="letter"),
    path("<uuid:public_id>/letter.pdf", views.letter_pdf, name="letter_pdf"),
    path("<uuid:public_id>/appeal/", views.appeal_record, name="appeal"),
    path("<uuid:public_id>/appeal/outcome/", views.appeal_outcome, name="appeal_outcome"),
    # The public application: no sign-in.
    path("apply/", apply_views.start, name="apply_start"),
    *(
        path(f"apply/{slug}/", apply_views.question, {"slug": slug}, name=f"apply_{slug}")
        for slug in apply_views.QUESTION_SLUGS
    ),
    path("apply/complaint/", apply_views.complaint, name="apply_complaint"),
    path("apply/complaints/", apply_views.complaints, name="apply_complaints"),
    path("apply/check/", apply_views.check, name="apply_check"),
    path("apply/confirmation/", apply_views.confirmation, name="apply_confirmation"),
]
