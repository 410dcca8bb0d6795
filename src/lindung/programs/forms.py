from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.accounts.roles import Action
from lindung.accounts.scoping import restrict
from lindung.common.inputs import MAX_BIGINT, MAX_INT, MAX_NOTE, MAX_SMALLINT, PROGRAM_CODE_PATTERN
from lindung.common.widgets import BrowserDateInput
from lindung.regions.models import Region
from lindung.registry.models import Occupation

from .models import FunderKind


class ProgramForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"),
        regex=PROGRAM_CODE_PATTERN,
        max_length=40,
        help_text=_("e.g. pali-2025"),
        error_messages={"invalid": _("Use letters, digits, '.', '-' or '_' only.")},
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    owner_region = forms.ChoiceField(label=_("Region"))
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    coverage_start = forms.DateField(label=_("Coverage from"), widget=BrowserDateInput())
    coverage_end = forms.DateField(label=_("Coverage until"), widget=BrowserDateInput())
    data_deadline = forms.DateField(
        label=_("Data deadline"), required=False, widget=BrowserDateInput()
    )
    registration_start = forms.DateField(
        label=_("Registration from"), required=False, widget=BrowserDateInput()
    )
    target_workers = forms.IntegerField(
        label=_("Target workers"), required=False, min_value=0, max_value=MAX_INT
    )
    min_per_village = forms.IntegerField(
        label=_("Minimum per village"), required=False, min_value=0, max_value=MAX_INT
    )
    wage_basis = forms.IntegerField(
        label=_("Declared wage basis (Rp)"), initial=1_000_000, min_value=0, max_value=MAX_BIGINT
    )
    jht = forms.BooleanField(label=_("Include old age savings (JHT)"), required=False)
    occupations = forms.MultipleChoiceField(
        label=_("Eligible occupations"), widget=forms.CheckboxSelectMultiple
    )
    age_min = forms.IntegerField(
        label=_("Minimum age"), initial=18, min_value=0, max_value=MAX_SMALLINT
    )
    age_max_exclusive = forms.IntegerField(
        label=_("Age must be under"), initial=65, min_value=1, max_value=MAX_SMALLINT
    )
    require_poverty_list = forms.BooleanField(
        label=_("Require the DTSEN poverty list"), required=False
    )
    admit_formal_and_not_working = forms.BooleanField(
        label=_("Also cover formal employees and people not working"), required=False
    )
    poverty_max_decile = forms.IntegerField(
        label=_("Highest DTSEN decile"), required=False, min_value=1, max_value=10
    )
    funder_kind = forms.ChoiceField(label=_("Funder"), choices=FunderKind.choices)
    funder_name = forms.CharField(label=_("Funder name"), max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = restrict(Region.objects.filter(level__lte=3, is_active=True), user, Action.REVIEW)
        self.fields["owner_region"].choices = [
            (r.code, f"{r.dotted_code} {r.name}") for r in regions.order_by("code")[:600]
        ]
        self.fields["occupations"].choices = [
            (o.code, str(o)) for o in Occupation.objects.filter(is_active=True)
        ]
