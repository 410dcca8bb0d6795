"""The duplicate models move here from `programs`, keeping their tables and rows.

State only: the tables `programs_duplicatecandidate` and `programs_distinctpeople` already exist
(created by programs 0001/0005), so this migration creates the models in Django's state with
`db_table` set to those names and touches no table. `programs.0008` then drops them from
programs' state, again without touching the database. The content types follow, so permissions
and anything keyed on them keep pointing at the same rows.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ("duplicatecandidate", "distinctpeople")


def content_types_follow(apps, schema_editor, old="programs", new="duplicates"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def content_types_return(apps, schema_editor):
    content_types_follow(apps, schema_editor, old="duplicates", new="programs")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("intake", "0003_upload_checked_at"),
        ("programs", "0007_rules_admit_formal_and_not_working"),
        ("registry", "0002_remove_worker_worker_name_alter_worker_created_by"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="DistinctPeople",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("nik_low", models.CharField(max_length=16)),
                ("nik_high", models.CharField(max_length=16)),
                ("decided_at", models.DateTimeField(auto_now_add=True)),
                ("reason", models.TextField(blank=True)),
                ("decided_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "db_table": "programs_distinctpeople",
                "constraints": [models.UniqueConstraint(fields=("nik_low", "nik_high"), name="distinct_people_unique")],
            },
        ),
        migrations.CreateModel(
            name="DuplicateCandidate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("nik_a", models.CharField(max_length=16)),
                ("nik_b", models.CharField(max_length=16)),
                ("kind", models.CharField(choices=[("exact", "Same NIK, same person"), ("conflict", "Same NIK, different name or birth date"), ("probable", "Probably the same person")], max_length=10)),
                ("score", models.FloatField()),
                ("details", models.JSONField(default=dict)),
                ("region_code", models.CharField(db_index=True, max_length=10)),
                ("status", models.CharField(choices=[("open", "Waiting for review"), ("same", "Same person (merged)"), ("different", "Different people")], default="open", max_length=10)),
                ("found_at", models.DateTimeField(auto_now_add=True)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("incoming_row", models.PositiveIntegerField(blank=True, null=True)),
                ("incoming", models.JSONField(blank=True, default=dict)),
                ("decided_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("upload", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="intake.upload")),
                ("worker_a", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="registry.worker")),
                ("worker_b", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="registry.worker")),
            ],
            options={
                "db_table": "programs_duplicatecandidate",
                "ordering": ["-score", "id"],
                "constraints": [models.UniqueConstraint(fields=("worker_a", "worker_b"), name="duplicate_pair_unique")],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
