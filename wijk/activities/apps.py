from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "wijk.activities"
    label = "activities"
    default_auto_field = "django.db.models.BigAutoField"
