#!/usr/bin/env python3
"""Duplicate-detection benchmark on a planted set.

    .venv/bin/python bench/dedup.py [--registered 1000000] [--submission 50000]

1,000,000 registered workers and a 50,000-row submission in which we plant exact duplicates,
NIK conflicts (a neighbour's NIK under another person), and near duplicates of every hard kind:
name variants and typos, one or two wrong NIK digits, day/month swapped and off-by-one birth
dates, missing middle names, bin/binti parts, and the same person in another village of the
regency. Everyone else is a new, distinct person drawn from the same name pool, so chance
look-alikes exist as they do in real villages. Precision and recall are on the near duplicates.
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import polars as pl  # noqa: E402

from lindung.duplicates import dedup  # noqa: E402


def _words(text: str) -> list[str]:
    return text.split()


MALE = _words(
    "Muhammad Ahmad Abdul Rahmat Yusuf Hasan Husein Ilham Dedi Joko Budi Agus Andi Rudi Eko "
    "Fajar Hendra Irwan Iwan Kurniawan Lukman Mulyadi Nasrul Rizki Samsul Slamet Sugeng "
    "Suparman Syamsul Taufik Wahyu Yanto Zainal Arif Bayu Dani Darmawan Firman Gunawan Hadi "
    "Hamdan Imam Jamal Kamal Mansur Nurdin Rahman Ridwan Saiful Sofyan Sutrisno Tono Umar Wawan "
    "Yudi Zulkifli "
)
FEMALE = _words(
    "Siti Nur Sri Aminah Fatimah Rina Dewi Lestari Wahyuni Rahmawati Yuliana Ani Dian Eka Fitri "
    "Hartini Indah Juwita Kartini Lina Maya Nining Nurhayati Puji Ratna Rosmini Sari Suryani "
    "Susanti Tuti Umi Wati Yanti Zahra Aisyah Halimah Khadijah Maryam Rohani Salmah Sumiati "
    "Warni Yati Zubaidah Asmah Erni Hasanah Jamilah Laila Masitah Nurjanah Rukiah Sapinah "
)
FAMILY = _words(
    "Saputra Hidayat Lestari Wahyudi Pratama Susanto Handayani Rahman Setiawan Kurniawati "
    "Santoso Gunawan Firmansyah Hakim Syahputra Nasution Siregar Harahap Lubis Ramadhan "
    "Hasibuan Daulay Effendi Suherman Sulaiman Ismail Hamid Yunus Baharudin Arifin Anwar "
    "Junaidi Mahmud Nawawi Rosyid Sabri Tamrin Usman Wijaya Zakaria Bakri Dahlan Fauzi Gani "
    "Halim Idris Jafar Kadir Latif Munir Nasir Qasim Rasyid Salim Thalib Wahid Zubir "
)
VARIANTS = {
    "Muhammad": ["M.", "Muhamad", "Mohammad", "Moh.", "Mochammad"],
    "Ahmad": ["Achmad", "Akhmad"],
    "Yusuf": ["Yusup", "Jusuf"],
    "Rahmat": ["Rachmat"],
    "Rahman": ["Rachman"],
    "Joko": ["Djoko"],
    "Budi": ["Boedi"],
    "Siti": ["Sitti", "St."],
    "Nur": ["Noor"],
    "Abdul": ["Abd."],
    "Sutrisno": ["Soetrisno"],
    "Suparman": ["Soeparman"],
}
DISTRICTS = [f"1603{d:02d}" for d in range(1, 23)] + [f"1612{d:02d}" for d in range(1, 6)]


def person_name(rng: random.Random, sex: str) -> str:
    pool = MALE if sex == "L" else FEMALE
    parts = [rng.choice(pool)]
    if rng.random() < 0.6:
        parts.append(rng.choice(pool))
    parts.append(rng.choice(FAMILY))
    return " ".join(parts)


def make_nik(district: str, born: dt.date, sex: str, serial: int) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"{district}{day:02d}{born:%m%y}{serial:04d}"


def registered_people(n: int, rng: random.Random) -> pl.DataFrame:
    rows = []
    used: set[str] = set()
    base = dt.date(1962, 1, 1)
    while len(rows) < n:
        sex = "L" if rng.random() < 0.5 else "P"
        born = base + dt.timedelta(days=rng.randrange(0, 16000))
        district = rng.choice(DISTRICTS)
        nik = make_nik(district, born, sex, rng.randrange(1, 3000))
        if nik in used:
            continue
        used.add(nik)
        village = f"{district}2{rng.randrange(1, 20):03d}"
        kk = f"{district}{rng.randrange(10**9):09d}{rng.randrange(1, 9)}"
        rows.append((len(rows) + 1, nik, person_name(rng, sex), born, sex, village, kk))
    return pl.DataFrame(rows, schema=dict.fromkeys(dedup.COLUMNS), orient="row").with_columns(
        pl.col("id").cast(pl.Int64), pl.col("birth_date").cast(pl.Date)
    )


def vary_name(name: str, rng: random.Random, kind: str) -> str:
    parts = name.split()
    if kind == "variant":
        swappable = [i for i, p in enumerate(parts) if p in VARIANTS]
        if swappable:
            i = rng.choice(swappable)
            parts[i] = rng.choice(VARIANTS[parts[i]])
            return " ".join(parts)
        kind = "typo"
    if kind == "typo":
        i = rng.randrange(len(parts))
        word = parts[i]
        if len(word) > 4:
            j = rng.randrange(1, len(word) - 1)
            word = word[:j] + word[j + 1 :] if rng.random() < 0.5 else word[:j] + word[j] + word[j:]
        parts[i] = word
        return " ".join(parts)
    if kind == "missing_middle" and len(parts) == 3:
        return f"{parts[0]} {parts[2]}"
    if kind == "patronym":
        return f"{name} {'binti' if rng.random() < 0.5 else 'bin'} {rng.choice(MALE)}"
    return name.upper()


def plant(registered: pl.DataFrame, n: int, rng: random.Random):
    """The submission plus the truth: {new id: (kind, registered id)}."""
    reg = registered.to_dicts()
    niks = set(registered["nik"].to_list())
    truth: dict[int, tuple[str, int]] = {}
    rows = []
    next_id = 10_000_000
    plan = [("exact", 2000), ("conflict", 1000)] + [
        (k, 625)
        for k in (
            "name_variant", "name_typo", "nik_one_digit", "nik_two_digits", "date_swapped",
            "date_off_by_one", "missing_middle", "patronym",
        )
    ]  # fmt: skip
    sources = rng.sample(reg, sum(c for _k, c in plan))
    cursor = 0
    for kind, count in plan:
        for _ in range(count):
            src = sources[cursor]
            cursor += 1
            next_id += 1
            nik, name, born, sex = src["nik"], src["name"], src["birth_date"], src["sex"]
            village, kk = src["village"], src["kk"]
            if kind == "exact":
                name = name.upper() if rng.random() < 0.5 else name
            elif kind == "conflict":
                sex_other = sex
                name = person_name(rng, sex_other)  # someone else typed under this NIK
            elif kind == "name_variant":
                name = vary_name(name, rng, "variant")
                nik, village = _other_nik(src, rng, niks, digits=1), _other_village(village, rng)
            elif kind == "name_typo":
                name = vary_name(name, rng, "typo")
                nik = _other_nik(src, rng, niks, digits=1)
            elif kind == "nik_one_digit":
                nik = _other_nik(src, rng, niks, digits=1)
            elif kind == "nik_two_digits":
                nik = _other_nik(src, rng, niks, digits=2)
                village = _other_village(village, rng)
            elif kind == "date_swapped":
                if born.day <= 12 and born.day != born.month:
                    born = born.replace(month=born.day, day=born.month)
                else:
                    born = born + dt.timedelta(days=1)
                nik = make_nik(nik[:6], born, sex, int(nik[12:]))
            elif kind == "date_off_by_one":
                born = born + dt.timedelta(days=rng.choice([-1, 1]))
                nik = make_nik(nik[:6], born, sex, int(nik[12:]))
            elif kind == "missing_middle":
                name = vary_name(name, rng, "missing_middle")
                nik = _other_nik(src, rng, niks, digits=1)
            elif kind == "patronym":
                name = vary_name(name, rng, "patronym")
                village = _other_village(village, rng)
                nik = _other_nik(src, rng, niks, digits=1)
            if kind not in ("exact", "conflict") and nik in niks:
                nik = _other_nik(src, rng, niks, digits=1)
            kk_out = kk if rng.random() < 0.5 else None
            rows.append((next_id, nik, name, born, sex, village, kk_out))
            truth[next_id] = (kind, src["id"])
    fresh = registered_people(n - len(rows), random.Random(rng.random()))
    fresh = fresh.filter(~pl.col("nik").is_in(list(niks))).with_columns(pl.col("id") + 20_000_000)
    planted = pl.DataFrame(rows, schema=dict.fromkeys(dedup.COLUMNS), orient="row").with_columns(
        pl.col("id").cast(pl.Int64), pl.col("birth_date").cast(pl.Date)
    )
    return pl.concat([planted, fresh]), truth


def _other_village(village: str, rng: random.Random) -> str:
    return f"{village[:6]}2{(int(village[7:]) % 19) + 1:03d}"


def _other_nik(src: dict, rng: random.Random, niks: set[str], digits: int) -> str:
    """The person's NIK with `digits` wrong digits outside the birth date (a typo)."""
    nik = src["nik"]
    positions = [4, 5, 12, 13, 14, 15]
    for _ in range(50):
        chars = list(nik)
        for pos in rng.sample(positions, digits):
            chars[pos] = rng.choice([d for d in "0123456789" if d != chars[pos]])
        candidate = "".join(chars)
        if candidate not in niks and candidate[12:] != "0000" and candidate[4:6] != "00":
            return candidate
    return nik


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registered", type=int, default=1_000_000)
    parser.add_argument("--submission", type=int, default=50_000)
    args = parser.parse_args()
    rng = random.Random(2025)
    print("[bench] generating", file=sys.stderr, flush=True)
    registered = registered_people(args.registered, rng)
    submission, truth = plant(registered, args.submission, rng)
    print(
        f"[bench] {registered.height:,} registered, {submission.height:,} submitted",
        file=sys.stderr,
    )

    started = time.perf_counter()
    found = dedup.find(submission, registered)
    seconds = time.perf_counter() - started

    # Baseline in the same run: what a plain rule finds (same raw name and birth date, any NIK).
    started = time.perf_counter()
    naive = submission.select(
        pl.col("id").alias("id_a"), pl.col("name").str.to_lowercase().alias("k"), "birth_date"
    ).join(
        registered.select(
            pl.col("id").alias("id_b"), pl.col("name").str.to_lowercase().alias("k"), "birth_date"
        ),
        on=["k", "birth_date"],
    )
    naive_seconds = time.perf_counter() - started
    naive_pairs = set(zip(naive["id_a"], naive["id_b"], strict=True))

    near_kinds = {k for k, _src in truth.values()} - {"exact", "conflict"}
    planted_near = {(i, src) for i, (k, src) in truth.items() if k in near_kinds}
    planted_exact = {(i, src) for i, (k, src) in truth.items() if k == "exact"}
    planted_conflict = {(i, src) for i, (k, src) in truth.items() if k == "conflict"}
    pairs = {
        kind: set(zip(g["id_a"], g["id_b"], strict=True)) for (kind,), g in found.group_by("kind")
    }
    probable = pairs.get("probable", set())
    true_pos = probable & planted_near
    per_kind = {}
    for kind in sorted(near_kinds):
        planted_k = {(i, s) for i, (k, s) in truth.items() if k == kind}
        per_kind[kind] = round(len(planted_k & probable) / len(planted_k), 3)
    figures = {
        "registered": registered.height,
        "submission": submission.height,
        "seconds": round(seconds, 2),
        "precision": round(len(true_pos) / max(len(probable), 1), 4),
        "recall": round(len(true_pos) / max(len(planted_near), 1), 4),
        "probable_found": len(probable),
        "near_planted": len(planted_near),
        "exact_found": len(pairs.get("exact", set()) & planted_exact),
        "exact_planted": len(planted_exact),
        "conflicts_found": len(pairs.get("conflict", set()) & planted_conflict),
        "conflicts_planted": len(planted_conflict),
        "recall_by_kind": per_kind,
        "baseline_same_name_and_birth_recall": round(
            len(naive_pairs & planted_near) / max(len(planted_near), 1), 4
        ),
        "baseline_same_name_and_birth_seconds": round(naive_seconds, 2),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
