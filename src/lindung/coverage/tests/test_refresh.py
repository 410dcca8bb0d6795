"""Keeping the figures fresh: a change marks its village dirty in the same transaction (database
triggers, whatever wrote it); the refresh recounts it and every region above it, then forgets
only the marks it counted; a new day recounts everything and keeps the month ends."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from lindung.accounts.roles import Role
from lindung.coverage import figures, refresh
from lindung.coverage.models import Cell, DirtyVillage, Snapshot, Total

from .figures_fixture import V1, V2, D, make_program, participate, regency_admin, town  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(make_user):
    return make_user(Role.SUPERADMIN)


@pytest.fixture
def counted(town):  # noqa: F811
    refresh.refresh_all(D)
    DirtyVillage.objects.all().delete()
    return town


def protected(user, code):
    return figures.figures(user, code, D)["protected"]


def test_an_enrolment_marks_its_village_and_the_refresh_updates_every_ancestor(counted, root):
    before = {c: protected(root, c) for c in (V2, V2[:6], "1612", "16", "ID")}
    participate(counted.a, counted.w[9], start=dt.date(2025, 10, 1), end=dt.date(2025, 12, 31))
    assert list(DirtyVillage.objects.values_list("village", flat=True)) == [V2]
    assert protected(root, V2) == before[V2]  # not yet counted
    assert refresh.refresh_dirty(D) == 1
    after = {c: protected(root, c) for c in before}
    assert after == {c: n + 1 for c, n in before.items()}
    assert not DirtyVillage.objects.exists()
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
    assert DirtyVillage.objects.filter(village=V2).exists()
    refresh.refresh_dirty(D)
    assert protected(root, V2) == 1 and protected(root, "1612") == 6
    assert figures.ecosystem(root, "1612", D)["villages_at_100"] == []


def test_a_paid_line_and_a_worker_update_mark_their_villages(counted):
    from lindung.registry.models import Worker

    Worker.objects.filter(pk=counted.w[1].pk).update(sex="P")
    assert set(DirtyVillage.objects.values_list("village", flat=True)) == {V1}
    Worker.objects.filter(pk=counted.w[10].pk).update(village_id=V2)  # moved
    assert set(DirtyVillage.objects.values_list("village", flat=True)) == {V1, V2, counted.v3}


def test_a_mark_written_again_during_a_refresh_is_kept(counted, monkeypatch):
    participate(counted.a, counted.w[9], start=dt.date(2025, 10, 1), end=dt.date(2025, 12, 31))
    counted_version = DirtyVillage.objects.get(village=V2).version
    real = refresh.refresh_villages

    def meanwhile(day, villages):
        real(day, villages)
        refresh.mark_dirty([V2])  # another change committed while counting

    monkeypatch.setattr(refresh, "refresh_villages", meanwhile)
    refresh.refresh_dirty(D)
    assert list(DirtyVillage.objects.values_list("village", "version")) == [
        (V2, counted_version + 1)
    ]


def test_a_new_day_recounts_everything_and_keeps_only_month_ends(counted, monkeypatch):
    refresh.refresh_all(dt.date(2025, 9, 30))
    monkeypatch.setattr(refresh, "today", lambda: dt.date(2025, 10, 11))
    assert refresh.refresh_dirty() == -1
    days = list(Snapshot.objects.order_by("day").values_list("day", "complete"))
    assert days == [(dt.date(2025, 9, 30), True), (dt.date(2025, 10, 11), True)]
    assert not Cell.objects.filter(day=D).exists() and not Total.objects.filter(day=D).exists()
    assert refresh.refresh_dirty() == 0  # nothing marked since


def test_dirty_refresh_equals_a_full_recount(counted):
    participate(counted.a, counted.w[9], start=dt.date(2025, 10, 1), end=dt.date(2025, 12, 31))
    participate(counted.a, counted.w[3], start=dt.date(2025, 10, 1), end=dt.date(2025, 12, 31))
    refresh.refresh_dirty(D)

    def rows():
        return sorted(
            Total.objects.filter(day=D).values_list(
                "level", "region", "parent", "protected", "with_arrears", "not_protected",
                "officials", "officials_protected", "villages_with_officials",
                "villages_all_officials",
            )
        )  # fmt: skip

    incremental = rows()
    refresh.refresh_all(D)
    assert rows() == incremental


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
