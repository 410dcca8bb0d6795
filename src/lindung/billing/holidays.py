"""Holidays for the due date when lokal-id has no calendar for the year (issue 9 §4).

lokal-id ships the national holidays and cuti bersama of 2026–2027 only, while the seed programs
bill months of 2025 (Muara Enim Oct–Dec 2025, Musi Banyuasin from Jul 2025). The 2025 days are
dated data here with their source. For a year neither has, the due date skips weekends only
and the invoice records that the holidays were unknown: a due date is never refused.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

# 17 national holidays and 10 cuti bersama (signed 14 October 2024), plus the cuti bersama of
# 18 August 2025 added in 2025: 28 days, as below.
SKB_2025 = (
    "Keputusan Bersama Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB Nomor 1017 "
    "Tahun 2024, Nomor 2 Tahun 2024, Nomor 2 Tahun 2024 tentang Hari Libur Nasional dan Cuti "
    "Bersama Tahun 2025, as amended in 2025 (cuti bersama 18 August 2025)"
)

D = dt.date
HOLIDAYS_2025: dict[dt.date, str] = {
    D(2025, 1, 1): "Tahun Baru 2025 Masehi",
    D(2025, 1, 27): "Isra Mikraj Nabi Muhammad SAW",
    D(2025, 1, 28): "Cuti bersama Tahun Baru Imlek",
    D(2025, 1, 29): "Tahun Baru Imlek 2576 Kongzili",
    D(2025, 3, 28): "Cuti bersama Hari Suci Nyepi",
    D(2025, 3, 29): "Hari Suci Nyepi Tahun Baru Saka 1947",
    D(2025, 3, 31): "Idul Fitri 1446 H",
    D(2025, 4, 1): "Idul Fitri 1446 H",
    D(2025, 4, 2): "Cuti bersama Idul Fitri",
    D(2025, 4, 3): "Cuti bersama Idul Fitri",
    D(2025, 4, 4): "Cuti bersama Idul Fitri",
    D(2025, 4, 7): "Cuti bersama Idul Fitri",
    D(2025, 4, 18): "Wafat Yesus Kristus",
    D(2025, 4, 20): "Kebangkitan Yesus Kristus (Paskah)",
    D(2025, 5, 1): "Hari Buruh Internasional",
    D(2025, 5, 12): "Hari Raya Waisak 2569 BE",
    D(2025, 5, 13): "Cuti bersama Hari Raya Waisak",
    D(2025, 5, 29): "Kenaikan Yesus Kristus",
    D(2025, 5, 30): "Cuti bersama Kenaikan Yesus Kristus",
    D(2025, 6, 1): "Hari Lahir Pancasila",
    D(2025, 6, 6): "Idul Adha 1446 H",
    D(2025, 6, 9): "Cuti bersama Idul Adha",
    D(2025, 6, 27): "Tahun Baru Islam 1447 H",
    D(2025, 8, 17): "Proklamasi Kemerdekaan",
    D(2025, 8, 18): "Cuti bersama Hari Kemerdekaan",
    D(2025, 9, 5): "Maulid Nabi Muhammad SAW",
    D(2025, 12, 25): "Kelahiran Yesus Kristus",
    D(2025, 12, 26): "Cuti bersama Kelahiran Yesus Kristus",
}
OWN_CALENDARS = {2025: (HOLIDAYS_2025, SKB_2025)}


def working_day(day: dt.date) -> tuple[bool, str, bool]:
    """(is a working day, calendar used, holidays known) for `day`."""
    from lokal.holidays import is_working_day

    try:
        return is_working_day(day), "lokal-id (SKB 3 Menteri)", True
    except ValueError:
        pass
    if day.year in OWN_CALENDARS:
        days, source = OWN_CALENDARS[day.year]
        return day.weekday() < 5 and day not in days, source, True
    return (
        day.weekday() < 5,
        _("weekends only: no holiday calendar for %(year)s") % {"year": day.year},
        False,
    )
