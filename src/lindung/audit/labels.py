"""Audit events in words: one registry of action labels, field labels and value labels.

Action codes stay stable codes in the database ("submission.approved"); people read them as
words ("Disetujui kabupaten"). Each app registers the codes it writes (in its `AppConfig.ready`),
so the audit app needs to know no other app. A test collects every action code written anywhere
in the code base and fails on one without a label.

Field names and values of per-field changes are translated from the model the event is about
(its fields' `verbose_name` and `choices`), plus labels an app registers for keys that are not
model fields (counts such as "people" or "excluded").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Where a change came from, in words.
CHANNEL_LABELS = {
    "web": gettext_lazy("web"),
    "api": gettext_lazy("API"),
    "import": gettext_lazy("file upload"),
    "command": gettext_lazy("command line"),
    "admin": gettext_lazy("admin site"),
    "system": gettext_lazy("system"),
}

_ACTIONS: dict[str, Any] = {}
_FIELDS: dict[str, Any] = {}


def register_actions(labels: Mapping[str, Any]) -> None:
    """Give action codes their words (lazy translations)."""
    _ACTIONS.update(labels)


def register_fields(labels: Mapping[str, Any]) -> None:
    """Labels of change keys that are not model fields ("people", "excluded", "rows" …)."""
    _FIELDS.update(labels)


def action_codes() -> set[str]:
    return set(_ACTIONS)


def action_label(code: str) -> str:
    label = _ACTIONS.get(code)
    return str(label) if label is not None else code


def action_choices() -> list[tuple[str, str]]:
    """(code, words) for a filter: sorted by the words the reader sees."""
    return sorted(((c, str(label)) for c, label in _ACTIONS.items()), key=lambda p: p[1])


def _model_field(object_type: str, key: str):
    try:
        return apps.get_model(object_type)._meta.get_field(key)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def field_label(object_type: str, key: str) -> str:
    if key in _FIELDS:
        return str(_FIELDS[key])
    field = _model_field(object_type, key)
    if field is not None and getattr(field, "verbose_name", None):
        label = str(field.verbose_name)
        return label[:1].upper() + label[1:]
    return key


def value_label(object_type: str, key: str, value: Any) -> str:
    """One value as a reader sees it: a choice's label, yes/no, a dd-mm-yyyy date."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):  # e.g. the heirs of a removed worker
        return "; ".join(value_label(object_type, key, v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(
            f"{field_label(object_type, k)}: {value_label(object_type, k, v)}"
            for k, v in value.items()
        )
    field = _model_field(object_type, key)
    choices = dict(getattr(field, "flatchoices", None) or []) if field is not None else {}
    if value in choices:
        return str(choices[value])
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            pass
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    return str(value)


def changes_in_words(
    event, shown: Callable[[str, Any], str | None] | None = None
) -> list[tuple[str, str, str]]:
    """The event's per-field changes as (field label, before, after) in words. `shown` may
    render a key's value itself (e.g. an occupation id as its name); None falls back here."""
    out = []
    for key, change in (event.changes or {}).items():
        label = field_label(event.object_type, key)
        if not isinstance(change, list) or len(change) != 2:
            out.append((label, "", ""))
            continue
        words = []
        for value in change:
            custom = shown(key, value) if shown is not None else None
            words.append(
                custom if custom is not None else value_label(event.object_type, key, value)
            )
        out.append((label, words[0], words[1]))
    return out


def in_words(event, shown=None):
    """Annotate an event (in memory) with `action_label` and `fields` for a page."""
    event.action_label = action_label(event.action)
    event.channel_label = str(CHANNEL_LABELS.get(event.channel, event.channel))
    event.fields = changes_in_words(event, shown)
    return event


# The audit app's own codes: reads of personal data.
register_actions(
    {
        "pii.view": gettext_lazy("Full NIK shown"),
        "pii.search": gettext_lazy("Searched by NIK"),
    }
)
