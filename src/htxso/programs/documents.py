"""The official letters (Decree 30 layout) and spreadsheets of a call.

Built on the shared documents service (``core.documents``): the letter text comes from
the ``LetterTemplate`` rows VCA edits (codes ``call_national``, ``call_province``,
``selection_result``), filled with the call's figures.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from htxso.core.documents.letters import letter_from_template, render_letter_docx
from htxso.core.documents.placeholders import province_phrase, short_date
from htxso.core.documents.templating import TemplateTextError
from htxso.core.documents.workbooks import Column, Sheet, build_workbook
from htxso.core.errors import Kind, ServiceError

from .models import Call, CallProvince, CriterionKind


class LetterUnavailable(ServiceError):
    """The letter cannot be produced; ``message`` says why and what to do (a
    :class:`~htxso.core.errors.ServiceError` whose only addition is its code)."""

    def __init__(self, message: Any) -> None:
        super().__init__("letter_unavailable", message, kind=Kind.CONFLICT)


AUDIENCE = {
    "cooperative": "các hợp tác xã",
    "group": "các tổ hợp tác",
    "union": "các liên hiệp hợp tác xã",
}


def criteria_text(call: Call) -> str:
    return "\n".join(f"- {c.label};" for c in call.criteria.all())


def context_for(call: Call, *, province=None, deadline=None) -> dict[str, str]:
    deadline = timezone.localtime(deadline or call.deadline)
    return {
        "call_title": call.title,
        "programme": call.programme,
        "donor": call.donor,
        "period": call.period,
        "deadline": short_date(deadline.date()),
        "province": province_phrase(province.name) if province else "",
        "audience": ", ".join(AUDIENCE.get(k, k) for k in call.audience_kinds or []),
        "criteria": criteria_text(call),
        "min_eligible": f"{call.min_eligible:02d}",
        "provinces_min": str(call.provinces_min),
        "provinces_max": str(call.provinces_max),
        "contact": call.contact,
        "today": short_date(timezone.localdate()),
    }


def _template(code: str):
    from htxso.core.models import LetterTemplate

    template = LetterTemplate.objects.filter(code=code).first()
    if template is None:
        raise LetterUnavailable(
            _(
                "The letter template “%(code)s” is missing. VCA can create it under "
                "Documents → Letter templates."
            )
            % {"code": code}
        )
    return template


def _render(template, context, **fields) -> bytes:
    try:
        letter = letter_from_template(template, context, **fields)
    except TemplateTextError as exc:
        raise LetterUnavailable(
            _("The letter template “%(code)s” cannot be filled: %(error)s")
            % {"code": template.code, "error": exc.message}
        ) from exc
    return render_letter_docx(letter)


def national_letter(call: Call) -> bytes:
    """VCA's call letter to the provincial alliances."""
    number, _sep, symbol = (call.reference or "").partition("/")
    return _render(
        _template("call_national"),
        context_for(call),
        parent_body="",
        issuing_body="LIÊN MINH HỢP TÁC XÃ VIỆT NAM",
        number=number.strip() if symbol else "",
        symbol=symbol.strip() or "LMHTX-HTQT",
        place="Hà Nội",
        recipients=["Liên minh Hợp tác xã các tỉnh, thành phố"],
    )


def province_letter(call: Call, publication: CallProvince | None, province) -> bytes:
    """The provincial alliance's letter to its cooperatives (like source 000)."""
    deadline = publication.effective_deadline if publication else call.deadline
    number, _sep, symbol = ((publication.letter_number if publication else "") or "").partition("/")
    short = province.name
    for prefix in ("Tỉnh ", "Thành phố "):
        if short.startswith(prefix):
            short = short[len(prefix) :]
    context = context_for(call, province=province, deadline=deadline)
    if publication and publication.contact:
        context["contact"] = publication.contact
    return _render(
        _template("call_province"),
        context,
        parent_body=("UBND " + province_phrase(province.name)).upper(),
        issuing_body="LIÊN MINH HỢP TÁC XÃ",
        number=number.strip() if symbol else "",
        symbol=symbol.strip() or "LMHTX",
        place=short,
        recipients=[f"Các hợp tác xã trên địa bàn {province_phrase(province.name)}"],
    )


def result_letter(call: Call, summary) -> bytes:
    selected = [r for r in summary.rows if r.decision and r.decision.selected]
    template = _template("selection_result")
    letter_context = context_for(call)
    return _render(
        template,
        letter_context,
        parent_body="",
        issuing_body="LIÊN MINH HỢP TÁC XÃ VIỆT NAM",
        number="",
        symbol="LMHTX-HTQT",
        place="Hà Nội",
        recipients=[f"Liên minh Hợp tác xã {province_phrase(r.name)}" for r in selected]
        or ["Liên minh Hợp tác xã các tỉnh, thành phố"],
    )


# ------------------------------------------------------------------ spreadsheets


def _verdict_columns(call: Call) -> list[Column]:
    return [
        Column(f"c{c.pk}", c.label[:60], width=40)
        for c in call.criteria.all()
        if c.kind != CriterionKind.PROVINCE
    ]


def province_workbook(call: Call, province, applications) -> bytes:
    """The compiled provincial list: one row per application, one column per criterion."""
    criteria_cols = _verdict_columns(call)
    rows = []
    for number, app in enumerate(applications, start=1):
        row = {
            "no": number,
            "name": app.organisation.name,
            "tax_code": app.organisation.tax_code or "",
            "status": app.get_status_display(),
            "eligible": _("Yes") if app.eligible else _("No") if app.eligible is False else "—",
            "workers_total": app.report.get("workers_total"),
            "workers_youth": app.report.get("workers_youth"),
            "revenue": app.report.get("revenue"),
            "profit": app.report.get("profit"),
            "submitted_at": timezone.localtime(app.submitted_at).date()
            if app.submitted_at
            else None,
        }
        for result in app.results.all():
            row[f"c{result.criterion_id}"] = result.reason
        rows.append(row)
    columns = [
        Column("no", _("No."), "int", 6),
        Column("name", _("Organisation"), width=40),
        Column("tax_code", _("Tax code"), width=14),
        Column("status", _("Status"), width=22),
        Column("eligible", _("Eligible"), width=10),
        Column("workers_total", _("Workers"), "int"),
        Column("workers_youth", _("Workers under 35"), "int"),
        Column("revenue", _("Revenue (VND)"), "vnd"),
        Column("profit", _("Profit (VND)"), "vnd"),
        Column("submitted_at", _("Submitted on"), "date"),
        *criteria_cols,
    ]
    heading = [
        call.title,
        _("Province: %(name)s") % {"name": province.name},
        _("Eligible: %(n)s of %(total)s")
        % {
            "n": sum(1 for a in applications if a.eligible),
            "total": len(applications),
        },
    ]
    return build_workbook([Sheet(_("Applications")[:31], columns, rows, heading)])


def results_workbook(call: Call, summary) -> bytes:
    province_rows = [
        {
            "rank": r.rank,
            "province": r.name,
            "submitted": r.submitted,
            "eligible": r.eligible,
            "qualifies": _("Yes") if r.qualifies else _("No"),
            "selected": _("Yes") if r.decision and r.decision.selected else _("No"),
            "reason": r.decision.reason if r.decision else "",
        }
        for r in summary.rows
    ]
    org_rows = [
        {
            "province": r.name,
            "name": a.organisation.name,
            "tax_code": a.organisation.tax_code or "",
            "status": a.get_status_display(),
            "youth": (a.youth_share or 0) / 100 if a.youth_share is not None else None,
            "reason": a.decision_reason,
        }
        for r in summary.rows
        for a in r.applications
    ]
    return build_workbook(
        [
            Sheet(
                _("Provinces")[:31],
                [
                    Column("rank", _("Rank"), "int", 8),
                    Column("province", _("Province"), width=24),
                    Column("submitted", _("Applications"), "int"),
                    Column("eligible", _("Eligible"), "int"),
                    Column("qualifies", _("Qualifies"), width=10),
                    Column("selected", _("Selected"), width=10),
                    Column("reason", _("Reason"), width=50),
                ],
                province_rows,
                [
                    call.title,
                    _("Qualification: at least %(n)s eligible cooperatives")
                    % {"n": call.min_eligible},
                ],
            ),
            Sheet(
                _("Cooperatives")[:31],
                [
                    Column("province", _("Province"), width=24),
                    Column("name", _("Organisation"), width=40),
                    Column("tax_code", _("Tax code"), width=14),
                    Column("status", _("Status"), width=18),
                    Column("youth", _("Workers under 35"), "percent"),
                    Column("reason", _("Reason"), width=50),
                ],
                org_rows,
                [call.title],
            ),
        ]
    )
