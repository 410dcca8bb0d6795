"""Keeping the figures fresh: a change marks its people dirty in the same transaction (database
triggers, whatever wrote it); the refresh recounts them, applies the difference to their
villages and every region above, then forgets only the marks it counted; a new day recounts
everything and keeps the month ends. Whatever the changes, the result equals a full count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from lindung.accounts.roles import Role
from lindung.coverage import figures, refresh
from lindung.coverage.models import Cell, CountedPerson, DirtyVillage, DirtyWorker, Snapshot, Total

from .figures_fixture import V1, V2, D, make_program, participate, regency_admin, town  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(make_user):
    return make_user(Role.SUPERADMIN)


@pytest.fixture
def counted(town):  # noqa: F811
    refresh.refresh_all(D)
    DirtyWorker.objects.all().delete()
    return town


def august_line(counted):
    """w11's August line (program C2, August unpaid on D), unpaid."""
    from django.utils import timezone

    from lindung.billing.models import Invoice, InvoiceLine
    from lindung.enrolment.models import Participant

    p = Participant.objects.get(program=counted.c2, worker=counted.w[11])
    invoice = Invoice.objects.create(
        program=counted.c2, funder=p.funder, region_id=p.village_id[:4],
        month=dt.date(2025, 8, 1), month_index=2025 * 12 + 7, due_date=dt.date(2025, 8, 15),
        issued_at=timezone.now(),
    )  # fmt: skip
    return InvoiceLine.objects.create(
        invoice=invoice, participant=p, village_id=p.village_id, month_index=2025 * 12 + 7,
        jkk=10_000, jkm=6_800, jht=0, discount=0, amount=16_800,
    )  # fmt: skip


def marked():
    return set(DirtyWorker.objects.values_list("worker_id", flat=True))


def protected(user, code):
    return figures.figures(user, code, D)["protected"]


def test_an_enrolment_marks_its_village_and_the_refresh_updates_every_ancestor(counted, root):
    before = {c: protected(root, c) for c in (V2, V2[:6], "1612", "16", "ID")}
    participate(counted.a, counted.w[9], start=dt.date(2025, 10, 1), end=dt.date(2025, 12, 31))
    assert marked() == {counted.w[9].pk}
    assert protected(root, V2) == before[V2]  # not yet counted
    assert refresh.refresh_dirty(D) == 1  # one village changed
    after = {c: protected(root, c) for c in before}
    assert after == {c: n + 1 for c, n in before.items()}
    assert not DirtyWorker.objects.exists()
    assert figures.figures(root, V2, D)["ecosystem"]["officials"] == 2  # unchanged, w9 farms


def test_ending_a_participation_through_the_service_shows_after_refresh(
    counted,
    root,
    regency_admin,  # noqa: F811
):
    from lindung.enrolment.models import Participant
    from lindung.enrolment.services import participant_end

    p = Participant.objects.get(program=counted.a, worker=counted.w[7])
    participant_end(
        actor=regency_admin, participant=p, on=dt.date(2025, 10, 5), reason="moved_away",
        expected_state=p.state,
    )  # fmt: skip
    assert marked() == {counted.w[7].pk}
    refresh.refresh_dirty(D)
    assert protected(root, V2) == 1 and protected(root, "1612") == 6
    assert figures.ecosystem(root, "1612", D)["villages_at_100"] == []


def test_a_paid_line_and_a_worker_update_mark_their_people(counted):
    from lindung.billing.models import InvoiceLine
    from lindung.registry.models import Worker

    Worker.objects.filter(pk=counted.w[1].pk).update(sex="P")
    assert marked() == {counted.w[1].pk}
    line = august_line(counted)
    InvoiceLine.objects.filter(pk=line.pk).update(settled_on=D)
    assert marked() == {counted.w[1].pk, counted.w[11].pk}
    DirtyWorker.objects.all().delete()
    InvoiceLine.objects.filter(pk=line.pk).update(settled_on=D)  # no change: no mark
    assert marked() == set()


def test_a_person_who_moves_leaves_one_village_and_joins_the_other(counted, root):
    from lindung.registry.models import Worker

    before = {c: figures.figures(root, c, D) for c in (V1, V2)}
    Worker.objects.filter(pk=counted.w[3].pk).update(village_id=V2)  # not enrolled, official
    assert refresh.refresh_dirty(D) == 2
    after = {c: figures.figures(root, c, D) for c in (V1, V2)}
    assert after[V1]["not_protected"] == before[V1]["not_protected"] - 1
    assert after[V2]["not_protected"] == before[V2]["not_protected"] + 1
    assert after[V2]["ecosystem"]["officials"] == before[V2]["ecosystem"]["officials"] + 1
    assert CountedPerson.objects.get(day=D, worker_id=counted.w[3].pk).region == V2


def test_a_village_asked_for_is_recounted_whole(counted, root):
    Cell.objects.filter(day=D, level=4, region=V2).delete()  # damaged: must come back
    CountedPerson.objects.filter(day=D, region=V2).delete()
    refresh.mark_dirty([V2])
    refresh.refresh_dirty(D)
    assert protected(root, V2) == 2
    assert not DirtyVillage.objects.exists()


def test_a_mark_written_again_during_a_refresh_is_kept(counted, monkeypatch):
    participate(counted.a, counted.w[9], start=dt.date(2025, 10, 1), end=dt.date(2025, 12, 31))
    w9 = counted.w[9]
    counted_version = DirtyWorker.objects.get(worker_id=w9.pk).version
    real = refresh.refresh_people

    def meanwhile(day, workers=(), villages=()):
        changed = real(day, workers, villages)
        w9.save()  # another change to the same person committed while counting
        return changed

    monkeypatch.setattr(refresh, "refresh_people", meanwhile)
    refresh.refresh_dirty(D)
    assert list(DirtyWorker.objects.values_list("worker_id", "version")) == [
        (w9.pk, counted_version + 1)
    ]


def test_a_new_day_recounts_everything_and_keeps_only_month_ends(counted, monkeypatch):
    refresh.refresh_all(dt.date(2025, 9, 30))
    monkeypatch.setattr(refresh, "today", lambda: dt.date(2025, 10, 11))
    assert refresh.refresh_dirty() == -1
    days = list(Snapshot.objects.order_by("day").values_list("day", "complete"))
    assert days == [(dt.date(2025, 9, 30), True), (dt.date(2025, 10, 11), True)]
    assert not Cell.objects.filter(day=D).exists() and not Total.objects.filter(day=D).exists()
    assert refresh.refresh_dirty() == 0  # nothing marked since


def _everything():
    cells = sorted(
        Cell.objects.filter(day=D).values_list(
            "level", "region", "parent", "program_id", "funder_kind", "occupation_group",
            "official", "sex", "age_band", "protected", "with_arrears", "not_protected",
        ),
        key=repr,
    )  # fmt: skip
    totals = sorted(
        Total.objects.filter(day=D).values_list(
            "level", "region", "parent", "protected", "with_arrears", "not_protected",
            "officials", "officials_protected", "villages_with_officials",
            "villages_all_officials",
        )
    )  # fmt: skip
    people = sorted(
        CountedPerson.objects.filter(day=D).values_list(
            "worker_id", "region", "program_id", "funder_kind", "occupation_group", "official",
            "sex", "age_band", "status",
        )
    )  # fmt: skip
    return cells, totals, people


def test_dirty_refresh_equals_a_full_recount(counted, make_worker):
    from lindung.billing.models import InvoiceLine
    from lindung.registry.models import Worker

    participate(counted.a, counted.w[9], start=dt.date(2025, 10, 1), end=dt.date(2025, 12, 31))
    participate(counted.a, counted.w[3], start=dt.date(2025, 10, 1), end=dt.date(2025, 12, 31))
    refresh.refresh_dirty(D)
    assert _everything()[0]  # counted at all
    # Then a mixed batch: moves, a death, a paid line, a new role, a new person.
    Worker.objects.filter(pk=counted.w[10].pk).update(village_id=V1)
    Worker.objects.filter(pk=counted.w[1].pk).update(life_status="deceased")
    line = august_line(counted)
    InvoiceLine.objects.filter(pk=line.pk).update(settled_on=D)
    Worker.objects.filter(pk=counted.w[6].pk).update(occupation=counted.w[2].occupation)
    Worker.objects.filter(pk=counted.w[9].pk).update(life_status="moved")
    make_worker(village=V2, occupation_code="linmas")
    refresh.refresh_dirty(D)

    incremental = _everything()
    refresh.refresh_all(D)
    assert _everything() == incremental


def test_the_refresh_command_recounts_and_says_how_many(counted, capsys):
    participate(counted.a, counted.w[9], start=dt.date(2025, 10, 1), end=dt.date(2025, 12, 31))
    call_command("coverage", "refresh", "--date", "2025-10-10", "--json")
    assert '"villages": 1' in capsys.readouterr().out
    call_command("coverage", "refresh", "--all", "--date", "2025-10-10", "--lang", "en")
    assert "All villages counted for 10-10-2025" in capsys.readouterr().out


def test_the_worker_thread_refreshes_on_its_timer(counted, monkeypatch):
    import threading

    calls = []
    done = threading.Event()

    def fake(day=None):
        calls.append(day)
        done.set()
        return 0

    monkeypatch.setattr(refresh, "refresh_dirty", fake)
    thread = refresh.refresh_every(0.01)
    assert done.wait(5)
    thread.stop.set()
    thread.join(5)
    assert calls


def test_recounting_the_same_people_again_changes_nothing(counted):
    # What a second refresh running after the first (they take one lock in turn) does with
    # the same marks: the difference is already applied, nothing is applied twice.
    participate(counted.a, counted.w[9], start=dt.date(2025, 10, 1), end=dt.date(2025, 12, 31))
    assert refresh.refresh_people(D, [counted.w[9].pk]) == [V2]
    once = _everything()
    assert refresh.refresh_people(D, [counted.w[9].pk]) == []
    assert _everything() == once
