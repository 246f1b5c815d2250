from django.apps import AppConfig


class CasefilesConfig(AppConfig):
    name = "wijk.casefiles"
    label = "casefiles"
    default_auto_field = "django.db.models.BigAutoField"
