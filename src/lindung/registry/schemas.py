from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from lindung.common.inputs import MAX_NOTE, BigAmount, Id, Text

# Typed NIK/KK/phone may carry spaces and dots; they are normalised to their column's length.
TypedNumber = Text(40)


class HeirIn(Schema):
    id: Id | None = None
    name: Text(150)
    relationship: Text(20)
    nik: TypedNumber = ""
    birth_date: dt.date | None = None
    phone: Text(30) = ""


class WorkerIn(Schema):
    nik: TypedNumber
    name: Text(150)
    village_code: Text(20)
    occupation_code: Text(40)
    kk_number: TypedNumber = ""
    birth_place: Text(80) = ""
    birth_date: dt.date | None = None
    sex: Text(1) | None = None
    address: Text(255) = ""
    phone: Text(30) = ""
    monthly_income: BigAmount | None = None
    heirs: list[HeirIn] | None = Field(None, max_length=20)


class HeirOut(Schema):
    id: int
    name: str
    relationship: str
    nik: str
    birth_date: dt.date | None
    phone: str


class WorkerListOut(Schema):
    id: int
    nik_masked: str
    name: str
    sex: str
    birth_date: dt.date
    village_code: str
    village_name: str
    occupation_code: str

    @staticmethod
    def resolve_nik_masked(obj) -> str:
        from lindung.accounts.masking import mask_number

        return mask_number(obj.nik)

    @staticmethod
    def resolve_village_code(obj) -> str:
        return obj.village_id

    @staticmethod
    def resolve_village_name(obj) -> str:
        return obj.village.name

    @staticmethod
    def resolve_occupation_code(obj) -> str:
        return obj.occupation.code


class WorkerOut(Schema):
    id: int
    nik: str
    nik_is_masked: bool
    kk_number: str
    name: str
    birth_place: str
    birth_date: dt.date
    sex: str
    address: str
    village_code: str
    village_name: str
    phone: str
    occupation_code: str
    monthly_income: int | None
    heirs: list[HeirOut]
    life_status: str = "active"
    life_status_date: dt.date | None = None
    warnings: list[str] = []


class WorkerMarkIn(Schema):
    """Moved away, deceased, or back in the village (a wrong mark corrected)."""

    status: Literal["active", "moved", "deceased"]
    since: dt.date | None = None
    reason: Text(MAX_NOTE) = ""


class NikInspectIn(Schema):
    niks: list[Text(100)]
    reference_date: dt.date | None = None


class NikOut(Schema):
    input: str
    nik: str | None
    valid: bool
    errors: list[str]
    warnings: list[str]
    province_code: str | None
    regency_code: str | None
    district_code: str | None
    birth_date: dt.date | None
    sex: str | None
    region_names: dict[str, str]
