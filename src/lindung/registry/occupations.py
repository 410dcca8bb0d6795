"""The occupations the programs in the seed articles name; `lindung setup` seeds them.

Codes are stable identifiers used in files and the API; names can be edited later.
"""

from .models import OccupationGroup as G

# (code, Indonesian name, English name, group, informal?)
SEED = [
    ("kepala-desa", "Kepala Desa", "Village head", G.VILLAGE_GOVERNMENT, True),
    ("perangkat-desa", "Perangkat Desa", "Village apparatus", G.VILLAGE_GOVERNMENT, True),
    ("bpd", "Anggota BPD", "Village consultative body (BPD) member", G.VILLAGE_GOVERNMENT, True),
    (
        "aparatur-non-perangkat",
        "Aparatur Non Perangkat Desa",
        "Non-apparatus village staff",
        G.VILLAGE_GOVERNMENT,
        True,
    ),
    ("linmas", "Linmas", "Community protection (linmas)", G.COMMUNITY, True),
    ("guru-ngaji", "Guru Ngaji", "Quran teacher (guru ngaji)", G.COMMUNITY, True),
    ("operator-desa", "Operator Desa", "Village operator", G.VILLAGE_GOVERNMENT, True),
    ("ketua-rt-rw", "Ketua RT/RW", "RT/RW head", G.COMMUNITY, True),
    ("petani-sawit", "Petani Sawit", "Palm-oil farmer", G.INFORMAL, True),
    ("petani", "Petani", "Farmer", G.INFORMAL, True),
    ("nelayan", "Nelayan", "Fisher", G.INFORMAL, True),
    ("pedagang-kecil", "Pedagang Kecil", "Small trader", G.INFORMAL, True),
    ("tukang", "Tukang/Pengrajin", "Craftsman (tukang)", G.INFORMAL, True),
    ("sopir", "Sopir Angkutan", "Transport driver", G.INFORMAL, True),
    ("ojek", "Ojek", "Ojek rider", G.INFORMAL, True),
    ("buruh-harian-lepas", "Buruh Harian Lepas", "Day labourer", G.INFORMAL, True),
    (
        "petugas-ad-hoc-pemilu",
        "Petugas Ad Hoc Pemilu/Pilkada",
        "Ad hoc election officer",
        G.COMMUNITY,
        True,
    ),
]
