"""The worker registry: people keyed by NIK, their village, occupation, income and heirs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from lindung.regions.models import Region


class Sex(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class OccupationGroup(models.TextChoices):
    VILLAGE_GOVERNMENT = "village_government", _("Village government")
    COMMUNITY = "community", _("Community service")
    INFORMAL = "informal", _("Informal sector")
    REGISTRY = "registry", _("Population registry")


class WorkClass(models.TextChoices):
    """What kind of work an occupation is, for programs that protect informal workers."""

    INFORMAL = "informal", _("Informal work")
    FORMAL = "formal", _("Formal employment")
    NOT_WORKING = "not_working", _("Not working")


class Occupation(models.Model):
    """One managed list: the population registry's jobs and the programs' roles (`occupations.py`).

    Entries with a `registry_code` are the SIAK/Dukcapil jobs printed on e-KTP and KK; entries
    without one are program roles e-KTP does not carry (RT/RW head, linmas, guru ngaji…). Both
    live in one list because a village file has one occupation column and operators write either
    kind in it; see `occupations.py` for why.
    """

    code = models.SlugField(max_length=40, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    group = models.CharField(max_length=20, choices=OccupationGroup.choices)
    # The SIAK/Dukcapil "jenis pekerjaan" code (OpenSID `pekerjaan_id`); null for program roles.
    registry_code = models.PositiveSmallIntegerField(null=True, blank=True, unique=True)
    work_class = models.CharField(
        _("kind of work"), max_length=12, choices=WorkClass.choices, default=WorkClass.INFORMAL
    )
    # Kept equal to `work_class == informal` for readers of the older flag.
    is_informal = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "name_id"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "id").startswith("en") else self.name_id

    def save(self, *args, **kwargs):
        self.is_informal = self.work_class == WorkClass.INFORMAL
        super().save(*args, **kwargs)


class LifeStatus(models.TextChoices):
    ACTIVE = "active", _("Lives in the village")
    MOVED = "moved", _("Moved away")
    DECEASED = "deceased", _("Deceased")


class Worker(models.Model):
    REGION_FIELD = "village__code"  # the FK holds the code, so no join is made

    nik = models.CharField("NIK", max_length=16, unique=True)
    kk_number = models.CharField(_("family card (KK) number"), max_length=16, blank=True)
    name = models.CharField(_("full name"), max_length=150)
    birth_place = models.CharField(_("place of birth"), max_length=80, blank=True)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    address = models.CharField(_("address"), max_length=255, blank=True)
    village = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="workers",
        limit_choices_to={"level": 4},
        verbose_name=_("village"),
    )
    # Stored in E.164 (+6281234567890); shown in national form.
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="workers", verbose_name=_("occupation")
    )
    # Declared monthly income in whole rupiah: the basis of the JKK contribution step.
    monthly_income = models.PositiveBigIntegerField(_("monthly income (Rp)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # No index: nobody looks workers up by who created them, and every index costs bulk loads.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    # Where an import registered this person: the upload and its spreadsheet row (header = 1).
    # The first entry of their history, set by the commit's INSERT … SELECT instead of one audit
    # row per new person. No foreign key and no index: nothing to check or maintain per row of
    # a million-row import, and uploads are never deleted.
    source_upload_id = models.UUIDField(null=True, blank=True, editable=False)
    source_row = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # A person who moved away or died is kept (history, past lists) but marked, with the date
    # and the reason; such a person is no longer eligible for any list.
    # Database defaults too: the import's INSERT … SELECT and bulk COPY do not name these columns.
    life_status = models.CharField(
        _("status"),
        max_length=10,
        choices=LifeStatus.choices,
        default=LifeStatus.ACTIVE,
        db_default=LifeStatus.ACTIVE,
    )
    life_status_date = models.DateField(_("since"), null=True, blank=True)
    life_status_reason = models.TextField(_("reason"), blank=True, default="", db_default="")

    class Meta:
        ordering = ["name", "id"]
        # Lists are always scoped to a region prefix, then ordered by name: (village, name)
        # serves both. A name-only index would not help `icontains` search.
        indexes = [
            models.Index(fields=["village", "name"], name="worker_village_name"),
            models.Index(fields=["kk_number"], name="worker_kk"),
        ]

    def __str__(self) -> str:
        return self.name


class Relationship(models.TextChoices):
    # In the order of the heir ranking (PP 44/2015 as amended; see DOMAIN.md §3).
    SPOUSE = "spouse", _("Spouse (widow/widower)")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    PARENT_IN_LAW = "parent_in_law", _("Parent-in-law")
    NAMED_IN_WILL = "named_in_will", _("Named in the will")


class Heir(models.Model):
    REGION_FIELD = "worker__village__code"

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="heirs")
    name = models.CharField(_("name"), max_length=150)
    nik = models.CharField("NIK", max_length=16, blank=True)
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    # When the heir was registered: a scholarship child must have been registered before the
    # death (Permenaker 5/2021 Art. 102 as amended).
    # A database default too: imports and the demo insert heirs in bulk (INSERT … SELECT,
    # COPY) without naming this column.
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"


class DukcapilCheck(models.Model):
    """A cached answer of the population registry (see `dukcapil.py`)."""

    nik = models.CharField(max_length=16)
    name = models.CharField(max_length=150)
    source = models.CharField(max_length=20)
    result = models.JSONField()
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["nik", "source"], name="dukcapil_nik")]

    def __str__(self) -> str:
        return f"{self.nik} {self.result.get('status')} ({self.checked_at:%Y-%m-%d})"
