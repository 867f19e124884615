"""Every write to disclosures (Art. 14) and members' requests for them.

* :func:`record` — a disclosure of an event (the charter, a resolution, the capital
  holders, the financial statements…): due ``DISCLOSURE_WORKING_DAYS`` working days after
  the event (``core.workdays``, with the government's days off), posted at once or later
  (:func:`post`); the day it is posted is the day it is done — a date in the past is
  refused (``backdated``), so a late disclosure stays late;
* :func:`take_down` — not before it was kept posted ``DISCLOSURE_KEEP_DAYS`` days;
* :func:`publish_capital_holders` — the list of members holding capital with their
  shares, from the register (``selectors_register.capital_holders``);
* :func:`request_create` / :func:`request_answer` — a member asks for a document, the
  manager answers.

Each service checks the policy, refuses bad input with a ``ServiceError`` before writing,
and writes its rows and one audit row in one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxso.core import audit, messaging, uploads, workdays
from htxso.core.actors import Actor, SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errorlist import Errors, text
from htxso.core.errors import ServiceError, conflict, not_found, refused
from htxso.core.formatting import format_vnd
from htxso.registry.models import Membership, Organisation

from . import rules
from .models.disclosures import Disclosure, DisclosureKind, DisclosureRequest
from .models.rules import RuleKey

__all__ = [
    "post",
    "publish_capital_holders",
    "record",
    "request_answer",
    "request_create",
    "take_down",
]

ACTION_LABELS.update(
    {
        "disclosure.record": gettext_lazy("Disclosure recorded"),
        "disclosure.post": gettext_lazy("Disclosure posted"),
        "disclosure.take_down": gettext_lazy("Disclosure taken down"),
        "disclosure_request.create": gettext_lazy("Member asked for a document"),
        "disclosure_request.answer": gettext_lazy("Member's request for a document answered"),
    }
)

MAX_BYTES = 15 * 1024 * 1024
#: the oldest event a disclosure may be recorded for (older papers are archives)
MAX_EVENT_AGE_DAYS = 3 * 366

FILE_RULES = uploads.UploadRules(
    prefix="file",
    field="file",
    max_bytes=MAX_BYTES,
    unsafe_name=r"[/\\<>\"'`]",
    default_stem="cong-khai",
    messages=uploads.Messages(
        too_big=gettext_lazy("The file is larger than %(limit)s MB."),
        empty=gettext_lazy("The file is empty."),
        wrong_type=gettext_lazy(
            "This file is not a PDF or a photo (JPEG, PNG, WebP), whatever its name says."
        ),
        too_many_pixels=gettext_lazy("The photo has too many pixels."),
        too_small=gettext_lazy("The photo is too small to be read (%(width)s x %(height)s px)."),
        corrupt_image=gettext_lazy("The photo is damaged or incomplete."),
        corrupt_pdf=gettext_lazy("The PDF file is damaged or incomplete."),
        pdf_active=gettext_lazy(
            "This PDF contains scripts or attachments, which are not accepted."
        ),
    ),
)


# ------------------------------------------------------------------ helpers


def _today() -> dt.date:
    return timezone.localdate()


def due_on(organisation: Organisation, event_on: dt.date) -> dt.date:
    """The last day to post the disclosure of an event on ``event_on``."""
    days = rules.value(RuleKey.DISCLOSURE_WORKING_DAYS, on=event_on, org_kind=organisation.kind)
    return workdays.add_working_days(event_on, int(days), workdays.current())


def keep_until(organisation: Organisation, posted_on: dt.date) -> dt.date:
    """The first day a disclosure posted on ``posted_on`` may be taken down."""
    days = rules.value(RuleKey.DISCLOSURE_KEEP_DAYS, on=posted_on, org_kind=organisation.kind)
    return posted_on + dt.timedelta(days=int(days))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _d(day: dt.date) -> str:
    return formats.date_format(day, "d/m/Y")


def _require_change(organisation: Organisation, *, actor: Actor) -> None:
    if not Disclosure.policy.allows_at(actor, "change", organisation=organisation.pk):
        if Disclosure.policy.allows_at(
            actor, "view", organisation=organisation.pk, province=organisation.province_id
        ):
            raise refused(_("Only the cooperative's manager records its disclosures."))
        raise not_found(_("Not found."))


def _file(upload: Any) -> tuple[bytes, str] | None:
    """An uploaded file checked by content (a PDF or a photo); a file the code made (the
    Word document of a resolution) is kept as it is."""
    if upload is None or upload == "":
        return None
    if isinstance(upload, UploadedFile):
        checked = uploads.check_upload(upload, FILE_RULES)
        return checked.content, checked.name
    if isinstance(upload, File):
        upload.seek(0)
        data = upload.read()
        if not data:
            raise ServiceError(
                "file_empty", _("The file is empty."), fields={"file": [_("The file is empty.")]}
            )
        return data, (upload.name or "cong-khai").rsplit("/", 1)[-1]
    raise TypeError("file must be an uploaded file or a django File")


def _check_posted_on(posted_on: dt.date | None, today: dt.date) -> None:
    if posted_on is not None and posted_on != today:
        if posted_on < today:
            raise ServiceError(
                "backdated",
                _("A disclosure is posted on the day it is posted: %(day)s cannot be entered.")
                % {"day": _d(posted_on)},
                fields={"posted_on": [_("Back-dating is not allowed.")]},
            )
        raise ServiceError(
            "posted_in_future",
            _("A disclosure cannot be marked as posted on a day to come."),
            fields={"posted_on": [_("This day has not come yet.")]},
        )


# ------------------------------------------------------------------ disclosures


def record(
    *,
    actor: Actor,
    organisation: Organisation,
    kind: str,
    title: str,
    event_on: dt.date,
    body: str = "",
    file: Any = None,
    resolution: Any = None,
    post: bool = True,
    posted_on: dt.date | None = None,
) -> Disclosure:
    """Record the disclosure of an event and (``post=True``) post it today.

    ``posted_on`` is only checked: a manager cannot say it was posted earlier (refused
    ``backdated``).  A resolution is disclosed once: recording it again returns the
    disclosure already made."""
    _require_change(organisation, actor=actor)
    today = _today()
    errors = Errors()
    if kind not in DisclosureKind.values:
        errors.add("kind", gettext_lazy("Choose what is disclosed."), "kind")
    clean_title = text(errors, "title", title, max_length=300, required=True)
    clean_body = text(errors, "body", body or "", max_length=20000, multiline=True)
    if not isinstance(event_on, dt.date) or isinstance(event_on, dt.datetime):
        errors.add("event_on", gettext_lazy("Enter a date."), "date")
    elif event_on > today:
        errors.add(
            "event_on",
            gettext_lazy("The event has not happened yet: record it on its day."),
            "event_in_future",
        )
    elif (today - event_on).days > MAX_EVENT_AGE_DAYS:
        errors.add(
            "event_on",
            gettext_lazy("The event is more than three years old."),
            "event_too_old",
        )
    errors.raise_if_any()
    _check_posted_on(posted_on, today)
    if resolution is not None and resolution.organisation_id != organisation.pk:
        raise not_found(_("Not found."), "resolution_not_found")
    stored = _file(file)
    due = due_on(organisation, event_on)
    with transaction.atomic():
        if resolution is not None:
            existing = Disclosure.objects.select_for_update().filter(resolution=resolution).first()
            if existing is not None:
                return existing
        obj = Disclosure(
            organisation=organisation,
            kind=kind,
            title=clean_title,
            body=clean_body,
            resolution=resolution,
            event_on=event_on,
            due_on=due,
            created_by=None if isinstance(actor, SystemActor) else actor,
        )
        if obj.created_by is None:
            obj.created_by = _organisation_manager_or_refuse(organisation)
        if post:
            obj.posted_on = today
            obj.keep_until = keep_until(organisation, today)
        if stored is not None:
            obj.file.save(stored[1], ContentFile(stored[0]), save=False)
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError:
            if resolution is not None:
                return Disclosure.objects.get(resolution=resolution)
            raise
        audit.record(
            actor=actor,
            action="disclosure.record",
            instance=obj,
            after={
                "kind": obj.kind,
                "event_on": _iso(obj.event_on),
                "due_on": _iso(obj.due_on),
                "posted_on": _iso(obj.posted_on),
                "late": obj.is_late,
            },
        )
        if obj.posted_on is not None:
            _tell_members(obj)
    return obj


def _tell_members(obj: Disclosure) -> None:
    """A short message to every active member who can be reached (after the commit):
    the disclosure's title and its page on the portal.  Members without a phone or an
    e-mail address are skipped."""
    from django.conf import settings
    from django.urls import reverse

    from .services_assemblies import member_address

    url = settings.SITE_URL + reverse("governance:disclosure_detail", kwargs={"pk": obj.pk})
    body = _("%(coop)s made public: “%(title)s”. Read it: %(url)s") % {
        "coop": obj.organisation.name,
        "title": obj.title,
        "url": url,
    }
    members = Membership.objects.filter(
        organisation_id=obj.organisation_id, left_on__isnull=True
    ).select_related("person", "person__user")
    for m in members.iterator():
        address = member_address(m)
        if address is not None:
            messaging.send_after_commit(
                channel=address[0], to=address[1], text=body, purpose="governance_disclosure"
            )


def _organisation_manager_or_refuse(organisation: Organisation) -> Any:
    """A system actor (demo, a scheduled job) records in the name of the organisation's
    manager: ``created_by`` names a person."""
    from htxso.accounts.models import RoleAssignment
    from htxso.core.roles import Role

    assignment = (
        RoleAssignment.objects.filter(organisation=organisation, role=Role.COOP_MANAGER)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if assignment is None:
        raise conflict(_("The cooperative has no manager's account."), "no_manager")
    return assignment.user


def post(*, actor: Actor, disclosure: Disclosure, posted_on: dt.date | None = None) -> Disclosure:
    """Post a recorded disclosure today (late when today is past its due day)."""
    _require_change(disclosure.organisation, actor=actor)
    today = _today()
    _check_posted_on(posted_on, today)
    with transaction.atomic():
        obj = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        if obj.posted_on is not None:
            raise conflict(_("This disclosure is already posted."), "already_posted")
        obj.posted_on = today
        obj.keep_until = keep_until(obj.organisation, today)
        obj.save(update_fields=["posted_on", "keep_until"])
        audit.record(
            actor=actor,
            action="disclosure.post",
            instance=obj,
            after={"posted_on": _iso(obj.posted_on), "late": obj.is_late},
        )
        _tell_members(obj)
    return obj


def take_down(*, actor: Actor, disclosure: Disclosure) -> Disclosure:
    """Take a posted disclosure down, not before the days it must stay posted."""
    _require_change(disclosure.organisation, actor=actor)
    today = _today()
    with transaction.atomic():
        obj = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        if obj.posted_on is None:
            raise conflict(_("This disclosure was never posted."), "not_posted")
        if obj.withdrawn_on is not None:
            raise conflict(_("This disclosure is already taken down."), "already_taken_down")
        if obj.keep_until is not None and today < obj.keep_until:
            raise conflict(
                _("It must stay posted until %(day)s (the law's minimum)."),
                "kept_too_short",
                {"day": _d(obj.keep_until)},
            )
        obj.withdrawn_on = today
        obj.save(update_fields=["withdrawn_on"])
        audit.record(
            actor=actor, action="disclosure.take_down", instance=obj, after={"on": _iso(today)}
        )
    return obj


def _money(amount: int) -> str:
    return format_vnd(amount, language="vi")


def publish_capital_holders(*, actor: Actor, organisation: Organisation) -> Disclosure:
    """Disclose today's list of members holding capital with their shares (names and
    amounts only: no ID numbers, no phones)."""
    from . import selectors_register

    _require_change(organisation, actor=actor)
    today = _today()
    holders = selectors_register.capital_holders(organisation)  # as the register stands now
    kinds = dict(Membership._meta.get_field("kind").choices or [])
    lines = []
    for n, h in enumerate(holders, start=1):
        share = f"{h.share_pct} %".replace(".", ",") if h.share_pct is not None else "—"
        lines.append(f"{n}. {h.name} — {kinds.get(h.kind, h.kind)} — {_money(h.paid)} — {share}")
    body = "\n".join(lines) or _("No member holds capital.")
    return record(
        actor=actor,
        organisation=organisation,
        kind=DisclosureKind.CAPITAL_MEMBERS,
        title=_("Members with capital and their shares on %(day)s") % {"day": _d(today)},
        event_on=today,
        body=body[:20000],
        post=True,
    )


# ------------------------------------------------------------------ members' requests


def request_create(
    *,
    actor: Actor,
    membership: Membership,
    message: str,
    disclosure: Disclosure | None = None,
) -> DisclosureRequest:
    """A member asks for a document (their own membership only)."""
    if (
        isinstance(actor, SystemActor)
        or membership.left_on is not None
        or membership.person.user_id != actor.pk
    ):
        raise not_found(_("Not found."), "not_a_member")
    if disclosure is not None and disclosure.organisation_id != membership.organisation_id:
        raise not_found(_("Not found."), "disclosure_not_found")
    errors = Errors()
    clean = text(errors, "message", message, max_length=3000, required=True, multiline=True)
    errors.raise_if_any()
    with transaction.atomic():
        req = DisclosureRequest.objects.create(
            organisation_id=membership.organisation_id,
            membership=membership,
            disclosure=disclosure,
            message=clean,
        )
        audit.record(
            actor=actor,
            action="disclosure_request.create",
            instance=req,
            after={"disclosure": disclosure.pk if disclosure else None},
        )
    return req


def request_answer(*, actor: Actor, request: DisclosureRequest, answer: str) -> DisclosureRequest:
    """The manager answers a member's request (once)."""
    DisclosureRequest.policy.require(actor, "change", request)
    errors = Errors()
    clean = text(errors, "answer", answer, max_length=5000, required=True, multiline=True)
    errors.raise_if_any()
    with transaction.atomic():
        obj = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
        if obj.answered_at is not None:
            raise conflict(_("This request is already answered."), "already_answered")
        obj.answer = clean
        obj.answered_by = None if isinstance(actor, SystemActor) else actor
        obj.answered_at = timezone.now()
        obj.save(update_fields=["answer", "answered_by", "answered_at"])
        audit.record(actor=actor, action="disclosure_request.answer", instance=obj)
    return obj
