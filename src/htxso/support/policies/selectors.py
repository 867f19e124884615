"""Reads of the policy catalogue and the matching of policies to organisations.

* :func:`visible` — the policies a user may read (published ones: everyone);
* :func:`policies_for` — every published policy in force for an organisation's province,
  with a verdict (eligible / not eligible / cannot check) and the reason of each
  criterion; missing data is never "not eligible";
* :func:`eligibility_map` — per province, per policy, counts of the three verdicts over
  every organisation of the user's reach, from facts loaded in bulk (a fixed number of
  queries whatever the number of organisations).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from htxso.core.policy import allowed
from htxso.core.text import fold
from htxso.registry.models import Organisation
from htxso.registry.rules import engine
from htxso.registry.rules.facts import load_facts, needs_for
from htxso.registry.rules.text import describe

from .models import Level, PolicyStatus, SupportPolicy

ELIGIBLE, NOT_ELIGIBLE, CANNOT_CHECK = "eligible", "not_eligible", "cannot_check"
VERDICTS = (ELIGIBLE, NOT_ELIGIBLE, CANNOT_CHECK)


def verdict_label(verdict: str) -> str:
    return {
        ELIGIBLE: _("Eligible"),
        NOT_ELIGIBLE: _("Not eligible"),
        CANNOT_CHECK: _("Cannot check"),
    }.get(verdict, verdict)


# ------------------------------------------------------------------ the catalogue


def published() -> QuerySet[SupportPolicy]:
    return SupportPolicy.objects.filter(status=PolicyStatus.PUBLISHED)


def visible(user: Any) -> QuerySet[SupportPolicy]:
    """Published policies, and the drafts/expired ones of the staff's reach."""
    staff = allowed(SupportPolicy, user, "view").values("pk")
    return SupportPolicy.objects.filter(
        Q(status=PolicyStatus.PUBLISHED) | Q(pk__in=staff)
    ).select_related("province")


def in_force(qs: QuerySet[SupportPolicy], on: dt.date) -> QuerySet[SupportPolicy]:
    return qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )


def search(
    qs: QuerySet[SupportPolicy],
    *,
    q: str = "",
    level: str = "",
    province: str = "",
    sector: str = "",
) -> QuerySet[SupportPolicy]:
    """Accent-free words (``search_text`` is folded as the registry does), level,
    province (its own policies and the national ones), sector (policies naming it and
    those open to every sector)."""
    for word in fold(q).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    if level:
        qs = qs.filter(level=level)
    if province:
        qs = qs.filter(Q(province_id=province) | Q(level=Level.NATIONAL))
    if sector:
        qs = qs.filter(Q(sector_codes="") | Q(sector_codes__contains=f"|{sector}|"))
    return qs


def call_url(policy: SupportPolicy) -> str:
    """The programme call's page (programs is a sibling: by URL name only)."""
    if not policy.call_id:
        return ""
    try:
        return reverse("programs:call_detail", kwargs={"call_id": policy.call_id})
    except NoReverseMatch:
        return ""


def apply_url(policy: SupportPolicy) -> str:
    return call_url(policy) or policy.apply_url


# ------------------------------------------------------------------ matching

#: what is missing, by the engine's no-data code (the "X" of "cannot check: missing X")
MISSING = {
    "youth_no_data": lambda d: (
        _("workers' birth dates, or an annual report %(year)s with the number of workers") % d
    ),
    "finance_missing": lambda d: (
        _("annual report for %(years)s") % {"years": ", ".join(str(y) for y in d.get("years", []))}
    ),
    "grade_missing": lambda d: _("a classification reviewed since %(since)s") % d,
    "chain_no_data": lambda d: _("value-chain links (partners, products)"),
    "chain_declared_only": lambda d: (
        _("the value-chain links declared in the %(year)s annual report") % d
    ),
    "sector_missing": lambda d: _("sector of the cooperative"),
    "established_missing": lambda d: _("date of establishment"),
}


@dataclass
class CriterionResult:
    label: str
    kind: str
    verdict: str  # pass | fail | no_data
    reason: str
    missing: str = ""


@dataclass
class PolicyMatch:
    policy: SupportPolicy
    verdict: str
    results: list[CriterionResult] = field(default_factory=list)
    apply_url: str = ""

    @property
    def verdict_label(self) -> str:
        return verdict_label(self.verdict)

    @property
    def missing(self) -> list[str]:
        return [r.missing for r in self.results if r.missing]


def _kinds(policies: Iterable[SupportPolicy]) -> set[str]:
    return {c.get("kind", "") for p in policies for c in p.criteria if isinstance(c, dict)}


def _outcome(criterion: Any, facts: engine.OrgFacts, on: dt.date) -> engine.Outcome:
    """The engine's outcome, or "cannot check" for a criterion it cannot evaluate."""
    if not isinstance(criterion, dict):
        return engine.Outcome(engine.NO_DATA, "unreadable", {"kind": "?"})
    kind = str(criterion.get("kind", ""))
    params = criterion.get("params") or {}
    if kind == "declared":
        return engine.Outcome(engine.NO_DATA, "declared", {"label": criterion.get("label", "")})
    if kind not in engine.RULES or not isinstance(params, dict):
        return engine.Outcome(engine.NO_DATA, "unreadable", {"kind": kind[:40]})
    try:
        return engine.evaluate(kind, facts, params, engine.reference_date(params, on))
    except (KeyError, TypeError, ValueError, AttributeError):
        return engine.Outcome(engine.NO_DATA, "unreadable", {"kind": kind[:40]})


def _result(criterion: Any, outcome: engine.Outcome) -> CriterionResult:
    label = str(criterion.get("label", "")) if isinstance(criterion, dict) else ""
    kind = str(criterion.get("kind", "")) if isinstance(criterion, dict) else ""
    if outcome.verdict == engine.NO_DATA:
        if outcome.code == "declared":
            missing = _("your own answer (“%(label)s”), checked when you apply") % {"label": label}
        elif outcome.code == "unreadable":
            missing = _("the criterion “%(kind)s” cannot be evaluated by the platform") % {
                "kind": outcome.data.get("kind", "")
            }
        else:
            builder = MISSING.get(outcome.code)
            missing = builder(outcome.data) if builder else describe(outcome.code, outcome.data)
        reason = _("Cannot check: missing data: %(what)s") % {"what": missing}
        return CriterionResult(label, kind, engine.NO_DATA, reason, missing)
    return CriterionResult(label, kind, outcome.verdict, describe(outcome.code, outcome.data))


def _verdict(verdicts: list[str]) -> str:
    """Every criterion met (or none at all): eligible; one missed: not eligible; else
    cannot check (missing data never refuses)."""
    ok = engine.combine(verdicts) if verdicts else True
    return ELIGIBLE if ok is True else NOT_ELIGIBLE if ok is False else CANNOT_CHECK


def applicable(organisation: Organisation, on: dt.date) -> QuerySet[SupportPolicy]:
    """Published policies in force at ``on`` for the organisation's province."""
    return in_force(published(), on).filter(
        Q(level=Level.NATIONAL) | Q(level=Level.PROVINCIAL, province_id=organisation.province_id)
    )


def may_match(user: Any, organisation: Organisation) -> bool:
    """Who sees an organisation's matches: whoever may see the organisation."""
    return Organisation.policy.allows(user, "view", organisation)


def policies_for(
    *, user: Any, organisation: Organisation, on: dt.date | None = None
) -> list[PolicyMatch]:
    """Every applicable policy with its verdict for ``organisation`` (empty when ``user``
    may not see the organisation): eligible first, then cannot check, then not eligible."""
    if not may_match(user, organisation):
        return []
    on = on or timezone.localdate()
    policies = list(applicable(organisation, on))
    if not policies:
        return []
    qs = Organisation.objects.filter(pk=organisation.pk)
    facts = load_facts(qs, needs=needs_for(_kinds(policies)))[organisation.pk]
    matches = []
    for policy in policies:
        results = [_result(c, _outcome(c, facts, on)) for c in policy.criteria]
        verdict = _verdict([r.verdict for r in results])
        matches.append(PolicyMatch(policy, verdict, results, apply_url(policy)))
    order = {ELIGIBLE: 0, CANNOT_CHECK: 1, NOT_ELIGIBLE: 2}
    matches.sort(key=lambda m: (order[m.verdict], m.policy.name))
    return matches


# ------------------------------------------------------------------ the national map


@dataclass
class EligibilityMap:
    policies: list[SupportPolicy]
    #: policy id → province code → Counter of verdicts
    counts: dict[int, dict[str, Counter]]
    organisations: int = 0

    def totals(self, policy_id: int) -> Counter:
        out: Counter = Counter()
        for counter in self.counts.get(policy_id, {}).values():
            out.update(counter)
        return out


def _compiled(criterion: Any, on: dt.date):
    """``facts -> verdict`` for one criterion, its rule and reference date found once."""
    kind = criterion.get("kind") if isinstance(criterion, dict) else None
    params = criterion.get("params") or {} if isinstance(criterion, dict) else None
    rule = engine.RULES.get(str(kind))
    if rule is None or not isinstance(params, dict):
        return lambda facts: engine.NO_DATA  # declared, unknown: cannot check
    day = engine.reference_date(params, on)

    def verdict(facts: engine.OrgFacts) -> str:
        try:
            return rule(facts, params, day).verdict
        except (KeyError, TypeError, ValueError, AttributeError):
            return engine.NO_DATA

    return verdict


def evaluate_map(
    policies: list[SupportPolicy], organisations: QuerySet[Organisation], on: dt.date
) -> EligibilityMap:
    """Match ``policies`` over ``organisations``: facts loaded in bulk, each distinct
    criterion (kind and settings) evaluated once per organisation, whatever the number
    of policies naming it."""
    facts = load_facts(organisations, needs=needs_for(_kinds(policies)))
    index: dict[str, int] = {}
    rules: list[Any] = []
    plans: list[tuple[int, str | None, tuple[int, ...]]] = []
    for policy in policies:
        positions = []
        for c in policy.criteria:
            if isinstance(c, dict):
                key = json.dumps([c.get("kind"), c.get("params")], sort_keys=True, default=str)
            else:
                key = repr(c)
            if key not in index:
                index[key] = len(rules)
                rules.append(_compiled(c, on))
            positions.append(index[key])
        province = policy.province_id if policy.level == Level.PROVINCIAL else None
        plans.append((policy.pk, province, tuple(positions)))
    counts: dict[int, dict[str, Counter]] = {p.pk: {} for p in policies}
    fail, ok = engine.FAIL, engine.PASS
    for org_facts in facts.values():
        where = org_facts.province_id
        verdicts = [rule(org_facts) for rule in rules]
        for pk, province, positions in plans:
            if province is not None and province != where:
                continue
            got = [verdicts[i] for i in positions]
            if fail in got:
                verdict = NOT_ELIGIBLE
            elif all(v == ok for v in got):
                verdict = ELIGIBLE
            else:
                verdict = CANNOT_CHECK
            by_province = counts[pk]
            counter = by_province.get(where)
            if counter is None:
                counter = by_province[where] = Counter()
            counter[verdict] += 1
    return EligibilityMap(policies, counts, len(facts))


def eligibility_map(*, user: Any, on: dt.date | None = None) -> EligibilityMap:
    """The published policies in force over every organisation ``user`` may see."""
    on = on or timezone.localdate()
    policies = list(in_force(published(), on).select_related("province")[:50])
    organisations = allowed(Organisation, user, "view").filter(status="active")
    return evaluate_map(policies, organisations, on)
