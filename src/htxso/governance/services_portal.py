"""Every write of the member portal: questions to the board and their answers, the
services members used in a year, and the profit distribution the assembly approves.

Profit distribution follows the law's order (Luật Hợp tác xã 2023, Điều 86 "Phân phối
thu nhập" — see :data:`DISTRIBUTION_ARTICLE`): from the income after tax the funds are
set aside first (the indivisible common fund, development investment, financial
reserve, the charter's other funds), then what is left goes to the members —
``by_services_pct`` of it by the services each member used in the year, the rest by each
member's paid capital.  Amounts are whole đồng; the đồng left by rounding go to the
largest remainders, so the shares always add up to the amount distributed.

A fund's minimum share is a rule row (``RuleKey.*_FUND_MIN``, see :data:`FUNDS`): a fund
below it is refused (``fund_below_minimum``); a fund without a row in force has no
legal minimum (the charter decides).  The indivisible fund's share is of the income
from outside transactions; a calculation that does not give that income counts the
whole income after tax (the cautious reading).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from htxso.core import audit
from htxso.core.actors import Actor, SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errorlist import Errors
from htxso.core.errorlist import text as clean_text
from htxso.core.errors import ServiceError, conflict, not_found, refused
from htxso.core.formatting import format_vnd
from htxso.registry.models import Membership, Organisation, OrganisationKind

from . import rules
from .models.portal import (
    DistributionStatus,
    ProfitDistribution,
    ProfitShare,
    Question,
    ServiceUse,
)
from .models.rules import RuleKey
from .models.votes import MatterKind, Resolution, ResolutionStatus

__all__ = [
    "DISTRIBUTION_ARTICLE",
    "DISTRIBUTION_ARTICLE_CONFIRMED",
    "FUNDS",
    "MAX_AMOUNT",
    "FundRule",
    "distribution_approve",
    "distribution_calculate",
    "fund_rules",
    "question_answer",
    "question_ask",
    "service_use_record",
    "split",
]

ACTION_LABELS.update(
    {
        "question.ask": gettext_lazy("Question to the board asked"),
        "question.answer": gettext_lazy("Question to the board answered"),
        "service_use.record": gettext_lazy("Services used by members recorded"),
        "distribution.calculate": gettext_lazy("Profit distribution calculated"),
        "distribution.approve": gettext_lazy("Profit distribution approved"),
    }
)

#: The article of the law on the distribution of income (shown on the pages): Điều 86
#: "Phân phối thu nhập" — its title read in the official codification (Pháp điển, đề mục
#: "Hợp tác xã"), its wording not read in the law's text (see migration 0003): the pages
#: say so.  The funds' minimum shares are rule rows, each with its own article and flag.
DISTRIBUTION_ARTICLE = "Luật Hợp tác xã 2023, Điều 86"
DISTRIBUTION_ARTICLE_CONFIRMED = False
#: No amount of a cooperative's year is larger than this (1,000,000 billion đồng): a
#: bigger number is a typing mistake, not an income.
MAX_AMOUNT = 10**15
#: Open questions one member may have at a time (more is a script).
MAX_OPEN_QUESTIONS = 20
FIRST_YEAR = 2000


def _today() -> dt.date:
    return timezone.localdate()


def _amount(errors: Errors, field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(field, gettext_lazy("Enter a whole number of đồng."), "amount")
        return 0
    if value < 0:
        errors.add(field, gettext_lazy("An amount cannot be negative."), "amount_negative")
        return 0
    if value > MAX_AMOUNT:
        errors.add(field, gettext_lazy("This amount is too large."), "amount_too_large")
        return 0
    return value


def _year(errors: Errors, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add("year", gettext_lazy("Enter a year."), "year")
        return 0
    if not FIRST_YEAR <= value <= _today().year:
        errors.add("year", gettext_lazy("Enter a past or the current year."), "year_range")
        return 0
    return value


def _require_manager(model: Any, organisation: Organisation, *, actor: Actor) -> None:
    if model.policy.allows_at(actor, "change", organisation=organisation.pk):
        return
    if Organisation.policy.allows(actor, "view", organisation):
        raise refused(_("Only the cooperative's manager may do this."))
    raise not_found(_("Not found."))


def _user_or_none(*, actor: Actor) -> Any:
    return None if isinstance(actor, SystemActor) else actor


# ------------------------------------------------------------------ questions


def question_ask(*, actor: Actor, membership: Membership, text: str) -> Question:
    """A member asks the board a question (their own active membership only)."""
    if (
        isinstance(actor, SystemActor)
        or membership.left_on is not None
        or membership.person.user_id != actor.pk
    ):
        raise not_found(_("Not found."), "not_a_member")
    errors = Errors()
    clean = clean_text(errors, "text", text, max_length=2000, required=True, multiline=True)
    errors.raise_if_any()
    with transaction.atomic():
        open_count = Question.objects.filter(
            membership=membership, answered_at__isnull=True
        ).count()
        if open_count >= MAX_OPEN_QUESTIONS:
            raise conflict(
                _("You have many questions waiting for an answer; wait for the board."),
                "too_many_questions",
            )
        q = Question.objects.create(
            organisation_id=membership.organisation_id, membership=membership, text=clean
        )
        audit.record(actor=actor, action="question.ask", instance=q)
    return q


def question_answer(*, actor: Actor, question: Question, answer: str) -> Question:
    """The board (the manager) answers once."""
    Question.policy.require(actor, "change", question)
    errors = Errors()
    clean = clean_text(errors, "answer", answer, max_length=5000, required=True, multiline=True)
    errors.raise_if_any()
    with transaction.atomic():
        q = Question.objects.select_for_update().get(pk=question.pk)
        if q.answered_at is not None:
            raise conflict(_("This question is already answered."), "already_answered")
        q.answer = clean
        q.answered_by = _user_or_none(actor=actor)
        q.answered_at = timezone.now()
        q.save(update_fields=["answer", "answered_by", "answered_at"])
        audit.record(actor=actor, action="question.answer", instance=q)
    return q


# ------------------------------------------------------------------ services used


def service_use_record(
    *,
    actor: Actor,
    organisation: Organisation,
    year: int,
    amounts: Mapping[int, int],
) -> int:
    """Record what members used in ``year`` (membership id → đồng; 0 removes nothing, it
    records zero).  Every id must be a member of ``organisation``; nothing is saved when
    one is wrong.  Returns the number of rows written."""
    _require_manager(ServiceUse, organisation, actor=actor)
    errors = Errors()
    y = _year(errors, year)
    clean: dict[int, int] = {}
    for key, value in amounts.items():
        if isinstance(key, bool) or not isinstance(key, int):
            errors.add("amounts", gettext_lazy("A member is wrong."), "member")
            continue
        clean[key] = _amount(errors, f"amount_{key}", value)
    errors.raise_if_any()
    if not clean:
        return 0
    found = set(
        Membership.objects.filter(organisation=organisation, pk__in=list(clean)).values_list(
            "pk", flat=True
        )
    )
    if found != set(clean):
        raise not_found(_("A member is not of this cooperative."), "member_not_found")
    recorder = _user_or_none(actor=actor)
    if recorder is None:
        raise refused(_("Only a person records services used."))
    with transaction.atomic():
        if ProfitDistribution.objects.filter(
            organisation=organisation, year=y, status=DistributionStatus.APPROVED
        ).exists():
            raise conflict(
                _("The distribution of this year is approved: its figures are final."),
                "distribution_approved",
            )
        existing = {
            s.membership_id: s
            for s in ServiceUse.objects.select_for_update().filter(
                organisation=organisation, year=y, membership_id__in=list(clean)
            )
        }
        new, changed = [], []
        for mid, amount in clean.items():
            row = existing.get(mid)
            if row is None:
                new.append(
                    ServiceUse(
                        organisation=organisation,
                        membership_id=mid,
                        year=y,
                        amount=amount,
                        recorded_by=recorder,
                    )
                )
            elif row.amount != amount:
                row.amount, row.recorded_by = amount, recorder
                changed.append(row)
        ServiceUse.objects.bulk_create(new)
        ServiceUse.objects.bulk_update(changed, ["amount", "recorded_by", "updated_at"])
        audit.record(
            actor=actor,
            action="service_use.record",
            organisation_id=organisation.pk,
            province=organisation.province_id,
            after={"year": y, "new": len(new), "changed": len(changed)},
        )
    return len(new) + len(changed)


# ------------------------------------------------------------------ profit distribution


def split(total: int, weights: Mapping[int, int]) -> dict[int, int]:
    """``total`` đồng split in proportion to ``weights`` (largest remainders, ties to the
    smaller key): the parts add up to ``total`` exactly; nothing when no weight."""
    weight_sum = sum(weights.values())
    if total <= 0 or weight_sum <= 0:
        return dict.fromkeys(weights, 0)
    parts: dict[int, int] = {}
    remainders: list[tuple[int, int]] = []
    for key, w in weights.items():
        q, r = divmod(total * w, weight_sum)
        parts[key] = q
        remainders.append((r, key))
    left = total - sum(parts.values())
    remainders.sort(key=lambda rk: (-rk[0], rk[1]))
    for _r, key in remainders[:left]:
        parts[key] += 1
    return parts


def _pct(errors: Errors, value: Any) -> Decimal:
    try:
        pct = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        errors.add("by_services_pct", gettext_lazy("Enter a percentage."), "pct")
        return Decimal(0)
    if not Decimal(0) <= pct <= Decimal(100):
        errors.add(
            "by_services_pct", gettext_lazy("Enter a percentage from 0 to 100."), "pct_range"
        )
        return Decimal(0)
    return pct


#: What a fund's minimum share is taken of.
BASE_OUTSIDE = "outside"  # the income from outside transactions (giao dịch bên ngoài)
BASE_INCOME = "income"  # the income after tax
BASE_LABELS = {
    BASE_OUTSIDE: gettext_lazy("of the income from outside transactions"),
    BASE_INCOME: gettext_lazy("of the income after tax"),
}

#: The funds set aside before the members are paid that may have a legal minimum:
#: (field of ProfitDistribution, rule of its minimum share, base, name).  A fund without
#: a row in force has no minimum; a later row (a decree, a corrected value) changes the
#: calculation without code.
FUNDS: tuple[tuple[str, RuleKey, str, Any], ...] = (
    (
        "indivisible_fund",
        RuleKey.INDIVISIBLE_FUND_MIN,
        BASE_OUTSIDE,
        gettext_lazy("Indivisible common fund"),
    ),
    (
        "development_fund",
        RuleKey.DEVELOPMENT_FUND_MIN,
        BASE_INCOME,
        gettext_lazy("Development investment fund"),
    ),
    (
        "reserve_fund",
        RuleKey.RESERVE_FUND_MIN,
        BASE_INCOME,
        gettext_lazy("Financial reserve fund"),
    ),
)


@dataclass(frozen=True)
class FundRule:
    """A fund and its minimum share in force (``rule`` None: no legal minimum).  Without
    an organisation kind, ``variants`` are the kinds with a row of their own."""

    fund: str
    label: Any
    base: str
    rule: rules.InForce | None
    variants: tuple[tuple[Any, rules.InForce], ...] = ()

    @property
    def base_label(self) -> Any:
        return BASE_LABELS[self.base]

    def minimum(self, base_amount: int) -> int:
        """The least đồng for this fund (rounded up); 0 without a rule."""
        if self.rule is None or base_amount <= 0:
            return 0
        exact = Decimal(base_amount) * self.rule.value / Decimal(100)
        return int(exact.to_integral_value(rounding=ROUND_CEILING))


def fund_rules(*, org_kind: str | None = None, on: dt.date | None = None) -> list[FundRule]:
    """Each fund of :data:`FUNDS` with its minimum in force on ``on`` (today) for an
    organisation of ``org_kind``; ``None``: the row for all kinds, plus ``variants`` for
    the kinds that have their own row (a page that does not know the kind)."""
    day = on or _today()
    out = []
    for fund, key, base, label in FUNDS:
        general = rules.rule_or_none(key, on=day, org_kind=org_kind or "")
        variants: list[tuple[Any, rules.InForce]] = []
        if org_kind is None:
            for kind in OrganisationKind:
                own = rules.rule_or_none(key, on=day, org_kind=kind.value)
                if own is not None and own != general:
                    variants.append((kind.label, own))
        out.append(FundRule(fund, label, base, general, tuple(variants)))
    return out


def pct_text(value: Decimal) -> str:
    """5.0000 → "5"; 33.3333 → "33,33" (Vietnamese) / "33.33"."""
    q = value.quantize(Decimal("0.01"))
    if q == q.to_integral_value():
        return str(int(q))
    text = f"{q.normalize():f}"
    return text if (get_language() or "vi").startswith("en") else text.replace(".", ",")


def _check_fund_minimums(
    organisation: Organisation, profit: int, outside: int | None, funds: Mapping[str, int]
) -> None:
    """Refuse (``fund_below_minimum``, nothing saved) a fund below its legal minimum,
    naming the fund, the least amount and the article."""
    bases = {BASE_INCOME: profit, BASE_OUTSIDE: profit if outside is None else outside}
    fields: dict[str, list[Any]] = {}
    details = []
    for fr in fund_rules(org_kind=organisation.kind):
        if fr.rule is None:
            continue
        least = fr.minimum(bases[fr.base])
        if funds[fr.fund] >= least:
            continue
        base, base_label = fr.base, fr.base_label
        if fr.base == BASE_OUTSIDE and outside is None:
            base = BASE_INCOME
            base_label = _(
                "of the income after tax (the income from outside transactions not given)"
            )
        message = _("%(fund)s: at least %(least)s (%(pct)s %% %(base)s, %(article)s%(flag)s).") % {
            "fund": fr.label,
            "least": format_vnd(least, language=get_language() or "vi"),
            "pct": pct_text(fr.rule.value),
            "base": base_label,
            "article": fr.rule.article,
            "flag": "" if fr.rule.confirmed else " — " + _("not yet checked in the text"),
        }
        fields[fr.fund] = [message]
        details.append(
            {
                "fund": fr.fund,
                "minimum": least,
                "pct": str(fr.rule.value),
                "base": base,
                "article": fr.rule.article,
                "confirmed": fr.rule.confirmed,
            }
        )
    if fields:
        raise ServiceError(
            "fund_below_minimum",
            " ".join(str(m) for ms in fields.values() for m in ms),
            fields=fields,
            details=details,
        )


def distribution_calculate(
    *,
    actor: Actor,
    organisation: Organisation,
    year: int,
    profit_after_tax: int,
    indivisible_fund: int = 0,
    development_fund: int = 0,
    reserve_fund: int = 0,
    other_funds: int = 0,
    by_services_pct: Any = 100,
    outside_income: int | None = None,
) -> ProfitDistribution:
    """Calculate (or calculate again, while not approved) the distribution of ``year``:
    the funds first (each at least its legal minimum, see :data:`FUNDS`), then the
    members by services used and by paid capital.  ``outside_income``: the part of the
    income after tax from outside transactions (None: not given, the whole income
    counts)."""
    _require_manager(ProfitDistribution, organisation, actor=actor)
    errors = Errors()
    y = _year(errors, year)
    profit = _amount(errors, "profit_after_tax", profit_after_tax)
    funds = {
        name: _amount(errors, name, value)
        for name, value in (
            ("indivisible_fund", indivisible_fund),
            ("development_fund", development_fund),
            ("reserve_fund", reserve_fund),
            ("other_funds", other_funds),
        )
    }
    outside = None if outside_income is None else _amount(errors, "outside_income", outside_income)
    pct = _pct(errors, by_services_pct)
    errors.raise_if_any()
    if outside is not None and outside > profit:
        message = _("The income from outside transactions is more than the income after tax.")
        raise ServiceError(
            "outside_income_too_large", message, fields={"outside_income": [message]}
        )
    if sum(funds.values()) > profit:
        raise ServiceError(
            "funds_exceed_income",
            _("The funds are more than the income after tax."),
            fields={"profit_after_tax": [_("The funds are more than the income after tax.")]},
        )
    creator = _user_or_none(actor=actor)
    with transaction.atomic():
        dist = (
            ProfitDistribution.objects.select_for_update()
            .filter(organisation=organisation, year=y)
            .first()
        )
        if dist is not None and dist.status == DistributionStatus.APPROVED:
            raise conflict(
                _("The distribution of this year is approved: it cannot change."),
                "distribution_approved",
            )
        if dist is None:
            if creator is None:
                raise refused(_("Only a person calculates a distribution."))
            dist = ProfitDistribution(organisation=organisation, year=y, created_by=creator)
        _check_fund_minimums(organisation, profit, outside, funds)
        dist.profit_after_tax = profit
        for name, value in funds.items():
            setattr(dist, name, value)
        dist.by_services_pct = pct
        dist.save()
        _shares(dist, organisation)
        audit.record(
            actor=actor,
            action="distribution.calculate",
            instance=dist,
            after={
                "year": y,
                "profit_after_tax": profit,
                "outside_income": outside,
                **funds,
                "by_services_pct": str(pct),
            },
        )
    return dist


def _shares(dist: ProfitDistribution, organisation: Organisation) -> None:
    """The members' shares of ``dist`` (replaced): services used in the year, paid
    capital of the members active at the end of the year."""
    year_end = dt.date(dist.year, 12, 31)
    members = Membership.objects.filter(organisation=organisation, joined_on__lte=year_end)
    used = dict(
        ServiceUse.objects.filter(organisation=organisation, year=dist.year).values_list(
            "membership_id", "amount"
        )
    )
    capital = dict(members.filter(left_on__isnull=True, capital__gt=0).values_list("pk", "capital"))
    to_members = dist.to_members
    by_services_total = int((Decimal(to_members) * dist.by_services_pct / 100).to_integral_value())
    if not any(used.values()):
        by_services_total = 0  # nobody used services: everything goes by capital
    by_capital_total = to_members - by_services_total
    if not any(capital.values()):
        by_services_total, by_capital_total = to_members, 0
    by_services = split(by_services_total, used)
    by_capital = split(by_capital_total, capital)
    ids = sorted(set(used) | set(capital))
    ProfitShare.objects.filter(distribution=dist).delete()
    ProfitShare.objects.bulk_create(
        ProfitShare(
            distribution=dist,
            membership_id=mid,
            services_used=used.get(mid, 0),
            capital=capital.get(mid, 0),
            by_services=by_services.get(mid, 0),
            by_capital=by_capital.get(mid, 0),
        )
        for mid in ids
    )


def distribution_approve(
    *, actor: Actor, distribution: ProfitDistribution, resolution: Resolution
) -> ProfitDistribution:
    """Record the assembly's approval: an adopted resolution of kind ``profit`` of the
    same cooperative."""
    ProfitDistribution.policy.require(actor, "change", distribution)
    if resolution.organisation_id != distribution.organisation_id:
        raise not_found(_("Not found."), "resolution_not_found")
    if resolution.matter != MatterKind.PROFIT:
        raise conflict(
            _("The resolution is not about the distribution of profit."), "resolution_matter"
        )
    if resolution.status != ResolutionStatus.CLOSED or not resolution.passed:
        raise conflict(_("The resolution was not adopted."), "resolution_not_adopted")
    with transaction.atomic():
        dist = ProfitDistribution.objects.select_for_update().get(pk=distribution.pk)
        if dist.status == DistributionStatus.APPROVED:
            raise conflict(_("This distribution is already approved."), "distribution_approved")
        dist.status = DistributionStatus.APPROVED
        dist.resolution = resolution
        dist.approved_at = timezone.now()
        dist.save(update_fields=["status", "resolution", "approved_at"])
        audit.record(
            actor=actor,
            action="distribution.approve",
            instance=dist,
            after={"resolution": resolution.pk},
        )
    return dist
