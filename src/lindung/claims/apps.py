from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "lindung.claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        # Audit events of this app in words (see lindung.audit.labels).
        from lindung.audit.labels import register_actions

        register_actions(
            {
                # Benefit rules (rules_load.py).
                "claims.rules_load": _("Benefit rules loaded"),
                "claims.rule_close": _("Benefit rule closed by a later one"),
                "claims.disability_load": _("Disability percentage table loaded"),
            }
        )
