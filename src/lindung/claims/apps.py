from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "lindung.claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        # Audit events of this app in words (see lindung.audit.labels).
        from lindung.audit.labels import register_actions

        register_actions({})
