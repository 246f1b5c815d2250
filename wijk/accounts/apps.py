from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wijk.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
