"""`lindung benefit TYPE (--nik NIK | --kpj KPJ | --what-if) --event-date YYYY-MM-DD [--json]`:
what a death, work accident or scholarship pays, component by component with each rule's
citation, and what is refused and why.

TYPE is jkm, jkk-death, jkk-disability, jkk-stmb, jkk-medical or scholarship. With `--nik` or
`--kpj` the facts come from the database (the person's protection, arrears, membership and
months paid on the event date; their registered heirs); with `--what-if` from the options:
`--coverage-start`, `--paid-through YYYY-MM`, `--wage W`, `--children N`, `--levels sd,smp`,
`--years 1,3`, `--disability-percent P`, `--total-disability`, `--months-off M`, `--at-work`,
`--cause`, `--claim-date`, the costs of care and transport, `--contribution`. Exit 0 with the
answer, 2 when refused (bad option, unknown person), with the reason and no traceback.

An operator's command, like `lindung protection status`: the person is looked up without
region scoping, and a lookup by full NIK is recorded for auditors (`pii.search`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace

from django.core.management.base import CommandError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from lindung.accounts.system import SYSTEM
from lindung.audit.commands import AuditedCommand
from lindung.claims.calculator import (
    CAUSES,
    DEATH_TYPES,
    BenefitType,
    children_of,
    component_label,
    compute,
    facts_for_worker,
    parse_levels,
    rupiah,
    what_if_facts,
)

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            _("%(option)s is not a date (YYYY-MM-DD): %(value)s")
            % {"option": option, "value": value[:40]}
        ) from exc


def _month(value: str | None) -> dt.date | None:
    if value is None:
        return None
    match = _MONTH.fullmatch(value.strip())
    if not match or not 1 <= int(match[2]) <= 12 or not 1900 <= int(match[1]) <= 2200:
        raise CommandError(
            _("--paid-through must be a month written YYYY-MM, e.g. 2025-10 (got %(value)s).")
            % {"value": value[:40]}
        )
    return dt.date(int(match[1]), int(match[2]), 1)


def _years(value: str | None) -> list[int]:
    if not value:
        return []
    parts = [p.strip() for p in value.split(",")]
    if not all(p.isdecimal() and p.isascii() and len(p) <= 3 for p in parts):
        raise CommandError(_("--years takes whole numbers separated by commas, e.g. 1,3."))
    return [int(p) for p in parts]


class Command(AuditedCommand):
    help = "What a benefit pays, component by component with each rule's citation."

    def add_arguments(self, parser):
        parser.add_argument("type", choices=BenefitType.values, metavar="TYPE")
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--nik", help="a registered person's NIK (16 digits)")
        who.add_argument("--kpj", help="a participant's KPJ (11 digits)")
        who.add_argument("--what-if", action="store_true", help="facts from the options below")
        parser.add_argument("--event-date", required=True, help="death or accident, YYYY-MM-DD")
        parser.add_argument("--claim-date", help="the day the claim is made (default today)")
        parser.add_argument("--coverage-start", help="what-if: first day of cover, YYYY-MM-DD")
        parser.add_argument("--paid-through", help="what-if: last month paid, YYYY-MM")
        parser.add_argument("--wage", type=int, help="declared income (Rp)")
        parser.add_argument("--contribution", type=int, help="what-if: monthly contribution (Rp)")
        parser.add_argument("--children", type=int, default=0, help="children for a scholarship")
        parser.add_argument(
            "--levels", default="", help="a school level per child: tk,sd,smp,sma,pt"
        )
        parser.add_argument("--years", default="", help="school years claimed per child: 1,3")
        parser.add_argument("--cause", choices=CAUSES, default="jkm", help="scholarship's cause")
        parser.add_argument("--disability-percent", type=int, default=0)
        parser.add_argument("--total-disability", action="store_true")
        parser.add_argument("--months-off", type=int, default=0, help="months unable to work")
        parser.add_argument("--at-work", action="store_true", help="a sudden death while working")
        parser.add_argument("--medical-cost", type=int, default=0)
        parser.add_argument("--home-care-cost", type=int, default=0)
        parser.add_argument("--home-care-months", type=int, default=0)
        parser.add_argument("--transport-land", type=int, default=0)
        parser.add_argument("--transport-sea", type=int, default=0)
        parser.add_argument("--transport-air", type=int, default=0)
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args, **o):
        with translation.override(o["lang"]):
            kind = o["type"]
            event = _date(o["event_date"], "--event-date")
            claim = _date(o["claim_date"], "--claim-date")
            details = {
                "disability_percent": o["disability_percent"],
                "total_disability": o["total_disability"],
                "months_off": o["months_off"],
                "at_work": o["at_work"],
                "scholarship_cause": o["cause"],
                "medical_cost": o["medical_cost"],
                "home_care_cost": o["home_care_cost"],
                "home_care_months": o["home_care_months"],
                "transport_land": o["transport_land"],
                "transport_sea": o["transport_sea"],
                "transport_air": o["transport_air"],
                "claim_date": claim,
            }
            heirs = None
            if o["what_if"]:
                start = _date(o["coverage_start"], "--coverage-start")
                if start is None:
                    raise CommandError(_("--what-if needs --coverage-start (YYYY-MM-DD)."))
                facts = what_if_facts(
                    kind,
                    event_date=event,
                    coverage_start=start,
                    paid_through=_month(o["paid_through"]),
                    wage=1_000_000 if o["wage"] is None else o["wage"],
                    children=o["children"],
                    levels=o["levels"],
                    years=_years(o["years"]),
                    monthly_contribution=o["contribution"],
                    at_work=details.pop("at_work"),
                    **details,
                )
            else:
                worker = self._worker(o["nik"], o["kpj"])
                levels = parse_levels(o["levels"])
                if o["children"] and len(levels) != o["children"]:
                    raise CommandError(_("Give one school level per child (--levels)."))
                years = _years(o["years"])
                kids = children_of(worker, levels)
                if years:
                    if len(years) != len(kids):
                        raise CommandError(_("Give one number of school years per child."))
                    kids = [replace(k, years=y) for k, y in zip(kids, years, strict=True)]
                facts = facts_for_worker(
                    worker, kind, event, wage=o["wage"], children=kids, **details
                )
                if kind in DEATH_TYPES:
                    heirs = list(worker.heirs.all())
            result = compute(facts, heirs=heirs)
            if o["json"]:
                self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
                return
            self.stdout.write(text(result))

    def _worker(self, nik: str | None, kpj: str | None):
        from lindung.accounts.masking import mask_number
        from lindung.audit.access import PII_SEARCH
        from lindung.audit.services import record
        from lindung.enrolment.models import Participant
        from lindung.registry.models import Worker

        if nik is not None:
            nik = nik.strip()
            if not (nik.isdecimal() and nik.isascii() and len(nik) == 16):
                raise CommandError(_("A NIK has 16 digits."))
            worker = Worker.objects.filter(nik=nik).first()
            # A search by full NIK is recorded like one on a page (who, a masked form, whom).
            record(
                actor=SYSTEM,
                action=PII_SEARCH,
                object_type="registry.worker",
                object_repr=f"NIK {mask_number(nik)}",
                region_code=worker.village_id if worker else "",
                after={"query": mask_number(nik), "workers": [worker.pk] if worker else []},
                row_count=1 if worker else 0,
            )
        else:
            kpj = kpj.strip()
            if not (kpj.isdecimal() and kpj.isascii() and len(kpj) == 11):
                raise CommandError(_("A KPJ has 11 digits."))
            found = (
                Participant.objects.filter(kpj=kpj)
                .select_related("worker")
                .order_by("-start_date")
                .first()
            )
            worker = found.worker if found else None
        if worker is None:
            raise Http404
        return worker


def text(result) -> str:
    """The answer in words, rupiah written the Indonesian way."""
    from lindung.billing.planner import terbilang_rupiah
    from lindung.common.text import date_text

    lines = [
        f"{BenefitType(result.benefit_type).label} · {date_text(result.event_date)}",
        _("Payable: %(amount)s") % {"amount": rupiah(result.payable)},
        _("In words: %(words)s") % {"words": terbilang_rupiah(result.payable)},
    ]
    if result.components:
        lines += ["", _("Components:")]
        lines += [
            f"  {component_label(c.code)}: {rupiah(c.amount)}  [{c.rule}] {c.citation}"
            for c in result.components
        ]
    if result.not_payable:
        lines += ["", _("Not payable:")]
        lines += [f"  {n.code}: {n.reason} ({n.citation})" for n in result.not_payable]
    if result.entitlement is not None:
        lines += ["", _("Heirs: %(reason)s") % {"reason": result.entitlement.reason}]
    return "\n".join(lines)
