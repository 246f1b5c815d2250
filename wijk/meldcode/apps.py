from django.apps import AppConfig


class MeldcodeConfig(AppConfig):
    name = "wijk.meldcode"
    label = "meldcode"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wijk.core.access import access_log_seal
        from wijk.core.worklist import register
        from wijk.meldcode.selectors import meldcode_cases_opened
        from wijk.meldcode.worklist import meldcode_work
        from wijk.monitoring.sources import register_count

        register(meldcode_work, kinds=("meldcode",))
        # The access log keeps every meldcode entry, but no overview of it shows one: the
        # resident's access log would tell that a case exists (ADR 0039).
        access_log_seal(self.label)
        # Only a count reaches monitoring, and monitoring never imports this app (ADR 0042).
        register_count("meldcode_opened", meldcode_cases_opened)
