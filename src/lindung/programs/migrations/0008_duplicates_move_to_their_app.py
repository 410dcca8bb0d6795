"""DuplicateCandidate and DistinctPeople now belong to the `duplicates` app (its 0001 takes them
over with the same tables): removed from programs' state only, so no table is dropped."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("programs", "0007_rules_admit_formal_and_not_working"),
        ("duplicates", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DuplicateCandidate"),
                migrations.DeleteModel(name="DistinctPeople"),
            ]
        ),
    ]
