"""The Kemendagri region tree: province → regency/city → district → village.

Codes are stored canonically, digits only (`1603012001`); the dotted form (`16.03.01.2001`) is
accepted everywhere a user types one and shown where a decree would show it. A code is the primary
key, so every table that points at a region stores the code itself and region scoping is a prefix
match on that column (no joins).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    REGENCY = 2, _("Regency/City")
    DISTRICT = 3, _("District")
    VILLAGE = 4, _("Village")


CODE_LENGTH = {Level.PROVINCE: 2, Level.REGENCY: 4, Level.DISTRICT: 6, Level.VILLAGE: 10}


class Kind(models.TextChoices):
    PROVINCE = "provinsi", _("Province")
    REGENCY = "kabupaten", _("Regency")
    CITY = "kota", _("City")
    DISTRICT = "kecamatan", _("District")
    DISTRIK = "distrik", _("District (distrik)")
    URBAN_VILLAGE = "kelurahan", _("Urban village (kelurahan)")
    VILLAGE = "desa", _("Village (desa)")
    CUSTOMARY_VILLAGE = "desa_adat", _("Customary village (desa adat)")


class RegionDataset(models.Model):
    """One load of the region list: which decree, from which source and version."""

    decree = models.CharField(max_length=120)
    source = models.CharField(max_length=120)
    source_version = models.CharField(max_length=40)
    loaded_at = models.DateTimeField(auto_now_add=True)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.decree} ({self.source} {self.source_version})"


class Region(models.Model):
    REGION_FIELD = "code"  # for accounts.scoping: a region is in scope when its code is

    code = models.CharField(max_length=10, primary_key=True)
    name = models.CharField(max_length=120)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    postal_code = models.CharField(max_length=5, blank=True)
    # A later decree that drops a code still referred to by data marks it inactive, never deletes.
    is_active = models.BooleanField(default=True)
    dataset = models.ForeignKey(
        RegionDataset, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "name"], name="region_level_name")]

    def __str__(self) -> str:
        return f"{self.dotted_code} {self.name}"

    @property
    def dotted_code(self) -> str:
        return dotted(self.code)

    @property
    def is_village(self) -> bool:
        return self.level == Level.VILLAGE


class HistoricalCode(models.Model):
    """A code that a NIK may still carry after its region split or was renumbered.

    A NIK keeps the district code it was issued under forever (PALI residents may hold `1603…`
    NIKs from before PALI left Muara Enim in 2013), so NIK checks accept these codes too.
    """

    old_code = models.CharField(max_length=10, primary_key=True)
    current = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="historical_codes"
    )
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    name = models.CharField(max_length=120)
    change_year = models.PositiveSmallIntegerField(null=True, blank=True)
    legal_basis = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["old_code"]

    def __str__(self) -> str:
        return f"{dotted(self.old_code)} {self.name} → {self.current_id or '?'}"


def canonical(code: str) -> str:
    """`16.03.01.2001` or ` 1603012001 ` → `1603012001`. Does not check the code exists."""
    return "".join(ch for ch in str(code) if ch in "0123456789")


def dotted(code: str) -> str:
    c = canonical(code)
    return ".".join(p for p in (c[0:2], c[2:4], c[4:6], c[6:10]) if p)


def level_of(code: str) -> int | None:
    return {2: 1, 4: 2, 6: 3, 10: 4}.get(len(canonical(code)))


class WorkforceDenominator(models.Model):
    """The working population of a region in a year: the denominator of coverage %.

    Imported from a statistics table (e.g. BPS "penduduk bekerja"), each row with the source it
    came from. BPS numbers regions in its own scheme, so the row also keeps the BPS code the file
    used, mapped EXPLICITLY to the Kemendagri region (`coverage.denominators`). A later import of
    the same region and year replaces the figure (the audit event keeps the old one).
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    working_population = models.PositiveBigIntegerField()
    bps_code = models.CharField(max_length=10, blank=True, default="")
    source = models.CharField(max_length=200)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region", "year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="denominator_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{dotted(self.region_id)} {self.year}: {self.working_population}"
