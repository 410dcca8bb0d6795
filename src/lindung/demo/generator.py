"""Synthetic, plausible workers for the demo: same seed and reference date, same people.

Nothing here is real data. The people are made to look like the ones the seed articles describe
(village officials and informal workers in Muara Enim, Musi Banyuasin, PALI and Sarolangun) so
that screens, filters, NIK checks and later eligibility rules have something realistic to show:

* names from the Malay/Palembang Muslim naming habits of South Sumatra and Jambi (often one or two
  given names, sometimes "bin"/"binti" and the father's name), with some Javanese names because
  both provinces received many transmigrants;
* NIKs that pass `registry.nik.inspect_nik`: issuing district + DDMMYY (+40 for women) + serial,
  where PALI residents born before the 2013 split sometimes still carry the old Muara Enim district
  code, and a few people carry a NIK from another district of the same regency (moved house);
* occupations weighted per regency after the program each article describes.

Villages are real ones picked from the Region table, so the app's region tree, scoping and NIK
residence checks work on the demo data exactly as on real data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from lindung.coverage.refresh import OFFICIAL_ROLES
from lindung.regions.models import HistoricalCode, Kind, Level, Region
from lindung.registry.models import Heir, Relationship, Sex, Worker

DEFAULT_SEED = 2025
DEFAULT_TOTAL = 4000
# Muara Enim, Musi Banyuasin, PALI (South Sumatra) and Sarolangun (Jambi): the seed articles.
DEMO_REGENCIES: tuple[str, ...] = ("1603", "1606", "1612", "1503")
VILLAGES_PER_REGENCY = (6, 10)

# Occupation codes that only exist in a desa: a kelurahan is run by civil servants, not by a
# village head, apparatus and BPD paid from village funds.
DESA_ONLY = frozenset(
    {"kepala-desa", "perangkat-desa", "bpd", "aparatur-non-perangkat", "operator-desa"}
)
# One per desa, given out before the weighted draw so no village gets three village heads.
ONE_PER_DESA = ("kepala-desa", "operator-desa")


@dataclass(frozen=True)
class RegencyProfile:
    """How a regency's program looks: its share of the demo and who it protects."""

    share: float
    occupations: dict[str, int]
    # Programs paid from village funds register the village head and operator of every desa.
    village_government: bool
    capital: str
    # The start of coverage of a program that protects the regency's whole village ecosystem
    # (every official, village head down to RT/RW): its officials are drawn at an age that
    # program accepts on that day (`OFFICIAL_AGES`), as real serving officials are.
    officials_eligible_on: dt.date | None = None


PROFILES: dict[str, RegencyProfile] = {
    # Muara Enim (seed 000/001): 24,651 village workers (head, apparatus, BPD, non-apparatus
    # staff, linmas, guru ngaji, operators; the whole ecosystem down to RT/RW) + 2,124 palm-oil
    # farmers.
    "1603": RegencyProfile(
        share=0.30,
        occupations={
            "perangkat-desa": 20,
            "bpd": 9,
            "aparatur-non-perangkat": 10,
            "linmas": 16,
            "guru-ngaji": 10,
            "ketua-rt-rw": 15,
            "petani-sawit": 12,
        },
        village_government=True,
        capital="Muara Enim",
        # Seed 001: "from the village head down to RT and RW, all covered" (100 %). The start of
        # `programs.PROGRAMS`' Muara Enim program (a test keeps the two equal).
        officials_eligible_on=dt.date(2025, 10, 1),
    ),
    # Musi Banyuasin "PAKE KELAMBU" (seed 002): poverty deciles 1-3 from P3KE, i.e. farmers,
    # day labourers, river fishers and small traders rather than village officials.
    "1606": RegencyProfile(
        share=0.30,
        occupations={
            "petani": 28,
            "petani-sawit": 10,
            "buruh-harian-lepas": 24,
            "nelayan": 10,
            "pedagang-kecil": 16,
            "tukang": 6,
            "ojek": 6,
        },
        village_government=False,
        capital="Sekayu",
    ),
    # PALI (seed 003): village officials already enrolled, plus the ≥100 workers per village each
    # desa is asked to budget for: farmers, ojek riders, craftsmen.
    "1612": RegencyProfile(
        share=0.15,
        occupations={
            "perangkat-desa": 22,
            "bpd": 8,
            "linmas": 9,
            "guru-ngaji": 5,
            "ketua-rt-rw": 7,
            "petani": 16,
            "petani-sawit": 9,
            "ojek": 10,
            "tukang": 8,
            "buruh-harian-lepas": 6,
        },
        village_government=True,
        capital="Talang Ubi",
    ),
    # Sarolangun (seed 004): vulnerable workers of desa/kelurahan and ad hoc Pilkada officers.
    "1503": RegencyProfile(
        share=0.25,
        occupations={
            "petani": 18,
            "petani-sawit": 10,
            "buruh-harian-lepas": 12,
            "pedagang-kecil": 9,
            "tukang": 6,
            "ojek": 6,
            "sopir": 4,
            "nelayan": 3,
            "perangkat-desa": 8,
            "linmas": 6,
            "ketua-rt-rw": 5,
            "guru-ngaji": 4,
            "petugas-ad-hoc-pemilu": 12,
        },
        village_government=True,
        capital="Sarolangun",
    ),
}
_FALLBACK_PROFILE = RegencyProfile(
    share=0.25,
    occupations={"petani": 40, "buruh-harian-lepas": 25, "pedagang-kecil": 20, "ojek": 15},
    village_government=False,
    capital="",
)

# Share of men per occupation: linmas, ojek and fishers are nearly all men, traders and guru
# ngaji much less so. Feeds the sex (and so the +40 day) of each NIK.
MALE_SHARE: dict[str, float] = {
    "kepala-desa": 0.92,
    "perangkat-desa": 0.70,
    "bpd": 0.80,
    "aparatur-non-perangkat": 0.60,
    "linmas": 0.95,
    "guru-ngaji": 0.45,
    "operator-desa": 0.55,
    "ketua-rt-rw": 0.90,
    "petani-sawit": 0.80,
    "petani": 0.72,
    "nelayan": 0.95,
    "pedagang-kecil": 0.40,
    "tukang": 0.95,
    "sopir": 0.98,
    "ojek": 0.98,
    "buruh-harian-lepas": 0.75,
    "petugas-ad-hoc-pemilu": 0.55,
}

# Declared monthly income ranges (rupiah). Government-funded programs usually register everyone
# at the lowest step, so about a third get exactly Rp1,000,000.
INCOME_RANGE: dict[str, tuple[int, int]] = {
    "kepala-desa": (2_500_000, 3_500_000),
    "perangkat-desa": (1_800_000, 2_800_000),
    "operator-desa": (1_500_000, 2_500_000),
    "bpd": (1_000_000, 1_800_000),
}
DEFAULT_INCOME_RANGE = (1_000_000, 3_000_000)
INCOME_STEP = 50_000
LOWEST_STEP = 1_000_000


def _words(text: str) -> tuple[str, ...]:
    """Long name lists kept as paragraphs: one name per line would bury the code."""
    return tuple(text.split())


MALE_GIVEN = _words(
    """
    Muhammad Ahmad Rahmat Dedi Hendra Syahrial Zulkifli Herman Rusdi Amir Yusuf Ismail Abdul
    Iwan Andi Firdaus Hasan Husin Jamaluddin Ridwan Nasrul Rozali Safrudin Taufik Usman
    Wahyudi Zainal Darmawan Edi Feri Romli Sukri Anwar Arif Mulyadi Sulaiman Hamdan Rizki
    Fajar Aidil Bambang Agus Joko Slamet Sutrisno Heri Yopi Fauzi Irwan Junaidi Marwan
    Nurdin Rasyid Saiful Thamrin Yulianto
    """
)
FEMALE_GIVEN = _words(
    """
    Siti Nurhayati Sri Yuliana Rohani Fatimah Aisyah Maryam Rosmawati Dewi Yanti Lina
    Herlina Nurjanah Rahmawati Suryani Juwita Erni Mardiana Hartini Asmawati Zubaidah
    Halimah Khadijah Eka Rina Kartini Masnah Maimunah Nurlela Salmah Yusnani Eliyana Desi
    Novita Sumarni Wartini Rusmini Ernawati Zuraida Hasanah Mega
    """
)
# Not surnames (Malay names have none) but the second names and father's names people carry.
MALE_SECOND = _words(
    """
    Saputra Hidayat Pratama Kurniawan Setiawan Syahputra Ramadhan Firmansyah Gunawan Effendi
    Hamzah Azhari Iskandar Rusli Sofyan Yahya Ibrahim Harun Marzuki Wijaya Sanjaya Fauzan
    Hakim Nugroho
    """
)
FEMALE_SECOND = _words(
    """
    Wati Sari Lestari Handayani Susanti Yulianti Oktaviani Puspita Ningsih Apriani Anggraini
    Fitriani Novitasari Hayati Aminah Zahara Purnama Agustina Safitri Wulandari
    """
)
# Names of children born in the 2000s and 2010s sound different from their parents'.
YOUNG_MALE = _words(
    """
    Rizky Alif Aditya Fadli Raka Dafa Farhan Ilham Rafi Zaki Arkan Daffa Fikri Akbar Reza
    Azka
    """
)
YOUNG_FEMALE = _words(
    """
    Nabila Zahra Naura Keisya Aulia Syifa Salsabila Nayla Azzahra Putri Cinta Khairunnisa
    Anisa Alya Zaskia Intan
    """
)

BIRTH_TOWNS = ("Palembang", "Prabumulih", "Lahat", "Baturaja", "Lubuk Linggau", "Jambi", "Bangko")
ROMAN = ("I", "II", "III", "IV", "V", "VI")
STREETS = (
    "Jl. Merdeka",
    "Jl. Jenderal Sudirman",
    "Jl. Lintas Sumatera",
    "Jl. Pendidikan",
    "Jl. Masjid",
    "Jl. Pasar",
    "Jl. Kemang",
    "Jl. Pertamina",
)
# Telkomsel and Indosat dominate rural Sumatra.
MOBILE_PREFIXES = _words(
    """
    811 812 813 821 822 823 851 852 853 814 815 816 855 856 857 858
    """
)


@dataclass(frozen=True, slots=True)
class DemoVillage:
    code: str
    name: str
    kind: str
    district_name: str

    @property
    def regency_code(self) -> str:
        return self.code[:4]

    @property
    def district_code(self) -> str:
        return self.code[:6]

    @property
    def is_desa(self) -> bool:
        return self.kind != Kind.URBAN_VILLAGE


@dataclass(frozen=True, slots=True)
class DemoHeir:
    name: str
    relationship: str
    nik: str
    birth_date: dt.date | None
    phone: str


@dataclass(frozen=True, slots=True)
class DemoWorker:
    nik: str
    kk_number: str
    name: str
    birth_place: str
    birth_date: dt.date
    sex: str
    address: str
    village_code: str
    phone: str
    occupation_code: str
    monthly_income: int
    heirs: tuple[DemoHeir, ...] = ()


# --- villages --------------------------------------------------------------------------------


def pick_villages(
    rng: random.Random,
    regency_codes: Sequence[str] = DEMO_REGENCIES,
    per_regency: tuple[int, int] = VILLAGES_PER_REGENCY,
) -> list[DemoVillage]:
    """A few real, active villages per regency, in code order (the same for the same rng)."""
    picked: list[DemoVillage] = []
    for regency in regency_codes:
        rows = list(
            Region.objects.filter(level=Level.VILLAGE, is_active=True, code__startswith=regency)
            .order_by("code")
            .values_list("code", "name", "kind", "parent__name")
        )
        if not rows:
            continue
        count = min(len(rows), rng.randint(*per_regency))
        picked.extend(DemoVillage(*row) for row in sorted(rng.sample(rows, count)))
    return picked


# PALI (seed 003): "743 workers from 12 villages" had sent their data, the other villages had
# not. The demo gives PALI the 12 villages whose lists are sent plus a few still at the village
# (`programs.PALI_STEPS`); the rest of its 71 official villages have no list at all.
PALI = "1612"
PALI_VILLAGES = 15


def demo_villages(
    seed: int = DEFAULT_SEED, regency_codes: Sequence[str] = DEMO_REGENCIES
) -> list[DemoVillage]:
    """The demo's villages for a seed; a stream of its own so the worker count does not move it.
    PALI's extra villages come from another stream, so the other regencies' picks stay put."""
    picked = pick_villages(random.Random(f"lindung-demo-villages:{seed}"), regency_codes)
    if PALI not in regency_codes:
        return picked
    have = [v for v in picked if v.regency_code == PALI]
    rows = [
        DemoVillage(*row)
        for row in Region.objects.filter(level=Level.VILLAGE, is_active=True, code__startswith=PALI)
        .exclude(code__in=[v.code for v in have])
        .order_by("code")
        .values_list("code", "name", "kind", "parent__name")
    ]
    extra = random.Random(f"lindung-demo-pali:{seed}").sample(
        rows, max(0, min(len(rows), PALI_VILLAGES - len(have)))
    )
    pali = sorted([*have, *extra], key=lambda v: v.code)
    first = next((i for i, v in enumerate(picked) if v.regency_code == PALI), len(picked))
    others = [v for v in picked if v.regency_code != PALI]
    return [*others[:first], *pali, *others[first:]]


def spread(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split by `weights` into whole numbers that add up exactly (largest remainder)."""
    if not weights:
        return []
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def village_quotas(
    rng: random.Random, villages: Sequence[DemoVillage], total: int
) -> list[tuple[DemoVillage, int]]:
    """How many workers each village gets: by regency share, then unevenly within the regency."""
    by_regency: dict[str, list[DemoVillage]] = defaultdict(list)
    for village in villages:
        by_regency[village.regency_code].append(village)
    regencies = list(by_regency)
    shares = [PROFILES.get(code, _FALLBACK_PROFILE).share for code in regencies]
    quotas: list[tuple[DemoVillage, int]] = []
    for regency, regency_total in zip(regencies, spread(total, shares), strict=True):
        members = by_regency[regency]
        operators = operator_village(members, regency)
        # The demo operator's village gets the most people, so its login has something to show.
        weights = [1.6 if v == operators else rng.uniform(0.5, 1.5) for v in members]
        quotas.extend(zip(members, spread(regency_total, weights), strict=True))
    return quotas


def operator_village(villages: Sequence[DemoVillage], regency_code: str) -> DemoVillage | None:
    """The village a demo village operator works in: the regency's first desa in the selection."""
    members = [v for v in villages if v.regency_code == regency_code]
    return next((v for v in members if v.is_desa), members[0] if members else None)


# --- existing identifiers --------------------------------------------------------------------


def existing_niks(prefixes: Iterable[str]) -> set[str]:
    """Worker and heir NIKs already stored that start with one of `prefixes` (district codes)."""
    prefixes = sorted(set(prefixes))
    if not prefixes:
        return set()
    match = Q()
    for prefix in prefixes:
        match |= Q(nik__startswith=prefix)
    taken = set(Worker.objects.filter(match).values_list("nik", flat=True))
    taken.update(Heir.objects.filter(match).values_list("nik", flat=True))
    return taken


def historical_districts(district_codes: Iterable[str]) -> dict[str, list[tuple[str, int | None]]]:
    """Current district → [(old code, year it changed)] from the HistoricalCode table.

    Read from the table (not the shipped CSV) because that is what NIK checks accept.
    """
    out: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
    rows = HistoricalCode.objects.filter(
        level=Level.DISTRICT, current_id__in=list(district_codes)
    ).order_by("old_code")
    for old in rows:
        out[old.current_id].append((old.old_code, old.change_year))
    return dict(out)


def districts_by_regency(regency_codes: Iterable[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for regency in regency_codes:
        out[regency] = list(
            Region.objects.filter(level=Level.DISTRICT, is_active=True, code__startswith=regency)
            .order_by("code")
            .values_list("code", flat=True)
        )
    return dict(out)


# --- small generators ------------------------------------------------------------------------


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def birth_date_for_age(rng: random.Random, age: int, reference: dt.date) -> dt.date:
    """A birth date on which the person is exactly `age` years old on `reference`."""
    latest = years_before(reference, age)
    earliest = years_before(reference, age + 1) + dt.timedelta(days=1)
    return random_date(rng, earliest, latest)


def age_on(born: dt.date, reference: dt.date) -> int:
    return reference.year - born.year - ((reference.month, reference.day) < (born.month, born.day))


def worker_age(rng: random.Random, occupation: str) -> int:
    # A handful past 65 so that the "under 65" eligibility rule has someone to exclude.
    if rng.random() < 0.015:
        return rng.randint(65, 72)
    low = 25 if occupation == "kepala-desa" else 18  # the law's minimum age for a village head
    return int(rng.triangular(low, 64.999, 40))


# Ages (on `officials_eligible_on`) of officials in a regency whose ecosystem is all covered:
# adults under 65, the programs' default age rule (`EligibilityRules`), one year short of the cap
# at the bottom so they are adults on every day of that year too.
OFFICIAL_AGES = (19, 64)


def official_age(age: int) -> int:
    """`worker_age`'s draw brought inside `OFFICIAL_AGES` without drawing again (another draw
    would move every later person of the demo): 65–72 mirrored to 64–57, the youngest raised."""
    low, high = OFFICIAL_AGES
    if age > high:
        age = 2 * high + 1 - age
    return max(low, age)


def income(rng: random.Random, occupation: str) -> int:
    if occupation not in INCOME_RANGE and rng.random() < 0.35:
        return LOWEST_STEP
    low, high = INCOME_RANGE.get(occupation, DEFAULT_INCOME_RANGE)
    return rng.randrange(low, high + 1, INCOME_STEP)


def given_name(rng: random.Random, sex: str, *, young: bool = False) -> str:
    if young:
        return rng.choice(YOUNG_FEMALE if sex == Sex.FEMALE else YOUNG_MALE)
    return rng.choice(FEMALE_GIVEN if sex == Sex.FEMALE else MALE_GIVEN)


def person_name(
    rng: random.Random, sex: str, *, father: str | None = None, young: bool = False
) -> str:
    """A full name as it appears on a KTP; `father` enables the "bin/binti" form."""
    first = given_name(rng, sex, young=young)
    female = sex == Sex.FEMALE
    roll = rng.random()
    if roll < 0.08 and father:
        return f"{first} {'binti' if female else 'bin'} {father.split()[0]}"
    if roll < 0.12 and not female and not young and first != "Muhammad":
        return f"Muhammad {first}" if rng.random() < 0.7 else f"M. {first}"
    if roll < 0.30 and not young:
        return first  # a single name is still common among older villagers
    if roll < 0.50:
        other = given_name(rng, sex, young=young)
        if other != first:
            return f"{first} {other}"
    second = rng.choice(FEMALE_SECOND if female else MALE_SECOND)
    return f"{first} {second}"


def address(rng: random.Random, village: DemoVillage) -> str:
    rt, rw = rng.randint(1, 12), rng.randint(1, 4)
    if village.is_desa:
        return f"Dusun {rng.choice(ROMAN[:4])} RT {rt:03d}/RW {rw:03d}"
    return f"{rng.choice(STREETS)} No. {rng.randint(1, 150)} RT {rt:03d}/RW {rw:03d}"


def birth_place(rng: random.Random, village: DemoVillage) -> str:
    roll = rng.random()
    if roll < 0.80:
        return village.district_name
    capital = PROFILES.get(village.regency_code, _FALLBACK_PROFILE).capital
    if roll < 0.90 and capital:
        return capital
    return rng.choice(BIRTH_TOWNS)


# --- the generator ---------------------------------------------------------------------------


@dataclass
class _Identifiers:
    """NIKs, KK numbers and phone numbers handed out so far (plus those already in the database)."""

    niks: set[str] = field(default_factory=set)
    kks: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)


def nik_serial(rng: random.Random) -> int:
    # Serials count people registered per district and birth date: mostly small numbers.
    return rng.randint(1, 40) if rng.random() < 0.8 else rng.randint(41, 9999)


def make_nik(rng: random.Random, district: str, born: dt.date, sex: str, taken: set[str]) -> str:
    day = born.day + (40 if sex == Sex.FEMALE else 0)
    stem = f"{district}{day:02d}{born.month:02d}{born.year % 100:02d}"
    for attempt in range(200):
        serial = nik_serial(rng) if attempt < 20 else rng.randint(1, 9999)
        nik = f"{stem}{serial:04d}"
        if nik not in taken:
            taken.add(nik)
            return nik
    raise RuntimeError(f"no free NIK serial left for {stem}")


class WorkerFactory:
    """Makes one worker (and heirs) at a time from a seeded rng; identifiers never repeat."""

    def __init__(
        self,
        rng: random.Random,
        *,
        reference: dt.date,
        taken_niks: set[str],
        historical: dict[str, list[tuple[str, int | None]]],
        districts: dict[str, list[str]],
    ):
        self.rng = rng
        self.reference = reference
        self.ids = _Identifiers(niks=set(taken_niks))
        self.historical = historical
        self.districts = districts

    # identifiers

    def issuing_district(self, village: DemoVillage, born: dt.date, *, may_move: bool) -> str:
        """Where the NIK was issued: usually the home district, for some an older or other one."""
        rng, home = self.rng, village.district_code
        old_codes = [
            code for code, year in self.historical.get(home, []) if year and born.year < year
        ]
        # People born before their district changed regency (PALI left Muara Enim in 2013) often
        # still carry the old code: a NIK never changes.
        if old_codes and rng.random() < 0.4:
            return rng.choice(old_codes)
        others = [d for d in self.districts.get(village.regency_code, []) if d != home]
        if may_move and others and rng.random() < 0.04:
            return rng.choice(others)
        return home

    def nik(self, village: DemoVillage, born: dt.date, sex: str, *, may_move: bool = True) -> str:
        district = self.issuing_district(village, born, may_move=may_move)
        return make_nik(self.rng, district, born, sex, self.ids.niks)

    def kk_number(self, village: DemoVillage) -> str:
        # The KK is (re)issued where the family lives now: current district + date + serial.
        rng = self.rng
        while True:
            issued = random_date(rng, dt.date(2004, 1, 1), self.reference - dt.timedelta(days=30))
            kk = f"{village.district_code}{issued:%d%m%y}{rng.randint(1, 9999):04d}"
            if kk not in self.ids.kks:
                self.ids.kks.add(kk)
                return kk

    def phone(self) -> str:
        rng = self.rng
        while True:
            digits = 8 if rng.random() < 0.8 else 7
            number = (
                f"+62{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10 ** (digits - 1), 10**digits)}"
            )
            if number not in self.ids.phones:
                self.ids.phones.add(number)
                return number

    # people

    def worker(self, village: DemoVillage, occupation: str) -> DemoWorker:
        rng = self.rng
        sex = Sex.MALE if rng.random() < MALE_SHARE.get(occupation, 0.7) else Sex.FEMALE
        age, on = worker_age(rng, occupation), self.reference
        eligible_on = PROFILES.get(village.regency_code, _FALLBACK_PROFILE).officials_eligible_on
        if eligible_on and occupation in OFFICIAL_ROLES:
            age, on = official_age(age), eligible_on
        born = birth_date_for_age(rng, age, on)
        father = given_name(rng, Sex.MALE)
        name = person_name(rng, sex, father=father)
        nik = self.nik(village, born, sex)
        return DemoWorker(
            nik=nik,
            kk_number=self.kk_number(village),
            name=name,
            birth_place=birth_place(rng, village),
            birth_date=born,
            sex=sex,
            address=address(rng, village),
            village_code=village.code,
            phone=self.phone() if rng.random() < 0.85 else "",
            occupation_code=occupation,
            monthly_income=income(rng, occupation),
            heirs=self.heirs(village, name, born, sex, father),
        )

    def heirs(
        self, village: DemoVillage, name: str, born: dt.date, sex: str, father: str
    ) -> tuple[DemoHeir, ...]:
        rng = self.rng
        slots = rng.choices((0, 1, 2, 3), weights=(15, 25, 30, 30))[0]
        if not slots:
            return ()
        age = age_on(born, self.reference)
        out: list[DemoHeir] = []
        married = age >= 21 and rng.random() < 0.85
        if married:
            out.append(self.spouse(village, born, sex))
            husband = name if sex == Sex.MALE else out[0].name
            for _ in range(slots - 1):
                child = self.child(village, born, husband)
                if child:
                    out.append(child)
        else:
            parent = self.parent(village, born, father)
            if parent:
                out.append(parent)
        return tuple(out)

    def spouse(self, village: DemoVillage, born: dt.date, sex: str) -> DemoHeir:
        rng = self.rng
        other = Sex.FEMALE if sex == Sex.MALE else Sex.MALE
        shift = rng.randint(-3, 8) * (1 if other == Sex.FEMALE else -1)
        spouse_born = min(
            random_date(
                rng,
                years_before(born, -shift) - dt.timedelta(days=180),
                years_before(born, -shift) + dt.timedelta(days=180),
            ),
            years_before(self.reference, 18),
        )
        return DemoHeir(
            name=person_name(rng, other, father=given_name(rng, Sex.MALE)),
            relationship=Relationship.SPOUSE,
            nik=self.nik(village, spouse_born, other) if rng.random() < 0.75 else "",
            birth_date=spouse_born,
            phone=self.phone() if rng.random() < 0.4 else "",
        )

    def child(self, village: DemoVillage, parent_born: dt.date, father: str) -> DemoHeir | None:
        rng = self.rng
        start = years_before(parent_born, -20)
        end = min(years_before(parent_born, -42), self.reference - dt.timedelta(days=30))
        if start >= end:
            return None
        child_born = random_date(rng, start, end)
        sex = rng.choice((Sex.MALE, Sex.FEMALE))
        has_nik = rng.random() < 0.55
        return DemoHeir(
            name=person_name(rng, sex, father=father, young=child_born.year >= 2000),
            relationship=Relationship.CHILD,
            nik=self.nik(village, child_born, sex, may_move=False) if has_nik else "",
            birth_date=child_born,
            phone="",
        )

    def parent(self, village: DemoVillage, child_born: dt.date, father: str) -> DemoHeir | None:
        rng = self.rng
        parent_born = random_date(rng, years_before(child_born, 40), years_before(child_born, 20))
        if age_on(parent_born, self.reference) > 85:
            return None
        sex = rng.choice((Sex.MALE, Sex.FEMALE))
        return DemoHeir(
            name=father if sex == Sex.MALE else person_name(rng, sex),
            relationship=Relationship.PARENT,
            nik=self.nik(village, parent_born, sex) if rng.random() < 0.5 else "",
            birth_date=parent_born,
            phone=self.phone() if rng.random() < 0.3 else "",
        )


def occupations_for(rng: random.Random, village: DemoVillage, count: int) -> list[str]:
    """`count` occupation codes for one village: its head and operator first, then weighted."""
    profile = PROFILES.get(village.regency_code, _FALLBACK_PROFILE)
    fixed = list(ONE_PER_DESA) if village.is_desa and profile.village_government else []
    fixed = fixed[:count]
    weights = {
        code: w
        for code, w in profile.occupations.items()
        if village.is_desa or code not in DESA_ONLY
    }
    drawn = rng.choices(list(weights), weights=list(weights.values()), k=count - len(fixed))
    return fixed + drawn


def generate_workers(
    total: int = DEFAULT_TOTAL,
    *,
    seed: int = DEFAULT_SEED,
    regency_codes: Sequence[str] = DEMO_REGENCIES,
    reference_date: dt.date | None = None,
    villages: Sequence[DemoVillage] | None = None,
    taken_niks: set[str] | None = None,
) -> list[DemoWorker]:
    """`total` workers over the demo villages; NIKs unique among themselves and the database.

    `taken_niks` defaults to the NIKs already stored under the districts involved.
    """
    # The same "today" as NIK validation (Asia/Jakarta), so no birth date lands in its future.
    reference = reference_date or timezone.localdate()
    villages = list(demo_villages(seed, regency_codes) if villages is None else villages)
    if not villages:
        return []
    district_codes = {v.district_code for v in villages}
    historical = historical_districts(district_codes)
    districts = districts_by_regency({v.regency_code for v in villages})
    if taken_niks is None:
        prefixes = {d for ds in districts.values() for d in ds} | district_codes
        prefixes |= {old for olds in historical.values() for old, _year in olds}
        taken_niks = existing_niks(prefixes)
    rng = random.Random(f"lindung-demo-workers:{seed}")
    factory = WorkerFactory(
        rng,
        reference=reference,
        taken_niks=taken_niks,
        historical=historical,
        districts=districts,
    )
    workers: list[DemoWorker] = []
    for village, count in village_quotas(rng, villages, total):
        for occupation in occupations_for(rng, village, count):
            workers.append(factory.worker(village, occupation))
    return workers
