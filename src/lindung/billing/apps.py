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
                "billing.rates_load": _("Contribution rules loaded"),
                "billing.rate_close": _("Contribution rule closed by a later one"),
                "billing.funder_discounts": _("Funder's PP 50/2025 discount setting changed"),
                "billing.invoice_issue": _("Invoice issued"),
                "billing.payment_record": _("Payment recorded"),
            }
        )
