"""BPJS's answer file: header tolerance, the KPJ rule, row-by-row problems, all or nothing,
and hostile files."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied

from lindung.accounts.roles import Role
from lindung.audit.models import AuditEvent
from lindung.common.errors import ApplicationError
from lindung.conftest import PALI_VILLAGE
from lindung.enrolment.kpjfile import clean_kpj
from lindung.enrolment.models import Participant
from lindung.enrolment.services import kpj_import
from lindung.intake.tests import hostile

pytestmark = pytest.mark.django_db


def _csv(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _xlsx(header: list[str], rows: list[list]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def test_any_column_order_and_bpjs_header_names(enrolled, regency_admin):
    program, workers, _s = enrolled
    a, b, c = (w.nik for w in workers)
    data = _csv(
        [
            "Laporan kepesertaan BPJS Ketenagakerjaan",
            "Tgl Kepesertaan;Nama;Nomor Peserta; N I K ",
            f"05-10-2025;A;01234567890;{a}",
            f"2025-10-01;B;0123-4567-891;{b}",
            f";C;01234567892;{c}",
        ]
    )
    report = kpj_import(actor=regency_admin, program=program, data=data)
    assert report.applied and report.assigned == 3, report.errors
    got = {
        p.worker.nik: (p.kpj, p.start_date, p.state)
        for p in Participant.objects.select_related("worker")
    }
    assert got[a] == ("01234567890", dt.date(2025, 10, 5), "active")
    assert got[b] == ("01234567891", dt.date(2025, 10, 1), "active")
    assert got[c][1] == program.coverage_start
    event = AuditEvent.objects.get(action="enrolment.kpj_import")
    assert event.row_count == 3
    assert str(Participant.objects.first().kpj_batch) == event.changes["batch"][1]
    # The same file again changes nothing.
    again = kpj_import(actor=regency_admin, program=program, data=data)
    assert again.applied and (again.assigned, again.unchanged) == (0, 3)


def test_excel_numbers_get_their_leading_zero_back_but_short_text_is_refused(
    enrolled, regency_admin
):
    program, workers, _s = enrolled
    data = _xlsx(
        ["No KPJ", "NIK", "TMT"],
        [
            [1234567890, workers[0].nik, "01-10-2025"],  # a number: the 0 Excel dropped
            ["1234567890", workers[1].nik, ""],  # text: 10 digits is a typo, not padded
        ],
    )
    report = kpj_import(actor=regency_admin, program=program, data=data)
    assert not report.applied
    assert [(e["row"], e["code"]) for e in report.errors] == [(3, "kpj")]
    assert not Participant.objects.exclude(kpj=None).exists()
    assert clean_kpj("1234567890", numeric=True) == "01234567890"
    assert clean_kpj("1234567890") is None


def test_every_bad_row_is_reported_in_indonesian_and_nothing_is_applied(
    enrolled, regency_admin, make_worker
):
    program, workers, _s = enrolled
    a, b, c = (w.nik for w in workers)
    stranger = make_worker().nik  # registered, but not in the program
    data = _csv(
        [
            "NIK,KPJ",
            f"{a},01234567890",  # fine on its own
            f"{b},012345678901",  # 12 digits
            f"{stranger},01234567892",  # not a participant
            f"{c},01234567893",
            f"{c},01234567894",  # same NIK, another KPJ
            '=HYPERLINK("http://x"),=1+1',  # formula-looking cells
            f"{a},01234567890",  # same NIK, same KPJ: harmless
        ]
    )
    report = kpj_import(actor=regency_admin, program=program, data=data)
    assert not report.applied
    codes = [(e["row"], e["code"]) for e in report.errors]
    assert codes == [(3, "kpj"), (4, "not_found"), (6, "conflict"), (7, "nik")]
    assert "bukan 11 angka" in report.errors[0]["message"]
    assert "tidak terdaftar sebagai peserta" in report.errors[1]["message"]
    assert not Participant.objects.exclude(kpj=None).exists()
    assert not AuditEvent.objects.filter(action="enrolment.kpj_import").exists()


def test_a_kpj_already_held_by_someone_else_is_refused(enrolled, regency_admin, bpjs):
    from lindung.enrolment.services import participant_set_kpj

    program, workers, _s = enrolled
    first = Participant.objects.get(worker=workers[0])
    participant_set_kpj(actor=bpjs, participant=first, kpj="01234567890")
    data = _csv(["NIK;KPJ", f"{workers[1].nik};01234567890"])
    report = kpj_import(actor=regency_admin, program=program, data=data)
    assert [e["code"] for e in report.errors] == ["kpj_taken"]
    # Two NIKs given one KPJ in the same file.
    data = _csv(["NIK;KPJ", f"{workers[1].nik};01234567899", f"{workers[2].nik};01234567899"])
    report = kpj_import(actor=regency_admin, program=program, data=data)
    assert [e["code"] for e in report.errors] == ["conflict"]
    # A person who already has another KPJ: corrected on the page, not by a file.
    data = _csv(["NIK;KPJ", f"{workers[0].nik};01234567898"])
    report = kpj_import(actor=regency_admin, program=program, data=data)
    assert [e["code"] for e in report.errors] == ["kpj_differs"]


def test_people_of_another_regency_are_not_found_rather_than_shown(
    enrolled, make_user, make_program
):
    program, workers, _s = enrolled
    other_admin = make_user(Role.REGENCY_ADMIN, ["1603"])
    with pytest.raises(PermissionDenied):
        kpj_import(
            actor=other_admin,
            program=program,
            data=_csv(["NIK;KPJ", f"{workers[0].nik};01234567890"]),
        )
    with pytest.raises(PermissionDenied):
        kpj_import(
            actor=make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE]),
            program=program,
            data=_csv(["NIK;KPJ", f"{workers[0].nik};01234567890"]),
        )


@pytest.mark.parametrize(
    "data,code",
    [
        (hostile.two_cells(), "sheet_too_large"),
        (b"NIK;KPJ\n16120101\x0001;01234567890\n", "wrong_type"),
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "xls_or_encrypted"),
        (b"Nama;Alamat\nA;B\n", "no_header"),
        (b"NIK;KPJ\n", "no_rows"),
    ],
)
def test_hostile_or_unusable_files_are_refused_with_a_reason(enrolled, regency_admin, data, code):
    program, _workers, _s = enrolled
    with pytest.raises(ApplicationError) as exc:
        kpj_import(actor=regency_admin, program=program, data=data)
    assert exc.value.code == code, exc.value.message


def test_a_workbook_with_formulas_is_refused(enrolled, regency_admin):
    program, workers, _s = enrolled
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["NIK", "KPJ"])
    sheet.write_string(1, 0, workers[0].nik)
    sheet.write_formula(1, 1, "=1234567890+1")
    book.close()
    with pytest.raises(ApplicationError) as exc:
        kpj_import(actor=regency_admin, program=program, data=buffer.getvalue())
    assert exc.value.code == "formulas"


def test_a_start_date_outside_the_period_is_a_row_problem(enrolled, regency_admin):
    program, workers, _s = enrolled
    data = _csv(
        [
            "NIK;KPJ;TMT",
            f"{workers[0].nik};01234567890;01-09-2025",
            f"{workers[1].nik};01234567891;31-02-2025",
        ]
    )
    report = kpj_import(actor=regency_admin, program=program, data=data)
    assert [e["code"] for e in report.errors] == ["start", "start"]
