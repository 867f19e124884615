"""Every write of the courses part: plan a course (fields, modules, sessions, trainers,
status), and enrol people (the participant, their cooperative's manager, a list
imported by staff), withdraw.

Each service checks the models' policies (``models/courses.py``), refuses bad input with
a ``ServiceError`` (stable code, translated message), writes in one transaction with one
audit row.  Enrolments lock the course row first (``select_for_update``), so two
enrolments at once cannot pass the capacity together.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from htxso.core import audit
from htxso.core.actors import Actor, SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errorlist import Errors, text
from htxso.core.errors import ServiceError, conflict, refused
from htxso.core.scoping import get_scope
from htxso.geo.models import Province, Ward
from htxso.registry.models import Membership, Organisation, Person

from .models import (
    Audience,
    Course,
    CourseKind,
    CourseSession,
    CourseStatus,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    Module,
    SessionMode,
)
from .people import find_or_create_person

ACTION_LABELS.update(
    {
        "training.course.create": _("Course created"),
        "training.course.update": _("Course changed"),
        "training.course.status": _("Course status changed"),
        "training.course.trainers": _("Course trainers changed"),
        "training.module.add": _("Course module added"),
        "training.module.remove": _("Course module removed"),
        "training.session.add": _("Course session added"),
        "training.session.remove": _("Course session removed"),
        "training.enrolment.create": _("Participant enrolled"),
        "training.enrolment.import": _("Participants imported"),
        "training.enrolment.withdraw": _("Participant withdrawn"),
    }
)

#: Characters refused in titles and names (markup and template characters).
_MARKUP = set("<>{}\\")
#: Statuses in which the plan may still change.
EDITABLE = (CourseStatus.DRAFT, CourseStatus.OPEN, CourseStatus.RUNNING)
#: Allowed moves of a course's status.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    CourseStatus.DRAFT: (CourseStatus.OPEN, CourseStatus.CANCELLED),
    CourseStatus.OPEN: (CourseStatus.RUNNING, CourseStatus.CANCELLED),
    CourseStatus.RUNNING: (CourseStatus.FINISHED, CourseStatus.CANCELLED),
    CourseStatus.FINISHED: (),
    CourseStatus.CANCELLED: (),
}
#: Enrolments that take a place (a withdrawn person frees theirs).
ACTIVE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)
MAX_HOURS = Decimal("999.9")
MAX_CAPACITY = 100_000


# ------------------------------------------------------------------ helpers


def _plain(errors: Errors, field: str, value: Any, *, max_length: int, required=True) -> str:
    result = text(errors, field, value, max_length=max_length, required=required)
    if result and (_MARKUP & set(result)):
        errors.add(field, _("Write it without symbols like < > { }."), "text_markup")
        return ""
    return result


def _choice(errors: Errors, field: str, value: Any, choices: Iterable[str]) -> str:
    value = str(value or "")
    if value not in set(choices):
        errors.add(field, _("Choose one of the options."), "invalid_choice")
        return ""
    return value


def _capacity(errors: Errors, field: str, value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 1 <= number <= MAX_CAPACITY:
        errors.add(
            field,
            _("Give a number of places from 1 to %(max)s, or leave it empty."),
            "capacity_range",
            {"max": MAX_CAPACITY},
        )
        return None
    return number


def _percent(errors: Errors, field: str, value: Any, *, required: bool) -> int | None:
    if value in (None, ""):
        if required:
            errors.add(field, _("This field is required."), "required")
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= 100:
        errors.add(field, _("Give a number from 0 to 100."), "percent_range")
        return None
    return number


def _require_editable(course: Course) -> None:
    if course.status not in EDITABLE:
        raise conflict(
            _("This course is %(status)s: its plan cannot change any more."),
            "course_closed",
            {"status": course.get_status_display()},
        )


def _audit(instance: Any, *, actor: Actor, action: str, **after: Any) -> None:
    audit.record(actor=actor, action=action, instance=instance, after=after or None)


def _new_code(title: str) -> str:
    base = slugify(title)[:28].strip("-") or "khoa-hoc"
    return f"{base}-{secrets.token_hex(4)}"


# ------------------------------------------------------------------ courses


@dataclass
class CourseFields:
    """What the course form gives (already parsed by the form)."""

    title: str
    description: str = ""
    kind: str = CourseKind.DIGITAL_SKILLS
    audience: str = Audience.GENERAL
    funded_by: str = ""
    province: str | None = None
    capacity: int | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    min_attendance_percent: int | None = 80
    pass_score: int | None = None
    requires_store: bool = False


def _clean_course(f: CourseFields) -> dict[str, Any]:
    errors = Errors()
    data: dict[str, Any] = {
        "title": _plain(errors, "title", f.title, max_length=200),
        "description": text(errors, "description", f.description, max_length=5000, multiline=True),
        "kind": _choice(errors, "kind", f.kind, CourseKind.values),
        "audience": _choice(errors, "audience", f.audience, Audience.values),
        "funded_by": _plain(errors, "funded_by", f.funded_by, max_length=200, required=False),
        "capacity": _capacity(errors, "capacity", f.capacity),
        "starts_on": f.starts_on,
        "ends_on": f.ends_on,
        "min_attendance_percent": _percent(
            errors, "min_attendance_percent", f.min_attendance_percent, required=True
        ),
        "pass_score": _percent(errors, "pass_score", f.pass_score, required=False),
        "requires_store": bool(f.requires_store),
    }
    if f.starts_on and f.ends_on and f.ends_on < f.starts_on:
        errors.add("ends_on", _("The course cannot end before it starts."), "dates_order")
    province = None
    if f.province:
        province = Province.objects.filter(pk=str(f.province)[:2]).first()
        if province is None:
            errors.add("province", _("Choose a province from the list."), "invalid_choice")
    data["province"] = province
    errors.raise_if_any()
    return data


def course_create(*, actor: Actor, fields: CourseFields) -> Course:
    """A new draft course; a provincial officer plans only for their province, a
    national course (no province) is the VCA's."""
    Course.policy.require_at(
        actor,
        "change",
        province=fields.province or None,
        message=_("You may plan courses only for your own province."),
    )
    data = _clean_course(fields)
    with transaction.atomic():
        course = Course.objects.create(
            code=_new_code(data["title"]),
            created_by=None if isinstance(actor, SystemActor) else actor,
            **data,
        )
        _audit(course, actor=actor, action="training.course.create", **audit.snapshot(course))
    return course


def course_update(*, actor: Actor, course: Course, fields: CourseFields) -> Course:
    Course.policy.require(actor, "change", course)
    if (fields.province or None) != course.province_id:
        Course.policy.require_at(
            actor,
            "change",
            province=fields.province or None,
            message=_("You may plan courses only for your own province."),
        )
    data = _clean_course(fields)
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        _require_editable(course)
        if data["capacity"] is not None:
            taken = course.enrolments.filter(status__in=ACTIVE).count()
            if data["capacity"] < taken:
                raise ServiceError(
                    "capacity_below_enrolled",
                    _("%(taken)s people are already enrolled: the capacity cannot be lower."),
                    {"taken": taken},
                    fields={
                        "capacity": [_("%(taken)s people are already enrolled.") % {"taken": taken}]
                    },
                )
        before = audit.snapshot(course)
        for name, value in data.items():
            setattr(course, name, value)
        course.save()
        audit.record(
            actor=actor,
            action="training.course.update",
            instance=course,
            before=before,
            after=audit.snapshot(course),
        )
    return course


def course_set_status(*, actor: Actor, course: Course, status: str) -> Course:
    """Move the course along draft → open → running → finished (or cancelled)."""
    Course.policy.require(actor, "change", course)
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        if status not in TRANSITIONS.get(course.status, ()):
            raise conflict(
                _("A course that is %(status)s cannot be moved to this status."),
                "bad_transition",
                {"status": course.get_status_display()},
            )
        if status == CourseStatus.OPEN:
            if not course.sessions.exists():
                raise conflict(
                    _("Add at least one session before opening the course for enrolment."),
                    "no_session",
                )
            if not course.modules.exists():
                raise conflict(
                    _("Add at least one module (the curriculum) before opening the course."),
                    "no_module",
                )
        if status == CourseStatus.FINISHED:
            last = course.sessions.order_by("-ends_at").values_list("ends_at", flat=True).first()
            if last is not None and last > timezone.now():
                raise conflict(
                    _("The last session has not ended yet: the course cannot be finished."),
                    "sessions_ahead",
                )
        before = course.status
        course.status = status
        if status == CourseStatus.OPEN and course.starts_on is None:
            first = course.sessions.order_by("starts_at").values_list("starts_at", flat=True)[0]
            course.starts_on = timezone.localdate(first)
        course.save(update_fields=["status", "starts_on", "updated_at"])
        audit.record(
            actor=actor,
            action="training.course.status",
            instance=course,
            before={"status": before},
            after={"status": status},
        )
    return course


def course_set_trainers(*, actor: Actor, course: Course, trainers: Sequence[Any]) -> Course:
    """The course's trainers: only users who hold the trainer role."""
    from htxso.accounts.models import RoleAssignment
    from htxso.core.roles import Role

    Course.policy.require(actor, "change", course)
    ids = {u.pk for u in trainers}
    holders = set(
        RoleAssignment.objects.filter(user_id__in=ids, role=Role.TRAINER).values_list(
            "user_id", flat=True
        )
    )
    if ids - holders:
        raise ServiceError(
            "not_a_trainer",
            _("Only people who hold the trainer role can teach a course."),
            fields={"trainers": [_("Only people who hold the trainer role can teach a course.")]},
        )
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        _require_editable(course)
        before = sorted(course.trainers.values_list("pk", flat=True))
        course.trainers.set(sorted(ids))
        audit.record(
            actor=actor,
            action="training.course.trainers",
            instance=course,
            before={"trainers": before},
            after={"trainers": sorted(ids)},
        )
    return course


# ------------------------------------------------------------------ modules


def module_add(*, actor: Actor, course: Course, title: str, hours: Any) -> Module:
    Course.policy.require(actor, "change", course)
    errors = Errors()
    title = _plain(errors, "title", title, max_length=200)
    try:
        value = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (ArithmeticError, ValueError, TypeError):
        value = Decimal(-1)
    if not Decimal("0.5") <= value <= MAX_HOURS:
        errors.add("hours", _("Give the hours, from 0.5 to 999.9."), "hours_range")
    errors.raise_if_any()
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        _require_editable(course)
        order = (course.modules.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        module = Module.objects.create(course=course, order=order, title=title, hours=value)
        audit.record(
            actor=actor,
            action="training.module.add",
            instance=course,
            after={"module": module.pk, "title": title, "hours": str(value)},
        )
    return module


def module_remove(*, actor: Actor, module: Module) -> None:
    course = module.course
    Course.policy.require(actor, "change", course)
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        _require_editable(course)
        if course.status != CourseStatus.DRAFT and course.modules.count() <= 1:
            raise conflict(_("An open course keeps at least one module."), "last_module")
        audit.record(
            actor=actor,
            action="training.module.remove",
            instance=course,
            before={"module": module.pk, "title": module.title, "hours": str(module.hours)},
        )
        module.delete()


# ------------------------------------------------------------------ sessions


@dataclass
class SessionFields:
    title: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    mode: str = SessionMode.IN_PERSON
    ward: str = ""
    place: str = ""
    online_link: str = ""
    capacity: int | None = None


def session_add(*, actor: Actor, course: Course, fields: SessionFields) -> CourseSession:
    """A meeting of the course: in the hall (ward and place), online (link), or both."""
    Course.policy.require(actor, "change", course)
    errors = Errors()
    title = _plain(errors, "title", fields.title, max_length=200)
    mode = _choice(errors, "mode", fields.mode, SessionMode.values)
    place = _plain(errors, "place", fields.place, max_length=200, required=False)
    link = (fields.online_link or "").strip()
    capacity = _capacity(errors, "capacity", fields.capacity)
    if fields.starts_at is None:
        errors.add("starts_at", _("Give the day and the time it starts."), "required")
    if fields.ends_at is None:
        errors.add("ends_at", _("Give the time it ends."), "required")
    if fields.starts_at and fields.ends_at and fields.ends_at <= fields.starts_at:
        errors.add("ends_at", _("The session must end after it starts."), "times_order")
    ward = None
    if fields.ward:
        ward = Ward.objects.filter(pk=str(fields.ward)[:5]).first()
        if ward is None:
            errors.add("ward", _("Choose a ward from the list."), "invalid_choice")
        elif course.province_id and ward.province_id != course.province_id:
            errors.add("ward", _("The ward must be in the course's province."), "ward_province")
    if mode in (SessionMode.IN_PERSON, SessionMode.HYBRID) and not (ward or place):
        errors.add("place", _("Say where the hall is (ward and place)."), "place_required")
    if mode in (SessionMode.ONLINE, SessionMode.HYBRID):
        if not link:
            errors.add("online_link", _("Give the link of the online meeting."), "link_required")
        elif not link.startswith("https://") or len(link) > 200 or _MARKUP & set(link):
            errors.add(
                "online_link",
                _("Give a web address that starts with https://."),
                "link_invalid",
            )
    errors.raise_if_any()
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        _require_editable(course)
        session = CourseSession.objects.create(
            course=course,
            title=title,
            starts_at=fields.starts_at,
            ends_at=fields.ends_at,
            mode=mode,
            ward=ward,
            place=place,
            online_link=link if mode != SessionMode.IN_PERSON else "",
            capacity=capacity,
        )
        audit.record(
            actor=actor,
            action="training.session.add",
            instance=session,
            after={
                "course": course.pk,
                "title": title,
                "starts_at": session.starts_at.isoformat(),
                "mode": mode,
            },
        )
    return session


def session_remove(*, actor: Actor, session: CourseSession) -> None:
    course = session.course
    Course.policy.require(actor, "change", course)
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        _require_editable(course)
        if course.status != CourseStatus.DRAFT and course.sessions.count() <= 1:
            raise conflict(_("An open course keeps at least one session."), "last_session")
        if session.attendances.exists():
            raise conflict(
                _("Attendance was taken at this session: it cannot be removed."),
                "session_attended",
            )
        audit.record(
            actor=actor,
            action="training.session.remove",
            instance=session,
            before={"course": course.pk, "title": session.title},
        )
        session.delete()


# ------------------------------------------------------------------ people


def age_at_start(person: Person, course: Course) -> int | None:
    """Whole years on the course's first day (today when it has none)."""
    on = course.starts_on or timezone.localdate()
    if person.birth_date is not None:
        years = on.year - person.birth_date.year
        if (on.month, on.day) < (person.birth_date.month, person.birth_date.day):
            years -= 1
        return max(0, years)
    birth_year = getattr(person, "birth_year", None)
    if birth_year:
        return max(0, on.year - int(birth_year))
    return None


def _user_organisation(user: Any) -> Organisation | None:
    """The one cooperative a signed-in person belongs to (none when zero or several)."""
    if isinstance(user, SystemActor):
        return None
    scope = get_scope(user)
    orgs: set[int] = set()
    for ids in scope.organisations_by_role.values():
        orgs |= set(ids)
    if len(orgs) != 1:
        return None
    return Organisation.objects.filter(pk=next(iter(orgs))).first()


# ------------------------------------------------------------------ enrolment


def _lock_for_enrolment(course: Course, *, staff: bool) -> Course:
    """The course row, locked: capacity and duplicates are checked under the lock."""
    course = Course.objects.select_for_update(of=("self",)).get(pk=course.pk)
    allowed = (
        (CourseStatus.DRAFT, CourseStatus.OPEN, CourseStatus.RUNNING)
        if staff
        else (CourseStatus.OPEN,)
    )
    if course.status not in allowed:
        raise conflict(_("This course is not open for enrolment."), "course_not_open")
    return course


def _check_capacity(course: Course, adding: int) -> None:
    if course.capacity is None:
        return
    taken = course.enrolments.filter(status__in=ACTIVE).count()
    if taken + adding > course.capacity:
        free = max(0, course.capacity - taken)
        raise conflict(
            _(
                "The course is full: %(capacity)s places, %(taken)s taken, %(free)s free; "
                "%(adding)s asked."
            ),
            "course_full",
            {"capacity": course.capacity, "taken": taken, "free": free, "adding": adding},
        )


def _refuse_if_enrolled(course: Course, people: Iterable[Person]) -> None:
    """A person already enrolled is named before any capacity problem."""
    found = (
        Enrolment.objects.filter(course=course, person__in=list(people))
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person")
        .first()
    )
    if found is not None:
        raise conflict(
            _("%(name)s is already enrolled in this course."),
            "already_enrolled",
            {"name": found.person.full_name},
        )


def _enrol(
    course: Course,
    person: Person,
    *,
    actor: Actor,
    source: str,
    user: Any = None,
    organisation: Organisation | None = None,
    remote: bool = False,
) -> Enrolment:
    """Enrol one person in the locked course (capacity already checked)."""
    existing = Enrolment.objects.filter(course=course, person=person).first()
    by = None if isinstance(actor, SystemActor) else actor
    if existing is not None and existing.status != EnrolmentStatus.WITHDRAWN:
        raise conflict(
            _("%(name)s is already enrolled in this course."),
            "already_enrolled",
            {"name": person.full_name},
        )
    organisation = organisation or getattr(person, "organisation", None)
    values = {
        "user": user or (existing and existing.user),
        "organisation": organisation,
        "source": source,
        "remote": remote,
        "status": EnrolmentStatus.ENROLLED,
        "age_at_start": age_at_start(person, course),
        "enrolled_by": by,
    }
    try:
        with transaction.atomic():
            if existing is not None:  # back after withdrawing
                for name, value in values.items():
                    setattr(existing, name, value)
                existing.save()
                enrolment = existing
            else:
                enrolment = Enrolment.objects.create(course=course, person=person, **values)
    except IntegrityError:  # the same person enrolled at the same moment
        raise conflict(
            _("%(name)s is already enrolled in this course."),
            "already_enrolled",
            {"name": person.full_name},
        ) from None
    audit.record(
        actor=actor,
        action="training.enrolment.create",
        instance=enrolment,
        after={"course": course.pk, "person": person.pk, "source": source},
    )
    return enrolment


def enrol_self(
    *,
    actor: Actor,
    course: Course,
    full_name: str = "",
    birth_year: int | None = None,
    sex: str = "",
    remote: bool = False,
) -> Enrolment:
    """A signed-in participant enrols in an open course; their person record is found
    (or made, from what they give) and linked to their account."""
    if isinstance(actor, SystemActor):
        raise refused(_("Only a signed-in person can enrol themselves."))
    errors = Errors()
    name = _plain(errors, "full_name", full_name or actor.full_name, max_length=150)
    this_year = timezone.localdate().year
    if birth_year is not None and not this_year - 100 <= int(birth_year) <= this_year - 10:
        errors.add("birth_year", _("Give a year of birth like 1998."), "birth_year_range")
    if sex and sex not in ("female", "male"):
        errors.add("sex", _("Choose one of the options."), "invalid_choice")
    person = Person.objects.filter(user=actor).first()
    if person is None:
        errors.raise_if_any()
    with transaction.atomic():
        course = _lock_for_enrolment(course, staff=False)
        if person is not None:
            _refuse_if_enrolled(course, [person])
        _check_capacity(course, 1)
        organisation = None
        if person is None:
            organisation = _user_organisation(actor)
            person = find_or_create_person(
                actor=actor,
                full_name=name,
                birth_year=birth_year,
                phone=getattr(actor, "phone", "") or "",
                citizen_id=None,
                sex=sex,
                ethnicity="",
                organisation=organisation,
                user=actor,
                province=course.province_id,
            )
        return _enrol(
            course,
            person,
            actor=actor,
            source=EnrolmentSource.SELF,
            user=actor,
            organisation=organisation or person.organisation,
            remote=remote and course.sessions.exclude(mode=SessionMode.IN_PERSON).exists(),
        )


def enrol_members(
    *, actor: Actor, course: Course, organisation: Organisation, people: Sequence[Person]
) -> list[Enrolment]:
    """A cooperative's manager (or staff) enrols members of the cooperative: all of them
    or none."""
    Enrolment.policy.require_at(
        actor,
        "change",
        organisation=organisation.pk,
        province=organisation.province_id,
        message=_("You may enrol only the members of your own cooperative."),
    )
    if not people:
        raise ServiceError("nobody_chosen", _("Choose at least one member."))
    ids = {p.pk for p in people}
    members = set(
        Membership.objects.filter(
            organisation=organisation, person_id__in=ids, left_on__isnull=True
        ).values_list("person_id", flat=True)
    )
    if ids - members:
        raise refused(_("Only members of the cooperative can be enrolled from its register."))
    staff = Course.policy.allows(actor, "change", course)
    with transaction.atomic():
        course = _lock_for_enrolment(course, staff=staff)
        _refuse_if_enrolled(course, people)
        _check_capacity(course, len(ids))
        return [
            _enrol(
                course,
                person,
                actor=actor,
                source=EnrolmentSource.STAFF if staff else EnrolmentSource.MANAGER,
                user=person.user,
                organisation=organisation,
            )
            for person in sorted(people, key=lambda p: p.pk)
        ]


def enrol_imported(*, actor: Actor, course: Course, rows: Sequence[Any]) -> list[Enrolment]:
    """Enrol the rows of an imported list (``importing_courses.ImportRow``), all or
    nothing: a person twice, a person already enrolled or too many people refuses the
    whole list with the row's number."""
    Course.policy.require(actor, "change", course)
    if not rows:
        raise ServiceError("import_empty", _("The list has no participant."))
    with transaction.atomic():
        course = _lock_for_enrolment(course, staff=True)
        taken = course.enrolments.filter(status__in=ACTIVE).count()
        seen: dict[int, int] = {}
        enrolments = []
        for row in rows:
            org = (
                Organisation.objects.filter(tax_code=row.tax_code).first() if row.tax_code else None
            )
            person = find_or_create_person(
                actor=actor,
                full_name=row.full_name,
                birth_year=row.birth_year,
                phone=row.phone,
                citizen_id=row.citizen_id or None,
                sex=row.sex,
                ethnicity="",
                organisation=org,
                province=course.province_id,
            )
            if person.pk in seen:
                raise conflict(
                    _("Row %(row)s is the same person as row %(first)s."),
                    "import_duplicate",
                    {"row": row.number, "first": seen[person.pk]},
                )
            seen[person.pk] = row.number
            try:
                enrolments.append(
                    _enrol(
                        course,
                        person,
                        actor=actor,
                        source=EnrolmentSource.IMPORT,
                        user=person.user,
                        organisation=org or person.organisation,
                    )
                )
            except ServiceError as exc:
                raise conflict(
                    _("Row %(row)s: %(problem)s"),
                    exc.code,
                    {"row": row.number, "problem": exc.text},
                ) from None
        if course.capacity is not None and taken + len(enrolments) > course.capacity:
            # checked after the rows, so a duplicate row is named first; rolled back
            free = max(0, course.capacity - taken)
            raise conflict(
                _(
                    "The course is full: %(capacity)s places, %(taken)s taken, %(free)s free; "
                    "%(adding)s asked."
                ),
                "course_full",
                {
                    "capacity": course.capacity,
                    "taken": taken,
                    "free": free,
                    "adding": len(enrolments),
                },
            )
        audit.record(
            actor=actor,
            action="training.enrolment.import",
            instance=course,
            after={"rows": len(rows)},
        )
    return enrolments


def enrolment_withdraw(*, actor: Actor, enrolment: Enrolment) -> Enrolment:
    """The participant, their cooperative's manager or the course's staff withdraw an
    enrolment before the course has finished."""
    own = not isinstance(actor, SystemActor) and (
        enrolment.user_id == actor.pk or enrolment.person.user_id == actor.pk
    )
    if not own:
        Enrolment.policy.require(actor, "change", enrolment)
    with transaction.atomic():
        Course.objects.select_for_update(of=("self",)).get(pk=enrolment.course_id)
        enrolment = Enrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
        if enrolment.status != EnrolmentStatus.ENROLLED:
            raise conflict(_("This enrolment cannot be withdrawn any more."), "not_enrolled")
        staff_late = enrolment.course.status == CourseStatus.RUNNING and Course.policy.allows(
            actor, "change", enrolment.course
        )
        early = enrolment.course.status in (CourseStatus.DRAFT, CourseStatus.OPEN)
        if not early and not staff_late:
            raise conflict(
                _("The course has started: ask the training staff to withdraw."),
                "course_started",
            )
        enrolment.status = EnrolmentStatus.WITHDRAWN
        enrolment.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action="training.enrolment.withdraw",
            instance=enrolment,
            after={"status": enrolment.status},
        )
    return enrolment
