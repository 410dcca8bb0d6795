"""The JKK reporting deadlines as dated, cited rules (DOMAIN.md §3; issue 10 §2).

Stage I: the accident is reported at most 2 × 24 hours after it happened; stage II at most
2 × 24 hours after the doctor's statement (recovered, disabled or died), and it is the request
for the cash benefits. In force since PP 44/2015 took effect on 1 July 2015; PP 82/2019 amended
the benefits, not these deadlines. The consequence of a late report is judged in
`claims/reporting.py`: a warning the deciding officer acknowledges, not a refusal.
"""

import datetime as dt

from django.db import migrations

PP44 = dt.date(2015, 7, 1)  # PP 44/2015 in force
WHERE = (
    "PP 44/2015 (pelaporan kecelakaan kerja tahap I dan tahap II) sebagaimana diubah PP 82/2019; "
    "Permenaker 5/2021 (tata cara pelaporan dan pengajuan manfaat JKK)"
)
NOTE = (
    "The regulation sets the deadline but no loss of the benefit for a late report; the only "
    "lapse is 5 years after the accident (jkk-lapse-years). The article is not named here: "
    "look it up in the promulgated text before citing it in a decision letter."
)

# (code, unit, value, valid_from, citation)
RULES = [
    ("jkk-report-stage1-hours", "hours", 48, PP44,
     f"{WHERE}: laporan tahap I paling lama 2 × 24 jam sejak terjadi kecelakaan kerja"),
    ("jkk-report-stage2-hours", "hours", 48, PP44,
     f"{WHERE}: laporan tahap II paling lama 2 × 24 jam sejak surat keterangan dokter "
     "(sembuh, cacat atau meninggal dunia); sekaligus pengajuan manfaat"),
]  # fmt: skip


def seed(apps, schema_editor):
    Rule = apps.get_model("claims", "BenefitRule")
    for code, unit, value, valid_from, citation in RULES:
        Rule.objects.get_or_create(
            code=code,
            valid_from=valid_from,
            defaults={"unit": unit, "value": value, "citation": citation, "note": NOTE},
        )


def unseed(apps, schema_editor):
    Rule = apps.get_model("claims", "BenefitRule")
    for code, _unit, _value, valid_from, _citation in RULES:
        Rule.objects.filter(code=code, valid_from=valid_from).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_claim_times_scholarship_year_claim")]
    operations = [migrations.RunPython(seed, unseed)]
