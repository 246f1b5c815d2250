from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "wijk.requests"
    label = "requests"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wijk.core.home import register
        from wijk.requests.home import request_cards

        register(request_cards)
