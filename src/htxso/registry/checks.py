"""Legal checks on an organisation's record, shown to the province as warnings.

Pure functions over :class:`OrgFacts`, the few figures the checks need.  The selectors
compute those figures for many organisations in one query
(``selectors.with_check_facts``) and ``facts_from`` reads them off an annotated row, so
the checks never query the database themselves.

Rules (Law on Cooperatives 17/2023/QH15):

* **Members** (Art. 4): a cooperative has at least 5 official members, a union at least
  3 member cooperatives, a cooperative group at least 2 members.  Official members are
  counted from the member register (active memberships); when no membership is recorded
  at all, from the latest submitted annual report (``members_official``).
* **One member's capital** (Art. 74): an official member's capital may not exceed 30 %
  of the charter capital (40 % in a union of cooperatives).  Exactly 30 % is allowed.
* **Associates' capital** (Art. 74): the capital of all associate members with capital
  together may not exceed 30 % (40 % in a union).
* **Annual report** (Circular 09/2024/TT-BKHĐT Art. 6–7): the annual update for year Y is
  due on 15 December of Y; after that day a report for Y that has not been sent (none,
  or still a draft) is missing.  Organisations established after the deadline and
  dissolved ones are not asked.

The charter capital is the organisation's registered ``charter_capital``; when it is
not recorded, the sum of the active members' contributions is used instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models.reports import report_due_date

#: Members an organisation of each kind needs at least (Art. 4).
MIN_MEMBERS = {"cooperative": 5, "union": 3, "group": 2}
#: Capital limits, in percent of the charter capital (Art. 74).
CAPITAL_LIMIT_PERCENT = 30
CAPITAL_LIMIT_PERCENT_UNION = 40
#: Report statuses that count as "sent to the province".
REPORT_SENT_STATUSES = ("submitted", "returned", "accepted")
#: Statuses an organisation is no longer checked in.
NOT_CHECKED_STATUSES = ("dissolved",)

LAW_MEMBERS = _("Law on Cooperatives 17/2023/QH15, Art. 4")
LAW_CAPITAL = _("Law on Cooperatives 17/2023/QH15, Art. 74")
LAW_REPORT = _("Circular 09/2024/TT-BKHĐT, Art. 6–7")
LAW_TAX = _("Law on Tax Administration 38/2019/QH14, Art. 39")
#: Tax statuses (``Organisation.tax_status``, from the tax extract) that are a problem.
TAX_PROBLEM_STATUSES = ("suspended", "stopped", "left_address", "closing")


@dataclass(frozen=True)
class OrgFacts:
    """What the checks need to know about one organisation."""

    kind: str
    status: str = "active"
    established_on: dt.date | None = None
    charter_capital: int | None = None
    #: active memberships of any kind recorded in the register
    members_recorded: int = 0
    #: active official members in the register
    official_members: int = 0
    #: official members in the latest sent annual report (used when none are recorded)
    report_official_members: int | None = None
    #: active member cooperatives (unions only)
    union_members: int = 0
    #: the largest capital of one active official member
    max_official_capital: int = 0
    #: the capital of all active associate members with capital
    associate_capital: int = 0
    #: the capital of all active members
    total_capital: int = 0
    #: status of the report for ``reference_report_year(today)``, None when there is none
    report_status: str | None = None
    #: what the latest applied tax extract says ("" when none was applied)
    tax_status: str = ""


@dataclass(frozen=True)
class LegalWarning:
    code: str
    message: str
    law: str


def capital_limit_percent(kind: str) -> int:
    return CAPITAL_LIMIT_PERCENT_UNION if kind == "union" else CAPITAL_LIMIT_PERCENT


def capital_base(facts: OrgFacts) -> int:
    """The charter capital the shares are measured against (0 when unknown)."""
    if facts.charter_capital:
        return facts.charter_capital
    return facts.total_capital


def above_limit(amount: int, base: int, percent: int) -> bool:
    """Whether ``amount`` is strictly above ``percent`` % of ``base`` (integers only)."""
    return base > 0 and amount * 100 > percent * base


def share_percent(amount: int, base: int) -> str:
    """``amount`` as a percentage of ``base`` with two decimals, "12,34"."""
    if base <= 0:
        return "0"
    hundredths = (amount * 10_000 + base // 2) // base
    return f"{hundredths // 100},{hundredths % 100:02d}"


def reference_report_year(today: dt.date) -> int:
    """The latest year whose annual-report deadline (15 December) has passed."""
    return today.year if today > report_due_date(today.year) else today.year - 1


def check_members(facts: OrgFacts) -> list[LegalWarning]:
    needed = MIN_MEMBERS.get(facts.kind)
    if needed is None:
        return []
    if facts.kind == "union":
        count = facts.union_members
        if count >= needed:
            return []
        message = _(
            "The union has %(count)s member cooperatives; a union of cooperatives needs at"
            " least %(needed)s."
        ) % {"count": count, "needed": needed}
        return [LegalWarning("members_too_few", message, str(LAW_MEMBERS))]
    if facts.kind == "group":
        count = facts.members_recorded or (facts.report_official_members or 0)
        if count >= needed:
            return []
        message = _(
            "The cooperative group has %(count)s members recorded; a group needs at least"
            " %(needed)s."
        ) % {"count": count, "needed": needed}
        return [LegalWarning("members_too_few", message, str(LAW_MEMBERS))]
    if facts.members_recorded:
        count, source = facts.official_members, _("in the member register")
    elif facts.report_official_members is not None:
        count = facts.report_official_members
        source = _("in the latest annual report")
    else:
        count, source = 0, _("recorded (neither in the member register nor in an annual report)")
    if count >= needed:
        return []
    message = _(
        "The cooperative has %(count)s official members %(source)s; a cooperative needs at"
        " least %(needed)s official members."
    ) % {"count": count, "source": source, "needed": needed}
    return [LegalWarning("members_too_few", message, str(LAW_MEMBERS))]


def check_member_capital(facts: OrgFacts) -> list[LegalWarning]:
    if facts.kind == "group":
        return []
    base, limit = capital_base(facts), capital_limit_percent(facts.kind)
    if not above_limit(facts.max_official_capital, base, limit):
        return []
    message = _(
        "One official member holds %(share)s %% of the charter capital; the law allows at"
        " most %(limit)s %%."
    ) % {"share": share_percent(facts.max_official_capital, base), "limit": limit}
    return [LegalWarning("member_capital_above_limit", message, str(LAW_CAPITAL))]


def check_associate_capital(facts: OrgFacts) -> list[LegalWarning]:
    if facts.kind == "group":
        return []
    base, limit = capital_base(facts), capital_limit_percent(facts.kind)
    if not above_limit(facts.associate_capital, base, limit):
        return []
    message = _(
        "Associate members together hold %(share)s %% of the charter capital; the law"
        " allows at most %(limit)s %%."
    ) % {"share": share_percent(facts.associate_capital, base), "limit": limit}
    return [LegalWarning("associate_capital_above_limit", message, str(LAW_CAPITAL))]


def check_annual_report(facts: OrgFacts, today: dt.date) -> list[LegalWarning]:
    year = reference_report_year(today)
    due = report_due_date(year)
    if facts.established_on is not None and facts.established_on > due:
        return []
    if facts.report_status in REPORT_SENT_STATUSES:
        return []
    message = _("The annual report for %(year)s was due on %(due)s and has not been sent.") % {
        "year": year,
        "due": due.strftime("%d/%m/%Y"),
    }
    return [LegalWarning("annual_report_missing", message, str(LAW_REPORT))]


def check_tax(facts: OrgFacts) -> list[LegalWarning]:
    """The tax office's extract says the organisation stopped, is suspended, is closing
    its tax code or is not at its registered address (issue 19)."""
    if facts.tax_status not in TAX_PROBLEM_STATUSES:
        return []
    messages = {
        "suspended": _("The tax office lists the organisation as temporarily suspended."),
        "stopped": _("The tax office lists the organisation as having ceased activity."),
        "left_address": _(
            "The tax office lists the organisation as not operating at its registered address."
        ),
        "closing": _("The tax office lists the organisation as closing its tax code."),
    }
    return [LegalWarning("tax_status", str(messages[facts.tax_status]), str(LAW_TAX))]


def check_organisation(facts: OrgFacts, today: dt.date) -> list[LegalWarning]:
    """Every warning for one organisation, in a stable order."""
    if facts.status in NOT_CHECKED_STATUSES:
        return []
    return [
        *check_members(facts),
        *check_member_capital(facts),
        *check_associate_capital(facts),
        *check_annual_report(facts, today),
        *check_tax(facts),
    ]


def facts_from(org) -> OrgFacts:
    """Read the facts off an organisation annotated by ``selectors.with_check_facts``."""
    return OrgFacts(
        kind=org.kind,
        status=org.status,
        established_on=org.established_on,
        charter_capital=org.charter_capital,
        members_recorded=org.f_members_recorded or 0,
        official_members=org.f_official_members or 0,
        report_official_members=org.f_report_official_members,
        union_members=org.f_union_members or 0,
        max_official_capital=org.f_max_official_capital or 0,
        associate_capital=org.f_associate_capital or 0,
        total_capital=org.f_total_capital or 0,
        report_status=org.f_report_status,
        tax_status=getattr(org, "tax_status", "") or "",
    )
