from __future__ import annotations

import datetime as dt

from ninja import Schema


class HeirIn(Schema):
    id: int | None = None
    name: str
    relationship: str
    nik: str = ""
    birth_date: dt.date | None = None
    phone: str = ""


class WorkerIn(Schema):
    nik: str
    name: str
    village_code: str
    occupation_code: str
    kk_number: str = ""
    birth_place: str = ""
    birth_date: dt.date | None = None
    sex: str | None = None
    address: str = ""
    phone: str = ""
    monthly_income: int | None = None
    heirs: list[HeirIn] | None = None


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
    warnings: list[str] = []


class NikInspectIn(Schema):
    niks: list[str]
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
