from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "wijk.feed"
    label = "feed"
    default_auto_field = "django.db.models.BigAutoField"
