from django.apps import AppConfig


class MeldcodeConfig(AppConfig):
    name = "wijk.meldcode"
    label = "meldcode"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wijk.core.worklist import register
        from wijk.meldcode.worklist import meldcode_work

        register(meldcode_work, kinds=("meldcode",))
