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
                "claim.file": _("Claim filed"),
                "claim.document_add": _("Claim document uploaded"),
                "claim.heirs_set": _("Claim heirs and shares recorded"),
                "claim.documents_complete": _("Claim documents marked complete"),
                "claim.verified": _("Claim verified (benefit computed)"),
                "claim.approved": _("Claim approved"),
                "claim.rejected": _("Claim rejected"),
                "claim.payment_record": _("Claim payment recorded"),
                "claim.paid": _("Claim paid in full"),
                "claim.scholarship_place_add": _("Scholarship place given to a child"),
                "claim.scholarship_place_move": _("Scholarship place moved to a substitute child"),
                "claim.scholarship_year": _("Scholarship school year recorded"),
                "claim.scholarship_year_claim": _("Scholarship school year claimed"),
            }
        )
