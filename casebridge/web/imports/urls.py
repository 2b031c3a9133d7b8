from django.urls import path

from casebridge.web.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.start, name="start"),
    path("templates/<slug:template>.<slug:fmt>", views.blank_template, name="blank_template"),
    path("new/<slug:template>/", views.upload, name="upload"),
    path("<uuid:public_id>/", views.report, name="report"),
    path("<uuid:public_id>/sheet/", views.sheet, name="sheet"),
    path("<uuid:public_id>/columns/", views.columns, name="columns"),
    path("<uuid:public_id>/values/", views.values, name="values"),
    path("<uuid:public_id>/check/", views.check, name="check"),
    path("<uuid:public_id>/progress/", views.progress, name="progress"),
    path("<uuid:public_id>/report.csv", views.report_csv, name="report_csv"),
    path("<uuid:public_id>/import/", views.run, name="run"),
    path("<uuid:public_id>/rollback/", views.rollback, name="rollback"),
]
