"""Progress toward a target for its own date, from the trend."""

import datetime as dt
from decimal import Decimal as D

from htxso.indicators import periods
from htxso.indicators.status import Point, judge

TODAY = dt.date(2025, 12, 31)
Y2030 = periods.parse("2030")


def run(
    latest,
    baseline=(dt.date(2024, 12, 31), 0),
    target=100,
    comparison=">=",
    period=Y2030,
    today=TODAY,
):
    return judge(
        target_value=None if target is None else D(target),
        target_period=period,
        comparison=comparison,
        latest=None if latest is None else Point(latest[0], D(latest[1])),
        baseline=None if baseline is None else Point(baseline[0], D(baseline[1])),
        today=today,
    )


def test_a_2030_target_is_never_not_met_in_2025():
    # 2025: 10 of 100 (one year of six): projected 10 × 6 = 60 → off track, not "not met"
    progress = run((dt.date(2025, 12, 31), 10))
    assert progress.status == "off_track"
    expected = D(10) + D(10) / 365 * (Y2030.end - dt.date(2025, 12, 31)).days
    assert progress.projected == expected.quantize(D("0.01"))


def test_projection_reaching_the_target_is_on_track():
    # 20 a year from 0 at the end of 2024: 20 × 6 = 120 by 2030 → on track
    progress = run((dt.date(2025, 12, 31), 20))
    assert progress.status == "on_track"
    assert progress.projected > 100


def test_projection_near_the_target_is_at_risk():
    # 15 a year: ≈ 90 by 2030 → 90 % of the way → at risk
    progress = run((dt.date(2025, 12, 31), 15))
    assert progress.status == "at_risk"
    assert D(80) <= progress.projected < D(100)


def test_met_before_the_date():
    assert run((dt.date(2025, 12, 31), 100)).status == "met"
    assert run((dt.date(2025, 12, 31), 100), comparison=">").status != "met"


def test_not_met_only_after_the_date():
    y2025 = periods.parse("2025")
    assert (
        run((dt.date(2025, 12, 31), 50), period=y2025, today=dt.date(2026, 1, 15)).status
        == "not_met"
    )
    # the same value judged on the target's last day is still a projection
    assert (
        run((dt.date(2025, 12, 31), 50), period=y2025, today=dt.date(2025, 12, 31)).status
        != "not_met"
    )


def test_decreasing_targets():
    # a share that must fall to 10 % or less: from 50 to 40 in a year → 0 by 2030
    progress = run(
        (dt.date(2025, 12, 31), 40),
        baseline=(dt.date(2024, 12, 31), 50),
        target=10,
        comparison="<=",
    )
    assert progress.status == "on_track"
    # rising instead: off track
    progress = run(
        (dt.date(2025, 12, 31), 60),
        baseline=(dt.date(2024, 12, 31), 50),
        target=10,
        comparison="<=",
    )
    assert progress.status == "off_track"


def test_no_data_and_no_trend():
    assert run(None).status == "no_data"
    assert run((dt.date(2025, 12, 31), 10), baseline=None).status == "no_data"
    assert run((dt.date(2025, 12, 31), 10), baseline=(dt.date(2025, 12, 31), 0)).status == "no_data"
    assert run((dt.date(2025, 12, 31), 10), target=None).status == "no_target"


def test_wrong_way_trend_is_off_track():
    progress = run((dt.date(2025, 12, 31), 40), baseline=(dt.date(2024, 12, 31), 50))
    assert progress.status == "off_track"
