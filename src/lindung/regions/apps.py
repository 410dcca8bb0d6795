from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "lindung.regions"
    label = "regions"

    def ready(self) -> None:
        # Audit events of this app in words (see lindung.audit.labels).
        from lindung.audit.labels import register_actions, register_fields

        register_actions(
            {
                "regions.load": _("Region list loaded"),
                "regions.historical_load": _("Historical region codes loaded"),
            }
        )
        register_fields(
            {
                "decree": _("Decree"),
                "source_version": _("Source version"),
                "loaded": _("Loaded"),
                "villages": _("Villages"),
            }
        )
