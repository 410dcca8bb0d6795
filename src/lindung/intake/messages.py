"""Row-level messages of the intake checks, in Bahasa Indonesia and English.

Kept as a table (not gettext) because the validator fills them per row inside polars
expressions; `{name}` placeholders are filled from columns. NIK messages come from
`registry.nik.MESSAGES`, so a NIK gets the same explanation on every screen.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "name_required": ("Nama lengkap wajib diisi.", "Full name is required."),
    "name_too_long": (
        "Nama lebih dari 150 huruf; periksa apakah kolom lain ikut tertulis di kolom nama.",
        "The name is longer than 150 characters; check that no other column ran into it.",
    ),
    "text_too_long": (
        "Isian lebih dari {limit} huruf; periksa apakah kolom lain ikut tertulis di sini.",
        "The value is longer than {limit} characters; check that no other column ran into it.",
    ),
    "hidden_characters": (
        "Nama mengandung karakter tak terlihat atau pembalik arah teks (sering terbawa dari chat "
        "atau PDF). Ketik ulang nama ini.",
        "The name contains invisible or text-direction characters (often pasted from a chat or "
        "a PDF). Type the name again.",
    ),
    "nul_character": (
        "Sel berisi karakter NUL (kode 0) yang tidak bisa disimpan. Ketik ulang isinya.",
        "The cell contains a NUL character (code 0), which cannot be stored. Type it again.",
    ),
    "income_negative": (
        "Penghasilan tidak boleh negatif.",
        "Income cannot be negative.",
    ),
    "date_unreadable": (
        "Tanggal lahir '{value}' tidak terbaca. Tulis seperti 17-08-1980 (DD-MM-YYYY).",
        "Date of birth '{value}' cannot be read. Write it like 17-08-1980 (DD-MM-YYYY).",
    ),
    "birth_date_mismatch": (
        "Tanggal lahir {given} tidak sesuai dengan NIK, yang menunjukkan {nik}. Periksa NIK dan "
        "tanggal lahir pada KTP.",
        "Date of birth {given} does not match the NIK, which says {nik}. Check the NIK and the "
        "date on the ID card.",
    ),
    "sex_unreadable": (
        "Jenis kelamin '{value}' tidak dikenal. Tulis L (laki-laki) atau P (perempuan).",
        "Sex '{value}' is not recognised. Write L (male) or P (female).",
    ),
    "sex_mismatch": (
        "Jenis kelamin {given} tidak sesuai dengan NIK, yang menunjukkan {nik} (untuk perempuan, "
        "tanggal lahir di NIK ditambah 40).",
        "Sex {given} does not match the NIK, which says {nik} (for women the NIK's birth day is "
        "plus 40).",
    ),
    "phone_invalid": (
        "Nomor HP '{value}' tidak sah. Tulis seperti 0812-3456-7890.",
        "Phone number '{value}' is not valid. Write it like 0812-3456-7890.",
    ),
    "income_unreadable": (
        "Penghasilan '{value}' tidak terbaca. Tulis angka rupiah saja, misalnya 1500000.",
        "Income '{value}' cannot be read. Write the rupiah amount only, e.g. 1500000.",
    ),
    "occupation_required": ("Pekerjaan wajib diisi.", "Occupation is required."),
    "occupation_unknown": (
        "Pekerjaan '{value}' tidak ada di daftar.{hint} Pilih dari daftar pada templat (mis. "
        "PETANI/PEKEBUN, WIRASWASTA, Perangkat Desa) atau tulis kode pekerjaan e-KTP/KK.",
        "Occupation '{value}' is not on the list.{hint} Choose one from the template's list (e.g. "
        "PETANI/PEKEBUN, WIRASWASTA, Village apparatus) or write the e-KTP/KK occupation code.",
    ),
    "occupation_not_working": (
        "Pekerjaan '{value}' berarti tidak bekerja; Lindung mendaftarkan pekerja. Baris ini "
        "dilewati.",
        "Occupation '{value}' means not working; Lindung registers workers. This row is skipped.",
    ),
    "under_working_age": (
        "Menurut NIK, orang ini belum berusia {min} tahun (usia kerja); baris ini dilewati.",
        "By the NIK, this person is not yet {min} (working age); this row is skipped.",
    ),
    # Appended to occupation_unknown (leading space) when close entries exist.
    "occupation_hint": (" Maksud Anda: {names}?", " Did you mean: {names}?"),
    "village_out_of_scope": (
        "Kode desa {value} bukan desa yang boleh Anda isi. Periksa kolom Kode Desa atau kosongkan "
        "untuk memakai desa unggahan ini.",
        "Village code {value} is not a village you may enter. Check the village code column or "
        "leave it empty to use this upload's village.",
    ),
    "kk_excel_float": (
        "Nomor KK tertulis sebagai angka Excel ({value}) sehingga digit terakhirnya hilang. Ubah "
        "format kolom KK menjadi Teks, lalu ketik ulang nomor KK.",
        "The KK number was stored as an Excel number ({value}) and lost its last digits. Format "
        "the KK column as Text and type the number again.",
    ),
    "kk_length": (
        "Nomor KK harus 16 digit; yang tertulis {count} digit.",
        "A KK number has 16 digits; this one has {count}.",
    ),
    "heir_relationship_unknown": (
        "Hubungan ahli waris '{value}' tidak dikenal. Tulis suami/istri, anak, orang tua, cucu, "
        "kakek/nenek, saudara, atau mertua.",
        "Heir relationship '{value}' is not recognised. Write spouse, child, parent, grandchild, "
        "grandparent, sibling or parent-in-law.",
    ),
    "heir_nik_invalid": (
        "NIK ahli waris '{value}' harus 16 digit angka (atau kosongkan).",
        "The heir's NIK '{value}' must be 16 digits (or leave it empty).",
    ),
    "duplicate_in_file": (
        "NIK ini sudah ada di baris {row} berkas ini; baris ini dilewati.",
        "This NIK is already on row {row} of this file; this row is skipped.",
    ),
    "registered_elsewhere": (
        "NIK ini sudah terdaftar di desa lain. Orang yang pindah desa dipindahkan oleh admin "
        "kabupaten, bukan lewat unggahan.",
        "This NIK is registered in another village. People who moved are transferred by the "
        "regency admin, not by an upload.",
    ),
    "nik_identity_conflict": (
        "NIK ini terdaftar atas nama {name}; hubungi Dukcapil / kabupaten. Baris ini tidak "
        "disimpan dan data orang yang terdaftar tidak diubah; pasangan ini diteruskan ke "
        "pemeriksaan data ganda.",
        "This NIK is registered under the name {name}; contact Dukcapil / the regency. This row "
        "is not saved and the registered person is not changed; the pair goes to the duplicate "
        "review.",
    ),
    "nik_identity_conflict_elsewhere": (
        "NIK ini sudah terdaftar di desa lain atas nama orang lain; hubungi Dukcapil / "
        "kabupaten. Baris ini tidak disimpan; pasangan ini diteruskan ke pemeriksaan data ganda.",
        "This NIK is registered in another village under another person's name; contact "
        "Dukcapil / the regency. This row is not saved; the pair goes to the duplicate review.",
    ),
}


def text(code: str, lang: str = "id") -> str:
    from lindung.common.text import pick

    return pick(MESSAGES, code, lang)
