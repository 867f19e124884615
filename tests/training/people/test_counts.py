"""Counting unique people, breakdowns, small-cell suppression, the figures page."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from htxso.training.selectors_counts import (
    HIDDEN_LABEL,
    SMALL_LABEL,
    protect,
    unique_people,
    unique_people_breakdown,
)

from .helpers import ACTOR, course, enrol, person

pytestmark = pytest.mark.django_db


def _people(n, c, *, ethnicity="01", sex="female", age=20, status="enrolled", tag=""):
    out = []
    for i in range(n):
        p = person(f"Người {tag}{ethnicity}{sex}{i}", ethnicity=ethnicity, sex=sex)
        enrol(c, p, age=age, status=status)
        out.append(p)
    return out


def test_people_not_enrolments_and_filters(world):
    c1 = course("04", kind="digital_skills", funded_by="Dự án EU thanh niên")
    c2 = course("04", kind="store_opening")
    c3 = course(None, kind="tot", audience="trainers")
    both = _people(3, c1, status="completed")
    for p in both:
        enrol(c2, p, age=21)
    _people(2, c2, tag="x")
    gone = person("Rút Lui")
    enrol(c3, gone, status="withdrawn")
    assert unique_people(actor=ACTOR) == 5
    assert unique_people(actor=ACTOR, completed=True) == 3
    assert unique_people(actor=ACTOR, kind="store_opening") == 5
    assert unique_people(actor=ACTOR, funded_by="eu thanh") == 3
    assert unique_people(actor=ACTOR, province="national") == 0
    with pytest.raises(TypeError):
        unique_people(actor=ACTOR, colour="red")


def test_reach_of_the_actor(world):
    _people(2, course("04"), tag="a")
    _people(3, course("66"), tag="b")
    assert unique_people(actor=world.users["viewer_a"]) == 2
    assert unique_people(actor=world.users["officer_b"]) == 3
    assert unique_people(actor=world.users["vca"]) == 5
    assert unique_people(actor=world.users["manager_a1"]) == 0


def test_breakdown_bands_sex_and_youth(world):
    c = course("04")
    _people(6, c, sex="female", age=19, tag="y")
    _people(5, c, sex="male", age=40, status="completed", tag="o")
    p = person("Hai Khóa", sex="male")
    enrol(c, p, age=34)
    enrol(course("04"), p, age=36)  # youngest age counts: trained young
    b = unique_people_breakdown(actor=ACTOR)
    assert (b.trained, b.completed) == (12, 5)
    assert (b.youth_trained, b.youth_completed) == (7, 0)
    ages = {r.key: r.trained for r in b.age}
    assert ages["15_24"] == 6 and ages["25_34"] == 1 and ages["35_54"] == 5
    assert sum(r.trained for r in b.age) == b.trained
    assert {r.key: r.trained for r in b.sex} == {"female": 6, "male": 6}


def test_small_ethnicity_cells_are_suppressed_and_cannot_be_computed_back(world):
    c = course("04")
    _people(12, c, ethnicity="01", status="completed")  # Kinh
    _people(6, c, ethnicity="06")
    _people(2, c, ethnicity="02")  # Tày: 2 -> "<5"
    b = unique_people_breakdown(actor=ACTOR)
    eth = {r.key: r.trained_shown for r in b.ethnicity}
    assert eth["02"] == SMALL_LABEL
    # one suppressed cell could be computed from the total: the smallest other one hides
    assert eth["06"] == HIDDEN_LABEL
    assert eth["01"] == 12
    assert b.trained == 20
    # "completed" of a suppressed group is hidden too
    assert {r.key: r.completed_shown for r in b.ethnicity}["02"] == HIDDEN_LABEL


def test_ethnicity_is_withheld_when_nothing_can_protect_it(world):
    c = course("04")
    _people(3, c, ethnicity="02")
    b = unique_people_breakdown(actor=ACTOR)
    assert b.ethnicity is None


@pytest.mark.parametrize(
    "values,total,expected",
    [
        ([10, 8, 7], 25, [10, 8, 7]),
        ([10, 3], 13, [HIDDEN_LABEL, SMALL_LABEL]),  # 9+4, 10+3, 11+2, 12+1 all possible
        ([10, 6, 3], 19, [10, HIDDEN_LABEL, SMALL_LABEL]),
        ([10, 6, 1, 1], 18, [10, HIDDEN_LABEL, SMALL_LABEL, SMALL_LABEL]),  # 1+1 = 2 shows
        ([10, 9, 2, 3], 24, [10, 9, SMALL_LABEL, SMALL_LABEL]),
        ([4], 4, None),
        ([], 0, []),
    ],
)
def test_protect(values, total, expected):
    assert protect(values, total) == expected


def test_protected_cells_always_leave_several_values_possible():
    import itertools

    for values in itertools.product([1, 2, 4, 5, 7], repeat=3):
        shown = protect(list(values), sum(values))
        if shown is None:
            continue
        # every assignment consistent with what is shown; no hidden cell has one value
        hidden = [i for i, v in enumerate(shown) if not isinstance(v, int)]
        for i in hidden:
            possible = set()
            for guess in itertools.product(range(0, sum(values) + 1), repeat=len(hidden)):
                cells = dict(zip(hidden, guess, strict=True))
                ok = all(
                    (1 <= cells[j] <= 4) if shown[j] == SMALL_LABEL else cells[j] >= 5
                    for j in hidden
                )
                known = sum(v for v in shown if isinstance(v, int))
                if ok and known + sum(guess) == sum(values):
                    possible.add(cells[i])
            assert len(possible) > 1, (values, shown)


def test_query_count_does_not_grow_with_rows(world):
    c = course("04")
    _people(3, c, tag="s")
    unique_people_breakdown(actor=world.users["officer_a"])  # the user's scope is cached
    with CaptureQueriesContext(connection) as few:
        unique_people_breakdown(actor=world.users["officer_a"])
    _people(40, c, tag="m", ethnicity="02")
    _people(10, course("66"), tag="n")
    with CaptureQueriesContext(connection) as many:
        unique_people_breakdown(actor=world.users["officer_a"])
    assert len(few) == len(many) <= 5


def test_figures_page_and_xlsx(client, world):
    c = course("04")
    _people(7, c, status="completed")
    _people(4, course("66"), tag="b")
    client.force_login(world.users["viewer_a"])  # department viewer: aggregates
    page = client.get(reverse("training:figures"))
    assert page.status_code == 200
    assert page.context["board"].trained == 7
    filtered = client.get(reverse("training:figures"), {"kind": "tot", "date_from": "01/01/2026"})
    assert filtered.context["board"].trained == 0
    junk = client.get(reverse("training:figures"), {"province": "66", "date_from": "32/13/2026"})
    assert junk.status_code == 200 and junk.context["board"].trained == 7  # ignored
    xlsx = client.get(reverse("training:figures_xlsx"))
    assert xlsx.status_code == 200
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws["B1"].value == 7 and ws["B2"].value == 7
    client.force_login(world.users["manager_a1"])
    assert client.get(reverse("training:figures")).status_code == 403
