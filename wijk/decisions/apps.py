from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "wijk.decisions"
    label = "decisions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wijk.core import home, worklist
        from wijk.decisions.selectors import (
            decision_desk_cards,
            decisions_back_for_user,
            pgb_evaluations_due_for_user,
            pgb_evaluations_on_time,
        )
        from wijk.monitoring.sources import register_due

        worklist.register(decisions_back_for_user, kinds=("decision",))
        worklist.register(pgb_evaluations_due_for_user, kinds=("pgb_evaluation",))
        register_due("pgb_evaluation", pgb_evaluations_on_time)
        home.register(decision_desk_cards)
