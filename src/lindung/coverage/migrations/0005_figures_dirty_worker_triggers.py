"""The figures' triggers mark people (`coverage.DirtyWorker`) instead of villages: the refresh
then applies the difference of those people's rows to the village cells instead of recounting
whole villages (a batch scattered over most villages cost most of a full count). Same sources
as `0003_figures_dirty_triggers`, which this replaces:

- participants (inserted, updated, deleted): the participant's worker, old and new;
- invoice lines updated (a line becomes paid: `settled_on`) or deleted: the line's worker;
- workers (inserted, updated, deleted): the worker.

PostgreSQL: statement-level triggers with transition tables (a COPY of a million rows marks each
person once per statement). SQLite: row-level triggers (demo-sized data).
"""

from django.db import migrations

TABLES_EVENTS = [
    ("enrolment_participant", "INSERT"),
    ("enrolment_participant", "UPDATE"),
    ("enrolment_participant", "DELETE"),
    ("billing_invoiceline", "UPDATE"),
    ("billing_invoiceline", "DELETE"),
    ("registry_worker", "INSERT"),
    ("registry_worker", "UPDATE"),
    ("registry_worker", "DELETE"),
]

UPSERT = (
    "INSERT INTO coverage_dirtyworker (worker_id, version) {select} "
    "ON CONFLICT (worker_id) DO UPDATE SET version = coverage_dirtyworker.version + 1"
)

# PostgreSQL: a SELECT of worker ids from the transition tables new_rows/old_rows.
PG_SOURCES = {
    ("enrolment_participant", "INSERT"): "SELECT worker_id FROM new_rows",
    ("enrolment_participant", "UPDATE"): (
        "SELECT worker_id FROM new_rows UNION SELECT worker_id FROM old_rows"
    ),
    ("enrolment_participant", "DELETE"): "SELECT worker_id FROM old_rows",
    ("billing_invoiceline", "UPDATE"): (
        "SELECT p.worker_id FROM new_rows n JOIN old_rows o ON o.id = n.id "
        "JOIN enrolment_participant p ON p.id = n.participant_id "
        "WHERE n.settled_on IS DISTINCT FROM o.settled_on"
    ),
    # A line deleted with its participant finds no participant here; the participant's own
    # DELETE trigger marks the person.
    ("billing_invoiceline", "DELETE"): (
        "SELECT p.worker_id FROM old_rows o JOIN enrolment_participant p ON p.id = o.participant_id"
    ),
    ("registry_worker", "INSERT"): "SELECT id FROM new_rows",
    ("registry_worker", "UPDATE"): "SELECT id FROM new_rows UNION SELECT id FROM old_rows",
    ("registry_worker", "DELETE"): "SELECT id FROM old_rows",
}

SQLITE_SOURCES = {
    ("enrolment_participant", "INSERT"): ["SELECT NEW.worker_id AS v WHERE true"],
    ("enrolment_participant", "UPDATE"): [
        "SELECT NEW.worker_id AS v WHERE true",
        "SELECT OLD.worker_id AS v WHERE OLD.worker_id IS NOT NEW.worker_id",
    ],
    ("enrolment_participant", "DELETE"): ["SELECT OLD.worker_id AS v WHERE true"],
    ("billing_invoiceline", "UPDATE"): [
        "SELECT worker_id AS v FROM enrolment_participant "
        "WHERE id = NEW.participant_id AND NEW.settled_on IS NOT OLD.settled_on",
    ],
    ("billing_invoiceline", "DELETE"): [
        "SELECT worker_id AS v FROM enrolment_participant WHERE id = OLD.participant_id",
    ],
    ("registry_worker", "INSERT"): ["SELECT NEW.id AS v WHERE true"],
    ("registry_worker", "UPDATE"): ["SELECT NEW.id AS v WHERE true"],
    ("registry_worker", "DELETE"): ["SELECT OLD.id AS v WHERE true"],
}


def _name(prefix: str, table: str, event: str) -> str:
    return f"{prefix}_{table}_{event.lower()}"


def _drop(schema_editor, prefix: str) -> None:
    postgres = schema_editor.connection.vendor == "postgresql"
    for table, event in TABLES_EVENTS:
        name = _name(prefix, table, event)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
        if postgres:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")


def _create(schema_editor, prefix: str, pg_sources: dict, sqlite_sources: dict, upsert: str):
    if schema_editor.connection.vendor == "postgresql":
        for (table, event), select in pg_sources.items():
            name = _name(prefix, table, event)
            referencing = {
                "INSERT": "NEW TABLE AS new_rows",
                "UPDATE": "NEW TABLE AS new_rows OLD TABLE AS old_rows",
                "DELETE": "OLD TABLE AS old_rows",
            }[event]
            # Sorted, so two transactions marking the same people lock them in one order.
            marked = upsert.format(
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
    for (table, event), selects in sqlite_sources.items():
        body = " ".join(
            upsert.format(select=f"SELECT v, 1 FROM ({s}) WHERE v IS NOT NULL") + ";"
            for s in selects
        )
        schema_editor.execute(
            f"CREATE TRIGGER {_name(prefix, table, event)} AFTER {event} ON {table} "
            f"FOR EACH ROW BEGIN {body} END"
        )


def forward(apps, schema_editor):
    _drop(schema_editor, "coverage_dirty")
    _create(schema_editor, "coverage_dirtyworker", PG_SOURCES, SQLITE_SOURCES, UPSERT)


def backward(apps, schema_editor):
    # Going back restores the village triggers of 0003 by running its forward step.
    import importlib

    _drop(schema_editor, "coverage_dirtyworker")
    village = importlib.import_module("lindung.coverage.migrations.0003_figures_dirty_triggers")
    village.forward(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("coverage", "0004_figures_counted_people")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
