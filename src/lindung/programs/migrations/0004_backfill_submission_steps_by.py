"""Who submitted, approved and verified the lists that existed before these columns: read from
the audit trail (the last event of each step), so the four-eyes rule holds for them too."""

from django.db import migrations
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast

STEPS = {
    "submitted_by": "submission.submitted",
    "approved_by": "submission.approved",
    "verified_by": "submission.verified",
}


def backfill(apps, schema_editor):
    Submission = apps.get_model("programs", "Submission")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    User = apps.get_model("accounts", "User")
    for field, action in STEPS.items():
        last_actor = (
            AuditEvent.objects.filter(
                object_type="programs.submission",
                object_id=Cast(OuterRef("pk"), CharField()),
                action=action,
                # The audit keeps actors whose user row is gone; the column may not point there.
                actor_id__in=User.objects.values("pk"),
            )
            .order_by("-occurred_at", "-id")
            .values("actor_id")[:1]
        )
        # One UPDATE per step, whatever the number of lists.
        Submission.objects.filter(**{f"{field}__isnull": True}).update(
            **{field: Subquery(last_actor)}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0003_submission_version_and_steps_by"),
        ("audit", "0002_append_only_triggers"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
