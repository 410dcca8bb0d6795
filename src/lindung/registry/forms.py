"""Page forms for a worker and their heirs. They only collect input; the rules live in
`validation.py` and the services, whose field errors are put back onto these forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.accounts.scoping import restrict
from lindung.common.inputs import MAX_BIGINT
from lindung.common.widgets import BrowserDateInput
from lindung.regions.fields import VillageField
from lindung.regions.models import Level, Region

from .models import Occupation, Relationship, Sex
from .validation import HeirInput, WorkerInput

# Above this many villages in scope a drop-down is unusable; the user types the code instead.
MAX_VILLAGE_CHOICES = 1500


class WorkerForm(forms.Form):
    nik = forms.CharField(
        label="NIK", max_length=40, help_text=_("16 digits, as on the ID card (KTP).")
    )
    name = forms.CharField(label=_("Full name"), max_length=150)
    kk_number = forms.CharField(label=_("Family card (KK) number"), max_length=40, required=False)
    birth_place = forms.CharField(label=_("Place of birth"), max_length=80, required=False)
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=BrowserDateInput(),
        help_text=_("Leave empty to take it from the NIK."),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=[("", _("(from the NIK)")), *Sex.choices],
        required=False,
    )
    village = forms.CharField(label=_("Village of residence"))
    address = forms.CharField(label=_("Address (dusun, RT/RW)"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    occupation = forms.ChoiceField(label=_("Occupation"))
    monthly_income = forms.IntegerField(
        label=_("Declared monthly income (Rp)"), min_value=0, max_value=MAX_BIGINT, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].choices = [("", "—")] + [
            (o.code, str(o)) for o in Occupation.objects.filter(is_active=True)
        ]
        villages = restrict(Region.objects.filter(level=Level.VILLAGE, is_active=True), user)
        if villages.count() <= MAX_VILLAGE_CHOICES:
            self.fields["village"] = VillageField(
                label=_("Village of residence"), villages=villages
            )
        else:
            self.fields["village"].help_text = _("Village code, e.g. 16.12.01.2001")

    def to_input(self) -> WorkerInput:
        d = self.cleaned_data
        return WorkerInput(
            nik=d["nik"],
            name=d["name"],
            village_code=d["village"],
            occupation_code=d["occupation"],
            kk_number=d.get("kk_number") or "",
            birth_place=d.get("birth_place") or "",
            birth_date=d.get("birth_date"),
            sex=d.get("sex") or None,
            address=d.get("address") or "",
            phone=d.get("phone") or "",
            monthly_income=d.get("monthly_income"),
        )


class HeirForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Heir name"), max_length=150)
    relationship = forms.ChoiceField(
        label=_("Relationship"), choices=[("", "—"), *Relationship.choices]
    )
    nik = forms.CharField(label=_("Heir NIK (if known)"), max_length=40, required=False)
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=BrowserDateInput()
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def to_input(self) -> HeirInput:
        d = self.cleaned_data
        return HeirInput(
            id=d.get("id"),
            name=d["name"],
            relationship=d["relationship"],
            nik=d.get("nik") or "",
            birth_date=d.get("birth_date"),
            phone=d.get("phone") or "",
        )


HeirFormSet = forms.formset_factory(HeirForm, extra=1, can_delete=True, max_num=20)


def kept_heir_forms(formset) -> list[HeirForm]:
    """Existing heirs not ticked for removal, plus the blank rows the user filled in."""
    initial = formset.initial_form_count()
    return [
        f
        for i, f in enumerate(formset.forms)
        if (i < initial or f.has_changed()) and not f.cleaned_data.get("DELETE")
    ]


def heir_inputs(formset) -> list[HeirInput]:
    return [f.to_input() for f in kept_heir_forms(formset)]


def put_errors(form: forms.Form, formset, fields: dict[str, list[str]]) -> None:
    """Show service errors next to the inputs they are about."""
    kept = kept_heir_forms(formset)
    for name, messages in fields.items():
        if name.startswith("heirs."):
            _prefix, index, field = name.split(".", 2)
            target = kept[int(index)] if int(index) < len(kept) else None
            for message in messages:
                if target is not None and field in target.fields:
                    target.add_error(field, message)
                else:
                    form.add_error(None, message)
            continue
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
