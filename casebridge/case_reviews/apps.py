from django.apps import AppConfig


class CaseReviewsConfig(AppConfig):
    name = "casebridge.case_reviews"
    verbose_name = "ASB Case Reviews"

    def ready(self) -> None:
        from casebridge.case_reviews import rules

        rules.register()
