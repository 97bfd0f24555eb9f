from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "coalition.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        import coalition.accounts.signals  # noqa: F401  (connects the receivers)
