"""The states and end reasons of a participation, with Indonesian labels in django.po."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParticipantState(models.TextChoices):
    # Sent to BPJS, no KPJ yet: not protected.
    REGISTERED = "registered", _("Registered, waiting for the KPJ")
    # KPJ issued: protected from `start_date` to `end_date` (dates decide, not the state).
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class EndReason(models.TextChoices):
    PERIOD_OVER = "period_over", _("Program period over")
    DEATH = "death", _("Died")
    TURNED_65 = "turned_65", _("Reached the age limit (65)")
    MOVED_AWAY = "moved_away", _("Moved away")
    DUPLICATE = "duplicate", _("Found to be a duplicate")
    ARREARS = "arrears", _("Membership ended for arrears")
