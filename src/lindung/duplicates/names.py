"""Indonesian personal names, normalised for comparison.

Village lists spell the same person many ways: `Muhammad` / `Muhamad` / `Mohd.` / `M.`,
`Achmad` / `Ahmad`, old spelling (`Djoko`, `Soekarno`, `Tjahjo`) and new (`Joko`, `Sukarno`,
`Cahyo`), titles (`H.`, `Hj.`, `S.Pd.`), and patronyms (`Siti Aminah binti Ali`). The key keeps the
given names; the patronym is kept apart, so `Siti Aminah` and `Siti Aminah binti Ali` compare as
the same name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Titles and degrees written before or after names on KTPs and in village lists.
TITLES = {
    "h", "hj", "haji", "hajjah", "dr", "drs", "dra", "ir", "prof", "kh", "ust", "ustadz",
    "ustad", "ustazah", "spd", "spdi", "sag", "sh", "se", "st", "skm", "skom", "ssos", "sip",
    "mm", "mpd", "msi", "amd", "amdkeb", "amk", "bsc", "ners", "skep", "sth", "spt", "shi",
    "almarhum", "alm", "almh", "almarhumah", "bapak", "bpk", "ibu", "sdr", "sdri", "tn", "ny",
    "nn",
}  # fmt: skip
PATRONYM_MARKERS = {"bin", "binti", "bt", "bte"}
# Spelling variants → one form. Applied to whole tokens after the old-spelling rules.
TOKEN_VARIANTS = {
    "muhammad": "muhammad", "muhamad": "muhammad", "mohammad": "muhammad", "mohamad": "muhammad",
    "muhamat": "muhammad", "mohamed": "muhammad", "muhammed": "muhammad", "mochammad": "muhammad",
    "mochamad": "muhammad", "mukhammad": "muhammad", "mokhamad": "muhammad", "mhd": "muhammad",
    "moh": "muhammad",
    "muh": "muhammad", "mohd": "muhammad", "md": "muhammad", "m": "muhammad",
    "achmad": "ahmad", "akhmad": "ahmad", "ahmat": "ahmad", "amad": "ahmad",
    "abd": "abdul", "abdoel": "abdul",
    "noor": "nur", "nurul": "nur",
    "sitti": "siti", "st": "siti",
    "yusup": "yusuf", "yoesoef": "yusuf", "jusuf": "yusuf",
    "rachman": "rahman", "rakhman": "rahman", "rohman": "rahman",
    "rachmat": "rahmat", "rakhmat": "rahmat",
    "fathur": "fatur", "zainal": "zainal", "zaenal": "zainal",
    "syarifah": "syarifah", "sarifah": "syarifah", "syaripah": "syarifah",
    "hasan": "hasan", "hassan": "hasan", "husin": "husein", "husain": "husein",
}  # fmt: skip
# Old (van Ophuijsen / Soewandi) spelling still on many KTPs.
_OLD_SPELLING = [
    ("oe", "u"), ("dj", "j"), ("tj", "c"), ("nj", "ny"), ("sj", "sy"), ("ch", "kh"), ("hj", "hy"),
]  # fmt: skip
_NOT_LETTER = re.compile(r"[^a-z ]+")


@dataclass(frozen=True, slots=True)
class NameKey:
    given: str  # normalised given names, e.g. "siti aminah"
    patronym: str  # what followed bin/binti, e.g. "ali"
    first: str  # first given token, for blocking


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _token(token: str) -> str:
    if token in TOKEN_VARIANTS:
        return TOKEN_VARIANTS[token]
    for old, new in _OLD_SPELLING:
        token = token.replace(old, new)
    token = re.sub(r"(.)\1+", r"\1", token)  # "Ahmmad", "Nurr" → single letters
    return TOKEN_VARIANTS.get(token, token)


# Academic degrees written with dots (S.Pd., M.Si., A.Md.): removed before dots become spaces.
_DEGREE = re.compile(
    r"\b(?:s|m|d|a)\.\s?(?:pd|ag|kom|sos|si|e|h|t|kep|km|ip|hi|th|pt|ak|ked|psi|hum|sn|md|ds)"
    r"(?:\.\s?[a-z]{1,4})?\.?(?=\s|,|$)"
)


def name_key(name: str) -> NameKey:
    # Degrees follow a comma ("Abdul Hamid, S.Pd."): drop everything after the first comma.
    text = _ascii(str(name or "")).lower().split(",")[0]
    text = _DEGREE.sub(" ", text).replace(".", " ")
    text = _NOT_LETTER.sub(" ", text.replace("'", ""))
    tokens = [t for t in text.split() if t]
    given: list[str] = []
    patronym: list[str] = []
    target = given
    for index, token in enumerate(tokens):
        if token in PATRONYM_MARKERS and index > 0:
            target = patronym
            continue
        if token in TITLES and len(tokens) > 1:
            continue
        target.append(_token(token))
    if not given and patronym:
        given, patronym = patronym, []
    joined = " ".join(given)
    return NameKey(given=joined, patronym=" ".join(patronym), first=given[0] if given else "")


def normalise_name(name: str) -> str:
    return name_key(name).given
