"""Training formulas: unique people, youth at the course's start, suppression; and
agreement with the training figures."""

import datetime as dt

import pytest

from htxso.indicators import formulas, periods
from htxso.indicators.formulas.base import SYSTEM
from htxso.training.selectors_counts import unique_people_breakdown

from .helpers import course, enrol, person

pytestmark = pytest.mark.django_db


def run(key, period, province=None, params=None, by=()):
    return formulas.get(key).compute(
        period=periods.parse(period), province=province, params=params or {}, by=by
    )


@pytest.fixture
def people():
    c1 = course("04", funded_by="Dự án EU", starts_on=dt.date(2025, 3, 2))
    c2 = course("04", starts_on=dt.date(2025, 9, 1))
    c3 = course("66", starts_on=dt.date(2026, 2, 1))
    tot = course(
        None, kind="tot", audience="trainers", funded_by="EU", starts_on=dt.date(2025, 4, 1)
    )
    pol = course(None, kind="workshop", audience="policymakers", starts_on=dt.date(2025, 5, 1))
    p = {k: person(f"Người {k}", sex=s, ethnicity=e) for k, s, e in [
        ("1", "female", "01"), ("2", "male", "01"), ("3", "female", "02"), ("4", "female", "01"),
        ("5", "female", "07"), ("6", "male", "01"), ("7", "male", "01"), ("8", "female", "01"),
    ]}  # fmt: skip
    enrol(c1, p["1"], age=20)
    enrol(c1, p["2"], age=30)
    enrol(c1, p["3"], age=40)  # not young
    enrol(c1, p["4"], age=22, status="enrolled")  # not completed
    enrol(c1, p["5"], age=25)
    enrol(c2, p["5"], age=26)  # the same person twice: counted once
    enrol(c3, p["6"], age=19)
    enrol(tot, p["7"], age=45)
    enrol(pol, p["8"], age=50, status="enrolled")
    return p


def test_youth_who_completed_a_digital_skills_course(people):
    key = "training.youth_digital_completed"
    assert run(key, "2025").value == 3  # 1, 2, 5
    assert run(key, "2025S1").value == 3  # 5 through her first course
    assert run(key, "2026S1").value == 4  # + 6 in Đắk Lắk
    assert run(key, "2026S1", "04").value == 3
    assert run(key, "2026S1", "66").value == 1
    since = run(key, "2026S1", params={"since": "2025-06-01"})
    assert since.value == 2  # courses started from June 2025: 5 (c2) and 6 (c3)


def test_agrees_with_the_training_figures(people):
    figures = unique_people_breakdown(
        actor=SYSTEM, kind="digital_skills", date_to=dt.date(2026, 6, 30)
    )
    assert run("training.youth_digital_completed", "2026S1").value == figures.youth_completed
    assert (
        run("training.people", "2026S1", params={"kind": "digital_skills"}).value
        == figures.completed
    )
    trained = run(
        "training.people", "2026S1", params={"kind": "digital_skills", "completed": False}
    )
    assert trained.value == figures.trained


def test_disaggregations_and_small_cells(people):
    result = run(
        "training.youth_digital_completed", "2025", by=("sex", "age_band", "ethnicity", "province")
    )
    values = {k: v.value for k, v in result.cells.items()}
    assert values["sex=female"] == 2 and values["sex=male"] == 1
    assert values["age_band=15_24"] == 1 and values["age_band=25_34"] == 2
    assert values["province=04"] == 3
    # three people: every ethnicity cell is under 5 and suppressed
    eth = {k: v for k, v in result.cells.items() if k.startswith("ethnicity=")}
    assert eth and all(v.value is None and v.note == "suppressed" for v in eth.values())


def test_presets_and_no_data(people):
    assert run("training.trainers_trained", "2025", params={"funded_by": "EU"}).value == 1
    assert run("training.policymakers", "2025").value == 1  # attended, not completed
    assert run("training.youth_dx_plans", "2025").value is None  # no such course: no data
    no_courses = run("training.youth_digital_completed", "2025", "40")
    assert no_courses.value is None and no_courses.note == "no_data"
    assert run("training.youth_digital_completed", "2024S2").value is None  # before any course
