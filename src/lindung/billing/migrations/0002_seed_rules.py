"""The contribution rules Lindung ships, each with its citation (DOMAIN.md §2).

Only the confirmed JKK step (declared income Rp1,000,000 → Rp10,000) is shipped: the rest of
PP 44/2015 Annex II is loaded as data with `lindung rates load`. PP 49/2020 (COVID-19 relief,
99 % off JKK and JKM for some months) is left out: we could not pin down from its text which
contribution months and which BPU participants it covered.
"""

import datetime as dt

from django.db import migrations

IN_FORCE = dt.date(2015, 7, 1)  # PP 44/2015 and PP 46/2015 came into force on 1 July 2015
RULES = [
    {
        "code": "jkk-bpu-1000000",
        "component": "jkk",
        "income_from": 1_000_000,
        "income_to": 1_000_000,
        "amount": 10_000,
        "citation": "PP 44/2015 Pasal 20 dan Lampiran II (iuran JKK peserta bukan penerima upah: "
        "penghasilan Rp1.000.000, iuran Rp10.000)",
    },
    {
        "code": "jkm-bpu",
        "component": "jkm",
        "amount": 6_800,
        "citation": "PP 44/2015 Pasal 20 (iuran JKM peserta bukan penerima upah Rp6.800/bulan)",
    },
    {
        "code": "jht-bpu",
        "component": "jht",
        "rate_bp": 200,
        "citation": "PP 46/2015 Pasal 18 (iuran JHT peserta bukan penerima upah 2% dari "
        "penghasilan yang dilaporkan)",
    },
]
PP50 = (
    "PP 50/2025 Pasal 3–7 (LN 2025/191): iuran JKK dan JKM peserta bukan penerima upah 50%; "
    "tidak berlaku bagi iuran yang dibayar APBN/APBD (Pasal 3 ayat (5))"
)
EXCLUDED = "apbn,apbd,apbd_perubahan,apbd_provinsi"
DISCOUNTS = [
    {
        "code": "pp50-2025-transport",
        "sector": "transport",
        "month_from": dt.date(2026, 1, 1),
        "month_to": dt.date(2027, 3, 1),
    },
    {
        "code": "pp50-2025-other",
        "sector": "other",
        "month_from": dt.date(2026, 4, 1),
        "month_to": dt.date(2026, 12, 1),
    },
]
TRANSPORT = [
    ("sopir", "Sopir Angkutan (SIAK 81 SOPIR)"),
    ("ojek", "Ojek"),
    ("pekerjaan-14", "SIAK 14 TRANSPORTASI"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("billing", "ContributionRule")
    Discount = apps.get_model("billing", "DiscountRule")
    Sector = apps.get_model("billing", "SectorOccupation")
    for row in RULES:
        Rule.objects.get_or_create(code=row["code"], valid_from=IN_FORCE, defaults=row)
    for row in DISCOUNTS:
        Discount.objects.get_or_create(
            code=row["code"],
            defaults={
                **row,
                "applies_jkk": True,
                "applies_jkm": True,
                "percent": 50,
                "excluded_funder_kinds": EXCLUDED,
                "citation": PP50,
            },
        )
    for code, what in TRANSPORT:
        Sector.objects.get_or_create(
            occupation_code=code,
            defaults={
                "sector": "transport",
                "citation": f"PP 50/2025 Pasal 3: sektor transportasi (pengemudi, kurir, ojek) — {what}",
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("billing", "ContributionRule").objects.filter(
        code__in=[r["code"] for r in RULES], valid_from=IN_FORCE
    ).delete()
    apps.get_model("billing", "DiscountRule").objects.filter(
        code__in=[d["code"] for d in DISCOUNTS]
    ).delete()
    apps.get_model("billing", "SectorOccupation").objects.filter(
        occupation_code__in=[c for c, _w in TRANSPORT]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_rules")]
    operations = [migrations.RunPython(seed, unseed)]
