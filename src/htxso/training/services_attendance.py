"""Every write of attendance: opening and closing check-in, a participant's check-in with
the rotating QR code, the trainer's roster ticks (online or queued offline and sent in a
batch), undoing a mistaken tick, and the personal links of online participants.

Each service checks the policy (``CourseSession.policy`` ``teach`` for the trainer's
actions), refuses bad input with a ``ServiceError`` (stable ``code``, precise message),
writes in one transaction with one audit row, and is idempotent where a phone may send
twice: one attendance per participant and session (``attendance_once_per_session``) and
one per ``client_id``.

Time window: a participant checks in from ``TRAINING_CHECKIN_OPENS_BEFORE_MINUTES``
(default 30) before the session's start until its end plus
``TRAINING_CHECKIN_CLOSES_AFTER_MINUTES`` (default 0); the trainer's roster (and the time
taken on a phone offline) may also fall within ``TRAINING_ROSTER_GRACE_MINUTES`` (default
60) after the end — a tick forgotten in the hall.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from htxso.core import audit
from htxso.core.actors import Actor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errors import Kind, ServiceError, not_found

from . import checkin
from .models import (
    Attendance,
    AttendanceMethod,
    CheckinToken,
    CourseSession,
    Enrolment,
    EnrolmentStatus,
    SessionMode,
)

ACTION_LABELS.update(
    {
        "training.checkin.open": _("Check-in opened (rotating QR code)"),
        "training.checkin.close": _("Check-in closed"),
        "training.attendance.checkin": _("Participant checked in"),
        "training.attendance.undo": _("Check-in undone"),
        "training.online_link.issue": _("Personal attendance link made"),
    }
)

#: Rows of one offline batch (a hall of 200 people, twice).
MAX_BATCH = 400
#: A phone's clock may run this far ahead of the server's.
FUTURE_TOLERANCE = dt.timedelta(minutes=2)
#: Used QR nonces are kept this long (codes expire long before).
NONCE_KEEP = dt.timedelta(minutes=10)
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:-]{8,60}$")
_QR_NONCE = "q:"
_CLIENT_NONCE = "c:"


def _minutes(name: str, default: int) -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, name, default)))


def window(session: CourseSession) -> tuple[dt.datetime, dt.datetime]:
    """When a participant may check in to ``session``."""
    return (
        session.starts_at - _minutes("TRAINING_CHECKIN_OPENS_BEFORE_MINUTES", 30),
        session.ends_at + _minutes("TRAINING_CHECKIN_CLOSES_AFTER_MINUTES", 0),
    )


def roster_window(session: CourseSession) -> tuple[dt.datetime, dt.datetime]:
    """When the trainer may tick (or a phone may have taken) a check-in of ``session``."""
    start, end = window(session)
    return start, end + _minutes("TRAINING_ROSTER_GRACE_MINUTES", 60)


def is_open(session: CourseSession) -> bool:
    """The trainer opened check-in and has not closed it since."""
    opened, closed = session.checkin_opened_at, session.checkin_closed_at
    return opened is not None and (closed is None or closed < opened)


def _when(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "H:i d/m/Y")


def _check_time(session: CourseSession, now: dt.datetime, *, roster: bool = False) -> None:
    start, end = roster_window(session) if roster else window(session)
    if now < start:
        raise ServiceError(
            "checkin_too_early",
            _("Check-in for this session opens at %(time)s."),
            {"time": _when(start)},
            kind=Kind.CONFLICT,
        )
    if now > end:
        raise ServiceError(
            "checkin_too_late",
            _("This session ended at %(time)s: check-in is closed."),
            {"time": _when(session.ends_at)},
            kind=Kind.CONFLICT,
        )


def _enrolment_of(session: CourseSession, user: Any) -> Enrolment:
    found = (
        Enrolment.objects.filter(course_id=session.course_id)
        .filter(Q(user=user) | Q(person__user=user))
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person")
        .first()
    )
    if found is None:
        raise ServiceError(
            "checkin_not_enrolled",
            _(
                "You are not enrolled in the course “%(course)s”: nothing was recorded. "
                "Ask the trainer to enrol you or to tick you on the roster."
            ),
            {"course": session.course.title},
            kind=Kind.INVALID,
        )
    return found


@dataclass
class Outcome:
    attendance: Attendance
    created: bool


def _record(
    *,
    actor: Actor,
    session: CourseSession,
    enrolment: Enrolment,
    method: str,
    at: dt.datetime,
    recorded_by: Any = None,
    client_id: str | None = None,
) -> Outcome:
    """One attendance, or the one already there (same participant and session)."""
    existing = Attendance.objects.filter(enrolment=enrolment, session=session).first()
    if existing is not None:
        return Outcome(existing, False)
    try:
        with transaction.atomic():
            att = Attendance.objects.create(
                enrolment=enrolment,
                session=session,
                method=method,
                checked_in_at=at,
                recorded_by=recorded_by,
                client_id=client_id,
            )
    except IntegrityError:
        # a second tap (or the queue and the QR) won the race: the same attendance
        existing = Attendance.objects.filter(enrolment=enrolment, session=session).first()
        if existing is None:  # pragma: no cover - the client id was taken elsewhere
            raise _client_id_reused() from None
        return Outcome(existing, False)
    audit.record(
        actor=actor,
        action="training.attendance.checkin",
        instance=att,
        after={"session": session.pk, "enrolment": enrolment.pk, "method": method},
    )
    return Outcome(att, True)


def _client_id_reused() -> ServiceError:
    return ServiceError(
        "client_id_reused",
        _("This check-in id was already used for another participant or session."),
        kind=Kind.CONFLICT,
    )


# ------------------------------------------------------------------ the trainer


@transaction.atomic
def checkin_open(session: CourseSession, *, actor: Actor, now: dt.datetime | None = None) -> None:
    """Open check-in: the rotating QR code is shown.  A new secret voids every code shown
    before (a photo of last week's screen)."""
    CourseSession.policy.require(actor, "teach", session)
    now = now or timezone.now()
    start, end = window(session)
    if now > end:
        raise ServiceError(
            "checkin_too_late",
            _("This session ended at %(time)s: check-in is closed."),
            {"time": _when(session.ends_at)},
            kind=Kind.CONFLICT,
        )
    if now < start:
        raise ServiceError(
            "checkin_too_early",
            _("Check-in for this session opens at %(time)s."),
            {"time": _when(start)},
            kind=Kind.CONFLICT,
        )
    if is_open(session):
        return
    session.checkin_secret = checkin.online_token()
    session.checkin_opened_at = now
    session.checkin_closed_at = None
    session.save(update_fields=["checkin_secret", "checkin_opened_at", "checkin_closed_at"])
    audit.record(actor=actor, action="training.checkin.open", instance=session)


@transaction.atomic
def checkin_close(session: CourseSession, *, actor: Actor, now: dt.datetime | None = None) -> None:
    CourseSession.policy.require(actor, "teach", session)
    if not is_open(session):
        return
    session.checkin_closed_at = now or timezone.now()
    session.save(update_fields=["checkin_closed_at"])
    audit.record(actor=actor, action="training.checkin.close", instance=session)


# ------------------------------------------------------------------ the participant


def code_session(token: str, *, now: dt.datetime | None = None) -> CourseSession:
    """The session of a genuine, fresh code (no write; the check-in page's first look)."""
    return _verified(token, now=now or timezone.now())[0]


def _verified(token: str, *, now: dt.datetime) -> tuple[CourseSession, checkin.Parsed]:
    parsed = checkin.parse(token)
    session = (
        CourseSession.objects.select_related("course").filter(pk=parsed.session_id).first()
        if parsed
        else None
    )
    if parsed is None or session is None:
        raise ServiceError(
            "checkin_code_invalid",
            _(
                "This is not an HTX Số check-in code. Scan the QR code on the trainer's "
                "screen with the phone's camera."
            ),
        )
    problem = checkin.check(parsed, session.checkin_secret, when=now)
    if problem is checkin.Problem.TAMPERED:
        raise ServiceError(
            "checkin_code_tampered",
            _(
                "This check-in code was altered or belongs to a closed check-in: it is not "
                "valid. Scan the code now on the trainer's screen."
            ),
        )
    if problem is checkin.Problem.FUTURE:
        raise ServiceError(
            "checkin_code_future",
            _("This check-in code is not valid yet: check the date and time of your phone."),
        )
    if problem is checkin.Problem.EXPIRED:
        raise ServiceError(
            "checkin_code_expired",
            _(
                "This check-in code has expired: the code changes every 30 seconds. Scan "
                "the code now on the trainer's screen."
            ),
        )
    if not is_open(session):
        raise ServiceError(
            "checkin_closed",
            _("Check-in for this session is not open: ask the trainer to open it."),
            kind=Kind.CONFLICT,
        )
    _check_time(session, now)
    return session, parsed


def checkin_by_code(
    token: str,
    *,
    actor: Actor,
    session_id: int | None = None,
    now: dt.datetime | None = None,
) -> Outcome:
    """A signed-in participant checks in with the code they scanned.  ``session_id``,
    when given (the API), must be the code's session.  Checking in twice keeps one
    attendance; a code already used from this account (after the trainer undid the
    check-in) is refused."""
    if not getattr(actor, "is_authenticated", False):
        raise ServiceError("unauthenticated", _("Sign in to check in."), kind=Kind.FORBIDDEN)
    now = now or timezone.now()
    session, parsed = _verified(token, now=now)
    if session_id is not None and session_id != session.pk:
        raise ServiceError(
            "checkin_other_session",
            _("This code is for another session (“%(session)s” of “%(course)s”)."),
            {"session": session.title, "course": session.course.title},
        )
    enrolment = _enrolment_of(session, actor)
    with transaction.atomic():
        existing = Attendance.objects.filter(enrolment=enrolment, session=session).first()
        if existing is not None:
            return Outcome(existing, False)
        nonce = _QR_NONCE + parsed.nonce
        if CheckinToken.objects.filter(session=session, nonce=nonce, used_by=enrolment).exists():
            raise ServiceError(
                "checkin_code_replayed",
                _(
                    "This code was already used from your account. Scan the code now on "
                    "the trainer's screen."
                ),
                kind=Kind.CONFLICT,
            )
        CheckinToken.objects.filter(
            session=session, nonce__startswith=_QR_NONCE, used_at__lt=now - NONCE_KEEP
        ).delete()
        CheckinToken.objects.create(session=session, nonce=nonce, used_by=enrolment, used_at=now)
        return _record(
            actor=actor,
            session=session,
            enrolment=enrolment,
            method=AttendanceMethod.QR,
            at=now,
            recorded_by=actor,
        )


# ------------------------------------------------------------------ roster and offline


def _session_enrolment(session: CourseSession, enrolment_id: Any) -> Enrolment:
    try:
        pk = int(enrolment_id)
    except (TypeError, ValueError):
        pk = 0
    found = (
        Enrolment.objects.filter(pk=pk, course_id=session.course_id)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .first()
        if 0 < pk < 2**63
        else None
    )
    if found is None:
        raise ServiceError(
            "checkin_not_enrolled",
            _("This participant is not enrolled in the session's course."),
            kind=Kind.INVALID,
        )
    return found


def _taken_at(session: CourseSession, value: Any, now: dt.datetime) -> dt.datetime:
    if value is None or value == "":
        return now
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            value = None
    if not isinstance(value, dt.datetime):
        raise ServiceError(
            "checkin_time_invalid", _("The time taken on the phone is not a date and time.")
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + FUTURE_TOLERANCE:
        raise ServiceError(
            "checkin_time_future",
            _("The time taken on the phone (%(time)s) is in the future: check its clock."),
            {"time": _when(value)},
        )
    start, end = roster_window(session)
    if not start <= value <= end:
        raise ServiceError(
            "checkin_time_outside",
            _(
                "The time taken on the phone (%(time)s) is outside the session "
                "(%(start)s – %(end)s)."
            ),
            {
                "time": _when(value),
                "start": _when(session.starts_at),
                "end": _when(session.ends_at),
            },
        )
    return min(value, now)


def _client_id(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _CLIENT_ID.match(value):
        raise ServiceError(
            "client_id_invalid",
            _("The check-in id sent by the phone is not valid (8–60 letters, digits, - _ . :)."),
        )
    return value


@transaction.atomic
def roster_checkin(
    session: CourseSession,
    *,
    actor: Actor,
    enrolment_id: Any,
    client_id: Any = None,
    taken_at: Any = None,
    method: str = AttendanceMethod.ROSTER,
    now: dt.datetime | None = None,
) -> Outcome:
    """The trainer ticks a participant (no phone, or the phone failed).  ``client_id``
    (a phone's id of the tick) makes a resent tick add nothing; ``taken_at`` (offline)
    is kept when it falls within the session and not in the future."""
    CourseSession.policy.require(actor, "teach", session)
    if method not in (AttendanceMethod.ROSTER, AttendanceMethod.OFFLINE):
        raise ServiceError("method_invalid", _("Unknown check-in method."))
    now = now or timezone.now()
    cid = _client_id(client_id)
    if cid is not None:
        seen = Attendance.objects.filter(client_id=cid).first()
        if seen is not None:
            if seen.session_id != session.pk or str(seen.enrolment_id) != str(enrolment_id):
                raise _client_id_reused()
            return Outcome(seen, False)
        token = CheckinToken.objects.filter(nonce=_CLIENT_NONCE + cid).first()
        if token is not None:
            # the tick was recorded, then undone by the trainer: a resent queue does not
            # bring it back
            existing = Attendance.objects.filter(
                enrolment_id=token.used_by_id, session=token.session_id
            ).first()
            if token.session_id != session.pk or str(token.used_by_id) != str(enrolment_id):
                raise _client_id_reused()
            if existing is not None:
                return Outcome(existing, False)
            raise ServiceError(
                "checkin_undone",
                _("This check-in was undone by the trainer; it was not recorded again."),
                kind=Kind.CONFLICT,
            )
    enrolment = _session_enrolment(session, enrolment_id)
    if method == AttendanceMethod.OFFLINE or taken_at not in (None, ""):
        at = _taken_at(session, taken_at, now)
    else:
        _check_time(session, now, roster=True)
        at = now
    outcome = _record(
        actor=actor,
        session=session,
        enrolment=enrolment,
        method=method,
        at=at,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        client_id=cid,
    )
    if cid is not None and outcome.created:
        CheckinToken.objects.create(
            session=session, nonce=_CLIENT_NONCE + cid, used_by=enrolment, used_at=now
        )
    return outcome


def roster_batch(
    session: CourseSession,
    items: list[dict[str, Any]],
    *,
    actor: Actor,
    method: str = AttendanceMethod.OFFLINE,
    now: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """A queue of ticks taken on the phone.  Each item (``enrolment_id``, ``client_id``,
    ``taken_at``) is recorded or refused on its own (one bad row does not keep the
    others waiting on the phone); the answer says, per item, ``created``, ``duplicate``
    or ``refused`` with the error's code and message."""
    CourseSession.policy.require(actor, "teach", session)
    if len(items) > MAX_BATCH:
        raise ServiceError(
            "batch_too_large",
            _("Send at most %(max)s check-ins at a time."),
            {"max": MAX_BATCH},
            kind=Kind.TOO_LARGE,
        )
    results: list[dict[str, Any]] = []
    for item in items:
        cid = item.get("client_id")
        try:
            if not cid:
                raise ServiceError(
                    "client_id_missing", _("Each check-in of a batch needs its check-in id.")
                )
            outcome = roster_checkin(
                session,
                actor=actor,
                enrolment_id=item.get("enrolment_id"),
                client_id=cid,
                taken_at=item.get("taken_at") or now or timezone.now(),
                method=method,
                now=now,
            )
        except ServiceError as exc:
            if exc.kind in (Kind.FORBIDDEN, Kind.NOT_FOUND):
                raise
            results.append(
                {"client_id": cid, "status": "refused", "code": exc.code, "message": exc.text}
            )
            continue
        results.append(
            {
                "client_id": cid,
                "status": "created" if outcome.created else "duplicate",
                "code": "checked_in" if outcome.created else "already_checked_in",
                "message": "",
                "attendance_id": outcome.attendance.pk,
                "enrolment_id": outcome.attendance.enrolment_id,
                "checked_in_at": outcome.attendance.checked_in_at.isoformat(),
            }
        )
    return results


@transaction.atomic
def attendance_undo(attendance: Attendance, *, actor: Actor) -> None:
    """Undo a mistaken check-in (audited with what it was)."""
    session = attendance.session
    CourseSession.policy.require(actor, "teach", session)
    before = audit.snapshot(attendance)
    audit.record(
        actor=actor,
        action="training.attendance.undo",
        instance=attendance,
        before=before,
    )
    attendance.delete()


# ------------------------------------------------------------------ online participants


@transaction.atomic
def online_link_issue(enrolment: Enrolment, *, actor: Actor) -> str:
    """A new personal link of an online participant (the old one stops working).  The
    token is returned once; only its hash is kept."""
    Enrolment.policy.require(actor, "teach", enrolment)
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise ServiceError(
            "enrolment_withdrawn",
            _("This participant withdrew from the course."),
            kind=Kind.CONFLICT,
        )
    token = checkin.online_token()
    enrolment.online_token_hash = checkin.token_hash(token)
    enrolment.save(update_fields=["online_token_hash"])
    audit.record(actor=actor, action="training.online_link.issue", instance=enrolment)
    return token


def online_enrolment(token: str) -> Enrolment:
    if not isinstance(token, str) or not 20 <= len(token) <= 64:
        token = ""
    found = (
        Enrolment.objects.filter(online_token_hash=checkin.token_hash(token))
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("course", "person")
        .first()
        if token
        else None
    )
    if found is None:
        raise not_found(
            _("This attendance link is not valid (it may have been replaced by a newer one)."),
            code="online_link_invalid",
        )
    return found


def online_session(enrolment: Enrolment, *, now: dt.datetime) -> CourseSession | None:
    """The online (or hybrid) session of the course whose check-in window holds ``now``."""
    for session in enrolment.course.sessions.exclude(mode=SessionMode.IN_PERSON).order_by(
        "starts_at"
    ):
        start, end = window(session)
        if start <= now <= end:
            return session
    return None


def online_checkin(token: str, *, actor: Actor, now: dt.datetime | None = None) -> Outcome:
    """An online participant checks in with their personal link, at the time they do."""
    now = now or timezone.now()
    enrolment = online_enrolment(token)
    session = online_session(enrolment, now=now)
    if session is None:
        upcoming = (
            enrolment.course.sessions.exclude(mode=SessionMode.IN_PERSON)
            .filter(starts_at__gt=now)
            .order_by("starts_at")
            .first()
        )
        if upcoming is not None:
            raise ServiceError(
                "checkin_too_early",
                _("No online session now: the next one starts at %(time)s."),
                {"time": _when(upcoming.starts_at)},
                kind=Kind.CONFLICT,
            )
        raise ServiceError(
            "checkin_no_session",
            _("No online session of this course is running now."),
            kind=Kind.CONFLICT,
        )
    with transaction.atomic():
        return _record(
            actor=actor,
            session=session,
            enrolment=enrolment,
            method=AttendanceMethod.ONLINE_LINK,
            at=now,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
