from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "wijk.plans"
    label = "plans"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wijk.core.worklist import register
        from wijk.plans.selectors import plan_evaluations_due_for_user

        register(plan_evaluations_due_for_user, kinds=["plan_evaluation"])
