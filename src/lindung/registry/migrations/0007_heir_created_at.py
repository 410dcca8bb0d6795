import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """When an heir was registered (scholarship children must be registered before the death).
    Heirs registered before this field existed get the time of the migration: the cautious
    choice, since an earlier date cannot be proven."""

    dependencies = [
        ("registry", "0006_occupation_registry_code_and_work_class"),
    ]

    operations = [
        migrations.AddField(
            model_name="heir",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
    ]
