from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "casebridge.referrals"
    verbose_name = "Referrals and triage"

    def ready(self) -> None:
        from casebridge.referrals import rules

        rules.register()
