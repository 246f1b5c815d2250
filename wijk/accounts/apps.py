from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wijk.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wijk.accounts.home import access_change_cards
        from wijk.core.home import register

        register(access_change_cards)
