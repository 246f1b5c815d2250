from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "wijk.requests"
    label = "requests"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wijk.core import quality, worklist
        from wijk.core.home import register
        from wijk.requests.home import request_cards
        from wijk.requests.selectors import REQUEST_QUALITY
        from wijk.requests.worklist import first_contact_work

        register(request_cards)
        quality.register(REQUEST_QUALITY)
        worklist.register(first_contact_work, kinds=("first_contact",))
