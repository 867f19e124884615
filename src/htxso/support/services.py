"""Every write to service requests.

The cooperative's side (``ServiceRequest.policy`` action ``own``): send, write (answer a
question, add files), withdraw, rate.  The centre's side (``handle``): assign, reply, ask
for information (the SLA clock pauses), add an internal note, escalate to the VCA,
close with an outcome.  Each service checks the policy, refuses bad input with a
``ServiceError`` before it writes anything, changes the request in one transaction with
one audit row, and tells the cooperative by SMS/e-mail after commit when a question is
asked or the request is closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxso.accounts.models import User
from htxso.core import audit, messaging
from htxso.core import workdays as calendar
from htxso.core.actors import Actor, SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errorlist import Errors, text
from htxso.core.errors import Kind, ServiceError, conflict
from htxso.core.forms import fits_int64
from htxso.registry.models import Organisation

from . import selectors
from .documents import MAX_FILES, CheckedFile, check_file
from .models import (
    OPEN,
    Attachment,
    Entry,
    EntryKind,
    Outcome,
    RequestType,
    ServiceRequest,
    Status,
)

ACTION_LABELS.update(
    {
        "service_request.create": gettext_lazy("Service request sent"),
        "service_request.assign": gettext_lazy("Service request assigned"),
        "service_request.reply": gettext_lazy("Service request: reply from the centre"),
        "service_request.ask": gettext_lazy("Service request: information asked"),
        "service_request.note": gettext_lazy("Service request: internal note"),
        "service_request.message": gettext_lazy("Service request: message from the cooperative"),
        "service_request.escalate": gettext_lazy("Service request escalated to the VCA"),
        "service_request.close": gettext_lazy("Service request closed"),
        "service_request.withdraw": gettext_lazy("Service request withdrawn"),
        "service_request.rate": gettext_lazy("Service request rated"),
    }
)

PURPOSE = "service_request"
#: Open requests one organisation may have at a time (more is a script, not a manager).
MAX_OPEN_PER_ORGANISATION = 30


# ------------------------------------------------------------------ helpers


def _now_day() -> tuple[dt.datetime, dt.date]:
    now = timezone.now()
    return now, timezone.localtime(now).date()


def _name(*, actor: Actor) -> str:
    if isinstance(actor, SystemActor):
        return actor.username
    return actor.full_name or actor.get_username()


def _user(*, actor: Actor) -> User | None:
    return None if isinstance(actor, SystemActor) else actor


def _message(errors: Errors, field: str, value: Any, *, required: bool = True) -> str:
    return text(errors, field, value, max_length=4000, required=required, multiline=True)


def _check_files(errors: Errors, files: Sequence[Any], already: int = 0) -> list[CheckedFile]:
    checked: list[CheckedFile] = []
    if already + len(files) > MAX_FILES:
        errors.add(
            "file",
            gettext_lazy("A request keeps at most %(n)s files."),
            "too_many_files",
            {"n": MAX_FILES},
        )
        return checked
    for upload in files:
        try:
            checked.append(check_file(upload))
        except ServiceError as exc:
            errors.add("file", exc.message, exc.code, exc.params)
    return checked


def _store_files(
    req: ServiceRequest,
    entry: Entry,
    files: list[CheckedFile],
    *,
    actor: Actor,
    internal: bool = False,
    stored: list[str],
) -> None:
    for checked in files:
        item = Attachment(
            request=req,
            entry=entry,
            name=checked.name,
            content_type=checked.content_type,
            size=len(checked.content),
            internal=internal,
            uploaded_by=_user(actor=actor),
        )
        item.file.save(f"x{checked.extension}", ContentFile(checked.content), save=False)
        stored.append(item.file.name)
        item.save()


def _cleanup(stored: list[str]) -> None:
    from htxso.core.files import private_storage

    storage = private_storage()
    for name in stored:
        storage.delete(name)


def _entry(
    req: ServiceRequest, *, actor: Actor, kind: str, text: str = "", internal: bool = False
) -> Entry:
    return Entry.objects.create(
        request=req,
        kind=kind,
        text=text,
        internal=internal,
        author=_user(actor=actor),
        author_name=_name(actor=actor),
    )


def _audit(req: ServiceRequest, *, actor: Actor, action: str, **after: Any) -> None:
    audit.record(
        actor=actor,
        action=action,
        instance=req,
        after={"status": req.status, **after},
        organisation_id=req.organisation_id,
    )


def _lock(req: ServiceRequest) -> ServiceRequest:
    return (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("organisation", "province", "created_by")
        .get(pk=req.pk)
    )


def _closed() -> ServiceError:
    return conflict(
        gettext_lazy("This request is closed: nothing more can be added to it."),
        "request_closed",
    )


def _require_open(req: ServiceRequest) -> None:
    if req.status not in OPEN:
        raise _closed()


def _notify(req: ServiceRequest, build: Any) -> None:
    """Tell the person who sent the request (SMS when their account has a phone, e-mail
    when it has an address), after commit, in their language.  ``build()`` returns the
    text in the language active when it is called."""
    user = req.created_by
    with translation.override(user.preferred_language or "vi"):
        body = str(build())
        subject = _("HTX Số: your service request #%(id)s") % {"id": req.pk}
    if user.phone:
        messaging.send_after_commit(
            channel=messaging.Channel.SMS, to=user.phone, text=body, purpose=PURPOSE
        )
    if user.email:
        messaging.send_after_commit(
            channel=messaging.Channel.EMAIL,
            to=user.email,
            text=body,
            subject=subject,
            purpose=PURPOSE,
        )


def _url(req: ServiceRequest) -> str:
    return f"{settings.SITE_URL}{reverse('support:detail', args=[req.pk])}"


def _mark_first_response(req: ServiceRequest, now: dt.datetime, day: dt.date, cal) -> list[str]:
    if req.first_responded_at is not None:
        return []
    req.first_responded_at = now
    created = timezone.localtime(req.created_at).date()
    req.first_response_days = calendar.working_days_between(created, day, cal)
    return ["first_responded_at", "first_response_days"]


def _end_pause(req: ServiceRequest, day: dt.date, cal) -> list[str]:
    """Close a pause: the working days it lasted move the resolution deadline."""
    if req.paused_since is None:
        return []
    paused = calendar.working_days_between(req.paused_since, day, cal)
    req.paused_working_days += paused
    req.resolution_due = calendar.add_working_days(req.resolution_due, paused, cal)
    req.paused_since = None
    return ["paused_working_days", "resolution_due", "paused_since"]


# ------------------------------------------------------------------ the cooperative


def request_create(
    *,
    actor: Actor,
    organisation: Organisation,
    request_type: str,
    title: str,
    description: str,
    files: Sequence[Any] = (),
    related_case_id: int | None = None,
    submit_key: str = "",
) -> ServiceRequest:
    """The cooperative (its manager, or the VCA for it) asks the provincial centre for a
    service.  The registry facts of the organisation are attached; the deadlines follow
    the type's SLA on working days."""
    ServiceRequest.policy.require_at(
        actor,
        "own",
        organisation=organisation.pk,
        message=gettext_lazy("You may send a request only for your own cooperative."),
    )
    errors = Errors()
    if request_type not in RequestType.values:
        errors.add(
            "request_type",
            gettext_lazy("Choose a type of service from the list."),
            "invalid_choice",
        )
    clean_title = text(errors, "title", title, max_length=200, required=True)
    clean_description = _message(errors, "description", description)
    if related_case_id is not None and not (
        isinstance(related_case_id, int) and fits_int64(related_case_id) and related_case_id > 0
    ):
        errors.add("related_case_id", gettext_lazy("This model case does not exist."), "invalid")
    key = str(submit_key or "")[:40]
    checked = _check_files(errors, files)
    errors.raise_if_any()
    if not isinstance(actor, SystemActor) and key:
        existing = ServiceRequest.objects.filter(created_by=actor, submit_key=key).first()
        if existing is not None:
            raise _duplicate(existing)
    if (
        ServiceRequest.objects.filter(organisation=organisation, status__in=OPEN).count()
        >= MAX_OPEN_PER_ORGANISATION
    ):
        raise ServiceError(
            "too_many_requests",
            gettext_lazy(
                "Your cooperative has %(n)s open requests. Wait for the answers, or "
                "withdraw some, before sending more."
            ),
            {"n": MAX_OPEN_PER_ORGANISATION},
            kind=Kind.THROTTLED,
        )
    creator = _user(actor=actor)
    if creator is None:
        raise ServiceError("no_person", gettext_lazy("A request is sent by a person."))
    cal = selectors.working_calendar()
    day = _now_day()[1]
    first_days, resolution_days = selectors.sla_for(request_type)
    facts = selectors.organisation_facts(organisation)
    stored: list[str] = []
    try:
        with transaction.atomic():
            req = ServiceRequest(
                organisation=organisation,
                province_id=organisation.province_id,
                request_type=request_type,
                title=clean_title,
                description=clean_description,
                created_by=creator,
                facts=facts,
                related_case_id=related_case_id,
                submit_key=key,
                first_response_due=calendar.add_working_days(day, first_days, cal),
                resolution_due=calendar.add_working_days(day, resolution_days, cal),
            )
            try:
                with transaction.atomic():
                    req.save()
            except IntegrityError:
                existing = ServiceRequest.objects.filter(created_by=creator, submit_key=key).first()
                raise _duplicate(existing) from None
            entry = _entry(req, actor=actor, kind=EntryKind.SENT)
            _store_files(req, entry, checked, actor=actor, stored=stored)
            _audit(req, actor=actor, action="service_request.create", type=request_type)
    except BaseException:
        _cleanup(stored)
        raise
    return req


def _duplicate(existing: ServiceRequest | None) -> ServiceError:
    return ServiceError(
        "request_duplicate",
        gettext_lazy("This request was already sent (the form was sent twice)."),
        details={"id": existing.pk if existing else None},
        kind=Kind.CONFLICT,
    )


def request_message(
    *,
    actor: Actor,
    service_request: ServiceRequest,
    message: str,
    files: Sequence[Any] = (),
) -> ServiceRequest:
    """The cooperative writes to the centre (answers its question, adds files).  A
    request that waited for it goes back to the centre, and its clock runs again."""
    ServiceRequest.policy.require(actor, "own", service_request)
    errors = Errors()
    clean = _message(errors, "message", message, required=not files)
    checked = _check_files(errors, files, service_request.attachments.count())
    errors.raise_if_any()
    stored: list[str] = []
    try:
        with transaction.atomic():
            req = _lock(service_request)
            _require_open(req)
            fields = ["updated_at"]
            if req.status == Status.WAITING:
                fields += _end_pause(req, _now_day()[1], selectors.working_calendar())
                req.status = Status.ESCALATED if req.escalated_at else Status.IN_PROGRESS
                fields.append("status")
            req.save(update_fields=fields)
            entry = _entry(req, actor=actor, kind=EntryKind.ANSWER, text=clean)
            _store_files(req, entry, checked, actor=actor, stored=stored)
            _audit(req, actor=actor, action="service_request.message", files=len(checked))
    except BaseException:
        _cleanup(stored)
        raise
    return req


def request_withdraw(
    *, actor: Actor, service_request: ServiceRequest, reason: str = ""
) -> ServiceRequest:
    ServiceRequest.policy.require(actor, "own", service_request)
    errors = Errors()
    clean = _message(errors, "reason", reason, required=False)
    errors.raise_if_any()
    with transaction.atomic():
        req = _lock(service_request)
        _require_open(req)
        now, day = _now_day()
        fields = _end_pause(req, day, selectors.working_calendar())
        req.status = Status.CLOSED
        req.outcome = Outcome.WITHDRAWN
        req.outcome_note = clean
        req.closed_at = now
        req.within_sla = None
        req.save(
            update_fields=[
                *fields,
                "status",
                "outcome",
                "outcome_note",
                "closed_at",
                "within_sla",
                "updated_at",
            ]
        )
        _entry(req, actor=actor, kind=EntryKind.CLOSED, text=clean)
        _audit(req, actor=actor, action="service_request.withdraw")
    return req


def request_rate(
    *, actor: Actor, service_request: ServiceRequest, rating: Any, comment: str = ""
) -> ServiceRequest:
    """The cooperative rates the service, once, after the request is closed."""
    ServiceRequest.policy.require(actor, "own", service_request)
    errors = Errors()
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        errors.add("rating", gettext_lazy("Choose from 1 to 5 stars."), "rating_invalid")
    clean = text(errors, "comment", comment, max_length=1000, multiline=True)
    errors.raise_if_any()
    with transaction.atomic():
        req = _lock(service_request)
        if req.status != Status.CLOSED:
            raise conflict(
                gettext_lazy("You can rate the service once the request is closed."),
                "request_not_closed",
            )
        if req.outcome == Outcome.WITHDRAWN:
            raise conflict(
                gettext_lazy("A withdrawn request has no service to rate."), "request_withdrawn"
            )
        if req.rating is not None:
            raise conflict(gettext_lazy("You have already rated this request."), "already_rated")
        req.rating = value
        req.rating_comment = clean
        req.rated_at = timezone.now()
        req.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
        _entry(req, actor=actor, kind=EntryKind.RATED, text=clean)
        _audit(req, actor=actor, action="service_request.rate", rating=value)
    return req


# ------------------------------------------------------------------ the centre


def request_assign(
    *, actor: Actor, service_request: ServiceRequest, assignee: User | None
) -> ServiceRequest:
    """Give the request to an officer of its province (or of the VCA); ``None`` takes it
    back to the common queue."""
    ServiceRequest.policy.require(actor, "handle", service_request)
    if assignee is not None and assignee.pk not in {
        u.pk for u in selectors.officers_for(service_request.province_id)
    }:
        raise ServiceError(
            "assignee_invalid",
            gettext_lazy("Choose an officer of the province's centre."),
            fields={"assignee": [gettext_lazy("Choose an officer of the province's centre.")]},
        )
    with transaction.atomic():
        req = _lock(service_request)
        _require_open(req)
        req.assignee = assignee
        fields = ["assignee", "updated_at"]
        if req.status == Status.NEW:
            req.status = Status.IN_PROGRESS
            fields.append("status")
        req.save(update_fields=fields)
        who = (assignee.full_name or assignee.get_username()) if assignee else ""
        _entry(req, actor=actor, kind=EntryKind.ASSIGNED, text=who, internal=True)
        _audit(
            req,
            actor=actor,
            action="service_request.assign",
            assignee=getattr(assignee, "pk", None),
        )
    return req


def request_reply(
    *, actor: Actor, service_request: ServiceRequest, message: str, files: Sequence[Any] = ()
) -> ServiceRequest:
    """The centre answers the cooperative (the first answer meets the first-response
    deadline)."""
    ServiceRequest.policy.require(actor, "handle", service_request)
    errors = Errors()
    clean = _message(errors, "message", message)
    checked = _check_files(errors, files, service_request.attachments.count())
    errors.raise_if_any()
    stored: list[str] = []
    try:
        with transaction.atomic():
            req = _lock(service_request)
            _require_open(req)
            now, day = _now_day()
            fields = [
                "updated_at",
                *_mark_first_response(req, now, day, selectors.working_calendar()),
            ]
            if req.status == Status.NEW:
                req.status = Status.IN_PROGRESS
                fields.append("status")
            req.save(update_fields=fields)
            entry = _entry(req, actor=actor, kind=EntryKind.REPLY, text=clean)
            _store_files(req, entry, checked, actor=actor, stored=stored)
            _audit(req, actor=actor, action="service_request.reply")
    except BaseException:
        _cleanup(stored)
        raise
    return req


def request_ask(*, actor: Actor, service_request: ServiceRequest, message: str) -> ServiceRequest:
    """Ask the cooperative for information: the request waits for it and its clock
    pauses until it answers."""
    ServiceRequest.policy.require(actor, "handle", service_request)
    errors = Errors()
    question = _message(errors, "message", message)
    errors.raise_if_any()
    with transaction.atomic():
        req = _lock(service_request)
        _require_open(req)
        if req.status == Status.WAITING:
            raise conflict(
                gettext_lazy("A question is already waiting for the cooperative's answer."),
                "already_waiting",
            )
        now, day = _now_day()
        fields = ["status", "paused_since", "updated_at"]
        fields += _mark_first_response(req, now, day, selectors.working_calendar())
        req.status = Status.WAITING
        req.paused_since = day
        req.save(update_fields=fields)
        _entry(req, actor=actor, kind=EntryKind.QUESTION, text=question)
        _audit(req, actor=actor, action="service_request.ask")
        url = _url(req)
        title = req.title[:80]
        _notify(
            req,
            lambda: (
                _(
                    "HTX Số: the support centre asks about your request “%(title)s”: "
                    "%(question)s Answer at %(url)s"
                )
                % {"title": title, "question": question[:300], "url": url}
            ),
        )
    return req


def request_note(
    *, actor: Actor, service_request: ServiceRequest, message: str, files: Sequence[Any] = ()
) -> ServiceRequest:
    """An internal note of the centre (the cooperative never sees it)."""
    ServiceRequest.policy.require(actor, "handle", service_request)
    errors = Errors()
    clean = _message(errors, "message", message)
    checked = _check_files(errors, files, service_request.attachments.count())
    errors.raise_if_any()
    stored: list[str] = []
    try:
        with transaction.atomic():
            req = _lock(service_request)
            req.save(update_fields=["updated_at"])
            entry = _entry(req, actor=actor, kind=EntryKind.NOTE, text=clean, internal=True)
            _store_files(req, entry, checked, actor=actor, internal=True, stored=stored)
            _audit(req, actor=actor, action="service_request.note")
    except BaseException:
        _cleanup(stored)
        raise
    return req


def request_escalate(
    *, actor: Actor, service_request: ServiceRequest, reason: str
) -> ServiceRequest:
    """Hand the request to the VCA (a national programme, a question beyond the
    province)."""
    ServiceRequest.policy.require(actor, "handle", service_request)
    errors = Errors()
    clean = _message(errors, "reason", reason)
    errors.raise_if_any()
    with transaction.atomic():
        req = _lock(service_request)
        _require_open(req)
        if req.escalated_at is not None:
            raise conflict(
                gettext_lazy("This request is already with the VCA."), "already_escalated"
            )
        req.escalated_at = timezone.now()
        fields = ["escalated_at", "updated_at"]
        if req.status != Status.WAITING:
            req.status = Status.ESCALATED
            fields.append("status")
        req.save(update_fields=fields)
        _entry(req, actor=actor, kind=EntryKind.ESCALATED, text=clean)
        _audit(req, actor=actor, action="service_request.escalate")
    return req


def request_close(
    *, actor: Actor, service_request: ServiceRequest, outcome: str, note: str
) -> ServiceRequest:
    """Close the request with its outcome (resolved, or not possible with the reason)."""
    ServiceRequest.policy.require(actor, "handle", service_request)
    errors = Errors()
    if outcome not in (Outcome.RESOLVED, Outcome.NOT_POSSIBLE):
        errors.add("outcome", gettext_lazy("Choose the outcome."), "invalid_choice")
    clean = _message(errors, "note", note)
    errors.raise_if_any()
    with transaction.atomic():
        req = _lock(service_request)
        _require_open(req)
        cal = selectors.working_calendar()
        now, day = _now_day()
        fields = [*_end_pause(req, day, cal), *_mark_first_response(req, now, day, cal)]
        created = timezone.localtime(req.created_at).date()
        req.resolution_days = max(
            0, calendar.working_days_between(created, day, cal) - req.paused_working_days
        )
        first_day = timezone.localtime(req.first_responded_at).date()
        req.within_sla = day <= req.resolution_due and first_day <= req.first_response_due
        req.status = Status.CLOSED
        req.outcome = outcome
        req.outcome_note = clean
        req.closed_at = now
        req.save(
            update_fields=[
                *fields,
                "resolution_days",
                "within_sla",
                "status",
                "outcome",
                "outcome_note",
                "closed_at",
                "updated_at",
            ]
        )
        _entry(req, actor=actor, kind=EntryKind.CLOSED, text=clean)
        _audit(req, actor=actor, action="service_request.close", outcome=outcome)
        url = _url(req)
        title = req.title[:80]
        label = Outcome(outcome).label
        _notify(
            req,
            lambda: (
                _(
                    "HTX Số: your request “%(title)s” is closed (%(outcome)s). Read the answer "
                    "and rate the service at %(url)s"
                )
                % {"title": title, "outcome": str(label), "url": url}
            ),
        )
    return req
