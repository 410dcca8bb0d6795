"""Registry services: validated, scoped, atomic and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from lindung.accounts.roles import Role
from lindung.audit.context import channel
from lindung.audit.models import AuditEvent
from lindung.common.errors import ApplicationError
from lindung.conftest import PALI_VILLAGE, PALI_VILLAGE_2, SAROLANGUN_VILLAGE, make_nik
from lindung.registry.models import Heir, Worker
from lindung.registry.services import worker_create, worker_delete, worker_update
from lindung.registry.validation import HeirInput, WorkerInput

BIRTH = dt.date(1985, 3, 12)
NIK = make_nik(PALI_VILLAGE[:6], BIRTH, "L", 7)  # 1612011203850007


@pytest.fixture
def operator(make_user):
    return make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE], username="operator")


@pytest.fixture
def regency_admin(make_user):
    return make_user(Role.REGENCY_ADMIN, ["1612"], username="admin-pali")


def data(**kw) -> WorkerInput:
    values = {
        "nik": NIK,
        "name": "Budi Santoso",
        "village_code": PALI_VILLAGE,
        "occupation_code": "petani",
    }
    values.update(kw)
    return WorkerInput(**values)


def events_of(worker_pk) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type="registry.worker", object_id=str(worker_pk)).order_by(
            "id"
        )
    )


def create(actor, **kw):
    heirs = kw.pop("heirs", None)
    with channel("web", request_id="req-create"):
        return worker_create(actor=actor, data=data(**kw), heirs=heirs)


# --- create --------------------------------------------------------------------------------------


def test_worker_create_takes_birth_date_and_sex_from_the_nik(operator):
    worker = create(operator)
    worker.refresh_from_db()
    assert worker.nik == NIK
    assert worker.birth_date == BIRTH
    assert worker.sex == "L"
    assert worker.village_id == PALI_VILLAGE
    assert worker.occupation.code == "petani"
    assert worker.created_by == operator


def test_worker_create_accepts_a_nik_with_spaces_and_a_dotted_village_code(operator):
    spaced = f"{NIK[:4]} {NIK[4:6]} {NIK[6:12]} {NIK[12:]}"
    worker = create(operator, nik=spaced, village_code="16.12.01.2001")
    assert worker.nik == NIK
    assert worker.village_id == PALI_VILLAGE


def test_worker_create_with_heirs_writes_create_and_heir_add_events(operator):
    worker = create(
        operator,
        heirs=[
            HeirInput(name="Siti Aminah", relationship="spouse"),
            HeirInput(name="Rudi", relationship="child", birth_date=dt.date(2010, 1, 1)),
        ],
    )
    events = events_of(worker.pk)
    assert [e.action for e in events] == ["worker.create", "worker.heir_add", "worker.heir_add"]
    for event in events:
        assert event.actor == operator
        assert event.actor_username == "operator"
        assert event.channel == "web"
        assert event.request_id == "req-create"
        assert event.region_code == PALI_VILLAGE
    create_event = events[0]
    assert create_event.changes["nik"] == [None, NIK]
    assert create_event.changes["name"] == [None, "Budi Santoso"]
    assert create_event.changes["village"] == [None, PALI_VILLAGE]
    assert create_event.changes["birth_date"] == [None, "1985-03-12"]
    assert events[1].changes["name"] == [None, "Siti Aminah"]
    assert events[1].object_repr == "Budi Santoso — Siti Aminah"
    assert events[2].changes["birth_date"] == [None, "2010-01-01"]
    assert worker.heirs.count() == 2


def test_channel_is_recorded_as_set_by_the_caller(operator):
    with channel("import"):
        worker = worker_create(actor=operator, data=data())
    (event,) = events_of(worker.pk)
    assert event.channel == "import"
    assert len(event.request_id) == 32  # a fresh id when the caller gives none


def test_without_a_channel_the_event_says_system(operator):
    worker = worker_create(actor=operator, data=data())
    assert events_of(worker.pk)[0].channel == "system"


def _refused(actor, **kw) -> ApplicationError:
    with pytest.raises(ApplicationError) as info:
        create(actor, **kw)
    return info.value


def test_birth_date_that_disagrees_with_the_nik_is_a_field_error(operator):
    exc = _refused(operator, birth_date=dt.date(1985, 3, 13))
    assert exc.code == "validation"
    assert list(exc.fields) == ["birth_date"]
    (msg,) = exc.fields["birth_date"]
    assert "13-03-1985" in msg and "12-03-1985" in msg
    assert Worker.objects.count() == 0


def test_birth_date_error_is_in_indonesian(operator):
    exc = _refused(operator, birth_date=dt.date(1985, 3, 13))
    (msg,) = exc.fields["birth_date"]
    # The UI language is Indonesian (LANGUAGE_CODE "id"): never the English source text.
    assert "does not match" not in msg, msg
    assert "tanggal lahir" in msg.lower(), msg


def test_sex_error_is_in_indonesian(operator):
    exc = _refused(operator, sex="P")
    (msg,) = exc.fields["sex"]
    assert "does not match" not in msg, msg
    assert "jenis kelamin" in msg.lower(), msg


def test_matching_birth_date_and_sex_are_accepted(operator):
    worker = create(operator, birth_date=BIRTH, sex="L")
    assert (worker.birth_date, worker.sex) == (BIRTH, "L")


def test_sex_that_disagrees_with_the_nik_is_a_field_error(operator):
    exc = _refused(operator, sex="P")
    assert list(exc.fields) == ["sex"]
    assert Worker.objects.count() == 0


def test_sex_outside_l_and_p_is_a_field_error(operator):
    exc = _refused(operator, sex="X")
    assert "sex" in exc.fields


def test_invalid_nik_is_a_field_error_in_indonesian(operator):
    exc = _refused(operator, nik=NIK[:15])
    assert list(exc.fields) == ["nik"]
    assert exc.fields["nik"] == ["NIK harus 16 digit; yang tertulis 15 digit."]


def test_unknown_regency_nik_is_a_field_error(operator):
    exc = _refused(operator, nik="1699011203850007")
    assert "nik" in exc.fields
    assert "16.99" in exc.fields["nik"][0]


def test_several_field_errors_come_together(operator):
    exc = _refused(operator, nik="", name="  ", occupation_code="astronaut")
    assert {"nik", "name", "occupation"} <= set(exc.fields)


def test_unknown_village_is_a_field_error(operator):
    exc = _refused(operator, village_code="1612019999")
    assert "village" in exc.fields


def test_duplicate_nik_is_refused_with_code_duplicate_nik(operator):
    create(operator)
    exc = _refused(operator, name="Orang Lain")
    assert exc.code == "duplicate_nik"
    assert "nik" in exc.fields
    assert Worker.objects.count() == 1


def test_duplicate_nik_in_another_village_does_not_say_where(operator, make_worker):
    other = make_worker(village=SAROLANGUN_VILLAGE, nik=NIK, name="Orang Sarolangun")
    exc = _refused(operator)
    assert exc.code == "duplicate_nik"
    text = exc.message + " ".join(exc.fields["nik"])
    assert other.name not in text
    assert "Sarolangun" not in text


def test_operator_creating_in_another_village_is_refused_and_nothing_written(operator):
    events_before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        create(
            operator, village_code=PALI_VILLAGE_2, heirs=[HeirInput(name="A", relationship="child")]
        )
    assert Worker.objects.count() == 0
    assert Heir.objects.count() == 0
    assert AuditEvent.objects.count() == events_before


def test_role_without_create_is_refused(make_user):
    head = make_user(Role.REGIONAL_HEAD)
    with pytest.raises(PermissionDenied):
        create(head)
    assert Worker.objects.count() == 0


def test_heir_with_the_workers_own_nik_is_a_field_error(operator):
    exc = _refused(operator, heirs=[HeirInput(name="Diri Sendiri", relationship="child", nik=NIK)])
    assert "heirs.0.nik" in exc.fields


def test_heir_without_name_or_relationship_is_a_field_error(operator):
    exc = _refused(
        operator,
        heirs=[
            HeirInput(name="Siti", relationship="spouse"),
            HeirInput(name="", relationship="cousin"),
        ],
    )
    assert {"heirs.1.name", "heirs.1.relationship"} <= set(exc.fields)
    assert Worker.objects.count() == 0


def test_phone_is_stored_in_e164(operator):
    worker = create(
        operator,
        phone="0812-3456-7890",
        heirs=[HeirInput(name="Siti", relationship="spouse", phone="+62 812 3456 7891")],
    )
    worker.refresh_from_db()
    assert worker.phone == "+6281234567890"
    assert worker.heirs.get().phone == "+6281234567891"


def test_invalid_phone_is_a_field_error(operator):
    exc = _refused(operator, phone="12")
    assert "phone" in exc.fields


def test_valid_kk_is_stored_without_separators(operator):
    worker = create(operator, kk_number="1612 0112 3456 0001")
    assert worker.kk_number == "1612011234560001"


@pytest.mark.parametrize(
    "kk", ["12345", "1699011234560001", "1612011234560000", "16120112345600x1"]
)
def test_bad_kk_is_a_field_error(operator, kk):
    exc = _refused(operator, kk_number=kk)
    assert list(exc.fields) == ["kk_number"]
    assert Worker.objects.count() == 0


def test_negative_income_is_a_field_error(operator):
    exc = _refused(operator, monthly_income=-1)
    assert "monthly_income" in exc.fields


def test_name_spaces_are_collapsed(operator):
    assert create(operator, name="  Budi   Santoso ").name == "Budi Santoso"


def test_old_muara_enim_nik_living_in_pali_is_accepted(operator):
    worker = create(operator, nik="1603050101900001")
    assert worker.birth_date == dt.date(1990, 1, 1)


# --- update --------------------------------------------------------------------------------------


def update(actor, worker, heirs=None, **kw):
    with channel("web", request_id="req-update"):
        return worker_update(actor=actor, worker=worker, data=data(**kw), heirs=heirs)


def test_worker_update_records_only_the_changed_fields(operator):
    worker = create(operator, phone="081234567890")
    update(operator, worker, name="Budi S.", phone="081234567890", monthly_income=1500000)
    event = events_of(worker.pk)[-1]
    assert event.action == "worker.update"
    assert event.changes == {"name": ["Budi Santoso", "Budi S."], "monthly_income": [None, 1500000]}
    assert event.channel == "web" and event.request_id == "req-update"
    assert event.actor == operator
    worker.refresh_from_db()
    assert worker.name == "Budi S."


def test_worker_update_without_changes_records_nothing(operator):
    worker = create(operator, phone="081234567890")
    count = AuditEvent.objects.count()
    update(operator, worker, phone="0812 3456 7890")  # same number, other spelling
    assert AuditEvent.objects.count() == count


def test_worker_update_with_the_same_heirs_records_nothing(operator):
    worker = create(operator, heirs=[HeirInput(name="Siti", relationship="spouse")])
    heir = worker.heirs.get()
    count = AuditEvent.objects.count()
    update(operator, worker, heirs=[HeirInput(id=heir.pk, name="Siti", relationship="spouse")])
    assert AuditEvent.objects.count() == count


def test_replacing_the_heir_list_records_heir_remove_and_heir_update(operator):
    worker = create(
        operator,
        heirs=[
            HeirInput(name="Siti", relationship="spouse"),
            HeirInput(name="Rudi", relationship="child"),
        ],
    )
    siti, rudi = worker.heirs.order_by("id")
    update(
        operator,
        worker,
        heirs=[
            HeirInput(id=siti.pk, name="Siti Aminah", relationship="spouse"),
            HeirInput(name="Ani", relationship="child"),
        ],
    )
    assert sorted(worker.heirs.values_list("name", flat=True)) == ["Ani", "Siti Aminah"]
    assert not Heir.objects.filter(pk=rudi.pk).exists()
    later = [e for e in events_of(worker.pk) if e.request_id == "req-update"]
    by_action = {e.action: e for e in later}
    assert set(by_action) == {"worker.heir_update", "worker.heir_add", "worker.heir_remove"}
    assert by_action["worker.heir_update"].changes == {"name": ["Siti", "Siti Aminah"]}
    assert by_action["worker.heir_remove"].changes["name"] == ["Rudi", None]
    assert by_action["worker.heir_remove"].object_repr == "Budi Santoso — Rudi"
    assert all(e.region_code == PALI_VILLAGE for e in later)


def test_an_empty_heir_list_removes_all_heirs_but_none_keeps_them(operator):
    worker = create(operator, heirs=[HeirInput(name="Siti", relationship="spouse")])
    update(operator, worker, name="Budi Baru", heirs=None)
    assert worker.heirs.count() == 1
    update(operator, worker, name="Budi Baru", heirs=[])
    assert worker.heirs.count() == 0
    assert events_of(worker.pk)[-1].action == "worker.heir_remove"


def test_heir_of_another_worker_cannot_be_edited_through_this_one(operator):
    first = create(operator, heirs=[HeirInput(name="Siti", relationship="spouse")])
    other_nik = make_nik(PALI_VILLAGE[:6], BIRTH, "L", 8)
    second = create(operator, nik=other_nik, name="Joko")
    heir = first.heirs.get()
    with pytest.raises(ApplicationError):
        update(
            operator,
            second,
            nik=other_nik,
            name="Joko",
            heirs=[HeirInput(id=heir.pk, name="Diambil", relationship="spouse")],
        )
    heir.refresh_from_db()
    assert heir.name == "Siti" and heir.worker_id == first.pk


def test_operator_cannot_move_a_worker_to_another_village(operator):
    worker = create(operator)
    with pytest.raises(PermissionDenied):
        update(operator, worker, village_code=PALI_VILLAGE_2)
    worker.refresh_from_db()
    assert worker.village_id == PALI_VILLAGE


def test_operator_of_another_village_cannot_update(operator, make_user):
    worker = create(operator)
    stranger = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE_2])
    with pytest.raises(PermissionDenied):
        update(stranger, worker, name="Diganti")


def test_update_to_a_nik_already_taken_is_refused(operator):
    first = create(operator)
    other_nik = make_nik(PALI_VILLAGE[:6], BIRTH, "L", 8)
    second = create(operator, nik=other_nik, name="Joko")
    with pytest.raises(ApplicationError) as info:
        update(operator, second, nik=first.nik, name="Joko")
    assert info.value.code == "duplicate_nik"


def test_bpjs_officer_can_correct_but_regional_head_cannot(operator, make_user):
    worker = create(operator)
    officer = make_user(Role.BPJS_OFFICER, ["1612"])
    update(officer, worker, name="Budi Koreksi")
    worker.refresh_from_db()
    assert worker.name == "Budi Koreksi"
    head = make_user(Role.REGIONAL_HEAD, ["16"])
    with pytest.raises(PermissionDenied):
        update(head, worker, name="Budi Kepala")


# --- delete --------------------------------------------------------------------------------------


def test_village_operator_cannot_delete(operator):
    worker = create(operator)
    with pytest.raises(PermissionDenied):
        worker_delete(actor=operator, worker=worker, reason="pindah")
    assert Worker.objects.filter(pk=worker.pk).exists()
    assert [e.action for e in events_of(worker.pk)] == ["worker.create"]


def test_regency_admin_of_another_regency_cannot_delete(operator, make_user):
    worker = create(operator)
    muara_enim_admin = make_user(Role.REGENCY_ADMIN, ["1603"])
    with pytest.raises(PermissionDenied):
        worker_delete(actor=muara_enim_admin, worker=worker, reason="x")
    assert Worker.objects.filter(pk=worker.pk).exists()


def test_regency_admin_deletes_and_the_event_keeps_the_before_snapshot_with_heirs(
    operator, regency_admin
):
    worker = create(
        operator,
        phone="081234567890",
        heirs=[HeirInput(name="Siti", relationship="spouse", nik="1612014505880001")],
    )
    pk = worker.pk
    with channel("web", request_id="req-delete"):
        worker_delete(actor=regency_admin, worker=worker, reason="Meninggal dunia")
    assert not Worker.objects.filter(pk=pk).exists()
    assert not Heir.objects.filter(worker_id=pk).exists()
    event = events_of(pk)[-1]
    assert event.action == "worker.delete"
    assert event.actor == regency_admin
    assert event.reason == "Meninggal dunia"
    assert event.region_code == PALI_VILLAGE
    assert event.request_id == "req-delete"
    assert event.changes["nik"] == [NIK, None]
    assert event.changes["name"] == ["Budi Santoso", None]
    assert event.changes["phone"] == ["+6281234567890", None]
    heirs_before, heirs_after = event.changes["heirs"]
    assert heirs_after is None
    assert heirs_before == [
        {
            "name": "Siti",
            "nik": "1612014505880001",
            "relationship": "spouse",
            "birth_date": None,
            "phone": "",
        }
    ]
    # The history of the deleted worker is still readable.
    assert [e.action for e in events_of(pk)] == [
        "worker.create",
        "worker.heir_add",
        "worker.delete",
    ]
