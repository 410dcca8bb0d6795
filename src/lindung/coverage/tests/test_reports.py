"""Coverage reports: the dashboard as XLSX and PDF, the one-page regency summary (exactly one
page even for a regency of 22 districts and 256 villages) and the participant list of one
village, masked per role and audited."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from lindung.accounts.roles import Role
from lindung.audit.models import AuditEvent
from lindung.coverage import reports

from .figures_fixture import ME, V1, V2, make_program, regency_admin, town  # noqa: F401
from .test_dashboard import DAY, counted, root  # noqa: F401

pytestmark = pytest.mark.django_db


def _book(content: bytes) -> dict[str, list[list]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.fixture
def drawn(monkeypatch):
    """Every string drawn on a PDF canvas (the embedded font subsets make the bytes
    unreadable, so the test listens to the drawing calls instead)."""
    from reportlab.pdfgen.canvas import Canvas

    seen: list[str] = []
    for name in ("drawString", "drawRightString", "drawCentredString"):
        real = getattr(Canvas, name)

        def spy(self, x, y, text, *a, _real=real, **kw):
            seen.append(str(text))
            return _real(self, x, y, text, *a, **kw)

        monkeypatch.setattr(Canvas, name, spy)
    return seen


def test_dashboard_xlsx_holds_every_sheet_and_the_figures(counted, root, client_for):  # noqa: F811
    response = client_for(root).get(f"/cakupan/wilayah/16.12/laporan.xlsx{DAY}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="cakupan-16.12.xlsx"'
    sheets = _book(response.content)
    assert list(sheets) == ["Ringkasan", "Peringkat wilayah", "Tren", "Rincian", "Ekosistem desa"]
    headline = {row[0]: row[1] for row in sheets["Ringkasan"][3:]}
    assert headline["Terlindungi"] == 7
    assert headline["  di antaranya dengan tunggakan"] == 1
    assert headline["Tidak terlindungi (terdaftar)"] == 4
    assert headline["Penduduk bekerja (penyebut)"] == 700
    assert headline["Cakupan"] == "1,00 %"
    assert headline["Peringkat"].startswith("ke-1 dari 17 di Sumatera Selatan")
    ranking = sheets["Peringkat wilayah"][3:]
    assert [(r[0], r[1], r[3]) for r in ranking[:2]] == [(1, V1[:6], 5), (2, counted.v3[:6], 2)]
    trend = sheets["Tren"][3:]
    assert [(r[0], r[1]) for r in trend] == [("2025-09-30", 2), ("2025-10-10", 7)]
    eco = sheets["Ekosistem desa"]
    assert ["Aparat terlindungi", 3, "", ""] in eco
    assert any(str(r[0]).startswith("Talang") or r[0].endswith(f"({V2})") for r in eco if r[0])


def test_filtered_xlsx_names_its_filters(counted, root, client_for):  # noqa: F811
    url = f"/cakupan/wilayah/1612/laporan.xlsx{DAY}&funder_kind=apbdes"
    headline = {r[0]: r[1] for r in _book(client_for(root).get(url).content)["Ringkasan"][3:]}
    assert headline["Terlindungi"] == 1
    assert headline["Filter"] in ("Funder: Village budget (APBDes / Dana Desa)",
                                  "Pendana: APBDes / Dana Desa")  # fmt: skip


def test_dashboard_pdf_opens_and_draws_the_figures(counted, root, client_for, drawn):  # noqa: F811
    response = client_for(root).get(f"/cakupan/wilayah/1612/laporan.pdf{DAY}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    assert _pages(pdf) >= 1
    assert "Terlindungi: 7" in drawn and "Cakupan: 1,00 %" in drawn
    assert "Peringkat: ke-1 dari 17 di Sumatera Selatan (menurut cakupan)" in drawn
    # The trend line's figures and months, drawn as vectors with their labels.
    assert "2" in drawn and "09/25" in drawn and "10/25" in drawn
    assert b"/Subtype /Image" not in pdf  # charts are vectors, not pictures


def test_one_page_summary_of_a_regency(counted, root, client_for, drawn):  # noqa: F811
    response = client_for(root).get(f"/cakupan/wilayah/16.12/ringkasan.pdf{DAY}")
    assert response.status_code == 200
    assert _pages(response.content) == 1
    assert "Cakupan 1,00 %" in drawn
    assert "7 terlindungi dari 700 penduduk bekerja" in drawn
    assert "Peringkat ke-1 dari 17 di Sumatera Selatan (menurut cakupan)" in drawn
    assert "Tertinggi" in drawn and "Terendah" in drawn
    assert any(t.startswith("1. ") and t.endswith("— 5") for t in drawn)  # top district


def test_summary_stays_one_page_for_a_regency_of_many_districts_and_villages(
    counted,  # noqa: F811
    root,  # noqa: F811
    client_for,
    drawn,
):
    from lindung.programs.models import Program
    from lindung.regions.models import Region

    # Muara Enim: 22 districts, 256 villages, all but one under a minimum of 100 workers.
    assert Region.objects.filter(parent_id="1603").count() >= 20
    Program.objects.filter(pk=counted.a.pk).update(owner_region_id="1603", min_per_village=100)
    response = client_for(root).get(f"/cakupan/wilayah/1603/ringkasan.pdf{DAY}")
    assert response.status_code == 200
    assert _pages(response.content) == 1
    under = next(t for t in drawn if t.startswith("Desa di bawah minimum"))
    villages = Region.objects.filter(level=4, code__startswith="1603", is_active=True).count()
    assert under.endswith(f"{villages} dari {villages}")  # ME has 1 < 100
    assert any("desa lain" in t for t in drawn)
    assert any(t.startswith("Tunggakan iuran: Rp0") for t in drawn)


def test_summary_is_a_regency_page_only(counted, root, client_for):  # noqa: F811
    for code in ("16", V1[:6], V1, "ID"):
        assert client_for(root).get(f"/cakupan/wilayah/{code}/ringkasan.pdf").status_code == 404


def _participants(client, code=V1, fmt="xlsx"):
    return client.get(f"/cakupan/wilayah/{code}/peserta.{fmt}{DAY}")


def test_participant_list_of_a_village_for_its_operator(counted, make_user, client_for):  # noqa: F811
    operator = make_user(Role.VILLAGE_OPERATOR, [V1])
    response = _participants(client_for(operator))
    assert response.status_code == 200
    rows = _book(response.content)["Peserta"][4:]
    w = counted.w
    # Covered in V1 on 10-10: w1 w2 w4 under A, w6 under C (4 unpaid months); w5 ended 05-10.
    by_name = {r[1]: r for r in rows}
    assert set(by_name) == {w[1].name, w[2].name, w[4].name, w[6].name}
    assert by_name[w[1].name][2] == w[1].nik  # the operator sees full NIKs of the village
    assert by_name[w[1].name][3] == f"{w[1].pk:011d}"
    assert by_name[w[1].name][5] == "A Pekerja Rentan"
    assert by_name[w[1].name][7] == "Terlindungi" and by_name[w[1].name][8] == "31-12-2025"
    assert by_name[w[6].name][7] == "Tidak terlindungi"
    event = AuditEvent.objects.get(action=reports.PARTICIPANTS_EXPORT)
    assert event.actor == operator and event.region_code == V1 and event.row_count == 4
    assert event.changes  # which participants, in which format


def test_participant_list_masks_nik_and_kpj_for_a_regional_head(counted, make_user, client_for):  # noqa: F811
    head = make_user(Role.REGIONAL_HEAD, ["1612"])
    content = _participants(client_for(head)).content
    rows = _book(content)["Peserta"][4:]
    w1 = counted.w[1]
    row = next(r for r in rows if r[1] == w1.name)
    assert row[2] == w1.nik[:4] + "*" * 12
    assert row[3] == f"{w1.pk:011d}"[:4] + "*" * 7
    assert w1.nik.encode() not in content and f"{w1.pk:011d}".encode() not in content


def test_participant_list_as_pdf(counted, make_user, client_for, drawn):  # noqa: F811
    head = make_user(Role.REGIONAL_HEAD, ["1612"])
    response = _participants(client_for(head), fmt="pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    w1 = counted.w[1]
    assert w1.name in drawn and w1.nik[:4] + "*" * 12 in drawn and w1.nik not in drawn
    assert AuditEvent.objects.filter(action=reports.PARTICIPANTS_EXPORT).count() == 1


@pytest.mark.parametrize("code", [V2, "1612", V1[:6], ME, "16.12.01.2001x"])
def test_participant_list_is_one_village_in_scope(counted, make_user, client_for, code):  # noqa: F811
    operator = make_user(Role.VILLAGE_OPERATOR, [V1])
    assert _participants(client_for(operator), code).status_code == 404
    assert not AuditEvent.objects.filter(action=reports.PARTICIPANTS_EXPORT).exists()


def test_participant_list_refuses_other_formats(counted, root, client_for):  # noqa: F811
    for fmt in ("csv", "xlsx%00", "pdf.exe", "x" * 200):
        assert client_for(root).get(f"/cakupan/wilayah/{V1}/peserta.{fmt}").status_code in (
            400,
            404,
        )


def test_reports_of_another_regency_are_not_found(counted, make_user, client_for):  # noqa: F811
    admin = make_user(Role.REGENCY_ADMIN, ["1503"])
    c = client_for(admin)
    for suffix in ("laporan.xlsx", "laporan.pdf", "ringkasan.pdf"):
        assert c.get(f"/cakupan/wilayah/1612/{suffix}").status_code == 404
    assert c.get(f"/cakupan/wilayah/{V1}/peserta.pdf").status_code == 404


def test_the_figures_of_a_date_before_any_count_are_empty_not_an_error(counted, root, client_for):  # noqa: F811
    c = client_for(root)
    for suffix in ("laporan.xlsx", "laporan.pdf", "ringkasan.pdf"):
        assert c.get(f"/cakupan/wilayah/1612/{suffix}?date=2001-01-01").status_code == 200
    assert dt.date(2001, 1, 1)


def test_a_village_list_too_long_for_one_file_is_refused_with_a_message(
    counted,  # noqa: F811
    root,  # noqa: F811
    client_for,
    monkeypatch,
):
    monkeypatch.setattr(reports, "MAX_PARTICIPANTS", 2)
    response = _participants(client_for(root))
    assert response.status_code == 302
    assert response["Location"] == "/cakupan/wilayah/16.12.01.2001/"
    assert not AuditEvent.objects.filter(action=reports.PARTICIPANTS_EXPORT).exists()
