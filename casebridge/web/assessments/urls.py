from django.urls import path

from casebridge.web.assessments import views

app_name = "assessments"

urlpatterns = [
    path("templates/", views.template_list, name="templates"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<uuid:public_id>/", views.version_detail, name="version"),
    path("templates/<uuid:public_id>/sections/new/", views.section_add, name="section_add"),
    path("templates/<uuid:public_id>/questions/new/", views.question_add, name="question_add"),
    path("templates/<uuid:public_id>/bands/new/", views.band_add, name="band_add"),
    path("templates/<uuid:public_id>/publish/", views.version_publish, name="publish"),
    path("templates/<uuid:public_id>/new-draft/", views.version_draft, name="new_draft"),
    path("reviews-due/", views.reviews_due, name="reviews_due"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<uuid:public_id>/read/", views.alert_read, name="alert_read"),
    path("<uuid:public_id>/", views.assessment_detail, name="detail"),
    path("cases/<ref:reference>/assessments/", views.case_assessments, name="case_list"),
    path("cases/<ref:reference>/assessments/new/", views.assessment_choose, name="choose"),
    path("cases/<ref:reference>/assessments/new/<uuid:version_id>/", views.assessment_complete, name="complete"),
]
