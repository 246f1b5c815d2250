from django.apps import AppConfig


class TrajectoriesConfig(AppConfig):
    name = "wijk.trajectories"
    label = "trajectories"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wijk.core import quality
        from wijk.core.home import register
        from wijk.trajectories.home import trajectory_cards
        from wijk.trajectories.selectors import TRAJECTORY_QUALITY

        register(trajectory_cards)
        quality.register(TRAJECTORY_QUALITY)
