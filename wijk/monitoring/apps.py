from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "wijk.monitoring"
    label = "monitoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wijk.core.home import register
        from wijk.monitoring.home import figure_cards

        register(figure_cards)
