from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "wijk.requests"
    label = "requests"
    default_auto_field = "django.db.models.BigAutoField"
