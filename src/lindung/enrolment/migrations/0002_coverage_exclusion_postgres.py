"""On PostgreSQL, the database itself refuses what the services refuse:

- one person is never in two programs' coverage for the same day: an exclusion constraint over
  (worker, daterange(start, end, '[]')) with btree_gist, for rows that cover at least a day;
- a KPJ names one person: no two rows with the same KPJ and different workers;
- a KPJ is 11 digits.

SQLite has no exclusion constraints; there the services' checks under lock are the guard.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE enrolment_participant ADD CONSTRAINT participant_no_overlap
       EXCLUDE USING gist (worker_id WITH =, daterange(start_date, end_date, '[]') WITH &&)
       WHERE (end_date >= start_date)""",
    """ALTER TABLE enrolment_participant ADD CONSTRAINT participant_kpj_one_person
       EXCLUDE USING gist (kpj WITH =, worker_id WITH <>) WHERE (kpj IS NOT NULL)""",
    """ALTER TABLE enrolment_participant ADD CONSTRAINT participant_kpj_digits
       CHECK (kpj IS NULL OR kpj ~ '^[0-9]{11}$')""",
]
BACKWARD = [
    "ALTER TABLE enrolment_participant DROP CONSTRAINT IF EXISTS participant_kpj_digits",
    "ALTER TABLE enrolment_participant DROP CONSTRAINT IF EXISTS participant_kpj_one_person",
    "ALTER TABLE enrolment_participant DROP CONSTRAINT IF EXISTS participant_no_overlap",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in FORWARD:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in BACKWARD:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("enrolment", "0001_participants")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
