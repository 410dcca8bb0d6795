"""Eligibility of a submission's people, evaluated for all of them at once (polars).

Rules (per program, versioned in `EligibilityRules`): age at the start of coverage at least the
minimum and below the cap (65: the 65th birthday on the first day of coverage is out); occupation
on the program's list; informal work (the occupation's class: formal employees and people not
working are not eligible unless the rules admit them); living inside the program's region; not
already an accepted participant of another list whose coverage overlaps (touching periods are
fine); a NIK that still passes the structure rules; and, when the program requires it, a
poverty-list decile.
Each failed rule gives a code and a sentence in the UI language.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.db.models import Q

from lindung.common.text import pick, sentence
from lindung.registry.models import WorkClass, Worker

from .models import EligibilityRules, Outcome, PovertyRecord, Program, SubmissionPerson

MESSAGES = {
    "age_too_old": (
        "Usia {age} tahun pada awal perlindungan ({start}); program ini untuk usia di bawah {cap} "
        "tahun.",
        "Aged {age} at the start of coverage ({start}); this program is for people under {cap}.",
    ),
    "age_too_young": (
        "Usia {age} tahun pada awal perlindungan ({start}); usia minimal {min} tahun.",
        "Aged {age} at the start of coverage ({start}); the minimum age is {min}.",
    ),
    "occupation_not_eligible": (
        "Pekerjaan '{occupation}' tidak termasuk pekerjaan yang dilindungi program ini.",
        "Occupation '{occupation}' is not one this program protects.",
    ),
    "formal_employment": (
        "Pekerjaan '{occupation}' adalah pekerjaan formal (penerima upah); program ini untuk "
        "pekerja informal. Pekerja formal didaftarkan oleh pemberi kerjanya.",
        "Occupation '{occupation}' is formal employment (wage earner); this program is for "
        "informal workers. Employees are registered by their employer.",
    ),
    "not_working": (
        "Pekerjaan '{occupation}' berarti tidak bekerja; program ini untuk pekerja informal.",
        "Occupation '{occupation}' means not working; this program is for informal workers.",
    ),
    "outside_region": (
        "Berdomisili di luar wilayah program ({region}).",
        "Lives outside the program's region ({region}).",
    ),
    "already_covered": (
        "Sudah menjadi peserta program '{program}' pada periode yang beririsan "
        "({start} s.d. {end}).",
        "Already a participant of '{program}' in an overlapping period ({start} to {end}).",
    ),
    "nik_invalid": (
        "NIK tidak sah menurut aturan struktur NIK; perbaiki data pekerja terlebih dahulu.",
        "The NIK fails the NIK structure rules; correct the worker's record first.",
    ),
    "dukcapil_not_found": (
        "NIK tidak ditemukan di data kependudukan (Dukcapil).",
        "The NIK was not found in the population registry (Dukcapil).",
    ),
    "dukcapil_mismatch": (
        "Nama atau tanggal lahir tidak sesuai data kependudukan (Dukcapil) untuk NIK ini.",
        "Name or date of birth differs from the population registry (Dukcapil) for this NIK.",
    ),
    "dukcapil_structure_invalid": (
        "NIK tidak sah menurut aturan struktur NIK; perbaiki data pekerja terlebih dahulu.",
        "The NIK fails the NIK structure rules; correct the worker's record first.",
    ),
    "moved_away": (
        "Sudah pindah dari desa ({since}).",
        "Moved away from the village ({since}).",
    ),
    "deceased": (
        "Sudah meninggal dunia ({since}).",
        "Deceased ({since}).",
    ),
    "not_in_poverty_list": (
        "Tidak tercantum di DTSEN desil 1–{decile}; program ini mensyaratkannya.",
        "Not in the DTSEN list at decile 1–{decile}, which this program requires.",
    ),
}


def message(code: str, lang: str = "id") -> str:
    return pick(MESSAGES, code, lang)


def rules_for(program: Program, on: dt.date | None = None) -> EligibilityRules:
    """The rules version in force at the start of coverage (or `on`), else a default one."""
    day = on or program.coverage_start
    found = program.rules.filter(valid_from__lte=day).order_by("-valid_from", "-id").first()
    return found or EligibilityRules(program=program, valid_from=day)


def age_on(birth: pl.Expr, day: dt.date) -> pl.Expr:
    """Completed years on `day`: a birthday on `day` counts as reached."""
    had_birthday = (birth.dt.month() < day.month) | (
        (birth.dt.month() == day.month) & (birth.dt.day() <= day.day)
    )
    return day.year - birth.dt.year() - pl.when(had_birthday).then(0).otherwise(1)


def evaluate(
    program: Program, people: list[SubmissionPerson], *, lang: str = "id"
) -> dict[int, list]:
    """{person id: [reason, …]} for the given people; an empty list means eligible."""
    if not people:
        return {}
    rules = rules_for(program)
    start = program.coverage_start
    ids = {p.worker_id: p.pk for p in people}
    workers = pl.DataFrame(
        list(
            Worker.objects.filter(pk__in=ids).values_list(
                "id",
                "nik",
                "birth_date",
                "sex",
                "village_id",
                "occupation_id",
                "occupation__name_id",
                "occupation__work_class",
                "life_status",
                "life_status_date",
            )
        ),
        schema={
            "worker_id": pl.Int64,
            "nik": pl.Utf8,
            "birth_date": pl.Date,
            "sex": pl.Utf8,
            "village": pl.Utf8,
            "occupation_id": pl.Int64,
            "occupation": pl.Utf8,
            "work_class": pl.Utf8,
            "life_status": pl.Utf8,
            "life_status_date": pl.Date,
        },
        orient="row",
    )
    eligible_occupations = list(program.eligible_occupations.values_list("pk", flat=True))
    covered = _other_coverage(program, list(ids), people[0].submission_id)
    f = workers.join(covered, on="worker_id", how="left").with_columns(
        age_on(pl.col("birth_date"), start).alias("age")
    )
    if rules.require_poverty_list:
        poor = (
            # Columns, not rows: a list of NIK strings read as rows is split into characters.
            pl.DataFrame(
                {
                    "nik": list(
                        PovertyRecord.objects.filter(
                            nik__in=workers["nik"].to_list(),
                            decile__lte=rules.poverty_max_decile or 4,
                        ).values_list("nik", flat=True)
                    )
                },
                schema={"nik": pl.Utf8},
            )
            .unique()
            .with_columns(pl.lit(True).alias("poor"))
        )
        f = f.join(poor, on="nik", how="left")
    # The NIK's birth digits must still match the stored birth date and sex.
    day = pl.col("birth_date").dt.day() + pl.when(pl.col("sex") == "P").then(40).otherwise(0)
    nik_date = pl.concat_str(
        day.cast(pl.Utf8).str.zfill(2), pl.col("birth_date").dt.strftime("%m%y")
    )
    checks: list[tuple[pl.Expr, str, pl.Expr]] = [
        (
            pl.col("age") >= rules.age_max_exclusive,
            "age_too_old",
            _fill("age_too_old", lang, age=pl.col("age"), start=start.strftime("%d-%m-%Y"),
                  cap=rules.age_max_exclusive),
        ),
        (
            pl.col("age") < rules.age_min,
            "age_too_young",
            _fill("age_too_young", lang, age=pl.col("age"), start=start.strftime("%d-%m-%Y"),
                  min=rules.age_min),
        ),
        (
            ~pl.col("village").str.starts_with(program.owner_region_id),
            "outside_region",
            _fill("outside_region", lang, region=program.owner_region.name),
        ),
        (
            ~pl.col("nik").str.contains(r"^[0-9]{16}$")
            | (pl.col("nik").str.slice(12, 4) == "0000")
            | (pl.col("nik").str.slice(6, 6) != nik_date),
            "nik_invalid",
            _fill("nik_invalid", lang),
        ),
        (
            pl.col("other_program").is_not_null(),
            "already_covered",
            _fill("already_covered", lang, program=pl.col("other_program"),
                  start=pl.col("other_start").dt.strftime("%d-%m-%Y"),
                  end=pl.col("other_end").dt.strftime("%d-%m-%Y")),
        ),
    ]  # fmt: skip
    since = pl.col("life_status_date").dt.strftime("%d-%m-%Y").fill_null("-")
    for status, code in (("moved", "moved_away"), ("deceased", "deceased")):
        checks.append((pl.col("life_status") == status, code, _fill(code, lang, since=since)))
    if eligible_occupations:
        checks.append(
            (
                ~pl.col("occupation_id").is_in(eligible_occupations),
                "occupation_not_eligible",
                _fill("occupation_not_eligible", lang, occupation=pl.col("occupation")),
            )
        )
    if not rules.admit_formal_and_not_working:
        for work_class, code in (
            (WorkClass.FORMAL, "formal_employment"),
            (WorkClass.NOT_WORKING, "not_working"),
        ):
            checks.append(
                (
                    pl.col("work_class") == work_class.value,
                    code,
                    _fill(code, lang, occupation=pl.col("occupation")),
                )
            )
    if rules.require_poverty_list:
        checks.append(
            (
                pl.col("poor").is_null(),
                "not_in_poverty_list",
                _fill("not_in_poverty_list", lang, decile=rules.poverty_max_decile or 4),
            )
        )
    reasons = pl.concat(
        [
            f.filter(mask).select("worker_id", pl.lit(code).alias("code"), text.alias("message"))
            for mask, code, text in checks
        ]
    )
    out: dict[int, list] = {pk: [] for pk in ids.values()}
    for worker_id, code, text in reasons.iter_rows():
        out[ids[worker_id]].append({"code": code, "message": text})
    return out


def _fill(code: str, lang: str, **params) -> pl.Expr:
    return sentence(message(code, lang), **params)


def _other_coverage(program: Program, worker_ids: list[int], submission_id: int) -> pl.DataFrame:
    """For each worker, one other accepted participation whose period overlaps this program's."""
    overlapping = (
        SubmissionPerson.objects.filter(worker_id__in=worker_ids, outcome=Outcome.ACCEPTED)
        .exclude(submission_id=submission_id)
        .filter(
            Q(submission__program__coverage_start__lte=program.coverage_end)
            & Q(submission__program__coverage_end__gte=program.coverage_start)
        )
        .values_list(
            "worker_id",
            "submission__program__name",
            "submission__program__coverage_start",
            "submission__program__coverage_end",
        )
    )
    return pl.DataFrame(
        list(overlapping),
        schema={
            "worker_id": pl.Int64,
            "other_program": pl.Utf8,
            "other_start": pl.Date,
            "other_end": pl.Date,
        },
        orient="row",
    ).unique(subset=["worker_id"], keep="first")
