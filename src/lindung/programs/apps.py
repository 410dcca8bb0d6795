from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "lindung.programs"
    label = "programs"

    def ready(self) -> None:
        # Audit events of this app in words (see lindung.audit.labels).
        from lindung.audit.labels import register_actions, register_fields

        register_actions(
            {
                "program.create": _("Program created"),
                "submission.create": _("Village list opened"),
                "submission.add": _("People added to the list"),
                "submission.recheck": _("Eligibility checked again"),
                "submission.submitted": _("List submitted to the regency"),
                "submission.approved": _("List approved by the regency"),
                "submission.returned": _("List returned to the village"),
                "submission.verified": _("List verified by BPJS"),
                "submission.ready": _("List ready for enrolment"),
                "submission.remove": _("People removed from the list"),
                "submission.accept": _("People accepted by BPJS"),
                "submission.reject": _("People rejected by BPJS"),
                "submission.identities": _("NIKs checked with the population registry"),
                "poverty.import": _("Socio-economic list (DTSEN) loaded"),
            }
        )
        register_fields(
            {
                "state": _("State"),
                "version": _("Version"),
                "people": _("People"),
                "person_ids": _("People"),
                "excluded": _("Excluded as ineligible"),
                "added": _("Added"),
                "removed": _("Removed"),
                "restored": _("Restored"),
                "pairs": _("Pairs"),
                "conflicts": _("Conflicts"),
                "source": _("Source"),
                "valid": _("Valid"),
                "not_found": _("Not found"),
                "mismatch": _("Name or birth date differs"),
                "structure_invalid": _("Invalid NIK structure"),
                "unavailable": _("Service unavailable"),
                "same": _("Same person"),
                "nik_a": _("NIK A"),
                "nik_b": _("NIK B"),
                "compared_with": _("Compared with"),
            }
        )
