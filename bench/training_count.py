"""Training: unique people across 1,000,000 enrolments and 200,000 people vs raw COUNT(DISTINCT).

Inside a transaction rolled back at the end, 200 courses, 200,000 people (2,000 with
``--quick``) and 5 enrolments per person (1,000,000; 10,000 with ``--quick``) are added —
with PostgreSQL's ``COPY`` (``executemany`` on SQLite) — then the tables are analysed.
Every enrolment is "trained" unless withdrawn (2 %); 40 % are completed.

Measured, interleaved, ``REPEAT`` times each: ``training.selectors_counts.unique_people``
as the VCA (one query: the ORM, the actor's reach, the filters) against the same
``COUNT(DISTINCT person_id)`` written by hand with a cursor, for four figures: everyone
trained, everyone who completed, one kind of course (a join to the courses), one
province's courses.  Both must give the same number.

Limit: for every figure, median time ≤ ``MAX_RATIO`` × the raw SQL's median.  Reported
beside it (no limit): the whole breakdown (sex, age band, ethnicity with suppression,
province) in its two queries.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from typing import Any

from .harness import Context, Result, format_table

NAME = "training_count"
PEOPLE, QUICK_PEOPLE = 200_000, 2_000
PER_PERSON = 5
COURSES = 200
REPEAT, QUICK_REPEAT = 7, 5
MAX_RATIO = 2.0
PROVINCES = ["01", "04", "19", "40", "66"]
KINDS = ["digital_skills", "tot", "value_chain", "store_opening", "workshop"]
ETHNICITIES = ["01"] * 14 + ["02", "03", "04", "05", "06", "07"]


class _Rollback(Exception):
    pass


def _setup(people: int, rng: random.Random) -> None:
    from django.db import connection
    from django.utils import timezone

    from htxso.registry.models import Person
    from htxso.training.models import Course, Enrolment

    from .registry_support import insert_rows, next_id, reset_sequences

    now = timezone.now()
    c0 = next_id(Course)
    courses = [
        (
            c0 + i,
            f"bench-dem-{c0 + i}",
            f"Khóa đo {i}",
            "",
            KINDS[i % len(KINDS)],
            "youth",
            "Dự án EU" if i % 3 == 0 else "",
            None if i % 10 == 0 else PROVINCES[i % len(PROVINCES)],
            "finished",
            dt.date(2026, 1, 1) + dt.timedelta(days=i),
            80,
            False,
            now,
            now,
        )
        for i in range(COURSES)
    ]
    insert_rows(
        Course,
        [
            "id",
            "code",
            "title",
            "description",
            "kind",
            "audience",
            "funded_by",
            "province",
            "status",
            "starts_on",
            "min_attendance_percent",
            "requires_store",
            "created_at",
            "updated_at",
        ],
        courses,
    )
    p0 = next_id(Person)
    person_rows = []
    for i in range(people):
        year = 1960 + rng.randrange(50)
        name = f"Người Đo {i}"
        person_rows.append(
            (
                p0 + i,
                name,
                "female" if i % 2 else "male",
                year,
                rng.choice(ETHNICITIES),
                f"+849{12000000 + i:08d}",
                f"nguoi do {i}",
                now,
                now,
            )
        )
    insert_rows(
        Person,
        [
            "id",
            "full_name",
            "sex",
            "birth_year",
            "ethnicity",
            "phone",
            "search_text",
            "created_at",
            "updated_at",
        ],
        person_rows,
    )
    del person_rows
    course_ids = [c[0] for c in courses]
    e0 = next_id(Enrolment)
    rows = []
    n = 0
    for i in range(people):
        for course_id in rng.sample(course_ids, PER_PERSON):
            r = rng.random()
            status = "withdrawn" if r < 0.02 else "completed" if r < 0.42 else "enrolled"
            rows.append(
                (
                    e0 + n,
                    course_id,
                    p0 + i,
                    False,
                    "import",
                    status,
                    15 + rng.randrange(50),
                    "",
                    "",
                    now,
                )
            )
            n += 1
    insert_rows(
        Enrolment,
        [
            "id",
            "course",
            "person",
            "remote",
            "source",
            "status",
            "age_at_start",
            "result_note",
            "online_token_hash",
            "enrolled_at",
        ],
        rows,
    )
    reset_sequences([Course, Person, Enrolment])
    with connection.cursor() as cursor:
        for model in (Course, Person, Enrolment):
            cursor.execute(f"ANALYZE {model._meta.db_table}")


RAW = {
    "everyone trained": (
        "SELECT COUNT(DISTINCT person_id) FROM training_enrolment WHERE NOT (status = %s)",
        ["withdrawn"],
    ),
    "completed": (
        "SELECT COUNT(DISTINCT person_id) FROM training_enrolment"
        " WHERE NOT (status = %s) AND status = %s",
        ["withdrawn", "completed"],
    ),
    "kind = digital skills": (
        "SELECT COUNT(DISTINCT e.person_id) FROM training_enrolment e"
        " JOIN training_course c ON c.id = e.course_id"
        " WHERE NOT (e.status = %s) AND c.kind = %s",
        ["withdrawn", "digital_skills"],
    ),
    "province 04": (
        "SELECT COUNT(DISTINCT e.person_id) FROM training_enrolment e"
        " JOIN training_course c ON c.id = e.course_id"
        " WHERE NOT (e.status = %s) AND c.province_id = %s",
        ["withdrawn", "04"],
    ),
}
OURS: dict[str, dict[str, Any]] = {
    "everyone trained": {},
    "completed": {"completed": True},
    "kind = digital skills": {"kind": "digital_skills"},
    "province 04": {"province": "04"},
}


def run(ctx: Context) -> Result:
    from django.db import connection, transaction

    from htxso.accounts.models import User
    from htxso.training.selectors_counts import unique_people, unique_people_breakdown

    people = QUICK_PEOPLE if ctx.quick else PEOPLE
    repeat = QUICK_REPEAT if ctx.quick else REPEAT
    data: dict[str, Any] = {"people": people, "enrolments": people * PER_PERSON}
    passed = False
    try:
        with transaction.atomic():
            started = time.perf_counter()
            _setup(people, random.Random(16))
            data["setup_seconds"] = round(time.perf_counter() - started, 1)
            ctx.print(f"set-up: {data['setup_seconds']} s ({connection.vendor})")
            actor = User.objects.get(username="vca.admin")
            unique_people(actor=actor)  # the actor's scope, cached like a request's
            rows, figures, same = [], {}, True
            with connection.cursor() as cursor:
                for label, (sql, params) in RAW.items():
                    ours_t, raw_t = [], []
                    for _i in range(repeat):
                        t0 = time.perf_counter()
                        ours = unique_people(actor=actor, **OURS[label])
                        ours_t.append(time.perf_counter() - t0)
                        t0 = time.perf_counter()
                        cursor.execute(sql, params)
                        raw = cursor.fetchone()[0]
                        raw_t.append(time.perf_counter() - t0)
                        same = same and ours == raw
                    med, raw_med = statistics.median(ours_t), statistics.median(raw_t)
                    ratio = med / raw_med if raw_med else float("inf")
                    figures[label] = {
                        "people": raw,
                        "ms": round(med * 1000, 2),
                        "raw_ms": round(raw_med * 1000, 2),
                        "ratio": round(ratio, 2),
                    }
                    rows.append([label, raw, figures[label]["ms"], figures[label]["raw_ms"],
                                 figures[label]["ratio"]])  # fmt: skip
            t0 = time.perf_counter()
            board = unique_people_breakdown(actor=actor)
            data["breakdown_ms"] = round((time.perf_counter() - t0) * 1000, 1)
            same = same and board.trained == figures["everyone trained"]["people"]
            ctx.print(
                format_table(["figure", "people", "ours ms", "raw ms", "ratio"], rows)
                + f"\nwhole breakdown (2 queries): {data['breakdown_ms']} ms"
            )
            worst = max(f["ratio"] for f in figures.values())
            data.update(
                figures=figures,
                same_numbers=same,
                worst_ratio=worst,
                ratio=worst,
                max_ratio=MAX_RATIO,
            )
            passed = same and worst <= MAX_RATIO
            raise _Rollback
    except _Rollback:
        pass
    return Result(NAME, passed, data)
