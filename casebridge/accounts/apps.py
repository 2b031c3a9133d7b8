from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "casebridge.accounts"

    def ready(self) -> None:
        from casebridge.accounts import rules, signals  # noqa: F401

        rules.register()
