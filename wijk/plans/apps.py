from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "wijk.plans"
    label = "plans"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wijk.core.worklist import register
        from wijk.monitoring.sources import register_due
        from wijk.plans.selectors import plan_evaluations_due_for_user, plan_evaluations_on_time

        register(plan_evaluations_due_for_user, kinds=["plan_evaluation"])
        register_due("plan_evaluation", plan_evaluations_on_time)
