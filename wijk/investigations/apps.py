from django.apps import AppConfig


class InvestigationsConfig(AppConfig):
    name = "wijk.investigations"
    label = "investigations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wijk.core import worklist
        from wijk.investigations.worklist import investigation_work

        worklist.register(investigation_work, kinds=("investigation",))
