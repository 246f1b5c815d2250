from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "wijk.portal"
    label = "portal"
    default_auto_field = "django.db.models.BigAutoField"
