from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "lindung.billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        # Audit events of this app in words (see lindung.audit.labels).
        from lindung.audit.labels import register_actions

        register_actions(
            {
                "billing.rates_load": _("Contribution rates loaded"),
                "billing.rate_close": _("Contribution rate closed"),
                "billing.funder_discounts": _("Funder's discount setting changed"),
                "billing.invoice_issue": _("Invoice issued"),
                "billing.payment_record": _("Payment recorded"),
            }
        )
