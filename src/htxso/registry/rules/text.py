"""Sentences explaining a criterion's outcome, in the active language."""

from __future__ import annotations

import itertools

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from htxso.core.formatting import format_vnd

FIELD_LABELS = {
    "revenue": lambda: _("Revenue"),
    "profit": lambda: _("Profit"),
}


def grade_label(code: str) -> str:
    from htxso.registry.models import Grade

    return str(dict(Grade.choices).get(code, code))


def pct(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    if (get_language() or "vi").startswith("vi"):
        text = text.replace(".", ",")
    # a no-break space: "60 %" never wraps before its sign on a narrow phone
    return f"{text}\u00a0%"


def _years(years) -> str:
    return ", ".join(str(y) for y in years)


def describe(code: str, data: dict) -> str:
    ok = "✔"
    ko = "✘"
    if code == "youth_share":
        met = data["youth"] * 100 > data["threshold"] * data["total"]
        params = {
            "youth": data["youth"],
            "total": data["total"],
            "share": pct(data["share"]),
            "sign": ">" if met else "≤",
            "threshold": pct(data["threshold"]),
            "mark": ok if met else ko,
        }
        text = (
            _("Workers under 35: %(youth)s/%(total)s = %(share)s %(sign)s %(threshold)s %(mark)s")
            % params
        )
        if data.get("source") == "report":
            text += " " + _("(annual report %(year)s)") % {"year": data["year"]}
        return text
    if code == "youth_no_data":
        return _(
            "Not enough data: no submitted or accepted annual report for %(year)s with the "
            "number of workers, and the workforce list lacks birth dates"
        ) % {"year": data["year"]}
    if code == "finance_missing":
        return _("Not enough data: no submitted or accepted annual report for %(years)s") % {
            "years": _years(data["years"])
        }
    if code == "finance":
        label = FIELD_LABELS.get(data["field"], lambda: data["field"])()
        values = "; ".join(f"{y}: {format_vnd(v)}" for y, v in data["values"].items())
        values_list = list(data["values"].values())
        if data["mode"] == "growing":
            met = all(b > a for a, b in itertools.pairwise(values_list)) and (values_list[-1] > 0)
            verdict = _("growing every year") if met else _("not growing every year")
        else:
            met = all(v > 0 for v in values_list)
            verdict = _("positive every year") if met else _("not positive every year")
        return f"{label} {values} — {verdict} {ok if met else ko}"
    if code == "grade_missing":
        return _("Not enough data: no reviewed classification since %(year)s") % {
            "year": data["since"]
        }
    if code == "grade":
        from .engine import GRADE_ORDER

        met = GRADE_ORDER.get(data["grade"], -1) >= GRADE_ORDER.get(data["at_least"], 2)
        return _("Classification %(year)s: %(grade)s (at least %(need)s required) %(mark)s") % {
            "year": data["year"],
            "grade": grade_label(data["grade"]),
            "need": grade_label(data["at_least"]),
            "mark": ok if met else ko,
        }
    if code == "chain":
        met = data["active"] >= data["need"]
        return _("Active value-chain links: %(active)s (at least %(need)s) %(mark)s") % {
            **data,
            "mark": ok if met else ko,
        }
    if code == "chain_no_data":
        return _("Not enough data: no value-chain link recorded and no annual report says so")
    if code == "chain_declared_only":
        return (
            _(
                "Not enough data: the %(year)s annual report says the cooperative is in a value "
                "chain but no link (partner, product) is recorded"
            )
            % data
        )
    if code == "ocop":
        if data["count"]:
            return _("Valid OCOP products of %(need)s stars or more: %(count)s ✔") % data
        return _("No valid OCOP product of %(need)s stars or more ✘") % data
    if code == "sector_missing":
        return _("Not enough data: the sector is not recorded")
    if code == "sector":
        from htxso.registry.models import Sector

        met = data["sector"] in data["wanted"]
        return _("Sector: %(sector)s %(mark)s") % {
            "sector": dict(Sector.choices).get(data["sector"], data["sector"]),
            "mark": ok if met else ko,
        }
    if code == "province":
        met = data["province"] in data["wanted"]
        return _("Province code %(code)s %(mark)s") % {
            "code": data["province"],
            "mark": ok if met else ko,
        }
    if code == "org_kind":
        from htxso.registry.models import OrganisationKind

        met = data["kind"] in data["wanted"]
        return _("Kind: %(kind)s %(mark)s") % {
            "kind": dict(OrganisationKind.choices).get(data["kind"], data["kind"]),
            "mark": ok if met else ko,
        }
    if code == "not_operating":
        from htxso.registry.models import OrganisationStatus

        return _("Not operating: %(status)s ✘") % {
            "status": dict(OrganisationStatus.choices).get(data["status"], data["status"])
        }
    if code == "established_missing":
        return _("Not enough data: the date of establishment is not recorded")
    if code == "operating":
        met = data["months"] >= data["need"]
        return _("In operation for %(months)s months (at least %(need)s) %(mark)s") % {
            **data,
            "mark": ok if met else ko,
        }
    if code == "declared_missing":
        return _("Not enough data: the applicant has not answered yet")
    if code == "declared_pending":
        return _("Answered by the applicant; awaiting the officer's check")
    if code == "declared_checked":
        if data.get("verdict") == "pass":
            return _("Checked by the province officer ✔")
        return _("Not accepted by the province officer ✘")
    return code
