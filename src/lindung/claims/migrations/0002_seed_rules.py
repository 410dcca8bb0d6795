"""The benefit rules Lindung ships, each with its citation (DOMAIN.md §3).

Dates: the amounts of PP 82/2019 (which set today's JKK, JKM and scholarship figures for
non-wage-earner participants) from its promulgation on 2 December 2019; Permenaker 1/2025's
funeral-only rule for new participants from 24 February 2025, when it came into force. The
figures Permenaker 5/2021 details (sudden death at work, scholarship back pay and age) carry
the same start as PP 82/2019's amounts: the calculator looks no further back than that.
The partial-disability table (PP 82/2019 Annex III) is not shipped: it is loaded as data.
"""

import datetime as dt

from django.db import migrations

PP82 = dt.date(2019, 12, 2)  # PP 82/2019 promulgated (and in force) on 2 December 2019
PMK1_2025 = dt.date(2025, 2, 24)  # Permenaker 1/2025 in force

JKM = "PP 82/2019 Pasal 34 (manfaat JKM peserta bukan penerima upah)"
JKK = "PP 82/2019 Pasal 25 dan Lampiran (manfaat JKK; upah = penghasilan yang dilaporkan, Permenaker 5/2021 Pasal 89 ayat (2))"
BEASISWA = "PP 82/2019 Pasal 25, 34; Permenaker 5/2021 Pasal 102–109 sebagaimana diubah Permenaker 1/2025 (beasiswa pendidikan anak)"
# The same words as billing.protection.ARREARS_CITATION (a test holds them equal).
ARREARS = "PP 44/2015 Art. 39, 42; Permenaker 5/2021 Art. 92, 98"

# (code, unit, value, valid_from, citation)
RULES = [
    ("jkm-lump-sum", "rupiah", 20_000_000, PP82, f"{JKM}: santunan sekaligus Rp20.000.000"),
    ("jkm-periodic", "rupiah", 12_000_000, PP82,
     f"{JKM}: santunan berkala 24 × Rp500.000 dibayar sekaligus Rp12.000.000"),
    ("jkm-funeral", "rupiah", 10_000_000, PP82, f"{JKM}: biaya pemakaman Rp10.000.000"),
    ("jkm-new-member-months", "months", 3, PMK1_2025,
     "Permenaker 1/2025 Pasal 97A: peserta bukan penerima upah yang meninggal dunia sebelum 3 "
     "bulan berturut-turut menjadi peserta hanya mendapat biaya pemakaman"),
    ("jkk-medical", "percent", 100, PP82,
     f"{JKK}: perawatan dan pengobatan sesuai kebutuhan medis, tanpa batas biaya"),
    ("jkk-home-care-cap", "rupiah", 20_000_000, PP82,
     f"{JKK}: perawatan di rumah paling banyak Rp20.000.000"),
    ("jkk-home-care-months", "months", 12, PP82, f"{JKK}: perawatan di rumah paling lama 1 tahun"),
    ("jkk-transport-land", "rupiah", 5_000_000, PP82,
     f"{JKK}: biaya angkutan darat paling banyak Rp5.000.000"),
    ("jkk-transport-sea", "rupiah", 2_000_000, PP82,
     f"{JKK}: biaya angkutan laut paling banyak Rp2.000.000"),
    ("jkk-transport-air", "rupiah", 10_000_000, PP82,
     f"{JKK}: biaya angkutan udara paling banyak Rp10.000.000"),
    ("jkk-stmb-full-months", "months", 12, PP82,
     f"{JKK}: santunan sementara tidak mampu bekerja 100% upah untuk 12 bulan pertama"),
    ("jkk-stmb-full-percent", "percent", 100, PP82,
     f"{JKK}: santunan sementara tidak mampu bekerja 12 bulan pertama 100% upah"),
    ("jkk-stmb-after-percent", "percent", 50, PP82,
     f"{JKK}: santunan sementara tidak mampu bekerja bulan berikutnya 50% upah sampai sembuh"),
    ("jkk-disability-total", "wage_multiple", 56, PP82,
     f"{JKK}: cacat total tetap 70% × 80 × upah"),
    ("jkk-disability-partial-base", "wage_multiple", 80, PP82,
     f"{JKK}: cacat sebagian anatomis/fungsi % tabel × 80 × upah"),
    ("jkk-disability-partial-cap", "percent", 70, PP82,
     f"{JKK}: jumlah seluruh cacat sebagian paling banyak 70%"),
    ("jkk-death", "wage_multiple", 48, PP82,
     f"{JKK}: meninggal dunia akibat kecelakaan kerja 60% × 80 × upah, paling sedikit sebesar "
     "santunan kematian JKM"),
    ("jkk-funeral", "rupiah", 10_000_000, PP82, f"{JKK}: biaya pemakaman Rp10.000.000"),
    ("jkk-periodic", "rupiah", 12_000_000, PP82,
     f"{JKK}: santunan berkala 24 × Rp500.000 dibayar sekaligus Rp12.000.000"),
    ("jkk-sudden-death-months-paid", "months", 12, PP82,
     "Permenaker 5/2021 Pasal 85 sebagaimana diubah: meninggal mendadak saat bekerja di "
     "kegiatan yang didaftarkan adalah kecelakaan kerja bagi peserta bukan penerima upah bila "
     "iuran telah dibayar paling sedikit 12 bulan"),
    ("jkk-lapse-years", "years", 5, PP82,
     "PP 82/2019 Pasal 26: hak menuntut manfaat JKK gugur setelah 5 tahun sejak kecelakaan"),
    ("scholarship-tk", "rupiah", 1_500_000, PP82, f"{BEASISWA}: TK Rp1.500.000 per tahun"),
    ("scholarship-tk-years", "years", 2, PP82, f"{BEASISWA}: TK paling lama 2 tahun"),
    ("scholarship-sd", "rupiah", 1_500_000, PP82, f"{BEASISWA}: SD Rp1.500.000 per tahun"),
    ("scholarship-sd-years", "years", 6, PP82, f"{BEASISWA}: SD paling lama 6 tahun"),
    ("scholarship-smp", "rupiah", 2_000_000, PP82, f"{BEASISWA}: SMP Rp2.000.000 per tahun"),
    ("scholarship-smp-years", "years", 3, PP82, f"{BEASISWA}: SMP paling lama 3 tahun"),
    ("scholarship-sma", "rupiah", 3_000_000, PP82, f"{BEASISWA}: SMA Rp3.000.000 per tahun"),
    ("scholarship-sma-years", "years", 3, PP82, f"{BEASISWA}: SMA paling lama 3 tahun"),
    ("scholarship-pt", "rupiah", 12_000_000, PP82,
     f"{BEASISWA}: perguruan tinggi (paling tinggi S1) atau pelatihan Rp12.000.000 per tahun"),
    ("scholarship-pt-years", "years", 5, PP82, f"{BEASISWA}: perguruan tinggi paling lama 5 tahun"),
    ("scholarship-max-children", "count", 2, PP82, f"{BEASISWA}: paling banyak 2 orang anak"),
    ("scholarship-jkm-min-years", "years", 3, PP82,
     f"{BEASISWA}: peserta yang meninggal bukan karena kecelakaan kerja telah membayar iuran "
     "paling singkat 3 tahun (kecelakaan kerja yang mengakibatkan meninggal atau cacat total "
     "tetap: tanpa masa iuran)"),
    ("scholarship-back-pay-years", "years", 3, PP82,
     f"{BEASISWA}: tahun ajaran yang terlambat diajukan dibayar paling banyak 3 tahun"),
    ("scholarship-max-age", "years", 23, PP82,
     f"{BEASISWA}: anak belum berusia 23 tahun dan belum menikah"),
    ("arrears-max-months", "months", 3, dt.date(2015, 7, 1), ARREARS),
]  # fmt: skip


def seed(apps, schema_editor):
    Rule = apps.get_model("claims", "BenefitRule")
    for code, unit, value, valid_from, citation in RULES:
        Rule.objects.get_or_create(
            code=code,
            valid_from=valid_from,
            defaults={"unit": unit, "value": value, "citation": citation},
        )


def unseed(apps, schema_editor):
    Rule = apps.get_model("claims", "BenefitRule")
    for code, _unit, _value, valid_from, _citation in RULES:
        Rule.objects.filter(code=code, valid_from=valid_from).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_rules")]
    operations = [migrations.RunPython(seed, unseed)]
