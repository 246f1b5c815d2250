from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wijk.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # `<id:pk>` in every urls.py: before any URLconf is imported.
        from django.urls import register_converter

        from wijk.core.params import IdConverter

        register_converter(IdConverter, "id")
