import datetime as dt

import pytest

from htxso.indicators import periods


@pytest.mark.parametrize(
    "code,start,end",
    [
        ("2025S1", dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
        ("2025s2", dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        (" 2030 ", dt.date(2030, 1, 1), dt.date(2030, 12, 31)),
    ],
)
def test_parse(code, start, end):
    p = periods.parse(code)
    assert (p.start, p.end) == (start, end)
    assert p.dhis2 == p.code == code.strip().upper()


@pytest.mark.parametrize(
    "code",
    ["", "2025S3", "2025Q1", "25", "20251", "1999", "2101", "abc", None, "2025-S1", "9" * 30],
)
def test_parse_refuses(code):
    with pytest.raises(ValueError) as exc:
        periods.parse(code)
    assert str(exc.value)


def test_current_and_lists():
    assert periods.current(dt.date(2026, 6, 30)).code == "2026S1"
    assert periods.current(dt.date(2026, 7, 1)).code == "2026S2"
    assert periods.current(dt.date(2026, 7, 1), half=False).code == "2026"
    assert [p.code for p in periods.half_years(2025, 2026)] == [
        "2025S1",
        "2025S2",
        "2026S1",
        "2026S2",
    ]
    assert [p.code for p in periods.years(2029, 2030)] == ["2029", "2030"]
