"""A small region with hand-countable figures (imported by the figures tests).

On D = 10-10-2025 (October's contribution is not yet due; September's was, on the 15th):

| village | person | occupation     | sex | status on D                                   |
|---------|--------|----------------|-----|-----------------------------------------------|
| V1      | w1     | petani         | L   | protected (program A, Oct–Dec)                |
| V1      | w2     | kepala-desa    | L   | protected (A) — official, 65 years old        |
| V1      | w3     | perangkat-desa | P   | not enrolled — official                       |
| V1      | w4     | petani         | P   | program P1 Jul–Sep, then A: counted once (A)  |
| V1      | w5     | ojek           | L   | A, ended 05-10-2025 (moved): not protected    |
| V1      | w6     | petani         | L   | program C Jun–Dec, 4 months unpaid: not prot. |
| V2      | w7     | kepala-desa    | L   | protected (A) — official                      |
| V2      | w8     | ketua-rt-rw    | P   | protected (A) — official                      |
| V2      | w9     | petani         | L   | not enrolled                                  |
| V3      | w10    | petani         | L   | protected (A)                                 |
| V3      | w11    | petani         | L   | program C2 Aug–Dec (APBDes), Aug+Sep unpaid:  |
|         |        |                |     | protected with arrears                        |
| ME      | w12    | petani         | L   | protected (A), a Muara Enim village           |

V1, V2 are in district 16.12.01; V3 in the next PALI district; ME in Muara Enim (16.03).
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from lindung.conftest import MUARA_ENIM_VILLAGE, PALI_VILLAGE, PALI_VILLAGE_2

# Enrolment's fixtures make the programs.
from lindung.enrolment.tests.conftest import make_program, regency_admin  # noqa: F401

D = dt.date(2025, 10, 10)
V1, V2 = PALI_VILLAGE, PALI_VILLAGE_2
ME = MUARA_ENIM_VILLAGE


def other_district_village() -> str:
    from lindung.regions.models import Region

    district = (
        Region.objects.filter(level=3, code__startswith="1612")
        .exclude(code=V1[:6])
        .order_by("code")
        .first()
    )
    return Region.objects.filter(parent=district).order_by("code").first().code


def participate(program, worker, *, start, end, village=None, funder=None, ended=False):
    from lindung.enrolment.models import Participant

    return Participant.objects.create(
        program=program,
        worker=worker,
        village_id=village or worker.village_id,
        funder=funder or program.funders.first(),
        declared_wage=1_000_000,
        kpj=f"{worker.pk:011d}",
        state="ended" if ended else "active",
        end_reason="moved_away" if ended else "",
        registered_at=timezone.now(),
        start_date=start,
        end_date=end,
        enrol_batch=uuid.uuid4(),
    )


@pytest.fixture
def town(make_program, make_worker):  # noqa: F811
    """The people of the table above, with their programs; returns a namespace of them."""
    from types import SimpleNamespace

    v3 = other_district_village()
    a = make_program(code="prog-a", name="A Pekerja Rentan")
    p1 = make_program(
        code="prog-p1", name="P1", start=dt.date(2025, 7, 1), end=dt.date(2025, 9, 30)
    )
    c = make_program(code="prog-c", name="C", start=dt.date(2025, 6, 1), end=dt.date(2025, 12, 31))
    c2 = make_program(
        code="prog-c2", name="C2", start=dt.date(2025, 8, 1), end=dt.date(2025, 12, 31),
        funders=[{"kind": "apbdes", "name": "APBDes Talang"}],
    )  # fmt: skip
    w = {}
    w[1] = make_worker(village=V1)
    w[2] = make_worker(village=V1, occupation_code="kepala-desa", birth_date=dt.date(1960, 1, 2))
    w[3] = make_worker(village=V1, occupation_code="perangkat-desa", sex="P")
    w[4] = make_worker(village=V1, sex="P")
    w[5] = make_worker(village=V1, occupation_code="ojek")
    w[6] = make_worker(village=V1)
    w[7] = make_worker(village=V2, occupation_code="kepala-desa")
    w[8] = make_worker(village=V2, occupation_code="ketua-rt-rw", sex="P")
    w[9] = make_worker(village=V2)
    w[10] = make_worker(village=v3)
    w[11] = make_worker(village=v3)
    w[12] = make_worker(village=ME)
    oct1, dec31 = dt.date(2025, 10, 1), dt.date(2025, 12, 31)
    for i in (1, 2, 4, 7, 8, 10, 12):
        participate(a, w[i], start=oct1, end=dec31)
    participate(p1, w[4], start=dt.date(2025, 7, 1), end=dt.date(2025, 9, 30))
    participate(a, w[5], start=oct1, end=dt.date(2025, 10, 5), ended=True)
    participate(c, w[6], start=dt.date(2025, 6, 1), end=dec31)
    participate(c2, w[11], start=dt.date(2025, 8, 1), end=dec31)
    return SimpleNamespace(a=a, p1=p1, c=c, c2=c2, w=w, v3=v3)
