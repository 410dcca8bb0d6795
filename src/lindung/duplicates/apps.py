from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuplicatesConfig(AppConfig):
    name = "lindung.duplicates"
    verbose_name = "Duplicates"

    def ready(self) -> None:
        # Audit events of this app in words (see lindung.audit.labels).
        from lindung.audit.labels import register_actions

        register_actions(
            {
                "duplicates.scan": _("Duplicates searched"),
                "duplicates.nik_conflict": _("NIK conflicts found in an upload"),
                "duplicate.same": _("Duplicate pair decided: same person"),
                "duplicate.different": _("Duplicate pair decided: different people"),
                "duplicate.nik_conflict": _("NIK conflict decided"),
            }
        )
