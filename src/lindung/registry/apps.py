from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "lindung.registry"
    label = "registry"

    def ready(self) -> None:
        # Audit events of this app in words (see lindung.audit.labels).
        from lindung.audit.labels import register_actions, register_fields

        register_actions(
            {
                "worker.create": _("Worker registered"),
                "worker.update": _("Worker's data changed"),
                "worker.delete": _("Worker removed from the registry"),
                "worker.mark": _("Worker's status changed (moved, deceased, back)"),
                "worker.identity_correct": _("Worker's identity corrected"),
                "worker.merge": _("Worker merged with a duplicate record"),
                "worker.merged_away": _("Duplicate record merged into another"),
                "worker.heir_add": _("Heir added"),
                "worker.heir_update": _("Heir changed"),
                "worker.heir_remove": _("Heir removed"),
                "occupation.create": _("Occupation added to the list"),
                "occupation.update": _("Occupation changed"),
                "occupation.seed": _("Occupation list loaded"),
            }
        )
        register_fields({"heirs": _("Heirs"), "merged": _("Merged"), "kept": _("Kept")})
