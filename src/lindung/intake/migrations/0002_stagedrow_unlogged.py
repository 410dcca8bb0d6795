"""On PostgreSQL the staging table is UNLOGGED: staged rows are a re-derivable copy of a stored
file, so they skip the write-ahead log (about twice as fast to fill). After a database crash
PostgreSQL empties the table; a commit then finds the rows missing, marks the upload failed and
the file is checked again (see `upload_commit`)."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE intake_stagedrow SET UNLOGGED")


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE intake_stagedrow SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
