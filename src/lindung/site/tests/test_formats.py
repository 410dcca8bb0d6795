"""One number and date format on every page, in both languages: 1.224 and 17-09-1977.

The users are Indonesian officials reading Indonesian documents, so the English interface
writes numbers and dates the Indonesian way too (lindung/formats)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from lindung.accounts.roles import Role
from lindung.audit.services import record
from lindung.common.text import date_text, number
from lindung.conftest import PALI_VILLAGE

pytestmark = pytest.mark.django_db

BIRTH = dt.date(1977, 9, 17)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_templates_write_numbers_and_dates_the_indonesian_way(lang):
    with translation.override(lang):
        text = Template("{{ n }} {{ big }} {{ d }} {{ d|date:'SHORT_DATE_FORMAT' }}").render(
            Context({"n": 1224, "big": 1500000, "d": BIRTH})
        )
    assert text == "1.224 1.500.000 17-09-1977 17-09-1977"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_pages_show_1_224_and_17_09_1977(lang, make_user, make_worker, client_for):
    worker = make_worker(birth_date=BIRTH, name="Siti Betung")
    auditor = make_user(Role.AUDITOR, ["16"])
    record(
        actor=None,
        action="intake.commit",
        object_type="intake.upload",
        object_id="x",
        region_code=PALI_VILLAGE,
        row_count=1224,
    )
    client = client_for(make_user(Role.REGENCY_ADMIN))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    page = client.get(f"/pekerja/{worker.pk}/").content.decode()
    assert "17-09-1977" in page
    audit = client_for(auditor)
    audit.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    page = audit.get("/audit/").content.decode()
    assert "(1.224)" in page
    assert "1,224" not in page


def test_text_built_outside_templates_uses_the_same_format():
    assert number(1224) == "1.224"
    assert number(83762) == "83.762"
    assert date_text(BIRTH) == "17-09-1977"
