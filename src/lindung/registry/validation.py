"""Field rules for one worker and their heirs, shared by the forms, the API and the services.

Every problem comes back as a message for a field, in the active UI language, so a form can show
it beside the input and the API can name the field. Nothing here raises on bad input.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import lokal
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lindung.common.inputs import MAX_BIGINT, has_hidden_characters
from lindung.regions.models import Level, Region, canonical
from lindung.regions.selectors import region_names

from .models import Heir, Relationship, Sex, Worker
from .nik import inspect_kk, inspect_nik
from .selectors import occupation_by_word, occupation_suggestions

_SPACES = re.compile(r"\s+")


@dataclass
class WorkerInput:
    nik: str = ""
    name: str = ""
    village_code: str = ""
    occupation_code: str = ""
    kk_number: str = ""
    birth_place: str = ""
    birth_date: dt.date | None = None
    sex: str | None = None
    address: str = ""
    phone: str = ""
    monthly_income: int | None = None


@dataclass
class HeirInput:
    name: str = ""
    relationship: str = ""
    nik: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    id: int | None = None  # an existing heir to update; None adds one


@dataclass
class Cleaned:
    values: dict = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def lang() -> str:
    return get_language() or "id"


def clean_name(value: str) -> str:
    return _SPACES.sub(" ", (value or "").strip())


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def check_text(out: Cleaned, name: str, value: str, *, max_length: int, is_name: bool = False):
    """The limits every stored text meets, whatever the database: its column's length, and
    for a person's name no invisible or direction-changing characters (see `common.inputs`)."""
    if len(value) > max_length:
        out.add(
            name,
            _("At most %(limit)d characters (this has %(count)d).")
            % {"limit": max_length, "count": len(value)},
        )
    if is_name and has_hidden_characters(value):
        out.add(
            name,
            _(
                "The name contains invisible or text-direction characters (often pasted from "
                "a chat or a PDF). Type the name again by hand."
            ),
        )


def clean_phone(raw: str, out: Cleaned, name: str = "phone") -> str:
    if not (raw or "").strip():
        return ""
    info = lokal.parse_phone(raw)
    if not info.valid:
        reason = info.errors[0].message if info.errors else ""
        out.add(
            name,
            _("Phone number %(value)s is not valid: %(reason)s") % {"value": raw, "reason": reason},
        )
        return ""
    return info.e164


def clean_worker(data: WorkerInput, *, today: dt.date | None = None) -> Cleaned:
    today = today or timezone.localdate()
    out = Cleaned()
    v = out.values

    v["name"] = clean_name(data.name)
    if not v["name"]:
        out.add("name", _("Full name is required."))
    check_text(out, "name", v["name"], max_length=_max_length(Worker, "name"), is_name=True)

    village = None
    if not (data.village_code or "").strip():
        out.add("village", _("Village is required."))
    else:
        village = Region.objects.filter(
            code=canonical(data.village_code), level=Level.VILLAGE, is_active=True
        ).first()
        if village is None:
            out.add(
                "village",
                _("Village code %(code)s is not a village in the Kemendagri list.")
                % {"code": data.village_code},
            )
    v["village_id"] = village.code if village else None

    nik = inspect_nik(
        data.nik,
        regions=region_names(),
        reference_date=today,
        village_code=village.code if village else None,
        lang=lang(),
    )
    for problem in nik.errors:
        out.add("nik", problem.message)
    out.warnings.extend(w.message for w in nik.warnings)
    v["nik"] = nik.nik

    if nik.valid:
        if data.birth_date and data.birth_date != nik.birth_date:
            out.add(
                "birth_date",
                _(
                    "Date of birth %(given)s does not match the NIK, which says %(nik)s. Check "
                    "the NIK and the date on the ID card."
                )
                % {
                    "given": data.birth_date.strftime("%d-%m-%Y"),
                    "nik": nik.birth_date.strftime("%d-%m-%Y"),
                },
            )
        if data.sex and data.sex != nik.sex:
            out.add(
                "sex",
                _(
                    "Sex %(given)s does not match the NIK, which says %(nik)s (day of birth + 40 "
                    "for women)."
                )
                % {
                    "given": Sex(data.sex).label if data.sex in Sex.values else data.sex,
                    "nik": Sex(nik.sex).label,
                },
            )
        v["birth_date"], v["sex"] = nik.birth_date, nik.sex
    if data.sex and data.sex not in Sex.values:
        out.add("sex", _("Sex must be L (male) or P (female)."))

    if (data.kk_number or "").strip():
        kk = inspect_kk(data.kk_number, regions=region_names(), lang=lang())
        for problem in kk.errors:
            out.add("kk_number", problem.message)
        v["kk_number"] = kk.kk or ""
    else:
        v["kk_number"] = ""

    occupation = None
    if not (data.occupation_code or "").strip():
        out.add("occupation", _("Occupation is required."))
    else:
        # The registry's one tolerant matcher: slug, name, e-KTP word, short form or code.
        occupation = occupation_by_word(data.occupation_code)
        if occupation is None:
            close = occupation_suggestions([data.occupation_code]).get(data.occupation_code)
            message = _("Unknown occupation %(code)s.") % {"code": data.occupation_code}
            if close:
                message += " " + _("Did you mean: %(names)s?") % {"names": ", ".join(close)}
            out.add("occupation", message)
    v["occupation_id"] = occupation.pk if occupation else None

    if data.monthly_income is not None and data.monthly_income < 0:
        out.add("monthly_income", _("Monthly income cannot be negative."))
    elif data.monthly_income is not None and data.monthly_income > MAX_BIGINT:
        out.add("monthly_income", _("Monthly income is too large."))
    v["monthly_income"] = data.monthly_income
    v["phone"] = clean_phone(data.phone, out)
    v["birth_place"] = clean_name(data.birth_place)
    v["address"] = clean_name(data.address)
    for name in ("birth_place", "address"):
        check_text(out, name, v[name], max_length=_max_length(Worker, name))
    return out


def clean_heirs(heirs: list[HeirInput], *, worker_nik: str | None) -> Cleaned:
    """Values: one dict per heir, in input order; errors are keyed `heirs.N.field`."""
    out = Cleaned(values={"heirs": []})
    for index, heir in enumerate(heirs):
        prefix = f"heirs.{index}"
        row = {"id": heir.id, "name": clean_name(heir.name), "relationship": heir.relationship}
        if not row["name"]:
            out.add(f"{prefix}.name", _("Heir name is required."))
        check_text(
            out, f"{prefix}.name", row["name"], max_length=_max_length(Heir, "name"), is_name=True
        )
        if heir.relationship not in Relationship.values:
            out.add(f"{prefix}.relationship", _("Choose the heir's relationship."))
        row["nik"] = ""
        if (heir.nik or "").strip():
            result = inspect_nik(heir.nik, regions=region_names(), lang=lang())
            for problem in result.errors:
                out.add(f"{prefix}.nik", problem.message)
            if result.nik and result.nik == worker_nik:
                out.add(f"{prefix}.nik", _("An heir cannot have the worker's own NIK."))
            row["nik"] = result.nik or ""
        row["birth_date"] = heir.birth_date
        row["phone"] = clean_phone(heir.phone, out, f"{prefix}.phone")
        out.values["heirs"].append(row)
    return out
