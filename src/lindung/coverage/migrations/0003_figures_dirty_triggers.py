"""Database triggers that mark villages for recounting (`coverage.DirtyVillage`) in the same
transaction as any change to what the coverage figures count, whatever made it (a service, a
bulk COPY or `update()`, an import, a command):

- participants (inserted, updated, deleted): the participation's village and the person's
  registered village (a covered person counts in the participation's village, others in their
  own);
- invoice lines updated or deleted (a line becomes paid: `settled_on`): the line's village;
- workers (inserted, updated, deleted): their village, old and new, and the villages of their
  participations (sex, birth date, occupation or life status change their cells).

PostgreSQL: statement-level triggers with transition tables, so a COPY of a million rows marks
each village once per statement. SQLite: row-level triggers (demo-sized data).
"""

from django.db import migrations

UPSERT = (
    "INSERT INTO coverage_dirtyvillage (village, version) {select} "
    "ON CONFLICT (village) DO UPDATE SET version = coverage_dirtyvillage.version + 1"
)

# (table, event, PostgreSQL SELECT of village codes from the transition tables new_rows/old_rows)
PG_SOURCES = {
    ("enrolment_participant", "INSERT"): (
        "SELECT village_id FROM new_rows UNION SELECT w.village_id FROM new_rows n "
        "JOIN registry_worker w ON w.id = n.worker_id"
    ),
    ("enrolment_participant", "UPDATE"): (
        "SELECT village_id FROM new_rows UNION SELECT village_id FROM old_rows "
        "UNION SELECT w.village_id FROM new_rows n JOIN registry_worker w ON w.id = n.worker_id"
    ),
    ("enrolment_participant", "DELETE"): (
        "SELECT village_id FROM old_rows UNION SELECT w.village_id FROM old_rows n "
        "JOIN registry_worker w ON w.id = n.worker_id"
    ),
    ("billing_invoiceline", "UPDATE"): (
        "SELECT n.village_id FROM new_rows n JOIN old_rows o ON o.id = n.id "
        "WHERE n.settled_on IS DISTINCT FROM o.settled_on"
    ),
    ("billing_invoiceline", "DELETE"): "SELECT village_id FROM old_rows",
    ("registry_worker", "INSERT"): "SELECT village_id FROM new_rows",
    ("registry_worker", "UPDATE"): (
        "SELECT village_id FROM new_rows UNION SELECT village_id FROM old_rows "
        "UNION SELECT p.village_id FROM new_rows n "
        "JOIN enrolment_participant p ON p.worker_id = n.id"
    ),
    ("registry_worker", "DELETE"): "SELECT village_id FROM old_rows",
}

# SQLite: the same, row by row (NEW/OLD).
SQLITE_SOURCES = {
    ("enrolment_participant", "INSERT"): [
        "SELECT NEW.village_id AS v WHERE true",
        "SELECT village_id AS v FROM registry_worker WHERE id = NEW.worker_id",
    ],
    ("enrolment_participant", "UPDATE"): [
        "SELECT NEW.village_id AS v WHERE true",
        "SELECT OLD.village_id AS v WHERE true",
        "SELECT village_id AS v FROM registry_worker WHERE id = NEW.worker_id",
    ],
    ("enrolment_participant", "DELETE"): [
        "SELECT OLD.village_id AS v WHERE true",
        "SELECT village_id AS v FROM registry_worker WHERE id = OLD.worker_id",
    ],
    ("billing_invoiceline", "UPDATE"): [
        "SELECT NEW.village_id AS v WHERE NEW.settled_on IS NOT OLD.settled_on",
    ],
    ("billing_invoiceline", "DELETE"): ["SELECT OLD.village_id AS v WHERE true"],
    ("registry_worker", "INSERT"): ["SELECT NEW.village_id AS v WHERE true"],
    ("registry_worker", "UPDATE"): [
        "SELECT NEW.village_id AS v WHERE true",
        "SELECT OLD.village_id AS v WHERE true",
        "SELECT village_id AS v FROM enrolment_participant WHERE worker_id = NEW.id",
    ],
    ("registry_worker", "DELETE"): ["SELECT OLD.village_id AS v WHERE true"],
}


def _name(table: str, event: str) -> str:
    return f"coverage_dirty_{table}_{event.lower()}"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for (table, event), select in PG_SOURCES.items():
            name = _name(table, event)
            referencing = {
                "INSERT": "NEW TABLE AS new_rows",
                "UPDATE": "NEW TABLE AS new_rows OLD TABLE AS old_rows",
                "DELETE": "OLD TABLE AS old_rows",
            }[event]
            marked = UPSERT.format(
                select=f"SELECT DISTINCT v, 1 FROM ({select}) s(v) WHERE v IS NOT NULL ORDER BY v"
            )
            schema_editor.execute(
                f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN {marked}; RETURN NULL; END $$"""
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
        return
    for (table, event), selects in SQLITE_SOURCES.items():
        body = " ".join(
            UPSERT.format(select=f"SELECT v, 1 FROM ({s}) WHERE v IS NOT NULL") + ";"
            for s in selects
        )
        schema_editor.execute(
            f"CREATE TRIGGER {_name(table, event)} AFTER {event} ON {table} "
            f"FOR EACH ROW BEGIN {body} END"
        )


def backward(apps, schema_editor):
    for table, event in PG_SOURCES:
        name = _name(table, event)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}" + (
            f" ON {table}" if schema_editor.connection.vendor == "postgresql" else ""
        ))
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")


class Migration(migrations.Migration):
    dependencies = [
        ("coverage", "0002_figures"),
        ("enrolment", "0002_coverage_exclusion_postgres"),
        ("billing", "0005_invoice_line_settled_on"),
        ("registry", "0006_occupation_registry_code_and_work_class"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
