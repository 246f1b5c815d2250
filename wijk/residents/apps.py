from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "wijk.residents"
    label = "residents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wijk.core import quality
        from wijk.residents.selectors import RESIDENT_QUALITY

        quality.register(RESIDENT_QUALITY)
