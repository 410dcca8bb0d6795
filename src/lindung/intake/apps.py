from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "lindung.intake"
    label = "intake"

    def ready(self) -> None:
        # Audit events of this app in words (see lindung.audit.labels).
        from lindung.audit.labels import register_actions, register_fields

        register_actions(
            {
                "intake.refuse": _("Uploaded file refused"),
                "intake.stage": _("Uploaded file checked"),
                "intake.commit": _("Uploaded list saved to the registry"),
                "upload.cancel": _("Upload cancelled"),
                "upload.expire": _("Upload expired unsaved"),
            }
        )
        register_fields(
            {
                "file": _("File"),
                "inserted": _("New workers"),
                "updated": _("Workers updated"),
                "rows": _("Rows"),
                "staged_rows_removed": _("Checked rows removed"),
                "workers": _("Workers"),
            }
        )
