from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.common.inputs import MAX_BIGINT

from .models import Component, Sector
from .planner import FUNDERS, MAX_MONTHS, MAX_WAGE, MAX_WORKERS

FUNDER_LABELS = {
    "apbd": _("Regency budget (APBD)"),
    "apbd-perubahan": _("Revised regency budget (APBD-P)"),
    "apbd-provinsi": _("Province budget (APBD Provinsi)"),
    "apbdes": _("Village budget (APBDes / Dana Desa)"),
    "csr": _("Company CSR"),
    "mandiri": _("Self-paid (mandiri)"),
}


class BudgetForm(forms.Form):
    workers = forms.IntegerField(label=_("Workers"), min_value=0, max_value=MAX_WORKERS)
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=MAX_MONTHS)
    start = forms.RegexField(
        label=_("First contribution month"),
        regex=r"^\d{4}-\d{2}$",
        error_messages={"invalid": _("Write the month as YYYY-MM.")},
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    wage = forms.IntegerField(label=_("Declared income (Rp)"), min_value=1, max_value=MAX_WAGE)
    components = forms.MultipleChoiceField(
        label=_("Components"), choices=Component.choices, widget=forms.CheckboxSelectMultiple
    )
    funder = forms.ChoiceField(label=_("Funder"), choices=[(k, FUNDER_LABELS[k]) for k in FUNDERS])
    sector = forms.ChoiceField(label=_("Sector (PP 50/2025)"), choices=Sector.choices)
    budget = forms.IntegerField(
        label=_("Budget (Rp), optional"), required=False, min_value=0, max_value=MAX_BIGINT
    )
