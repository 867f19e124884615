"""Issue 17: the statistics and the eligibility rules read the same figures — one
selector, ``selectors_reports.counted_reports`` ("the figures of an organisation for
year Y": its submitted or accepted annual report) — so a later draft, or a report
returned for changes, moves neither."""

from __future__ import annotations

import datetime as dt

import pytest

from htxso.registry import selectors_reports, stats
from htxso.registry.models import AnnualReport, ReportStatus
from htxso.registry.rules import engine as rules
from htxso.registry.rules.facts import facts_for

pytestmark = pytest.mark.django_db

KINDS = ["youth_share", "finance", "value_chain"]


def report(org, year, status, **figures):
    return AnnualReport.objects.create(organisation=org, year=year, status=status, **figures)


def board(world, year):
    # b1 is the only organisation of Đắk Lắk (66) in the shared world
    return stats.dashboard(user=world.users["vca"], province="66", year=year, use_cache=False)


def both(world, org, year) -> tuple[dict, dict | None]:
    """The same figures as the statistics and the eligibility rules see them."""
    f = board(world, year).figures
    seen_by_stats = {
        "reports": f.reports,
        "workers_total": f.workers,
        "workers_youth": f.youth,
        "revenue": f.revenue_sum,
    }
    got = facts_for(org, KINDS).reports.get(year)
    seen_by_rules = (
        None
        if got is None
        else {
            "reports": 1,
            "workers_total": got.workers_total,
            "workers_youth": got.workers_youth,
            "revenue": got.revenue,
        }
    )
    return seen_by_stats, seen_by_rules


def test_stats_and_rules_read_the_same_figures_despite_a_later_draft(world):
    b1 = world.orgs["b1"]
    report(b1, 2024, "accepted", workers_total=20, workers_youth=9, revenue=3_000_000_000)
    report(b1, 2025, "draft", workers_total=99, workers_youth=0, revenue=1)
    seen_by_stats, seen_by_rules = both(world, b1, 2024)
    expected = {"reports": 1, "workers_total": 20, "workers_youth": 9, "revenue": 3_000_000_000}
    assert seen_by_stats == seen_by_rules == expected
    # the draft year: nothing for either, and the statistics do not offer it
    seen_by_stats, seen_by_rules = both(world, b1, 2025)
    assert seen_by_stats["reports"] == 0 and seen_by_stats["workers_total"] == 0
    assert seen_by_rules is None
    assert board(world, None).years == [2024]
    # the selector itself
    assert selectors_reports.organisation_figures(b1, 2024).workers_total == 20
    assert selectors_reports.organisation_figures(b1.pk, 2025) is None
    # the rules fall back on 2024, as the statistics of 2024 say
    facts = facts_for(b1, KINDS)
    youth = rules.youth_share(facts, {"threshold": 40}, dt.date(2025, 6, 1))
    assert (youth.data["year"], youth.data["youth"], youth.data["total"]) == (2024, 9, 20)
    finance = rules.finance(facts, {"field": "revenue", "years": 1}, dt.date(2026, 3, 1))
    assert finance.verdict == rules.NO_DATA and finance.data["years"] == [2025]


def test_once_submitted_both_read_the_new_year(world):
    b1 = world.orgs["b1"]
    report(b1, 2024, "accepted", workers_total=20, workers_youth=9, revenue=3_000_000_000)
    later = report(b1, 2025, "draft", workers_total=12, workers_youth=6, revenue=5)
    later.status = ReportStatus.SUBMITTED
    later.save()
    seen_by_stats, seen_by_rules = both(world, b1, 2025)
    assert (
        seen_by_stats
        == seen_by_rules
        == {
            "reports": 1,
            "workers_total": 12,
            "workers_youth": 6,
            "revenue": 5,
        }
    )
    assert board(world, None).years == [2025, 2024]


def test_a_returned_report_counts_for_neither(world):
    b1 = world.orgs["b1"]
    report(b1, 2024, "returned", workers_total=20, workers_youth=9, revenue=7)
    seen_by_stats, seen_by_rules = both(world, b1, 2024)
    assert seen_by_stats["reports"] == 0 and seen_by_rules is None


def test_one_definition_of_counted_serves_both(world, monkeypatch):
    """Narrow the selector's statuses: the statistics and the rules follow together."""
    b1 = world.orgs["b1"]
    report(b1, 2024, "submitted", workers_total=20, workers_youth=9, revenue=3)
    assert both(world, b1, 2024)[1] is not None
    monkeypatch.setattr(selectors_reports, "COUNTED", (ReportStatus.ACCEPTED,))
    seen_by_stats, seen_by_rules = both(world, b1, 2024)
    assert seen_by_stats["reports"] == 0 and seen_by_rules is None
