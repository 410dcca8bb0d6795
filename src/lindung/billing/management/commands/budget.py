"""`lindung budget --workers N --months M --start YYYY-MM [--wage W] [--components jkk,jkm,jht]
[--funder apbd|apbd-provinsi|apbdes|csr|mandiri] [--sector transport|other] [--budget B] [--json]`

What N workers cost for M contribution months from a start month, per component and month, with
the rules applied and their citations; with `--budget`, how many workers it covers."""

from __future__ import annotations

import json

from django.utils import translation
from django.utils.translation import gettext as _

from lindung.billing.planner import (
    parse_components,
    parse_funder,
    parse_month,
    plan,
    terbilang_rupiah,
)
from lindung.billing.rates import Payer, rupiah
from lindung.billing.selectors import ruleset
from lindung.common.management.base import LindungCommand
from lindung.common.text import number


class Command(LindungCommand):
    help = "Plan a contribution budget: N workers for M months from a start month."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, required=True)
        parser.add_argument("--months", type=int, required=True)
        parser.add_argument("--start", required=True, help="first contribution month, YYYY-MM")
        parser.add_argument("--wage", type=int, default=1_000_000, help="declared income (Rp)")
        parser.add_argument("--components", default="jkk,jkm", help="jkk,jkm[,jht]")
        parser.add_argument(
            "--funder", default="mandiri", help="apbd|apbd-provinsi|apbdes|csr|mandiri"
        )
        parser.add_argument("--sector", default="other", help="transport|other (PP 50/2025)")
        parser.add_argument(
            "--funder-discounts",
            action="store_true",
            help="an APBDes/CSR funder whose setting gives self-payer discounts (off by default)",
        )
        parser.add_argument("--budget", type=int, help="a budget (Rp): how many workers it covers")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args, **options):
        with translation.override(options["lang"]):
            result = plan(
                ruleset(),
                workers=options["workers"],
                months=options["months"],
                start=parse_month(options["start"]),
                wage=options["wage"],
                components=parse_components(options["components"]),
                payer=Payer(
                    kind=parse_funder(options["funder"]),
                    discounts_apply=options["funder_discounts"],
                ),
                sector=options["sector"],
                budget=options["budget"],
            )
            if options["json"]:
                self.stdout.write(json.dumps(result, ensure_ascii=False))
                return
            self.stdout.write(human(result))


def human(r: dict) -> str:
    lines = [
        _("%(workers)s workers × %(months)s months from %(start)s")
        % {
            "workers": number(r["workers"]),
            "months": r["months"],
            "start": r["start"],
        },
        _("Funder: %(funder)s · sector: %(sector)s · declared income: %(wage)s · components: %(c)s")
        % {
            "funder": r["funder"],
            "sector": r["sector"],
            "wage": rupiah(r["wage"]),
            "c": ", ".join(c.upper() for c in r["components"]),
        },
        _("Per worker per month (first month): %(amount)s")
        % {"amount": rupiah(r["per_worker_month"])},
        "",
        f"{_('Month'):<9}{_('Per worker'):>14}{_('Total'):>22}",
    ]
    for m in r["by_month"]:
        lines.append(f"{m['month']:<9}{rupiah(m['per_worker']):>14}{rupiah(m['total']):>22}")
    lines.append("")
    for component, amount in r["by_component"].items():
        if component in r["components"]:
            lines.append(f"{component.upper()}: {rupiah(amount)}")
    if r["discount"]:
        lines.append(_("Discount included: %(amount)s") % {"amount": rupiah(r["discount"])})
    lines += [
        _("Total: %(amount)s") % {"amount": rupiah(r["total"])},
        _("In words: %(words)s") % {"words": terbilang_rupiah(r["total"])},
    ]
    if "workers_covered" in r:
        lines.append(
            _("A budget of %(budget)s covers %(n)s workers for the whole period.")
            % {"budget": rupiah(r["budget"]), "n": number(r["workers_covered"])}
        )
    lines.append("")
    lines.append(_("Rules applied:"))
    lines += [f"  {rule['code']}: {rule['citation']}" for rule in r["rules"]]
    return "\n".join(lines)
