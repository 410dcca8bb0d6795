"""The calculator page (`/klaim/kalkulator/`): a what-if form for any logged-in staff member.

A GET form, no state change: the figures typed in go through the same `what_if_facts` and
`compute` as `lindung benefit --what-if`, and the page shows each component with its rule and
citation, what is refused and why, and the total in words. No person, list or region is read.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from lindung.common.errors import ApplicationError

from .calculator import (
    CAUSES,
    MAX_CHILDREN,
    MAX_MONTHS_OFF,
    MAX_RUPIAH,
    MAX_WAGE,
    BenefitType,
    component_label,
    compute,
    rupiah,
    what_if_facts,
)

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
CAUSE_LABELS = {
    "jkm": _("death not from a work accident (JKM)"),
    "jkk-death": _("death from a work accident"),
    "jkk-disability": _("total permanent disability from a work accident"),
}


def _date(label, required=True):
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip


def _rupiah(label, maximum=MAX_RUPIAH):
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=maximum)


class CalculatorForm(forms.Form):
    type = forms.ChoiceField(label=_("Benefit"), choices=BenefitType.choices)
    event_date = _date(_("Date of the death or accident"))
    coverage_start = _date(_("Cover started on"))
    paid_through = forms.RegexField(
        label=_("Contributions paid up to (month)"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        error_messages={"invalid": _("Write the month as YYYY-MM.")},
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    wage = forms.IntegerField(
        label=_("Declared income (Rp)"), min_value=0, max_value=MAX_WAGE, initial=1_000_000
    )
    claim_date = _date(_("Claimed on (empty: today)"), required=False)
    children = forms.IntegerField(
        label=_("Children"), required=False, min_value=0, max_value=MAX_CHILDREN
    )
    levels = forms.CharField(
        label=_("School level per child (tk, sd, smp, sma, pt)"), required=False, max_length=100
    )
    years = forms.CharField(
        label=_("School years claimed per child (e.g. 1,3)"), required=False, max_length=100
    )
    cause = forms.ChoiceField(
        label=_("Scholarship after"), choices=[(c, CAUSE_LABELS[c]) for c in CAUSES],
        required=False,
    )  # fmt: skip
    disability_percent = forms.IntegerField(
        label=_("Partial disability (%)"), required=False, min_value=0, max_value=100
    )
    total_disability = forms.BooleanField(label=_("Total permanent disability"), required=False)
    months_off = forms.IntegerField(
        label=_("Months unable to work"), required=False, min_value=0, max_value=MAX_MONTHS_OFF
    )
    at_work = forms.BooleanField(label=_("Sudden death while working"), required=False)
    medical_cost = _rupiah(_("Medical care cost (Rp)"))
    home_care_cost = _rupiah(_("Home care cost (Rp)"))
    home_care_months = forms.IntegerField(
        label=_("Months of home care"), required=False, min_value=0, max_value=MAX_MONTHS_OFF
    )
    transport_land = _rupiah(_("Transport by land (Rp)"))
    transport_sea = _rupiah(_("Transport by sea (Rp)"))
    transport_air = _rupiah(_("Transport by air (Rp)"))
    contribution = _rupiah(_("Monthly contribution, if not the rules' (Rp)"), MAX_WAGE)

    # The page groups the fields: the facts every benefit needs, then a scholarship's, then a
    # work accident's (in that order, so a phone shows the common ones first).
    GROUPS = (
        ("", ("type", "event_date", "coverage_start", "paid_through", "wage", "claim_date",
              "contribution")),
        (_("Scholarship"), ("children", "levels", "years", "cause")),
        (_("Work accident"), ("disability_percent", "total_disability", "months_off", "at_work",
                              "medical_cost", "home_care_cost", "home_care_months",
                              "transport_land", "transport_sea", "transport_air")),
    )  # fmt: skip

    def groups(self) -> list[tuple[str, list, list]]:
        """(legend, input fields, checkbox fields) per group."""
        out = []
        for legend, names in self.GROUPS:
            fields = [self[n] for n in names]
            boxes = [f for f in fields if isinstance(f.field, forms.BooleanField)]
            out.append((legend, [f for f in fields if f not in boxes], boxes))
        return out

    def clean_years(self) -> list[int]:
        text = self.cleaned_data.get("years") or ""
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if not all(p.isdecimal() and p.isascii() and len(p) <= 3 for p in parts):
            raise forms.ValidationError(_("Whole numbers separated by commas, e.g. 1,3."))
        return [int(p) for p in parts]


@login_required
def calculator_page(request):
    form = CalculatorForm(request.GET if "type" in request.GET else None)
    result, rows, status = None, [], 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            c = form.cleaned_data
            paid = c["paid_through"]
            try:
                facts = what_if_facts(
                    c["type"],
                    event_date=c["event_date"],
                    coverage_start=c["coverage_start"],
                    paid_through=(dt.date(int(paid[:4]), int(paid[5:7]), 1) if paid else None),
                    wage=c["wage"],
                    claim_date=c["claim_date"],
                    children=c["children"] or 0,
                    levels=c["levels"],
                    years=c["years"],
                    scholarship_cause=c["cause"] or "jkm",
                    disability_percent=c["disability_percent"] or 0,
                    total_disability=c["total_disability"],
                    months_off=c["months_off"] or 0,
                    at_work=c["at_work"],
                    medical_cost=c["medical_cost"] or 0,
                    home_care_cost=c["home_care_cost"] or 0,
                    home_care_months=c["home_care_months"] or 0,
                    transport_land=c["transport_land"] or 0,
                    transport_sea=c["transport_sea"] or 0,
                    transport_air=c["transport_air"] or 0,
                    monthly_contribution=c["contribution"],
                )
                result = compute(facts)
                rows = [
                    {"label": component_label(x.code), "amount": rupiah(x.amount), "rule": x.rule,
                     "citation": x.citation}
                    for x in result.components
                ]  # fmt: skip
                status = 200
            except ApplicationError as exc:
                field = next(iter(exc.fields), None)
                form.add_error(field if field in form.fields else None, exc.message)
    return render(
        request,
        "claims/calculator.html",
        {"form": form, "result": result, "rows": rows},
        status=status,
    )
