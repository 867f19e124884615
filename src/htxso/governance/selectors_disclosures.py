"""Reads of disclosures (Art. 14).

Published for the other parts and apps:

* :func:`due_and_late` — what an organisation must still post (due, overdue) and what it
  posted late, on a day (the manager's home);
* :func:`on_time_share` — the share of a province's disclosures posted on time in a
  period (a governance indicator for the results app);
* :func:`on_time_table` — the same per cooperative (the province's table).

A disclosure *falls due* in a period when its ``due_on`` is in it.  It is **on time** when
posted on or before ``due_on``, **late** when posted after it or still not posted once the
day has passed; one not posted whose day has not come yet is still **open** and counts
neither way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from htxso.geo.models import Province
from htxso.registry.models import Organisation

from .models.disclosures import Disclosure, DisclosureRequest

__all__ = [
    "DueAndLate",
    "OnTimeRow",
    "due_and_late",
    "on_time_share",
    "on_time_table",
    "period_bounds",
    "posted_for",
    "requests_open",
]

#: how far back "posted late" looks on the manager's home
LATE_LOOKBACK_DAYS = 365

Period = tuple[dt.date, dt.date] | int


@dataclass(frozen=True)
class DueAndLate:
    #: recorded, not posted, due today or later
    due: list[Disclosure]
    #: recorded, not posted, past the due day
    overdue: list[Disclosure]
    #: posted after the due day (in the last year)
    posted_late: list[Disclosure]

    @property
    def late_count(self) -> int:
        return len(self.overdue) + len(self.posted_late)


def due_and_late(organisation: Organisation | int, on: dt.date | None = None) -> DueAndLate:
    """What ``organisation`` must still post and what it posted late, seen on ``on``
    (today in Vietnam by default).  Two queries."""
    day = on or timezone.localdate()
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    base = Disclosure.objects.filter(organisation_id=org_id).only(
        "id", "organisation_id", "kind", "title", "event_on", "due_on", "posted_on"
    )
    pending = list(base.filter(posted_on__isnull=True).order_by("due_on", "id"))
    posted_late = list(
        base.filter(
            posted_on__isnull=False,
            posted_on__gt=F("due_on"),
            posted_on__gte=day - dt.timedelta(days=LATE_LOOKBACK_DAYS),
        ).order_by("-posted_on", "-id")
    )
    return DueAndLate(
        due=[d for d in pending if d.due_on >= day],
        overdue=[d for d in pending if d.due_on < day],
        posted_late=posted_late,
    )


def period_bounds(period: Period) -> tuple[dt.date, dt.date]:
    """``(start, end)`` inclusive from a year or a pair of dates."""
    if isinstance(period, int):
        return dt.date(period, 1, 1), dt.date(period, 12, 31)
    start, end = period
    if end < start:
        raise ValueError("period: end before start")
    return start, end


def _counts(today: dt.date) -> dict[str, Any]:
    return {
        "due": Count("id", filter=Q(posted_on__isnull=False) | Q(due_on__lt=today)),
        "on_time": Count("id", filter=Q(posted_on__isnull=False, posted_on__lte=F("due_on"))),
        "open": Count("id", filter=Q(posted_on__isnull=True, due_on__gte=today)),
    }


def _share(on_time: int, due: int) -> Decimal | None:
    if due <= 0:
        return None
    return (Decimal(on_time) * 100 / Decimal(due)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _in_period(province: Province | str, period: Period) -> QuerySet[Disclosure]:
    code = province if isinstance(province, str) else province.pk
    start, end = period_bounds(period)
    return Disclosure.objects.filter(
        organisation__province_id=code, due_on__gte=start, due_on__lte=end
    )


def on_time_share(
    province: Province | str, period: Period, *, today: dt.date | None = None
) -> Decimal | None:
    """Per cent (one decimal) of the disclosures of ``province``'s organisations falling
    due in ``period`` (a year or ``(start, end)``) that were posted on time; ``None``
    when none fell due.  One query."""
    day = today or timezone.localdate()
    row = _in_period(province, period).aggregate(**_counts(day))
    return _share(row["on_time"] or 0, row["due"] or 0)


@dataclass(frozen=True)
class OnTimeRow:
    organisation_id: int
    name: str
    due: int
    on_time: int
    late: int
    open: int
    share: Decimal | None


def on_time_table(
    province: Province | str, period: Period, *, today: dt.date | None = None
) -> list[OnTimeRow]:
    """One row per organisation of ``province`` with disclosures falling due in
    ``period``, the least punctual first.  One query."""
    day = today or timezone.localdate()
    rows = (
        _in_period(province, period)
        .values("organisation_id", "organisation__name")
        .annotate(**_counts(day))
        .order_by("organisation__name", "organisation_id")
    )
    table = [
        OnTimeRow(
            organisation_id=r["organisation_id"],
            name=r["organisation__name"],
            due=r["due"],
            on_time=r["on_time"],
            late=r["due"] - r["on_time"],
            open=r["open"],
            share=_share(r["on_time"], r["due"]),
        )
        for r in rows
    ]
    table.sort(key=lambda r: (r.share if r.share is not None else Decimal(101), r.name))
    return table


def posted_for(user: Any, organisation: Organisation | int, *, on: dt.date | None = None):
    """The disclosures of ``organisation`` posted and not taken down that ``user`` may
    see, newest event first."""
    day = on or timezone.localdate()
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return Disclosure.policy.queryset(user, "view").filter(
        organisation_id=org_id,
        posted_on__isnull=False,
        posted_on__lte=day,
        withdrawn_on__isnull=True,
    )


def requests_open(organisation: Organisation | int) -> QuerySet[DisclosureRequest]:
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return DisclosureRequest.objects.filter(
        organisation_id=org_id, answered_at__isnull=True
    ).select_related("membership__person")
