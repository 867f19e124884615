"""Writes of the frameworks part: frameworks, their results (goal → outcome → output),
indicators, targets and reference values, and recomputing the cached values.

Every write takes the actor, checks the framework's policy (reviewers change: the VCA
every framework, a province's officer his province's), validates its input with precise
messages (nothing is saved when one value is wrong), runs in one transaction and is
audited."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from htxso.core import audit
from htxso.core.actors import Actor
from htxso.core.errors import ServiceError
from htxso.core.text import TextError, clean_text
from htxso.geo.models import Province

from . import compute, formulas, periods
from .models import (
    Comparison,
    Disaggregation,
    Framework,
    Indicator,
    Level,
    ReferenceValue,
    ResultNode,
    Target,
    Unit,
)

__all__ = [
    "create_framework",
    "delete_node",
    "delete_target",
    "recompute",
    "save_indicator",
    "save_node",
    "save_reference",
    "save_target",
    "update_framework",
]

audit.ACTION_LABELS.update(
    {
        "indicators.framework_create": _("Results framework created"),
        "indicators.framework_update": _("Results framework changed"),
        "indicators.node_save": _("Result of a framework saved"),
        "indicators.node_delete": _("Result of a framework deleted"),
        "indicators.indicator_save": _("Indicator saved"),
        "indicators.target_save": _("Indicator target saved"),
        "indicators.target_delete": _("Indicator target deleted"),
        "indicators.reference_save": _("Reference value saved"),
    }
)

#: A figure must stay below 2^63 (it fits a signed 64-bit integer, like every number of
#: the platform; the decimal fields would hold 20 digits).
MAX_VALUE = Decimal(2**63)
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$")
_NODE_CODE = re.compile(r"^[0-9A-Za-z]{1,5}(?:\.[0-9A-Za-z]{1,5}){0,3}$")
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")


class Invalid(ServiceError):
    """Bad input, with the fields at fault."""


def _fail(problems: dict[str, list[Any]]) -> None:
    if problems:
        first = next(iter(problems.values()))[0]
        raise Invalid("invalid_input", first, fields=problems)


# --- field checks (each returns the clean value or records a problem) ---------------------
class _Checker:
    def __init__(self) -> None:
        self.problems: dict[str, list[Any]] = {}

    def add(self, field: str, message: Any) -> None:
        self.problems.setdefault(field, []).append(message)

    def text(
        self,
        data: Mapping[str, Any],
        field: str,
        *,
        max_length: int,
        required: bool = True,
        multiline: bool = False,
    ) -> str:
        raw = data.get(field)
        raw = "" if raw is None else str(raw)
        try:
            value = clean_text(raw, max_length=max_length, multiline=multiline)
        except TextError as exc:
            self.add(field, exc.text)
            return ""
        if required and not value:
            self.add(field, _("This field is required."))
        elif _MARKUP.search(value):
            self.add(
                field,
                _("Write plain text: tags such as “<script>” or “<b>” are not allowed."),
            )
        return value

    def slug(self, data: Mapping[str, Any], field: str) -> str:
        value = str(data.get(field) or "").strip().lower()
        if not _SLUG.match(value):
            self.add(
                field,
                _(
                    "Use 1 to 60 lower-case letters without accents, digits and hyphens "
                    "(e.g. eu-youth-dx)."
                ),
            )
        return value

    def period(self, data: Mapping[str, Any], field: str, *, required: bool = True) -> str:
        value = str(data.get(field) or "").strip().upper()
        if not value and not required:
            return ""
        try:
            return periods.parse(value).code
        except ValueError as exc:
            self.add(field, str(exc))
            return ""

    def decimal(
        self, data: Mapping[str, Any], field: str, *, required: bool = True
    ) -> Decimal | None:
        raw = data.get(field)
        if raw is None or raw == "":
            if required:
                self.add(field, _("This field is required."))
            return None
        try:
            value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip().replace(",", "."))
        except (InvalidOperation, ValueError):
            self.add(field, _("Enter a number, e.g. 600 or 60.5."))
            return None
        if not value.is_finite():
            self.add(field, _("Enter a number, e.g. 600 or 60.5."))
            return None
        if abs(value) >= MAX_VALUE:
            self.add(field, _("The number is too large (at most 9,223,372,036,854,775,807)."))
            return None
        if value != value.quantize(Decimal("0.0001")):
            self.add(field, _("At most 4 digits after the point."))
            return None
        return value

    def choice(
        self, data: Mapping[str, Any], field: str, choices: Iterable[str], default: str
    ) -> str:
        value = str(data.get(field) or default)
        allowed = list(choices)
        if value not in allowed:
            self.add(
                field,
                _("“%(value)s” is not one of the choices (%(choices)s).")
                % {"value": value[:30], "choices": ", ".join(allowed)},
            )
        return value

    def province(self, data: Mapping[str, Any], field: str) -> Province | None:
        raw = data.get(field)
        if raw in (None, ""):
            return None
        if isinstance(raw, Province):
            return raw
        code = str(raw).strip()
        province = Province.objects.filter(pk=code[:2]).first() if len(code) <= 2 else None
        if province is None:
            self.add(field, _("Unknown province “%(code)s”.") % {"code": code[:10]})
        return province


# --- frameworks ---------------------------------------------------------------------------
def _framework_fields(data: Mapping[str, Any], check: _Checker) -> dict[str, Any]:
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        check.add("end_date", _("The end date is before the start date."))
    return {
        "name": check.text(data, "name", max_length=255),
        "description": check.text(
            data, "description", max_length=5000, required=False, multiline=True
        ),
        "programme_label": check.text(data, "programme_label", max_length=255, required=False),
        "start_date": start or None,
        "end_date": end or None,
        "is_published": bool(data.get("is_published")),
    }


def create_framework(*, actor: Actor, data: Mapping[str, Any]) -> Framework:
    """A new framework: national (no province; the VCA) or a province's (its officer)."""
    check = _Checker()
    code = check.slug(data, "code")
    province = check.province(data, "province")
    fields = _framework_fields(data, check)
    if code and Framework.objects.filter(code=code).exists():
        check.add("code", _("A framework with this code exists already."))
    Framework.policy.require_at(
        actor,
        "change",
        province=province.pk if province else None,
        message=_("Your role may not create a framework here."),
    )
    _fail(check.problems)
    with transaction.atomic():
        framework = Framework.objects.create(code=code, province=province, **fields)
        audit.record(
            actor=actor,
            action="indicators.framework_create",
            instance=framework,
            after=audit.snapshot(framework),
        )
    return framework


def update_framework(*, actor: Actor, framework: Framework, data: Mapping[str, Any]) -> Framework:
    Framework.policy.require(actor, "change", framework)
    check = _Checker()
    fields = _framework_fields(data, check)
    _fail(check.problems)
    with transaction.atomic():
        before = audit.snapshot(framework)
        for name, value in fields.items():
            setattr(framework, name, value)
        framework.save()
        audit.record(
            actor=actor,
            action="indicators.framework_update",
            instance=framework,
            before=before,
            after=audit.snapshot(framework),
        )
    return framework


# --- results ------------------------------------------------------------------------------
def save_node(
    *,
    actor: Actor,
    framework: Framework,
    data: Mapping[str, Any],
    node: ResultNode | None = None,
) -> ResultNode:
    """Create or change a goal, outcome or output of ``framework``."""
    Framework.policy.require(actor, "change", framework)
    if node is not None and node.framework_id != framework.pk:
        raise ServiceError("not_found", _("Not found."))
    check = _Checker()
    code = str(data.get("code") or "").strip()
    if not _NODE_CODE.match(code):
        check.add("code", _("Write the code as numbers separated by dots, e.g. 1 or 1.2."))
    level = check.choice(data, "level", Level.values, Level.OUTPUT)
    title = check.text(data, "title", max_length=500)
    order = data.get("order") or 0
    if not isinstance(order, int) or not 0 <= order <= 32767:
        check.add("order", _("Enter a whole number from 0 to 32767."))
        order = 0
    parent = data.get("parent")
    if parent is not None and not isinstance(parent, ResultNode):
        parent = ResultNode.objects.filter(framework=framework, pk=parent).first()
        if parent is None:
            check.add("parent", _("Choose a result of this framework."))
    if parent is not None:
        if parent.framework_id != framework.pk:
            check.add("parent", _("Choose a result of this framework."))
        elif node is not None:
            walker: ResultNode | None = parent
            while walker is not None:
                if walker.pk == node.pk:
                    check.add("parent", _("A result cannot be placed under itself."))
                    break
                walker = walker.parent
    clash = ResultNode.objects.filter(framework=framework, code=code)
    if node is not None:
        clash = clash.exclude(pk=node.pk)
    if code and clash.exists():
        check.add("code", _("Another result of this framework has this code."))
    _fail(check.problems)
    with transaction.atomic():
        before = audit.snapshot(node)
        if node is None:
            node = ResultNode(framework=framework)
        node.code, node.level, node.title, node.order, node.parent = (
            code,
            level,
            title,
            order,
            parent,
        )
        node.save()
        audit.record(
            actor=actor,
            action="indicators.node_save",
            instance=node,
            before=before,
            after=audit.snapshot(node),
        )
    return node


def delete_node(*, actor: Actor, node: ResultNode) -> None:
    """Delete a result; its indicators stay (unplaced), its sub-results go with it."""
    Framework.policy.require(actor, "change", node.framework)
    with transaction.atomic():
        audit.record(
            actor=actor, action="indicators.node_delete", instance=node, before=audit.snapshot(node)
        )
        node.delete()


# --- indicators ---------------------------------------------------------------------------
def _params(raw: Any, check: _Checker, spec: Any) -> dict[str, Any]:
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        check.add("params", _('Write the parameters as a JSON object, e.g. {"funded_by": "EU"}.'))
        return {}
    if spec is not None:
        unknown = sorted(set(raw) - set(spec.params) - {"since"})
        if unknown:
            check.add(
                "params",
                _("Unknown parameter “%(name)s”; this formula takes: %(known)s.")
                % {
                    "name": str(unknown[0])[:40],
                    "known": ", ".join(sorted(spec.params)) or _("none"),
                },
            )
    for key, value in raw.items():
        if not isinstance(value, str | bool | int | float) or (
            isinstance(value, str) and (len(value) > 200 or _MARKUP.search(value))
        ):
            check.add(
                "params", _("The value of “%(name)s” is not allowed.") % {"name": str(key)[:40]}
            )
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
            check.add(
                "params", _("The value of “%(name)s” is too large.") % {"name": str(key)[:40]}
            )
    return dict(raw)


def save_indicator(
    *,
    actor: Actor,
    framework: Framework,
    data: Mapping[str, Any],
    indicator: Indicator | None = None,
) -> Indicator:
    """Create or change an indicator of ``framework``; its formula must be one of the
    registry's."""
    Framework.policy.require(actor, "change", framework)
    if indicator is not None and indicator.framework_id != framework.pk:
        raise ServiceError("not_found", _("Not found."))
    check = _Checker()
    code = check.slug(data, "code")
    name = check.text(data, "name", max_length=500)
    definition = check.text(data, "definition", max_length=5000, required=False, multiline=True)
    unit = check.choice(data, "unit", Unit.values, Unit.COUNT)
    key = str(data.get("formula") or "").strip()
    spec = formulas.get(key)
    if spec is None:
        check.add(
            "formula",
            _("“%(key)s” is not a formula of the list; choose one of the list.")
            % {"key": key[:60]},
        )
    params = _params(data.get("params"), check, spec)
    denominator = check.text(data, "denominator_label", max_length=255, required=False)
    disaggregations = list(data.get("disaggregations") or [])
    for item in disaggregations:
        if item not in Disaggregation.values:
            check.add(
                "disaggregations", _("Unknown disaggregation “%(key)s”.") % {"key": str(item)[:30]}
            )
        elif spec is not None and item not in spec.disaggregations:
            check.add(
                "disaggregations",
                _("This formula cannot be broken down by “%(key)s” (it gives: %(known)s).")
                % {"key": item, "known": ", ".join(spec.disaggregations) or _("none")},
            )
    dhis2_code = str(data.get("dhis2_code") or "").strip()
    if dhis2_code and not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,49}$", dhis2_code):
        check.add("dhis2_code", _("A DHIS2 code has 1 to 50 letters, digits, “_”, “-” or “.”."))
    baseline = check.decimal(data, "baseline_value", required=False)
    baseline_period = check.period(data, "baseline_period", required=False)
    if baseline is not None and not baseline_period:
        check.add("baseline_period", _("Give the period of the baseline (e.g. 2024)."))
    node = data.get("node")
    if node is not None and not isinstance(node, ResultNode):
        node = ResultNode.objects.filter(framework=framework, pk=node).first()
        if node is None:
            check.add("node", _("Choose a result of this framework."))
    if node is not None and node.framework_id != framework.pk:
        check.add("node", _("Choose a result of this framework."))
    order = data.get("order") or 0
    if not isinstance(order, int) or not 0 <= order <= 32767:
        check.add("order", _("Enter a whole number from 0 to 32767."))
        order = 0
    clash = Indicator.objects.filter(framework=framework, code=code)
    if indicator is not None:
        clash = clash.exclude(pk=indicator.pk)
    if code and clash.exists():
        check.add("code", _("Another indicator of this framework has this code."))
    _fail(check.problems)
    with transaction.atomic():
        before = audit.snapshot(indicator)
        if indicator is None:
            indicator = Indicator(framework=framework)
        for field, value in {
            "code": code,
            "name": name,
            "definition": definition,
            "unit": unit,
            "formula": key,
            "params": params,
            "denominator_label": denominator or (str(spec.denominator) if spec else ""),
            "disaggregations": disaggregations,
            "dhis2_code": dhis2_code,
            "baseline_value": baseline,
            "baseline_period": baseline_period,
            "node": node,
            "order": order,
        }.items():
            setattr(indicator, field, value)
        indicator.save()
        audit.record(
            actor=actor,
            action="indicators.indicator_save",
            instance=indicator,
            before=before,
            after=audit.snapshot(indicator),
        )
    return indicator


# --- targets ------------------------------------------------------------------------------
def save_target(*, actor: Actor, indicator: Indicator, data: Mapping[str, Any]) -> Target:
    """Set the target of ``indicator`` for a period (and a province of a national
    framework): a second target for the same period and place replaces the first."""
    framework = indicator.framework
    Framework.policy.require(actor, "change", framework)
    check = _Checker()
    period = check.period(data, "period")
    value = check.decimal(data, "value")
    comparison = check.choice(data, "comparison", Comparison.values, Comparison.AT_LEAST)
    province = check.province(data, "province")
    note = check.text(data, "note", max_length=500, required=False)
    if province is not None and framework.province_id and province.pk != framework.province_id:
        check.add(
            "province", _("This framework is for %(name)s only.") % {"name": framework.province}
        )
    if indicator.unit == Unit.PERCENT and value is not None and not 0 <= value <= 100:
        check.add("value", _("A percentage is between 0 and 100."))
    _fail(check.problems)
    with transaction.atomic():
        target = Target.objects.filter(
            indicator=indicator, period=period, province=province
        ).first()
        before = audit.snapshot(target)
        if target is None:
            target = Target(indicator=indicator, period=period, province=province)
        target.value, target.comparison, target.note = value, comparison, note
        target.save()
        audit.record(
            actor=actor,
            action="indicators.target_save",
            instance=target,
            before=before,
            after=audit.snapshot(target),
        )
    return target


def delete_target(*, actor: Actor, target: Target) -> None:
    Framework.policy.require(actor, "change", target.indicator.framework)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="indicators.target_delete",
            instance=target,
            before=audit.snapshot(target),
        )
        target.delete()


# --- reference values ---------------------------------------------------------------------
def save_reference(
    *, actor: Actor, data: Mapping[str, Any], reference: ReferenceValue | None = None
) -> ReferenceValue:
    """A figure published by someone else, with its source (never mixed with computed
    values).  Tied to an indicator (the indicator's framework must be the actor's to
    change) or to a province."""
    check = _Checker()
    indicator = data.get("indicator")
    province = check.province(data, "province")
    label = check.text(data, "label", max_length=255)
    period = check.period(data, "period")
    value = check.decimal(data, "value")
    unit = check.choice(data, "unit", Unit.values, Unit.COUNT)
    comparison = str(data.get("comparison") or "")
    if comparison and comparison not in (*Comparison.values, "≈", "<", ">"):
        check.add("comparison", _("Unknown comparison."))
    source = check.text(data, "source", max_length=2000, multiline=True)
    source_url = str(data.get("source_url") or "").strip()
    if source_url and not re.match(r"^https?://[^\s<>\"']{1,490}$", source_url):
        check.add("source_url", _("Give a web address starting with http:// or https://."))
    if indicator is not None:
        Framework.policy.require(actor, "change", indicator.framework)
    else:
        ReferenceValue.policy.require_at(
            actor, "change", province=province.pk if province else None
        )
    _fail(check.problems)
    with transaction.atomic():
        before = audit.snapshot(reference)
        if reference is None:
            reference = ReferenceValue()
        for field, v in {
            "indicator": indicator,
            "province": province,
            "label": label,
            "period": period,
            "value": value,
            "unit": unit,
            "comparison": comparison,
            "source": source,
            "source_url": source_url,
        }.items():
            setattr(reference, field, v)
        reference.save()
        audit.record(
            actor=actor,
            action="indicators.reference_save",
            instance=reference,
            before=before,
            after=audit.snapshot(reference),
        )
    return reference


# --- recomputing --------------------------------------------------------------------------
def recompute(
    *,
    actor: Actor,
    framework: Framework,
    period_codes: Iterable[str],
    province: Province | None = None,
) -> int:
    """Recompute the framework's values for the periods (and a province of a national
    framework); staff who may see the framework may do it.  Audited by
    :func:`compute.refresh`."""
    check = _Checker()
    codes = []
    for code in period_codes:
        parsed = check.period({"period": code}, "period")
        if parsed:
            codes.append(parsed)
    if not codes:
        check.add("period", _("Choose a period."))
    if province is not None and framework.province_id and province.pk != framework.province_id:
        check.add(
            "province", _("This framework is for %(name)s only.") % {"name": framework.province}
        )
    _fail(check.problems)
    return compute.refresh(
        framework,
        periods=codes,
        provinces=[province] if province is not None else None,
        actor=actor,
    )
