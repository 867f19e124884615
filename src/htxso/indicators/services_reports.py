"""Every write of the periodic reports: offices and their members, templates with their
sections and figures, cycles, the offices' submissions and their state machine, reminders,
the compiled province report and its sending.

A submission moves draft → submitted → (returned → submitted)* → accepted.  The
submitting office's members save and submit; the compiling office's members (the
Department of Finance) return with a comment or accept.  Every transition is one
:class:`~htxso.indicators.models.SubmissionEvent` (who, when, from, to, comment) and one
audit row; a transition the state does not allow is refused with a message naming the
state.  Nothing is half-saved: each service is one transaction, checked before it writes.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import nh3
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxso.core import audit, messaging
from htxso.core.actors import Actor, SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errorlist import Errors, text
from htxso.core.errors import ServiceError, conflict, not_found, refused
from htxso.core.files import unguessable_name
from htxso.core.schemas import MAX_INT64

from . import documents_reports, selectors_reports
from .models import (
    CompiledReport,
    FigureUnit,
    OfficeKind,
    ReportCycle,
    ReportFigure,
    ReportingOffice,
    ReportKind,
    ReportSection,
    ReportTemplate,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)
from .periods import parse

ACTION_LABELS.update(
    {
        "report_office.create": gettext_lazy("Reporting office created"),
        "report_office.members": gettext_lazy("Reporting office members changed"),
        "report_template.create": gettext_lazy("Report template created"),
        "report_template.section": gettext_lazy("Report section added"),
        "report_template.figure": gettext_lazy("Report figure added"),
        "report_template.update": gettext_lazy("Report template changed"),
        "report_template.section_update": gettext_lazy("Report section changed"),
        "report_template.section_delete": gettext_lazy("Report section removed"),
        "report_template.figure_delete": gettext_lazy("Report figure removed"),
        "report_template.copy": gettext_lazy("Report template copied for future periods"),
        "report_cycle.open": gettext_lazy("Report cycle opened"),
        "report_cycle.remind": gettext_lazy("Report reminders sent"),
        "report_submission.save": gettext_lazy("Report draft saved"),
        "report_submission.submit": gettext_lazy("Report submitted"),
        "report_submission.return": gettext_lazy("Report returned for changes"),
        "report_submission.accept": gettext_lazy("Report accepted"),
        "report_compiled.compile": gettext_lazy("Province report compiled"),
        "report_compiled.send": gettext_lazy("Province report sent"),
    }
)

PURPOSE_REMINDER = "report_reminder"
MAX_NARRATIVE = 5000
MAX_COMMENT = 2000
_INTEGER_UNITS = (FigureUnit.COUNT, FigureUnit.PEOPLE, FigureUnit.VND)
_RECIPIENT = re.compile(r"^(?P<name>[^<>]+?)\s*<(?P<email>[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)>$")


# ------------------------------------------------------------------ helpers


def _user_or_none(*, actor: Actor) -> Any:
    return None if isinstance(actor, SystemActor) else actor


def _label(*, actor: Actor) -> str:
    if isinstance(actor, SystemActor):
        return actor.username
    return (getattr(actor, "full_name", "") or actor.get_username())[:150]


def plain_text(errors: Errors, name: str, value: Any, *, max_length: int, required=False) -> str:
    """Text as typed, with any markup taken out (a script is removed with its content):
    stored as plain text, escaped wherever it is shown."""
    raw = text(errors, name, value, max_length=max_length * 2, multiline=True)
    cleaned = html.unescape(nh3.clean(raw, tags=set())).strip() if raw else ""
    if len(cleaned) > max_length:
        errors.add(
            name,
            gettext_lazy("Write at most %(max)s characters (you wrote %(n)s)."),
            "text_too_long",
            {"max": max_length, "n": len(cleaned)},
        )
    if required and not cleaned:
        errors.add(name, gettext_lazy("This field is required."), "required")
    return cleaned


def number(value: Any) -> str:
    """A figure as people read it: 1.234.567 (integers) or 12,5."""
    if value is None or value == "":
        return "—"
    d = Decimal(str(value))
    if d == d.to_integral_value():
        return formats.number_format(int(d), use_l10n=True, force_grouping=True)
    return formats.number_format(d.normalize(), use_l10n=True, force_grouping=True)


def parse_figure(figure: ReportFigure, raw: Any) -> tuple[Decimal | None, Any]:
    """(value, problem): the figure's value from what was typed, or the message."""
    s = str(raw if raw is not None else "").strip().replace("\u00a0", "").replace(" ", "")
    if not s:
        return None, None
    if figure.unit in _INTEGER_UNITS:
        grouped = re.fullmatch(r"-?\d{1,3}([.,]\d{3})+", s)
        digits = s.replace(".", "").replace(",", "") if grouped else s
        if not re.fullmatch(r"-?\d{1,40}", digits):
            return None, gettext_lazy("Write a whole number, e.g. 1250.")
        value = Decimal(int(digits))
        if abs(value) > MAX_INT64:
            return None, gettext_lazy("This number is too large.")
    else:
        if s.count(",") == 1 and "." not in s:
            s = s.replace(",", ".")
        if not re.fullmatch(r"-?\d{1,18}(\.\d{1,2})?", s):
            return None, gettext_lazy("Write a number with at most two decimals, e.g. 12.5.")
        try:
            value = Decimal(s)
        except InvalidOperation:  # pragma: no cover - the pattern already checked
            return None, gettext_lazy("Write a number with at most two decimals, e.g. 12.5.")
    if value < figure.min_value:
        return None, _Msg(
            gettext_lazy("Must be at least %(min)s."), {"min": number(figure.min_value)}
        )
    if figure.max_value is not None and value > figure.max_value:
        return None, _Msg(
            gettext_lazy("Must be at most %(max)s."), {"max": number(figure.max_value)}
        )
    return value, None


@dataclass
class _Msg:
    message: Any
    params: dict[str, Any] = field(default_factory=dict)


def due_date(template: ReportTemplate, period_code: str) -> dt.date:
    """The due date of ``template`` for a period: its day and month in the period's year
    (the day clamped to the month's length, 31 June → 30 June)."""
    year = parse(period_code).year
    last = calendar.monthrange(year, template.due_month)[1]
    return dt.date(year, template.due_month, min(template.due_day, last))


def parse_recipients(value: str) -> list[dict[str, str]]:
    """ "Name <e-mail>" per line; raises ServiceError naming a bad line."""
    out = []
    for n, line in enumerate((value or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = _RECIPIENT.match(line)
        if not match:
            raise ServiceError(
                "recipient_invalid",
                gettext_lazy(
                    "Line %(n)s: write each recipient as “Name <e-mail>”, e.g. "
                    "“UBND tỉnh Cao Bằng <vanthu@caobang.gov.vn>”."
                ),
                {"n": n},
                fields={"recipients": [gettext_lazy("Write each recipient as “Name <e-mail>”.")]},
            )
        out.append({"name": match["name"].strip(), "email": match["email"]})
    return out


def _province_reviewer(*, actor: Actor, province_id: str) -> None:
    ReportTemplate.policy.require_at(
        actor,
        "change",
        province=province_id,
        message=gettext_lazy("Only the VCA or the province's officer may define reports."),
    )


# ------------------------------------------------------------------ offices


def office_create(
    *,
    actor: Actor,
    province_id: str,
    name: str,
    kind: str,
    ward_id: str | None = None,
    compiles: bool = False,
    email: str = "",
) -> ReportingOffice:
    _province_reviewer(actor=actor, province_id=province_id)
    errors = Errors()
    name = plain_text(errors, "name", name, max_length=200, required=True)
    if kind not in OfficeKind.values:
        errors.add("kind", gettext_lazy("Choose a kind from the list."), "invalid_choice")
    from htxso.geo.models import Ward

    ward = None
    if kind == OfficeKind.WARD:
        ward = Ward.objects.filter(pk=str(ward_id or "")[:5], province_id=province_id).first()
        if ward is None:
            errors.add(
                "ward", gettext_lazy("Choose a ward or commune of the province."), "invalid_choice"
            )
    if name and ReportingOffice.objects.filter(province_id=province_id, name=name).exists():
        errors.add(
            "name", gettext_lazy("The province already has an office of this name."), "duplicate"
        )
    if compiles and ReportingOffice.objects.filter(province_id=province_id, compiles=True).exists():
        errors.add(
            "compiles",
            gettext_lazy("The province already has a compiling office."),
            "compiler_exists",
        )
    errors.raise_if_any()
    with transaction.atomic():
        office = ReportingOffice.objects.create(
            province_id=province_id,
            name=name,
            kind=kind,
            ward=ward,
            compiles=compiles,
            email=(email or "")[:254],
        )
        audit.record(
            actor=actor, action="report_office.create", instance=office, after={"name": name}
        )
    return office


def office_set_members(*, actor: Actor, office: ReportingOffice, users: list[Any]) -> None:
    ReportingOffice.policy.require(actor, "change", office)
    with transaction.atomic():
        before = sorted(office.members.values_list("pk", flat=True))
        office.members.set(users)
        after = sorted(u.pk for u in users)
        audit.record(
            actor=actor,
            action="report_office.members",
            instance=office,
            before={"members": before},
            after={"members": after},
        )


# ------------------------------------------------------------------ templates


def template_create(
    *,
    actor: Actor,
    province_id: str,
    name: str,
    kind: str,
    due_day: int,
    due_month: int,
    compiling_office: ReportingOffice | None,
    offices: list[ReportingOffice],
    recipients: str = "",
    framework: Any = None,
) -> ReportTemplate:
    _province_reviewer(actor=actor, province_id=province_id)
    errors = Errors()
    name = plain_text(errors, "name", name, max_length=200, required=True)
    if kind not in ReportKind.values:
        errors.add("kind", gettext_lazy("Choose a kind from the list."), "invalid_choice")
    if not (isinstance(due_month, int) and 1 <= due_month <= 12):
        errors.add("due_month", gettext_lazy("Choose a month from 1 to 12."), "invalid")
    elif not (isinstance(due_day, int) and 1 <= due_day <= calendar.monthrange(2024, due_month)[1]):
        errors.add("due_day", gettext_lazy("This month has no such day."), "invalid")
    if (
        compiling_office is None
        or compiling_office.province_id != province_id
        or not compiling_office.compiles
    ):
        errors.add(
            "compiling_office",
            gettext_lazy("Choose the province's compiling office (the Department of Finance)."),
            "invalid_choice",
        )
    if not offices:
        errors.add("offices", gettext_lazy("Choose at least one submitting office."), "required")
    if any(o.province_id != province_id or o.compiles for o in offices):
        errors.add(
            "offices",
            gettext_lazy("Submitting offices must be the province's departments and wards."),
            "invalid_choice",
        )
    if framework is not None and framework.province_id not in (None, province_id):
        errors.add(
            "framework", gettext_lazy("This framework is another province's."), "invalid_choice"
        )
    try:
        parse_recipients(recipients)
    except ServiceError as exc:
        errors.add("recipients", exc.message, exc.code, exc.params)
    if name and ReportTemplate.objects.filter(province_id=province_id, name=name).exists():
        errors.add(
            "name", gettext_lazy("The province already has a report of this name."), "duplicate"
        )
    errors.raise_if_any()
    with transaction.atomic():
        template = ReportTemplate.objects.create(
            province_id=province_id,
            name=name,
            kind=kind,
            due_day=due_day,
            due_month=due_month,
            compiling_office=compiling_office,
            recipients=recipients.strip(),
            framework=framework,
        )
        template.offices.set(offices)
        audit.record(
            actor=actor,
            action="report_template.create",
            instance=template,
            after={"name": name, "kind": kind, "offices": sorted(o.pk for o in offices)},
        )
    return template


def section_add(
    *,
    actor: Actor,
    template: ReportTemplate,
    title: str,
    guidance: str = "",
    platform_figures: list[str] | None = None,
) -> ReportSection:
    ReportTemplate.policy.require(actor, "change", template)
    errors = Errors()
    title = plain_text(errors, "title", title, max_length=200, required=True)
    guidance = plain_text(errors, "guidance", guidance, max_length=2000)
    keys = list(dict.fromkeys(platform_figures or []))
    unknown = [k for k in keys if k not in selectors_reports.PLATFORM_FIGURES]
    if unknown:
        errors.add(
            "platform_figures", gettext_lazy("Choose figures from the list."), "invalid_choice"
        )
    errors.raise_if_any()
    with transaction.atomic():
        order = (template.sections.aggregate(m=Max("order"))["m"] or 0) + 1
        section = ReportSection.objects.create(
            template=template, order=order, title=title, guidance=guidance, platform_figures=keys
        )
        audit.record(
            actor=actor,
            action="report_template.section",
            instance=template,
            after={"section": section.pk, "title": title},
        )
    return section


def figure_add(
    *,
    actor: Actor,
    section: ReportSection,
    key: str,
    label: str,
    unit: str,
    min_value: Decimal | int = 0,
    max_value: Decimal | int | None = None,
    required: bool = True,
    platform_key: str = "",
) -> ReportFigure:
    ReportTemplate.policy.require(actor, "change", section.template)
    errors = Errors()
    key = str(key or "").strip().lower()
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", key):
        errors.add(
            "key",
            gettext_lazy("Use lower-case letters, digits and _ (e.g. new_members)."),
            "invalid",
        )
    elif ReportFigure.objects.filter(section__template=section.template, key=key).exists():
        errors.add(
            "key", gettext_lazy("The report already has a figure with this key."), "duplicate"
        )
    label = plain_text(errors, "label", label, max_length=200, required=True)
    if unit not in FigureUnit.values:
        errors.add("unit", gettext_lazy("Choose a unit from the list."), "invalid_choice")
    lo = Decimal(min_value or 0)
    hi = None if max_value is None else Decimal(max_value)
    if hi is not None and hi < lo:
        errors.add("max_value", gettext_lazy("The largest value is below the smallest."), "invalid")
    if abs(lo) > MAX_INT64 or (hi is not None and abs(hi) > MAX_INT64):
        errors.add("max_value", gettext_lazy("This number is too large."), "too_large")
    if platform_key and platform_key not in selectors_reports.PLATFORM_FIGURES:
        errors.add("platform_key", gettext_lazy("Choose figures from the list."), "invalid_choice")
    errors.raise_if_any()
    with transaction.atomic():
        order = (section.figures.aggregate(m=Max("order"))["m"] or 0) + 1
        figure = ReportFigure.objects.create(
            section=section,
            order=order,
            key=key,
            label=label,
            unit=unit,
            min_value=lo,
            max_value=hi,
            required=required,
            platform_key=platform_key,
        )
        audit.record(
            actor=actor,
            action="report_template.figure",
            instance=section.template,
            after={"figure": key, "unit": unit},
        )
    return figure


# ------------------------------------------------------------------ changing a template
#
# THE RULE (written on the template's page): a template is read live by its cycles, so
# * its name, due day and month, recipients and framework can change at any time; a new
#   due date applies to the cycles opened afterwards (each open cycle keeps its own);
# * sections, figures and submitting offices can be ADDED at any time (they apply to the
#   open cycles' drafts and to every later cycle);
# * changing or removing a section or a figure, and removing a submitting office, is
#   refused once any office has submitted a report against the template (submitted,
#   returned or accepted, in any cycle): what was submitted keeps the questions it
#   answered.  For later periods, copy the template (the copy is open to every change
#   and the old one is retired: its open cycles finish as they are).


def template_locked(template: ReportTemplate) -> bool:
    """Whether an office has submitted a report against the template (any cycle)."""
    return (
        Submission.objects.filter(cycle__template=template)
        .exclude(status=SubmissionStatus.DRAFT)
        .exists()
    )


def _refuse_if_locked(template: ReportTemplate, what: str) -> None:
    if template_locked(template):
        raise conflict(
            gettext_lazy(
                "Offices have already submitted reports against this template, so its "
                "%(what)s can no longer be changed or removed. Add new ones, or copy the "
                "template for the next periods."
            ),
            "template_in_use",
            {"what": what},
        )


def template_update(
    *,
    actor: Actor,
    template: ReportTemplate,
    name: str,
    due_day: int,
    due_month: int,
    offices: list[ReportingOffice],
    recipients: str = "",
) -> ReportTemplate:
    """Change the template's name, due date, recipients and submitting offices (see the
    rule above: a removed office must not have reported against it)."""
    ReportTemplate.policy.require(actor, "change", template)
    province_id = template.province_id
    errors = Errors()
    name = plain_text(errors, "name", name, max_length=200, required=True)
    if not (isinstance(due_month, int) and 1 <= due_month <= 12):
        errors.add("due_month", gettext_lazy("Choose a month from 1 to 12."), "invalid")
    elif not (isinstance(due_day, int) and 1 <= due_day <= calendar.monthrange(2024, due_month)[1]):
        errors.add("due_day", gettext_lazy("This month has no such day."), "invalid")
    if not offices:
        errors.add("offices", gettext_lazy("Choose at least one submitting office."), "required")
    if any(o.province_id != province_id or o.compiles for o in offices):
        errors.add(
            "offices",
            gettext_lazy("Submitting offices must be the province's departments and wards."),
            "invalid_choice",
        )
    try:
        parse_recipients(recipients)
    except ServiceError as exc:
        errors.add("recipients", exc.message, exc.code, exc.params)
    if (
        name
        and ReportTemplate.objects.filter(province_id=province_id, name=name)
        .exclude(pk=template.pk)
        .exists()
    ):
        errors.add(
            "name", gettext_lazy("The province already has a report of this name."), "duplicate"
        )
    before_offices = set(template.offices.values_list("pk", flat=True))
    removed = before_offices - {o.pk for o in offices}
    if removed:
        reported = (
            ReportingOffice.objects.filter(pk__in=removed, submissions__cycle__template=template)
            .order_by("name")
            .distinct()
        )
        names = [o.name for o in reported]
        if names:
            errors.add(
                "offices",
                gettext_lazy(
                    "%(names)s already reported against this template and cannot be "
                    "removed from it (copy the template for the next periods)."
                ),
                "office_has_reported",
                {"names": ", ".join(names)},
            )
    errors.raise_if_any()
    with transaction.atomic():
        locked = ReportTemplate.objects.select_for_update(of=("self",)).get(pk=template.pk)
        before = {
            "name": locked.name,
            "due": f"{locked.due_day}/{locked.due_month}",
            "recipients": locked.recipients,
            "offices": sorted(before_offices),
        }
        locked.name = name
        locked.due_day, locked.due_month = due_day, due_month
        locked.recipients = recipients.strip()
        locked.save(update_fields=["name", "due_day", "due_month", "recipients", "updated_at"])
        locked.offices.set(offices)
        audit.record(
            actor=actor,
            action="report_template.update",
            instance=locked,
            before=before,
            after={
                "name": name,
                "due": f"{due_day}/{due_month}",
                "recipients": locked.recipients,
                "offices": sorted(o.pk for o in offices),
            },
        )
    return locked


def section_update(
    *,
    actor: Actor,
    section: ReportSection,
    title: str,
    guidance: str = "",
    platform_figures: list[str] | None = None,
) -> ReportSection:
    """Change a section's title, guidance and pre-filled figures (before any office has
    submitted against the template)."""
    template = section.template
    ReportTemplate.policy.require(actor, "change", template)
    errors = Errors()
    title = plain_text(errors, "title", title, max_length=200, required=True)
    guidance = plain_text(errors, "guidance", guidance, max_length=2000)
    keys = list(dict.fromkeys(platform_figures or []))
    if [k for k in keys if k not in selectors_reports.PLATFORM_FIGURES]:
        errors.add(
            "platform_figures", gettext_lazy("Choose figures from the list."), "invalid_choice"
        )
    errors.raise_if_any()
    _refuse_if_locked(template, _("sections"))
    with transaction.atomic():
        before = {"title": section.title, "guidance": section.guidance}
        ReportSection.objects.filter(pk=section.pk).update(
            title=title, guidance=guidance, platform_figures=keys
        )
        section.title, section.guidance, section.platform_figures = title, guidance, keys
        audit.record(
            actor=actor,
            action="report_template.section_update",
            instance=template,
            before={"section": section.pk, **before},
            after={"section": section.pk, "title": title, "guidance": guidance},
        )
    return section


def section_delete(*, actor: Actor, section: ReportSection) -> None:
    """Remove a section and its figures (before any office has submitted)."""
    template = section.template
    ReportTemplate.policy.require(actor, "change", template)
    _refuse_if_locked(template, _("sections"))
    with transaction.atomic():
        keys = list(section.figures.values_list("key", flat=True))
        audit.record(
            actor=actor,
            action="report_template.section_delete",
            instance=template,
            before={"section": section.pk, "title": section.title, "figures": keys},
        )
        section.delete()


def figure_delete(*, actor: Actor, figure: ReportFigure) -> None:
    """Remove a figure (before any office has submitted)."""
    template = figure.section.template
    ReportTemplate.policy.require(actor, "change", template)
    _refuse_if_locked(template, _("figures"))
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="report_template.figure_delete",
            instance=template,
            before={"figure": figure.key, "label": figure.label, "section": figure.section_id},
        )
        figure.delete()


def template_copy(*, actor: Actor, template: ReportTemplate, name: str) -> ReportTemplate:
    """A copy of the template (sections, figures, offices, due date, recipients,
    framework) under a new name, for the next periods; the old one is retired (no new
    cycle; its open cycles finish as they are)."""
    ReportTemplate.policy.require(actor, "change", template)
    errors = Errors()
    name = plain_text(errors, "name", name, max_length=200, required=True)
    if name and ReportTemplate.objects.filter(province_id=template.province_id, name=name).exists():
        errors.add(
            "name", gettext_lazy("The province already has a report of this name."), "duplicate"
        )
    errors.raise_if_any()
    sections, _figures = template_parts(template)
    with transaction.atomic():
        copy = ReportTemplate.objects.create(
            province_id=template.province_id,
            name=name,
            kind=template.kind,
            due_day=template.due_day,
            due_month=template.due_month,
            compiling_office=template.compiling_office,
            recipients=template.recipients,
            framework=template.framework,
        )
        copy.offices.set(template.offices.all())
        for s in sections:
            new = ReportSection.objects.create(
                template=copy,
                order=s.order,
                title=s.title,
                guidance=s.guidance,
                platform_figures=list(s.platform_figures or []),
            )
            ReportFigure.objects.bulk_create(
                [
                    ReportFigure(
                        section=new,
                        order=f.order,
                        key=f.key,
                        label=f.label,
                        unit=f.unit,
                        min_value=f.min_value,
                        max_value=f.max_value,
                        required=f.required,
                        platform_key=f.platform_key,
                    )
                    for f in s.figures.all()
                ]
            )
        ReportTemplate.objects.filter(pk=template.pk).update(
            is_active=False, updated_at=timezone.now()
        )
        audit.record(
            actor=actor,
            action="report_template.copy",
            instance=copy,
            after={"from": template.pk, "name": name, "retired": template.pk},
        )
    template.is_active = False
    return copy


# ------------------------------------------------------------------ cycles


def cycle_open(*, actor: Actor, template: ReportTemplate, period: str) -> ReportCycle:
    """Open ``template`` for ``period`` (``2026S1`` for a 6-month report, ``2026`` for
    an annual one); the due date follows the template's day and month."""
    ReportTemplate.policy.require(actor, "change", template)
    try:
        p = parse(period)
    except ValueError as exc:
        raise ServiceError("period_invalid", str(exc), fields={"period": [str(exc)]}) from None
    if template.kind == ReportKind.SEMIANNUAL and p.is_year:
        message = gettext_lazy("A 6-month report is for a half-year: write e.g. %(code)sS1.")
        raise ServiceError(
            "period_kind",
            message,
            {"code": p.code},
            fields={"period": [_(message) % {"code": p.code}]},
        )
    if template.kind == ReportKind.ANNUAL and not p.is_year:
        message = gettext_lazy("An annual report is for a year: write e.g. %(year)s.")
        raise ServiceError(
            "period_kind",
            message,
            {"year": p.year},
            fields={"period": [_(message) % {"year": p.year}]},
        )
    if not template.is_active:
        raise conflict(
            gettext_lazy("This report template is no longer in use."), "template_inactive"
        )
    try:
        with transaction.atomic():
            cycle = ReportCycle.objects.create(
                template=template, period=p.code, due_on=due_date(template, p.code)
            )
            audit.record(
                actor=actor,
                action="report_cycle.open",
                instance=cycle,
                after={"period": p.code, "due_on": cycle.due_on.isoformat()},
            )
    except IntegrityError:
        raise conflict(
            gettext_lazy("This report is already open for %(period)s."),
            "cycle_exists",
            {"period": p.code},
        ) from None
    return cycle


def cycle_remind(*, actor: Actor, cycle: ReportCycle) -> int:
    """Remind the members of every office that has not submitted (not started, a draft,
    returned): an SMS to a member with a phone, else an e-mail.  Returns how many
    messages go out."""
    ReportCycle.policy.require(actor, "compile", cycle)
    view = selectors_reports.overview(cycle)
    waiting = [r.office for r in view.rows if r.state in ("not_started", "draft", "returned")]
    if not waiting:
        raise conflict(
            gettext_lazy("Every office has submitted: nobody to remind."), "nobody_to_remind"
        )
    sent = 0
    due = cycle.due_on.strftime("%d/%m/%Y")
    with transaction.atomic():
        locked = ReportCycle.objects.select_for_update(of=("self",)).get(pk=cycle.pk)
        for office in waiting:
            for member in office.members.all():
                with translation.override(getattr(member, "preferred_language", "") or "vi"):
                    body = _(
                        "HTX Số: %(office)s has not submitted “%(report)s” for %(period)s "
                        "(due %(due)s). Please submit it at %(url)s"
                    ) % {
                        "office": office.name,
                        "report": cycle.template.name,
                        "period": cycle.period,
                        "due": due,
                        "url": f"{settings.SITE_URL}/ket-qua/bao-cao/",
                    }
                if getattr(member, "phone", ""):
                    messaging.send_after_commit(
                        channel=messaging.Channel.SMS,
                        to=member.phone,
                        text=body,
                        purpose=PURPOSE_REMINDER,
                    )
                elif member.email:
                    messaging.send_after_commit(
                        channel=messaging.Channel.EMAIL,
                        to=member.email,
                        text=body,
                        subject=_("Report reminder"),
                        purpose=PURPOSE_REMINDER,
                    )
                else:
                    continue
                sent += 1
        locked.last_reminded_at = timezone.now()
        locked.save(update_fields=["last_reminded_at"])
        audit.record(
            actor=actor,
            action="report_cycle.remind",
            instance=locked,
            after={"offices": [o.pk for o in waiting], "messages": sent},
        )
    cycle.last_reminded_at = locked.last_reminded_at
    return sent


# ------------------------------------------------------------------ submissions

EDITABLE = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


def _state_refusal(sub: Submission, doing: str) -> ServiceError:
    """A precise refusal of an illegal transition, naming the state."""
    when = sub.submitted_at and timezone.localtime(sub.submitted_at).strftime("%d/%m/%Y")
    texts = {
        ("edit", SubmissionStatus.SUBMITTED): gettext_lazy(
            "This report was submitted on %(when)s and waits for the compiling office: it "
            "cannot be changed unless it is returned."
        ),
        ("edit", SubmissionStatus.ACCEPTED): gettext_lazy(
            "This report has been accepted: it can no longer be changed."
        ),
        ("return", SubmissionStatus.DRAFT): gettext_lazy(
            "Only a submitted report can be returned: this one is still a draft."
        ),
        ("return", SubmissionStatus.RETURNED): gettext_lazy(
            "This report has already been returned and waits for the office."
        ),
        ("return", SubmissionStatus.ACCEPTED): gettext_lazy(
            "This report has been accepted: it can no longer be returned."
        ),
        ("accept", SubmissionStatus.DRAFT): gettext_lazy(
            "Only a submitted report can be accepted: this one is still a draft."
        ),
        ("accept", SubmissionStatus.RETURNED): gettext_lazy(
            "This report was returned and has not been submitted again yet."
        ),
        ("accept", SubmissionStatus.ACCEPTED): gettext_lazy(
            "This report has already been accepted."
        ),
    }
    message = texts.get((doing, sub.status), gettext_lazy("This report cannot be changed now."))
    return conflict(message, f"submission_{sub.status}", {"when": when or ""})


def _event(sub: Submission, *, actor: Actor, action: str, before: str, comment: str = "") -> None:
    SubmissionEvent.objects.create(
        submission=sub,
        action=action,
        from_status=before,
        to_status=sub.status,
        actor=_user_or_none(actor=actor),
        actor_label=_label(actor=actor),
        comment=comment,
    )
    audit.record(
        actor=actor,
        action=f"report_submission.{action}",
        instance=sub,
        before={"status": before},
        after={"status": sub.status, **({"comment": comment} if comment else {})},
    )


def figure_warnings(
    figures: dict[str, str], platform: dict[str, int], defs: list[ReportFigure]
) -> list[dict[str, Any]]:
    """A warning per figure whose value differs from the platform figure it names."""
    out = []
    for f in defs:
        if not f.platform_key or f.key not in figures or f.platform_key not in platform:
            continue
        value, theirs = Decimal(figures[f.key]), Decimal(platform[f.platform_key])
        if value != theirs:
            out.append(
                {
                    "figure": f.key,
                    "label": f.label,
                    "value": str(value),
                    "platform_key": f.platform_key,
                    "platform": str(theirs),
                }
            )
    return out


def warning_text(w: dict[str, Any]) -> str:
    """ "You report 12 for “Cooperatives”; the platform has 9 for your scope." """
    spec = selectors_reports.PLATFORM_FIGURES.get(w.get("platform_key", ""))
    return _(
        "You report %(value)s for “%(label)s”; the platform has %(platform)s "
        "(%(what)s) for your scope. Check the figure or explain the difference."
    ) % {
        "value": number(w["value"]),
        "label": w["label"],
        "platform": number(w["platform"]),
        "what": spec.label if spec else w.get("platform_key", ""),
    }


def template_parts(template: ReportTemplate) -> tuple[list[ReportSection], list[ReportFigure]]:
    sections = list(template.sections.prefetch_related("figures"))
    figures = [f for s in sections for f in s.figures.all()]
    return sections, figures


def _find_or_create(*, actor: Actor, cycle: ReportCycle, office: ReportingOffice) -> Submission:
    """The office's submission for the cycle, created (draft) when missing; refuses an
    office that does not submit to this report or a user who is not its member."""
    if (
        office.province_id != cycle.template.province_id
        or not cycle.template.offices.filter(pk=office.pk).exists()
    ):
        raise not_found(_("Not found."))
    existing = Submission.objects.filter(cycle=cycle, office=office).first()
    if existing is not None:
        Submission.policy.require(actor, "edit", existing)
        return existing
    if not isinstance(actor, SystemActor) and not selectors_reports.is_member(actor, office):
        if ReportCycle.policy.allows(actor, "view", cycle):
            raise refused(_("Only the office's members may fill in its report."))
        raise not_found(_("Not found."))
    try:
        with transaction.atomic():
            return Submission.objects.create(cycle=cycle, office=office)
    except IntegrityError:  # a second tab created it at the same moment
        return Submission.objects.get(cycle=cycle, office=office)


def submission_save(
    *,
    actor: Actor,
    cycle: ReportCycle,
    office: ReportingOffice,
    narratives: dict[str, Any],
    figures: dict[str, Any],
    submit: bool = False,
) -> Submission:
    """Save the office's draft (``submit=False``) or submit it.  Figures are checked
    against their unit and bounds always; on submit every section needs its narrative
    and every required figure a value.  A figure that differs from the platform's is a
    warning (kept on the submission), not a refusal."""
    sub = _find_or_create(actor=actor, cycle=cycle, office=office)
    sections, defs = template_parts(cycle.template)
    errors = Errors()
    clean_narratives: dict[str, str] = {}
    for s in sections:
        name = f"narrative_{s.pk}"
        clean_narratives[str(s.pk)] = plain_text(
            errors, name, narratives.get(str(s.pk), ""), max_length=MAX_NARRATIVE, required=submit
        )
    clean_figures: dict[str, str] = {}
    for f in defs:
        value, problem = parse_figure(f, figures.get(f.key))
        name = f"figure_{f.key}"
        if problem is not None:
            if isinstance(problem, _Msg):
                errors.add(name, problem.message, "figure_bounds", problem.params)
            else:
                errors.add(name, problem, "figure_invalid")
        elif value is None:
            if submit and f.required:
                errors.add(name, gettext_lazy("This figure is required."), "required")
        else:
            clean_figures[f.key] = str(value)
    errors.raise_if_any("submission_invalid" if submit else None)
    platform = selectors_reports.platform_figures(office, cycle.period)
    with transaction.atomic():
        locked = Submission.objects.select_for_update(of=("self",)).get(pk=sub.pk)
        if locked.status not in EDITABLE:
            raise _state_refusal(locked, "edit")
        before = locked.status
        locked.narratives = clean_narratives
        locked.figures = clean_figures
        locked.platform = platform
        locked.warnings = figure_warnings(clean_figures, platform, defs)
        if submit:
            now = timezone.now()
            if locked.first_submitted_at is None:
                locked.first_submitted_at = now
                locked.is_late = timezone.localdate() > cycle.due_on
            locked.submitted_at = now
            locked.status = SubmissionStatus.SUBMITTED
        locked.save()
        if submit:
            _event(locked, actor=actor, action="submit", before=before)
        else:
            audit.record(
                actor=actor,
                action="report_submission.save",
                instance=locked,
                after={"status": locked.status},
            )
    return locked


def _decide(*, actor: Actor, submission: Submission, doing: str, comment: str) -> Submission:
    Submission.policy.require(actor, "review", submission)
    errors = Errors()
    comment = plain_text(
        errors, "comment", comment, max_length=MAX_COMMENT, required=doing == "return"
    )
    errors.raise_if_any()
    with transaction.atomic():
        locked = Submission.objects.select_for_update(of=("self",)).get(pk=submission.pk)
        if locked.status != SubmissionStatus.SUBMITTED:
            raise _state_refusal(locked, doing)
        before = locked.status
        locked.status = (
            SubmissionStatus.RETURNED if doing == "return" else SubmissionStatus.ACCEPTED
        )
        locked.decided_at = timezone.now()
        locked.last_comment = comment
        locked.save(update_fields=["status", "decided_at", "last_comment", "updated_at"])
        _event(locked, actor=actor, action=doing, before=before, comment=comment)
        _tell_office(locked, doing=doing, comment=comment)
    return locked


def submission_return(*, actor: Actor, submission: Submission, comment: str) -> Submission:
    """Send the report back to the office with a comment (required)."""
    return _decide(actor=actor, submission=submission, doing="return", comment=comment)


def submission_accept(*, actor: Actor, submission: Submission, comment: str = "") -> Submission:
    return _decide(actor=actor, submission=submission, doing="accept", comment=comment)


def _tell_office(sub: Submission, *, doing: str, comment: str) -> None:
    for member in sub.office.members.all():
        with translation.override(getattr(member, "preferred_language", "") or "vi"):
            if doing == "return":
                body = _("HTX Số: your report “%(report)s” was returned: %(comment)s") % {
                    "report": str(sub.cycle),
                    "comment": comment[:200],
                }
            else:
                body = _("HTX Số: your report “%(report)s” was accepted.") % {
                    "report": str(sub.cycle)
                }
        if member.email:
            messaging.send_after_commit(
                channel=messaging.Channel.EMAIL,
                to=member.email,
                text=body,
                subject=str(sub.cycle),
                purpose="report_decision",
            )


# ------------------------------------------------------------------ compiling and sending


#: Computes a framework's values for a report when the dashboard has none yet.
REPORT_VALUES = SystemActor("report_values", gettext_lazy("Report compilation"))


def _ensure_cached(cycle: ReportCycle) -> None:
    """The logframe reads the dashboard's cached values of the period (so the report
    equals the dashboard); when the period was never computed, compute it first."""
    framework = cycle.template.framework
    if framework is None:
        return
    from .compute import refresh
    from .models import IndicatorValue

    cached = IndicatorValue.objects.filter(
        indicator__framework=framework, period=cycle.period, province__isnull=True, cell=""
    )
    if framework.indicators.exists() and not cached.exists():
        refresh(framework, periods=[cycle.period], actor=REPORT_VALUES)


def cycle_compile(*, actor: Actor, cycle: ReportCycle) -> CompiledReport:
    """The province's report from the ACCEPTED submissions (and the framework's
    logframe — result, indicator, baseline, target for its date, actual from the
    dashboard's cache, status — which makes the EU project's half-year and annual
    progress reports): a .docx in the Decree 30 layout and an .xlsx annex, in private
    storage.  Each compilation is a new version; refused while nothing is accepted."""
    ReportCycle.policy.require(actor, "compile", cycle)
    accepted = list(
        cycle.submissions.filter(status=SubmissionStatus.ACCEPTED)
        .select_related("office")
        .order_by("office__kind", "office__name")
    )
    if not accepted:
        raise conflict(
            gettext_lazy(
                "No submission has been accepted yet: accept at least one before compiling."
            ),
            "nothing_accepted",
        )
    compiler = cycle.template.compiling_office
    _ensure_cached(cycle)
    data = documents_reports.ReportData(
        cycle=cycle,
        sections=template_parts(cycle.template)[0],
        submissions=accepted,
        overview=selectors_reports.overview(cycle),
        platform=selectors_reports.platform_figures(compiler, cycle.period),
        logframe=selectors_reports.logframe(cycle.template, cycle.period),
        recipients=parse_recipients(cycle.template.recipients),
        day=timezone.localdate(),
    )
    docx = documents_reports.report_docx(data)
    xlsx = documents_reports.report_xlsx(data)
    with transaction.atomic():
        ReportCycle.objects.select_for_update(of=("self",)).get(pk=cycle.pk)
        version = (cycle.compiled.aggregate(m=Max("version"))["m"] or 0) + 1
        compiled = CompiledReport(
            cycle=cycle,
            version=version,
            submission_ids=[s.pk for s in accepted],
            compiled_by=_user_or_none(actor=actor),
        )
        prefix = f"reports/{cycle.template.province_id}/"
        compiled.docx.save(unguessable_name(prefix, suffix=".docx"), ContentFile(docx), save=False)
        compiled.xlsx.save(unguessable_name(prefix, suffix=".xlsx"), ContentFile(xlsx), save=False)
        compiled.save()
        audit.record(
            actor=actor,
            action="report_compiled.compile",
            instance=compiled,
            after={"version": version, "submissions": compiled.submission_ids},
        )
    return compiled


def filename(compiled: CompiledReport, ext: str) -> str:
    cycle = compiled.cycle
    base = "Bao cao" if ext == "docx" else "Phu luc"
    return f"{base} {cycle.template.name} {cycle.period} v{compiled.version}.{ext}"


def compiled_send(*, actor: Actor, compiled: CompiledReport) -> list[dict[str, str]]:
    """Send the compiled report (the .docx and the .xlsx attached) to the template's
    recipients — the People's Committee and the ministry — and record it."""
    CompiledReport.policy.require(actor, "compile", compiled)
    recipients = parse_recipients(compiled.cycle.template.recipients)
    if not recipients:
        raise conflict(
            gettext_lazy("The report template names nobody to send to: add the recipients first."),
            "no_recipients",
        )
    latest = compiled.cycle.compiled.aggregate(m=Max("version"))["m"]
    if compiled.version != latest:
        raise conflict(
            gettext_lazy("A newer version of this report exists: send version %(v)s."),
            "not_latest",
            {"v": latest},
        )
    docx = compiled.docx.read()
    compiled.docx.close()
    xlsx = compiled.xlsx.read()
    compiled.xlsx.close()
    from htxso.core.documents.letters import DOCX_CONTENT_TYPE
    from htxso.core.documents.workbooks import XLSX_CONTENT_TYPE

    cycle = compiled.cycle
    subject = f"{cycle.template.compiling_office.name}: {cycle.template.name} {cycle.period}"
    body = "\n".join(
        [
            f"Kính gửi: {', '.join(r['name'] for r in recipients)}.",
            "",
            f"{cycle.template.compiling_office.name} gửi báo cáo {cycle.template.name} "
            f"kỳ {cycle.period} (bản {compiled.version}) kèm phụ lục số liệu.",
        ]
    )
    files = [
        (filename(compiled, "docx"), docx, DOCX_CONTENT_TYPE),
        (filename(compiled, "xlsx"), xlsx, XLSX_CONTENT_TYPE),
    ]

    def _send() -> None:
        message = EmailMessage(subject=subject, body=body, to=[r["email"] for r in recipients])
        for name, content, mime in files:
            message.attach(name, content, mime)
        message.send()

    with transaction.atomic():
        locked = CompiledReport.objects.select_for_update(of=("self",)).get(pk=compiled.pk)
        locked.sent_at = timezone.now()
        locked.sent_by = _user_or_none(actor=actor)
        locked.sent_to = [*locked.sent_to, *recipients] if locked.sent_to else recipients
        locked.save(update_fields=["sent_at", "sent_by", "sent_to"])
        audit.record(
            actor=actor,
            action="report_compiled.send",
            instance=locked,
            after={"to": [r["email"] for r in recipients], "version": locked.version},
        )
        transaction.on_commit(_send)
    compiled.sent_at, compiled.sent_to = locked.sent_at, locked.sent_to
    return recipients
