from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "lindung.coverage"
    verbose_name = "Coverage"

    def ready(self) -> None:
        # Audit events of this app in words (see lindung.audit.labels).
        from lindung.audit.labels import register_actions

        register_actions(
            {
                "coverage.public_check": _("Public status check"),
                "coverage.public_code": _("Public check: one-time code requested"),
                "coverage.cards_print": _("Membership cards printed"),
                "coverage.card_revoke": _("Membership card withdrawn"),
                "coverage.participants_export": _("Village participant list exported"),
                "coverage.denominators_import": _(
                    "Working population (coverage denominator) imported"
                ),
            }
        )
