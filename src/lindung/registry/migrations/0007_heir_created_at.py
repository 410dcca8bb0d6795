import django.db.models.functions.datetime
from django.db import migrations, models


class Migration(migrations.Migration):
    """When an heir was registered (scholarship children must be registered before the death).
    Heirs registered before this field existed get the time of the migration: the cautious
    choice, since an earlier date cannot be proven. A database default, so bulk inserts that do
    not name the column (imports, the demo's COPY) get the time of the insert."""

    dependencies = [
        ("registry", "0006_occupation_registry_code_and_work_class"),
    ]

    operations = [
        migrations.AddField(
            model_name="heir",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True, db_default=django.db.models.functions.datetime.Now()
            ),
        ),
    ]
