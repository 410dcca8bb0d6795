"""The coverage dashboard page: hand-counted figures of the small town (`figures_fixture`),
drill-down links and breadcrumbs, filters, scope (404 however the code is written) and a
fixed number of queries whatever the number of child regions."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from lindung.accounts.roles import Role
from lindung.coverage import charts
from lindung.coverage.refresh import refresh_all
from lindung.regions.models import WorkforceDenominator

from .figures_fixture import ME, V1, V2, D, make_program, regency_admin, town  # noqa: F401

pytestmark = pytest.mark.django_db

DAY = "?date=2025-10-10"


@pytest.fixture
def counted(town):  # noqa: F811
    refresh_all(dt.date(2025, 9, 30))
    refresh_all(D)
    WorkforceDenominator.objects.create(
        region_id="1612", year=2025, working_population=700, source="BPS (uji)"
    )
    WorkforceDenominator.objects.create(
        region_id="1603", year=2025, working_population=200, source="BPS (uji)"
    )
    return town


@pytest.fixture
def root(make_user):
    return make_user(Role.SUPERADMIN)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _fig(body: str, name: str) -> str:
    return re.search(rf'id="fig-{name}">([^<]*)<', body).group(1)


def test_regency_headline_figures_counted_by_hand(counted, root, client_for):
    response = client_for(root).get(f"/cakupan/wilayah/16.12/{DAY}")
    assert response.status_code == 200
    body = _text(response)
    # PALI on 10-10: w1 w2 w4 w7 w8 w10 paid up, w11 with arrears | w3 w5 w6 w9.
    assert _fig(body, "protected") == "7"
    assert _fig(body, "arrears") == "1"
    assert _fig(body, "not-protected") == "4"
    assert _fig(body, "denominator") == "700"
    assert _fig(body, "coverage") == "1,00 %"  # 7 / 700, with the decimal comma
    # 30-09: w4 under P1 (3 unpaid months: still protected), w6 under C with 3 unpaid
    # months (Jun–Aug due before 30-09): 2 protected, so +5 since the month end.
    assert re.search(r'class="change">\+5 (since|sejak) 30-09-2025<', body)
    # PALI 1.00 % ahead of Muara Enim 1/200 = 0.50 %: first of the 17 regencies.
    assert re.search(r"1\b[^<]*17[^<]*Sumatera Selatan", body)


def test_change_since_the_last_month_end(counted, root):
    from lindung.coverage import dashboard

    ctx = dashboard.dashboard(root, "1612", D)
    assert ctx["previous"]["day"] == dt.date(2025, 9, 30)
    assert ctx["head"]["protected"] - ctx["previous"]["protected"] == ctx["previous"]["change"]
    assert ctx["previous"]["protected"] + ctx["previous"]["change"] == 7


def test_every_child_links_to_its_own_dashboard(counted, root, client_for):
    body = _text(client_for(root).get(f"/cakupan/wilayah/1612/{DAY}"))
    district = V1[:6]
    dotted = f"{district[:2]}.{district[2:4]}.{district[4:6]}"
    assert f'href="/cakupan/wilayah/{dotted}/"' in body
    page = _text(client_for(root).get(f"/cakupan/wilayah/{dotted}/{DAY}"))
    assert _fig(page, "protected") == "5"  # w1 w2 w4 w7 w8
    village = f"{dotted}.{V1[6:]}"
    assert f'href="/cakupan/wilayah/{village}/"' in page
    # Breadcrumbs back up to Indonesia for a national user.
    for up in ("/cakupan/wilayah/ID/", "/cakupan/wilayah/16/", "/cakupan/wilayah/16.12/"):
        assert f'href="{up}"' in page
    leaf = _text(client_for(root).get(f"/cakupan/wilayah/{village}/{DAY}"))
    assert _fig(leaf, "protected") == "3" and _fig(leaf, "not-protected") == "3"
    assert "peserta.xlsx" in leaf and ("1 of 2" in leaf or "1 dari 2" in leaf)


def test_children_bar_chart_is_svg_with_titles_and_a_data_table(counted, root, client_for):
    body = _text(client_for(root).get(f"/cakupan/wilayah/16/{DAY}"))
    chart = re.search(r'<svg class="chart"[^>]*aria-labelledby="children-t children-d".*?</svg>',
                      body).group(0)  # fmt: skip
    assert "<title" in chart and "<desc" in chart
    # Not every regency has a denominator: bars of protected workers, PALI first with 7.
    assert re.search(r'<a href="/cakupan/wilayah/16.12/"><text[^>]*>1\. [^<]*Penukal', chart)
    assert 'class="bar-value">7<' in chart
    assert 'id="children-table"' in body
    assert "style=" not in chart and "<script" not in body.split("</header>")[1]


def test_breadcrumbs_stop_at_the_users_scope(counted, make_user, client_for):
    head = make_user(Role.REGIONAL_HEAD, ["1612"])
    body = _text(client_for(head).get(f"/cakupan/wilayah/{V1}/{DAY}"))
    assert 'href="/cakupan/wilayah/16.12/"' in body
    assert 'href="/cakupan/wilayah/16/"' not in body
    assert 'href="/cakupan/wilayah/ID/"' not in body
    # Its rank in the province is named, the other regencies' figures are not shown.
    regency = _text(client_for(head).get(f"/cakupan/wilayah/1612/{DAY}"))
    assert 'id="sibling-table"' not in regency
    assert "Muara Enim" not in regency.split("<main")[1]


def test_cakupan_redirects_to_the_users_own_region(counted, make_user, client_for, root):
    admin = make_user(Role.REGENCY_ADMIN, ["1612"])
    assert client_for(admin).get("/cakupan/")["Location"] == "/cakupan/wilayah/16.12/"
    assert client_for(root).get("/cakupan/")["Location"] == "/cakupan/wilayah/ID/"
    nobody = make_user(Role.REGENCY_ADMIN, [])
    assert client_for(nobody).get("/cakupan/").status_code == 404


def test_anonymous_is_sent_to_log_in(counted, client):
    for url in ("/cakupan/", "/cakupan/wilayah/1612/", "/cakupan/wilayah/1612/laporan.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


@pytest.mark.parametrize(
    "code",
    [
        V2,  # a sibling village
        V2[:6] + "." + V2[6:],
        "16.12",  # the regency above
        "1612",
        "16",
        "ID",
        "1603",  # another regency
        ME,
        "16.99",  # no such regency
        "16%0012",  # NUL byte
        "1" * 200,
        "16.12.01.2001.",
        "abc",
    ],
)
def test_out_of_scope_or_crafted_codes_are_not_found(counted, make_user, client_for, code):
    operator = make_user(Role.VILLAGE_OPERATOR, [V1])
    client = client_for(operator)
    # A NUL byte is refused before any view runs (400, common middleware): no figure either.
    expected = {400, 404} if "%00" in code else {404}
    for suffix in ("", "laporan.xlsx", "laporan.pdf", "ringkasan.pdf", "peserta.xlsx"):
        assert client.get(f"/cakupan/wilayah/{code}/{suffix}").status_code in expected, suffix


def test_operator_sees_own_village(counted, make_user, client_for):
    operator = make_user(Role.VILLAGE_OPERATOR, [V1])
    body = _text(client_for(operator).get(f"/cakupan/wilayah/{V1}/{DAY}"))
    assert _fig(body, "protected") == "3"


def test_filters_narrow_the_figures(counted, root, client_for):
    c = client_for(root)
    body = _text(c.get(f"/cakupan/wilayah/1612/{DAY}&funder_kind=apbdes"))
    assert _fig(body, "protected") == "1" and _fig(body, "not-protected") == "0"  # w11 (C2)
    body = _text(c.get(f"/cakupan/wilayah/1612/{DAY}&program={counted.a.pk}"))
    assert _fig(body, "protected") == "6"  # w1 w2 w4 w7 w8 w10
    assert re.search(r'id="filters-on"><strong>Program: A Pekerja Rentan\.', body)
    body = _text(c.get(f"/cakupan/wilayah/1612/{DAY}&occupation_group=village_government"))
    assert _fig(body, "protected") == "2"  # w2 w7 (w8 is an RT/RW head: community)


@pytest.mark.parametrize(
    "query",
    [
        "program=99999999999999999999",
        "program=-1",
        "program=abc",
        "program=1%00",
        "funder_kind=%00",
        "funder_kind=" + "x" * 5000,
        "occupation_group[]=1",
        "date=9999-99-99",
        "date=1900-01-01",
        "date=%00",
    ],
)
def test_hostile_filters_are_ignored(counted, root, client_for, query):
    response = client_for(root).get(f"/cakupan/wilayah/1612/?{query}")
    if "%00" in query:
        assert response.status_code == 400  # refused by the common middleware
        return
    assert response.status_code == 200
    assert _fig(_text(response), "protected") == "7"


def test_a_program_of_another_regency_is_ignored_not_leaked(counted, make_user, client_for):
    admin = make_user(Role.REGENCY_ADMIN, ["1603"])
    # Program A belongs to PALI: Muara Enim's admin cannot choose it; the filter is dropped
    # (the page shows Muara Enim's own figures, not "0 in a program you cannot see").
    body = _text(client_for(admin).get(f"/cakupan/wilayah/1603/{DAY}&program={counted.a.pk}"))
    assert _fig(body, "protected") == "1"
    assert f'<option value="{counted.a.pk}"' not in body
    assert "Clear filters" not in body and "Hapus filter" not in body


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as q:
        assert client.get(url).status_code == 200
    return len(q)


def test_dashboard_reads_a_bounded_number_of_queries(
    counted, root, client_for, django_assert_max_num_queries
):
    c = client_for(root)
    c.get(f"/cakupan/wilayah/1612/{DAY}")  # the session
    for code in ("ID", "16", "1612", V1[:6], V1):
        with django_assert_max_num_queries(50):
            assert c.get(f"/cakupan/wilayah/{code}/{DAY}").status_code == 200


def test_query_count_does_not_grow_with_the_number_of_children(counted, root, client_for):
    from lindung.regions.models import Region

    c = client_for(root)
    url = f"/cakupan/wilayah/1612/{DAY}"
    c.get(url)
    before = _queries(c, url)
    # Forty more districts in PALI, each with a village: eight times the regions below.
    for i in range(40):
        district = f"1612{60 + i}"
        Region.objects.create(code=district, name=f"Kec {i}", level=3, kind="kecamatan",
                              parent_id="1612")  # fmt: skip
        Region.objects.create(code=f"{district}2001", name=f"Desa {i}", level=4, kind="desa",
                              parent_id=district)  # fmt: skip
    refresh_all(D)
    assert _queries(c, url) == before
    assert _text(c.get(url)).count('class="child-link"') == 45


def test_charts_escape_names_and_keep_labels_apart():
    svg = charts.bars_svg("x", "t<", [charts.Bar("<b>Desa & Co</b>", 5, "5", "/a?b=1&c=2")])
    assert "<b>" not in svg and "&lt;b&gt;Desa &amp; Co" in svg and "b=1&amp;c=2" in svg
    laid = charts.bar_layout([charts.Bar(str(i), i, str(i)) for i in range(1, 40)])
    ys = [g.y for g in laid]
    assert all(b - a >= charts.ROW for a, b in itertools.pairwise(ys))
    points = [charts.Point(f"{m:02d}/25", m, str(m)) for m in range(1, 14)]
    shown = [p.label for _x, _y, p, show in charts.line_layout(points) if show]
    assert len(shown) <= 6 and shown[-1] == "13/25"


def test_dashboard_pages_need_no_inline_script_or_style(counted, root, client_for):
    from lindung.site.tests.test_csp import inline_code

    c = client_for(root)
    for code in ("ID", "16", "1612", V1):
        assert inline_code(c.get(f"/cakupan/wilayah/{code}/{DAY}").content.decode()) == []


def test_menu_links_to_the_dashboard(counted, make_user, client_for):
    body = client_for(make_user(Role.REGENCY_ADMIN, ["1612"])).get("/wilayah/").content.decode()
    assert 'href="/cakupan/"' in body


def test_a_region_whose_programs_ended_says_when_people_were_last_protected(
    counted, root, client_for
):
    # Every program of the town ends on 31-12-2025: in March 2026 nobody is protected; the page
    # says so and points to the last month end that had protected workers.
    refresh_all(dt.date(2025, 10, 31))
    refresh_all(dt.date(2026, 3, 31))
    ended = _text(client_for(root).get("/cakupan/wilayah/16.12/?date=2026-03-31"))
    assert _fig(ended, "protected") == "0"
    assert 'id="lapsed"' in ended and "31-10-2025" in ended and "?date=2025-10-31" in ended
    running = _text(client_for(root).get("/cakupan/wilayah/16.12/?date=2025-10-31"))
    assert 'id="lapsed"' not in running
