from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ClaimType


class ClaimForm(forms.Form):
    claim_type = forms.ChoiceField(label=_("Kind of claim"), choices=ClaimType.choices)
    event_date = forms.DateField(
        label=_("Event date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    event_time = forms.TimeField(
        label=_("Time of the accident (JKK)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    cause = forms.CharField(
        label=_("Cause"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    report_1_date = forms.DateField(
        label=_("Stage I report (JKK)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    report_1_time = forms.TimeField(
        label=_("Stage I report time (JKK)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    doctor_statement_date = forms.DateField(
        label=_("Doctor's statement (JKK)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    doctor_statement_time = forms.TimeField(
        label=_("Doctor's statement time (JKK)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    report_2_date = forms.DateField(
        label=_("Stage II report (JKK)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    report_2_time = forms.TimeField(
        label=_("Stage II report time (JKK)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    at_work = forms.BooleanField(label=_("While working (JKK)"), required=False)
