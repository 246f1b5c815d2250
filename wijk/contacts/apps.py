from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "wijk.contacts"
    label = "contacts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wijk.contacts.selectors import CONTACT_QUALITY
        from wijk.core import quality

        quality.register(CONTACT_QUALITY)
