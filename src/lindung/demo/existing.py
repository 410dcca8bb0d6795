"""Coverage that was already running before a demo program, so the demo's figures are the
articles' (issue 11 §7). UCJ coverage counts every active participant of a region, not only the
program's (DOMAIN.md §6):

- Sarolangun (seed 004): 41.02 % before the launch of 6 November 2024, 66.08 % after it with
  27,214 new participants. The 41.02 % were people already covered: at demo scale, the people
  protected by the program on 30-11-2024 times 41.02 ÷ (66.08 − 41.02), picked among
  Sarolangun's people the program did not enrol, covered for July–December 2024.
- Muara Enim (seed 001): "from the village head down to RT and RW, all covered". The demo keeps
  most of Muara Enim's village lists at earlier steps (the operator's draft, lists waiting for
  the regency or BPJS); the officials of those villages are covered by their villages' own
  earlier enrolment for July–December 2025 (a Dana Desa semester, as PALI's program), so those
  lists do not hold them and the ecosystem is at 100 %.

Neither article says who paid for that earlier coverage. The demo books it under village
budgets (APBDes), the funder kind the app knows that fits: the articles' village workers are
paid from village funds (PALI, seed 003), and BPJS's "SD" funder code is exactly that. The
lists go through the real flow (village, regency, BPJS), are enrolled with synthetic KPJs and
paid monthly on the 10th, like every demo program. Periods are assumed (the articles give
none) and kept to a semester: every month of every participant is a line the month-end counts
read.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.billing.protection import PROTECTED, WITH_ARREARS, protection_sql
from lindung.coverage.refresh import OFFICIAL_ROLES
from lindung.enrolment.models import Participant
from lindung.programs.models import Program, SubmissionPerson
from lindung.programs.services import program_create
from lindung.registry.models import LifeStatus, Worker

from .programs import INFORMAL, VILLAGE_GOVERNMENT

SAROLANGUN = "1503"
# The article's figures (seed 004): coverage before and after the launch.
BEFORE_PCT, AFTER_PCT = Decimal("41.02"), Decimal("66.08")
AFTER_DAY = dt.date(2024, 11, 30)  # the month end after the launch (`demo.coverage.TARGETS`)
LEGAL_NOTE = (
    " Berita tidak menyebut pembayarnya; demo mencatatnya sebagai APBDes (jenis pendana yang ada "
    "paling dekat). Data sintetis."
)
BEFORE = {
    "1603": {
        "code": "muaraenim-aparatur-desa-2025",
        "name": "Kepesertaan aparatur desa yang sudah berjalan (sebelum program)",
        "owner_region_code": "1603",
        "legal_basis": "Kepesertaan aparatur desa Muara Enim sebelum program kabupaten; "
        "ekosistem desa 100 % terlindungi (berita 001). Periode diasumsikan Juli–Desember "
        "2025, semester Dana Desa seperti di PALI (berita 003)." + LEGAL_NOTE,
        "coverage_start": dt.date(2025, 7, 1),
        "coverage_end": dt.date(2025, 12, 31),
        "occupation_codes": list(OFFICIAL_ROLES),
        "funders": [{"kind": "apbdes", "name": "APBDes desa-desa Muara Enim"}],
    },
    SAROLANGUN: {
        "code": "sarolangun-sebelum-2024",
        "name": "Kepesertaan BPU yang sudah berjalan (sebelum program)",
        "owner_region_code": SAROLANGUN,
        "legal_basis": "Cakupan Sarolangun 41,02 % sebelum peluncuran 6 November 2024 (berita "
        "004). Periode diasumsikan Juli–Desember 2024." + LEGAL_NOTE,
        "coverage_start": dt.date(2024, 7, 1),
        "coverage_end": dt.date(2024, 12, 31),
        "occupation_codes": [*INFORMAL, *VILLAGE_GOVERNMENT, "petugas-ad-hoc-pemilu"],
        "funders": [{"kind": "apbdes", "name": "APBDes desa-desa Sarolangun"}],
    },
}


def cover(admin, regency: str, worker_ids: list[int]) -> Program | None:
    """The earlier coverage of `regency` for these people: a program with one list per
    village, taken through the flow to ready, enrolled with KPJs and paid every month."""
    from .billing import _bill_program
    from .enrolment import enrol_list
    from .programs import _advance

    if not worker_ids or Program.objects.filter(code=BEFORE[regency]["code"]).exists():
        return None
    program = program_create(actor=admin, **BEFORE[regency])
    by_village: dict[str, list[int]] = {}
    for pk, village in (
        Worker.objects.filter(pk__in=worker_ids).order_by("village_id", "pk")
    ).values_list("pk", "village_id"):
        by_village.setdefault(village, []).append(pk)
    for village, ids in by_village.items():
        submission = _advance(admin, program, village, "ready", worker_ids=ids)
        if submission.state == "ready":
            enrol_list(admin, program, submission, fmt="csv")
    _bill_program(admin, program, timezone.localdate())
    return program


def officials_covered_before(admin, regency: str, *, exclude: list[str]) -> int:
    """Cover the officials of the regency's demo villages, except those of `exclude` (the
    villages whose list of the regency's program gets its KPJs). Returns how many."""
    ids = list(
        Worker.objects.filter(
            village__code__startswith=regency,
            occupation__code__in=OFFICIAL_ROLES,
            life_status=LifeStatus.ACTIVE,
        )
        .exclude(village_id__in=exclude)
        .values_list("pk", flat=True)
    )
    cover(admin, regency, ids)
    return len(ids)


def protected_on(day: dt.date, regency: str) -> int:
    """People of the regency protected on `day` (with arrears or not), by the one rule."""
    sql, params = protection_sql(day)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM ({sql}) prot WHERE prot.village_id LIKE %s "
            "AND prot.status IN (%s, %s)",
            [*params, f"{regency}%", PROTECTED, WITH_ARREARS],
        )
        return cursor.fetchone()[0]


def demo_existing() -> int:
    """Sarolangun's coverage before its launch, once (after billing: it is sized on the
    program's protected people). Returns how many people it covers."""
    if Program.objects.filter(code=BEFORE[SAROLANGUN]["code"]).exists():
        return 0
    new = protected_on(AFTER_DAY, SAROLANGUN)
    if not new:
        return 0
    wanted = round(Decimal(new) * BEFORE_PCT / (AFTER_PCT - BEFORE_PCT))
    start = BEFORE[SAROLANGUN]["coverage_start"]
    taken = SubmissionPerson.objects.filter(outcome="accepted", removed_at__isnull=True)
    candidates = (
        Worker.objects.filter(
            village__code__startswith=SAROLANGUN,
            life_status=LifeStatus.ACTIVE,
            occupation__code__in=BEFORE[SAROLANGUN]["occupation_codes"],
            # adults under 65 on the first day (the default age rule)
            birth_date__lte=_years_before(start, 18),
            birth_date__gt=_years_before(start, 65),
        )
        .exclude(pk__in=Participant.objects.values("worker_id"))
        .exclude(pk__in=taken.values("worker_id"))
        .order_by("village_id", "pk")
        .values_list("pk", flat=True)
    )
    ids = list(candidates[:wanted])
    admin = User.objects.filter(role=Role.SUPERADMIN).first()
    with transaction.atomic():
        cover(admin, SAROLANGUN, ids)
    return len(ids)


def _years_before(day: dt.date, years: int) -> dt.date:
    from .generator import years_before

    return years_before(day, years)
