app_name = "public_reports"

urlpatterns: list[object] = []
