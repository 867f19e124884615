"""Writes of the assemblies part: the lifecycle of a general assembly (Art. 57–61).

draft → announced → open → closed; a draft or announced assembly may be changed
(:func:`assembly_update`, the create form's checks again) or cancelled
(:func:`assembly_cancel`, terminal, with a reason).  An assembly that opens without its
quorum is closed as adjourned, and a next call (2nd within ``SECOND_CALL_DAYS``, 3rd within
``THIRD_CALL_DAYS`` of the call before) is announced with the lower quorum of its rule.
Agenda items, documents and delegates are prepared while draft or announced; members
petition to add items; check-in by the hall's rotating code, the personal link or the
secretary's desk.

Every write: keyword-only ``actor``, one transaction, one audit row, and a
:class:`~htxso.core.errors.ServiceError` for a refusal (nothing half-saved).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxso.accounts.phones import parse_vn_phone
from htxso.core import audit, messaging
from htxso.core.actors import Actor, SystemActor
from htxso.core.errors import Kind, ServiceError, conflict, not_found, refused
from htxso.registry.models import Membership, Organisation

from . import checkin_assemblies as codes
from . import rules
from . import selectors_assemblies as sel
from .models.assemblies import (
    AgendaItem,
    Assembly,
    AssemblyDocument,
    AssemblyKind,
    AssemblyMode,
    AssemblyStatus,
    Attendance,
    AttendanceChannel,
    Delegate,
    Petition,
    PetitionDecision,
    PetitionSignature,
)
from .models.rules import RuleKey
from .models.votes import ResolutionStatus

audit.ACTION_LABELS.update(
    {
        "assembly.create": gettext_lazy("General assembly prepared"),
        "assembly.announce": gettext_lazy("General assembly announced"),
        "assembly.open": gettext_lazy("General assembly opened"),
        "assembly.close": gettext_lazy("General assembly closed"),
        "assembly.adjourn": gettext_lazy("General assembly adjourned (no quorum)"),
        "assembly.next_call": gettext_lazy("General assembly called again"),
        "assembly.rotate": gettext_lazy("Check-in code renewed"),
        "assembly.agenda": gettext_lazy("Agenda item added"),
        "assembly.document": gettext_lazy("Assembly document added"),
        "assembly.delegates": gettext_lazy("Delegates elected"),
        "assembly.checkin": gettext_lazy("Member checked in"),
        "assembly.petition": gettext_lazy("Agenda petition started"),
        "assembly.petition_sign": gettext_lazy("Agenda petition signed"),
        "assembly.petition_answer": gettext_lazy("Agenda petition answered"),
        "assembly.update": gettext_lazy("General assembly changed"),
        "assembly.cancel": gettext_lazy("General assembly cancelled"),
        "assembly.agenda_remove": gettext_lazy("Agenda item removed"),
        "assembly.document_remove": gettext_lazy("Assembly document removed"),
    }
)

PREPARING = (AssemblyStatus.DRAFT, AssemblyStatus.ANNOUNCED)
PURPOSE = "governance_assembly"
#: documents sent in advance: what members' phones open
DOCUMENT_TYPES = {".pdf", ".docx", ".xlsx", ".doc", ".xls", ".jpg", ".jpeg", ".png", ".odt"}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_DELEGATES = 5000


# --- helpers -----------------------------------------------------------------------------


def _audit(obj: Any, *, actor: Actor, action: str, **after: Any) -> None:
    org_id = obj.organisation_id if isinstance(obj, Assembly) else obj.assembly.organisation_id
    audit.record(actor=actor, action=action, instance=obj, after=after, organisation_id=org_id)


def _lock(assembly: Assembly) -> Assembly:
    return Assembly.objects.select_for_update().select_related("organisation").get(pk=assembly.pk)


def _require_change(*, actor: Actor, assembly: Assembly) -> None:
    Assembly.policy.require(actor, "change", assembly)


def _status(assembly: Assembly, *allowed: str, code: str = "wrong_status") -> None:
    if assembly.status not in allowed:
        raise conflict(
            _("Not possible now: the assembly is “%(status)s”."),
            code,
            {"status": assembly.get_status_display()},
        )


def _site(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _member_of_actor(*, actor: Actor, assembly: Assembly) -> Membership:
    if isinstance(actor, SystemActor):
        raise refused(_("Only a member checks themself in."))
    m = sel.membership_of(actor, assembly.organisation_id)
    if m is None:
        # another cooperative's member, or nobody's: as if the assembly did not exist
        Assembly.policy.require(actor, "view", assembly)
        raise refused(_("You are not a member of this cooperative."), "not_member")
    return m


def member_address(m: Membership) -> tuple[str, str] | None:
    """Where a member's message goes (used by the disclosures and the reminders too)."""
    return _address_of(m)


def _address_of(m: Membership) -> tuple[str, str] | None:
    """Where a member's message goes: their phone (SMS), else their account's e-mail."""
    user = m.person.user
    raw = (getattr(user, "phone", "") or "") if user is not None else ""
    for candidate in (raw, m.person.phone):
        if candidate:
            try:
                return messaging.Channel.SMS, parse_vn_phone(candidate)
            except ServiceError:
                continue
    email = getattr(user, "email", "") if user is not None else ""
    if email:
        return messaging.Channel.EMAIL, email
    return None


def _with_own_link(body: str, a: Assembly, m: Membership) -> str:
    """A message to a member of an online or hybrid assembly ends with their own link."""
    return (
        body + " " + _("Your own link to check in online: %(link)s") % {"link": personal_link(a, m)}
    )


def _require_delegates_allowed(organisation: Organisation, day: dt.date) -> None:
    """Refuse a delegate assembly on ``day`` when the cooperative has too few official
    members for one (the rule and its article)."""
    need = sel.delegate_need(organisation, day)
    if not need.allowed:
        raise ServiceError(
            "delegate_not_allowed",
            _(
                "A delegate assembly needs at least %(n)s official members "
                "(%(article)s); this cooperative has %(have)s."
            ),
            {"n": need.threshold, "article": need.article, "have": need.official},
        )


def _notify_members(assembly: Assembly, text_for) -> int:
    """One message per active member who can be reached (sent after commit)."""
    sent = 0
    members = Membership.objects.filter(
        organisation_id=assembly.organisation_id, left_on__isnull=True
    ).select_related("person", "person__user")
    subject = _("General assembly: %(title)s") % {"title": assembly.title}
    for m in members.iterator():
        address = _address_of(m)
        if address is None:
            continue
        channel, to = address
        messaging.send_after_commit(
            channel=channel, to=to, text=text_for(m), purpose=PURPOSE, subject=subject
        )
        sent += 1
    return sent


def _when(assembly: Assembly) -> str:
    return formats.date_format(timezone.localtime(assembly.scheduled_at), "d/m/Y H:i")


def personal_link(assembly: Assembly, membership: Membership) -> str:
    token = codes.personal_token(assembly.pk, membership.pk)
    return _site(reverse("governance:checkin", kwargs={"token": token}))


# --- create and prepare ------------------------------------------------------------------


def _check_mode(mode: str, place: str, online_link: str) -> None:
    errors: dict[str, list] = {}
    if mode in (AssemblyMode.IN_PERSON, AssemblyMode.HYBRID) and not place.strip():
        errors["place"] = [_("Say where the assembly meets.")]
    if mode in (AssemblyMode.ONLINE, AssemblyMode.HYBRID) and not online_link.strip():
        errors["online_link"] = [_("Give the online meeting link.")]
    if errors:
        raise ServiceError("mode_incomplete", _("Complete the place or link."), fields=errors)


def assembly_create(
    *,
    actor: Actor,
    organisation: Organisation,
    kind: str,
    year: int,
    mode: str,
    title: str,
    scheduled_at: dt.datetime,
    place: str = "",
    online_link: str = "",
    is_delegate: bool = False,
) -> Assembly:
    Assembly.policy.require_at(actor, "change", organisation=organisation.pk)
    if kind not in AssemblyKind.values or mode not in AssemblyMode.values:
        raise ServiceError("invalid", _("Choose the kind and the mode."))
    _check_mode(mode, place, online_link)
    if scheduled_at <= timezone.now():
        raise ServiceError(
            "in_the_past",
            _("The assembly must be in the future."),
            fields={"scheduled_at": [_("The assembly must be in the future.")]},
        )
    day = timezone.localdate(scheduled_at)
    if is_delegate:
        _require_delegates_allowed(organisation, day)
    if isinstance(actor, SystemActor):
        raise refused(_("An assembly is prepared by a person."))
    with transaction.atomic():
        a = Assembly.objects.create(
            organisation=organisation,
            kind=kind,
            year=year,
            mode=mode,
            is_delegate=is_delegate,
            title=title.strip(),
            scheduled_at=scheduled_at,
            place=place.strip(),
            online_link=online_link.strip(),
            created_by=actor,
        )
        _audit(a, actor=actor, action="assembly.create", kind=kind, year=year, mode=mode)
    return a


def agenda_add(
    *, actor: Actor, assembly: Assembly, title: str, description: str = ""
) -> AgendaItem:
    _require_change(actor=actor, assembly=assembly)
    with transaction.atomic():
        a = _lock(assembly)
        _status(a, *PREPARING)
        position = (
            a.agenda.order_by("-position").values_list("position", flat=True).first() or 0
        ) + 1
        item = AgendaItem.objects.create(
            assembly=a, position=position, title=title.strip(), description=description.strip()
        )
        _audit(item, actor=actor, action="assembly.agenda", title=item.title)
    return item


def document_add(
    *, actor: Actor, assembly: Assembly, title: str, file: UploadedFile
) -> AssemblyDocument:
    _require_change(actor=actor, assembly=assembly)
    if isinstance(actor, SystemActor):
        raise refused(_("A document is added by a person."))
    name = (file.name or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in DOCUMENT_TYPES:
        raise ServiceError(
            "file_type",
            _("Send a PDF, Word, Excel or picture file."),
            fields={"file": [_("Send a PDF, Word, Excel or picture file.")]},
        )
    if (file.size or 0) > MAX_DOCUMENT_BYTES:
        raise ServiceError(
            "file_too_large",
            _("The file is larger than 10 MB."),
            fields={"file": [_("The file is larger than 10 MB.")]},
            kind=Kind.TOO_LARGE,
        )
    head = file.read(8)
    file.seek(0)
    if suffix == ".pdf" and not head.startswith(b"%PDF"):
        raise ServiceError(
            "file_type",
            _("This file is not a PDF."),
            fields={"file": [_("This file is not a PDF.")]},
        )
    if suffix in (".docx", ".xlsx", ".odt") and not head.startswith(b"PK"):
        raise ServiceError(
            "file_type",
            _("This file is not a Word or Excel document."),
            fields={"file": [_("This file is not a Word or Excel document.")]},
        )
    with transaction.atomic():
        a = _lock(assembly)
        _status(a, *PREPARING)
        doc = AssemblyDocument(assembly=a, title=title.strip(), uploaded_by=actor)
        doc.file.save(f"document{suffix}", file, save=False)
        doc.save()
        _audit(doc, actor=actor, action="assembly.document", title=doc.title)
        if a.status == AssemblyStatus.ANNOUNCED:
            url = _site(reverse("governance:assembly_detail", kwargs={"pk": a.pk}))
            _notify_members(
                a,
                lambda m: (
                    _("%(coop)s: new document for the assembly of %(when)s: %(url)s")
                    % {"coop": a.organisation.name, "when": _when(a), "url": url}
                ),
            )
    return doc


def delegates_elect(
    *,
    actor: Actor,
    assembly: Assembly,
    membership_ids: Iterable[int],
    elected_on: dt.date,
    constituency: str = "",
) -> list[Delegate]:
    """Record the elected delegates of a delegate assembly (the whole list, replacing the
    one before); refuse fewer than the law's band asks."""
    _require_change(actor=actor, assembly=assembly)
    ids = sorted({int(i) for i in membership_ids})
    if len(ids) > MAX_DELEGATES:
        raise ServiceError("too_many", _("Too many delegates in one list."))
    with transaction.atomic():
        a = _lock(assembly)
        if not a.is_delegate:
            raise conflict(_("This is not a delegate assembly."), "not_delegate_assembly")
        _status(a, *PREPARING)
        day = sel.assembly_day(a)
        if elected_on > timezone.localdate():
            raise ServiceError("elected_in_future", _("The election cannot be in the future."))
        official = sel.official_members(a.organisation_id, day)
        found = set(official.filter(pk__in=ids).values_list("pk", flat=True))
        stray = [i for i in ids if i not in found]
        if stray:
            raise ServiceError(
                "not_official_member",
                _("Only official members of this cooperative may be delegates."),
                details={"ids": stray[:20]},
            )
        need = sel.delegate_need(a.organisation, day)
        if need.required is not None and len(ids) < need.required:
            raise ServiceError(
                "too_few_delegates",
                _(
                    "The law asks for at least %(need)s delegates for %(n)s official members "
                    "(%(article)s); you chose %(have)s."
                ),
                {
                    "need": need.required,
                    "n": need.official,
                    "article": need.article,
                    "have": len(ids),
                },
            )
        Delegate.objects.filter(assembly=a).delete()
        rows = Delegate.objects.bulk_create(
            [
                Delegate(
                    assembly=a,
                    membership_id=i,
                    constituency=constituency.strip(),
                    elected_on=elected_on,
                )
                for i in ids
            ]
        )
        _audit(a, actor=actor, action="assembly.delegates", count=len(rows))
    return rows


# --- change, cancel, remove (before the assembly opens) ---------------------------------

#: the fields :func:`assembly_update` may change
EDITABLE = ("title", "scheduled_at", "mode", "place", "online_link")


def _check_call_window(a: Assembly, scheduled_at: dt.datetime) -> None:
    """A 2nd or 3rd call meets after its previous call's day and within the rule's days."""
    prev = a.previous_call
    if prev is None:
        return
    key = RuleKey.SECOND_CALL_DAYS if prev.call_no == 1 else RuleKey.THIRD_CALL_DAYS
    day = sel.assembly_day(prev)
    r = rules.rule(key, on=day, org_kind=a.organisation.kind)
    new_day = timezone.localdate(scheduled_at)
    last = day + dt.timedelta(days=int(r.value))
    if new_day <= day or new_day > last:
        message = _("The next call must meet after %(day)s and by %(last)s (%(article)s).")
        params = {
            "day": formats.date_format(day, "d/m/Y"),
            "last": formats.date_format(last, "d/m/Y"),
            "article": r.article,
        }
        raise ServiceError(
            "call_out_of_days", message, params, fields={"scheduled_at": [message % params]}
        )


def _refuse_unless_preparing(a: Assembly, *, cancelling: bool = False) -> None:
    """A precise refusal once the assembly has opened, closed or was cancelled."""
    if a.status in PREPARING:
        return
    if a.status == AssemblyStatus.CANCELLED:
        if cancelling:
            raise conflict(_("The assembly is already cancelled."), "already_cancelled")
        raise conflict(_("The assembly was cancelled: nothing more can change."), "cancelled")
    if a.status == AssemblyStatus.OPEN:
        if cancelling:
            raise conflict(
                _("The assembly is in session: it cannot be cancelled; close it instead."),
                "already_open",
            )
        raise conflict(
            _("The assembly is in session: its details and agenda can no longer change."),
            "already_open",
        )
    if cancelling:
        raise conflict(_("The assembly is over: it cannot be cancelled."), "already_closed")
    raise conflict(
        _("The assembly is over: its details and agenda can no longer change."),
        "already_closed",
    )


def assembly_update(
    *,
    actor: Actor,
    assembly: Assembly,
    title: str,
    scheduled_at: dt.datetime,
    mode: str,
    place: str = "",
    online_link: str = "",
) -> Assembly:
    """Change a draft or announced assembly: its title, day and time, mode, place or link.
    The create form's checks apply again (a day to come, the place or link of the mode,
    a delegate assembly still allowed, a next call within the rule's days).  Members of
    an announced assembly are told of the new day or place."""
    _require_change(actor=actor, assembly=assembly)
    if isinstance(actor, SystemActor):
        raise refused(_("An assembly is changed by a person."))
    if mode not in AssemblyMode.values:
        raise ServiceError("invalid", _("Choose the kind and the mode."))
    title = title.strip()
    if not title:
        raise ServiceError(
            "title_missing",
            _("Give the assembly a title."),
            fields={"title": [_("Give the assembly a title.")]},
        )
    _check_mode(mode, place, online_link)
    if scheduled_at <= timezone.now():
        raise ServiceError(
            "in_the_past",
            _("The assembly must be in the future."),
            fields={"scheduled_at": [_("The assembly must be in the future.")]},
        )
    with transaction.atomic():
        a = _lock(assembly)
        _refuse_unless_preparing(a)
        _check_call_window(a, scheduled_at)
        if a.is_delegate:
            _require_delegates_allowed(a.organisation, timezone.localdate(scheduled_at))
        new = {
            "title": title,
            "scheduled_at": scheduled_at,
            "mode": mode,
            "place": place.strip(),
            "online_link": online_link.strip(),
        }
        changed = [f for f in EDITABLE if getattr(a, f) != new[f]]
        if not changed:
            return a
        before = {f: _plain(getattr(a, f)) for f in changed}
        for f in changed:
            setattr(a, f, new[f])
        a.save(update_fields=changed)
        if "scheduled_at" in changed:
            # the reminders before the old day no longer tell the truth: send them again
            a.reminders.all().delete()
        _audit_change(a, actor=actor, before=before, after={f: _plain(new[f]) for f in changed})
        if a.status == AssemblyStatus.ANNOUNCED and set(changed) - {"title"}:
            _tell_change(a)
    return a


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else value


def _audit_change(a: Assembly, *, actor: Actor, before: dict, after: dict) -> None:
    audit.record(
        actor=actor,
        action="assembly.update",
        instance=a,
        before=before,
        after=after,
        organisation_id=a.organisation_id,
    )


def _tell_change(a: Assembly) -> None:
    url = _site(reverse("governance:assembly_detail", kwargs={"pk": a.pk}))
    online = a.mode in (AssemblyMode.ONLINE, AssemblyMode.HYBRID)

    def text(m: Membership) -> str:
        body = _(
            "%(coop)s: the assembly “%(title)s” has changed. It meets on %(when)s, "
            "%(where)s. Details: %(url)s"
        ) % {
            "coop": a.organisation.name,
            "title": a.title,
            "when": _when(a),
            "where": a.place or a.get_mode_display(),
            "url": url,
        }
        return _with_own_link(body, a, m) if online else body

    _notify_members(a, text)


def assembly_cancel(*, actor: Actor, assembly: Assembly, reason: str) -> Assembly:
    """Call off a draft or announced assembly (terminal), with the reason; members of an
    announced assembly are told."""
    _require_change(actor=actor, assembly=assembly)
    if isinstance(actor, SystemActor):
        raise refused(_("An assembly is cancelled by a person."))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(
            "reason_missing",
            _("Say why the assembly is cancelled."),
            fields={"reason": [_("Say why the assembly is cancelled.")]},
        )
    if len(reason) > 1000:
        raise ServiceError(
            "reason_too_long",
            _("The reason is too long (at most 1000 characters)."),
            fields={"reason": [_("The reason is too long (at most 1000 characters).")]},
        )
    with transaction.atomic():
        a = _lock(assembly)
        _refuse_unless_preparing(a, cancelling=True)
        was = a.status
        a.status = AssemblyStatus.CANCELLED
        a.cancelled_at = timezone.now()
        a.cancelled_by = actor
        a.cancel_reason = reason
        a.checkin_token = secrets.token_urlsafe(24)  # voids the personal links sent
        a.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancelled_by",
                "cancel_reason",
                "checkin_token",
            ]
        )
        audit.record(
            actor=actor,
            action="assembly.cancel",
            instance=a,
            before={"status": was},
            after={"status": a.status, "reason": reason},
            organisation_id=a.organisation_id,
        )
        if was == AssemblyStatus.ANNOUNCED:
            _notify_members(
                a,
                lambda m: (
                    _("%(coop)s: the assembly “%(title)s” of %(when)s is cancelled. Why: %(why)s")
                    % {
                        "coop": a.organisation.name,
                        "title": a.title,
                        "when": _when(a),
                        "why": reason,
                    }
                ),
            )
    return a


def agenda_remove(*, actor: Actor, item: AgendaItem, reason: str = "") -> None:
    """Remove an agenda item before the assembly opens.  An item the members asked for
    (a petition) is not removed silently: the reason is recorded on the petition, as
    when the manager declines it."""
    _require_change(actor=actor, assembly=item.assembly)
    if isinstance(actor, SystemActor):
        raise refused(_("An agenda item is removed by a person."))
    reason = (reason or "").strip()
    with transaction.atomic():
        a = _lock(item.assembly)
        _refuse_unless_preparing(a)
        row = AgendaItem.objects.select_for_update().filter(pk=item.pk, assembly=a).first()
        if row is None:
            raise not_found(_("No such agenda item."))
        if row.petition_id is not None:
            if not reason:
                raise ServiceError(
                    "reason_missing",
                    _("Members asked for this item: say why it is removed."),
                    fields={"reason": [_("Members asked for this item: say why it is removed.")]},
                )
            p = Petition.objects.select_for_update().get(pk=row.petition_id)
            p.decision = PetitionDecision.DECLINED
            p.decision_reason = reason
            p.decided_at = timezone.now()
            p.decided_by = actor
            p.save(update_fields=["decision", "decision_reason", "decided_at", "decided_by"])
        title, petition_id, position = row.title, row.petition_id, row.position
        row.delete()
        # keep the order 1, 2, 3… without a hole
        later = list(a.agenda.filter(position__gt=position).order_by("position", "id"))
        for i in later:
            i.position -= 1
        AgendaItem.objects.bulk_update(later, ["position"])
        audit.record(
            actor=actor,
            action="assembly.agenda_remove",
            instance=a,
            before={"title": title, "position": position, "petition": petition_id},
            after={"reason": reason} if reason else None,
            organisation_id=a.organisation_id,
        )


def document_remove(*, actor: Actor, document: AssemblyDocument) -> None:
    """Remove a document before the assembly opens (its file too, unless a next call
    still shows it)."""
    _require_change(actor=actor, assembly=document.assembly)
    if isinstance(actor, SystemActor):
        raise refused(_("A document is removed by a person."))
    with transaction.atomic():
        a = _lock(document.assembly)
        _refuse_unless_preparing(a)
        doc = AssemblyDocument.objects.select_for_update().filter(pk=document.pk, assembly=a)
        row = doc.first()
        if row is None:
            raise not_found(_("No such document."))
        name, title = row.file.name, row.title
        row.delete()
        if not AssemblyDocument.objects.filter(file=name).exists():
            storage = row.file.storage
            transaction.on_commit(lambda: storage.delete(name))
        audit.record(
            actor=actor,
            action="assembly.document_remove",
            instance=a,
            before={"title": title},
            organisation_id=a.organisation_id,
        )


# --- lifecycle ---------------------------------------------------------------------------


def announce(*, actor: Actor, assembly: Assembly) -> Assembly:
    """Send the invitation, the agenda and the documents' link to every member."""
    _require_change(actor=actor, assembly=assembly)
    with transaction.atomic():
        a = _lock(assembly)
        _status(a, AssemblyStatus.DRAFT)
        if not a.agenda.exists():
            raise conflict(_("Add the agenda before announcing."), "no_agenda")
        if a.is_delegate:
            need = sel.delegate_need(a.organisation, sel.assembly_day(a))
            have = a.delegates.count()
            if need.required is not None and have < need.required:
                raise conflict(
                    _("Elect at least %(need)s delegates first (%(article)s)."),
                    "too_few_delegates",
                    {"need": need.required, "article": need.article},
                )
        a.status = AssemblyStatus.ANNOUNCED
        a.announced_at = timezone.now()
        a.save(update_fields=["status", "announced_at"])
        _invite(a)
        _audit(a, actor=actor, action="assembly.announce")
    return a


def _invite(a: Assembly) -> None:
    url = _site(reverse("governance:assembly_detail", kwargs={"pk": a.pk}))
    online = a.mode in (AssemblyMode.ONLINE, AssemblyMode.HYBRID)

    def text(m: Membership) -> str:
        body = _(
            "%(coop)s invites you to “%(title)s” on %(when)s. Agenda and documents: %(url)s"
        ) % {
            "coop": a.organisation.name,
            "title": a.title,
            "when": _when(a),
            "url": url,
        }
        return _with_own_link(body, a, m) if online else body

    _notify_members(a, text)


def open_assembly(*, actor: Actor, assembly: Assembly) -> Assembly:
    _require_change(actor=actor, assembly=assembly)
    with transaction.atomic():
        a = _lock(assembly)
        _status(a, AssemblyStatus.ANNOUNCED)
        if sel.unanswered_petitions(a):
            raise conflict(
                _("Answer the members' petitions first: add the item or record why not."),
                "petition_unanswered",
            )
        a.voters_total = sel.voters(a).count()
        a.status = AssemblyStatus.OPEN
        a.opened_at = timezone.now()
        a.checkin_token = secrets.token_urlsafe(24)
        a.save(update_fields=["voters_total", "status", "opened_at", "checkin_token"])
        _audit(a, actor=actor, action="assembly.open", voters_total=a.voters_total)
    return a


def close_assembly(*, actor: Actor, assembly: Assembly) -> Assembly:
    """Close the session; without its quorum the assembly is closed as adjourned."""
    _require_change(actor=actor, assembly=assembly)
    with transaction.atomic():
        a = _lock(assembly)
        _status(a, AssemblyStatus.OPEN)
        if a.resolutions.filter(status=ResolutionStatus.OPEN).exists():
            raise conflict(_("Close the open votes first."), "votes_open")
        q = sel.quorum(a)
        a.status = AssemblyStatus.CLOSED if q.met else AssemblyStatus.ADJOURNED
        a.closed_at = timezone.now()
        a.checkin_token = secrets.token_urlsafe(24)  # voids the hall's codes
        a.save(update_fields=["status", "closed_at", "checkin_token"])
        _audit(
            a,
            actor=actor,
            action="assembly.close" if q.met else "assembly.adjourn",
            present=q.present,
            total=q.total,
            required=q.required,
        )
    return a


def rotate_code(*, actor: Actor, assembly: Assembly) -> Assembly:
    """A new secret for the hall's codes: every code shown before stops working."""
    _require_change(actor=actor, assembly=assembly)
    with transaction.atomic():
        a = _lock(assembly)
        _status(a, AssemblyStatus.ANNOUNCED, AssemblyStatus.OPEN)
        a.checkin_token = secrets.token_urlsafe(24)
        a.save(update_fields=["checkin_token"])
        _audit(a, actor=actor, action="assembly.rotate")
    return a


def next_call(*, actor: Actor, assembly: Assembly, scheduled_at: dt.datetime) -> Assembly:
    """Call an adjourned assembly again (2nd, then 3rd call) within the rule's days;
    the agenda and the delegates carry over, the new call is announced at once."""
    _require_change(actor=actor, assembly=assembly)
    if isinstance(actor, SystemActor):
        raise refused(_("An assembly is called by a person."))
    with transaction.atomic():
        a = _lock(assembly)
        _status(a, AssemblyStatus.ADJOURNED)
        if a.call_no >= 3:
            raise conflict(
                _("The third call needs no quorum: there is no fourth."), "no_more_calls"
            )
        if Assembly.objects.filter(previous_call=a).exists():
            raise conflict(_("This assembly was already called again."), "already_called")
        key = RuleKey.SECOND_CALL_DAYS if a.call_no == 1 else RuleKey.THIRD_CALL_DAYS
        day = sel.assembly_day(a)
        r = rules.rule(key, on=day, org_kind=a.organisation.kind)
        new_day = timezone.localdate(scheduled_at)
        last = day + dt.timedelta(days=int(r.value))
        if scheduled_at <= timezone.now() or new_day <= day or new_day > last:
            raise ServiceError(
                "call_out_of_days",
                _("The next call must meet after %(day)s and by %(last)s (%(article)s)."),
                {
                    "day": formats.date_format(day, "d/m/Y"),
                    "last": formats.date_format(last, "d/m/Y"),
                    "article": r.article,
                },
                fields={
                    "scheduled_at": [
                        _("The next call must meet by %(last)s (%(article)s).")
                        % {"last": formats.date_format(last, "d/m/Y"), "article": r.article}
                    ]
                },
            )
        b = Assembly.objects.create(
            organisation=a.organisation,
            kind=a.kind,
            year=a.year,
            mode=a.mode,
            is_delegate=a.is_delegate,
            call_no=a.call_no + 1,
            previous_call=a,
            title=a.title,
            scheduled_at=scheduled_at,
            place=a.place,
            online_link=a.online_link,
            status=AssemblyStatus.ANNOUNCED,
            announced_at=timezone.now(),
            created_by=actor,
        )
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(
                    assembly=b, position=i.position, title=i.title, description=i.description
                )
                for i in a.agenda.all()
            ]
        )
        AssemblyDocument.objects.bulk_create(
            [
                AssemblyDocument(
                    assembly=b, title=d.title, file=d.file.name, uploaded_by=d.uploaded_by
                )
                for d in a.documents.all()
            ]
        )
        Delegate.objects.bulk_create(
            [
                Delegate(
                    assembly=b,
                    membership_id=d.membership_id,
                    constituency=d.constituency,
                    elected_on=d.elected_on,
                )
                for d in a.delegates.all()
            ]
        )
        _invite(b)
        _audit(b, actor=actor, action="assembly.next_call", call_no=b.call_no, previous=a.pk)
    return b


# --- check-in ----------------------------------------------------------------------------


def _attend(a: Assembly, m: Membership, *, channel: str, by: Any) -> Attendance:
    if Attendance.objects.filter(assembly=a, membership=m).exists():
        raise conflict(_("Already checked in."), "already_checked_in")
    try:
        with transaction.atomic():
            return Attendance.objects.create(
                assembly=a,
                membership=m,
                channel=channel,
                may_vote=sel.may_vote(a, m),
                checked_in_by=by,
            )
    except IntegrityError:
        raise conflict(_("Already checked in."), "already_checked_in") from None


def _check_open(a: Assembly) -> None:
    if a.status in (AssemblyStatus.CLOSED, AssemblyStatus.ADJOURNED, AssemblyStatus.CANCELLED):
        raise conflict(_("The assembly is closed: check-in has ended."), "assembly_closed")
    if a.status != AssemblyStatus.OPEN:
        raise conflict(_("Check-in opens when the assembly opens."), "not_open")


def check_in(*, actor: Actor, token: str) -> Attendance:
    """A member checks in: the hall's QR code (in person) or their personal link."""
    parsed = codes.parse(token)
    if parsed is None:
        raise ServiceError("code_malformed", _("This is not a check-in code of an assembly."))
    a = Assembly.objects.select_related("organisation").filter(pk=parsed.assembly_id).first()
    if a is None:
        raise not_found(_("No such assembly."))
    problem = codes.check(parsed, a.checkin_token)
    if problem is codes.Problem.TAMPERED:
        raise ServiceError("code_invalid", _("This check-in code is not valid."))
    if problem is codes.Problem.EXPIRED:
        raise ServiceError("code_expired", _("This code has expired: scan the screen again."))
    m = _member_of_actor(actor=actor, assembly=a)
    if parsed.kind is codes.Kind.PERSONAL:
        if parsed.value != m.pk:
            raise refused(_("This link belongs to another member."), "not_your_link")
        channel = AttendanceChannel.ONLINE
    else:
        channel = AttendanceChannel.HALL
    with transaction.atomic():
        a = _lock(a)
        _check_open(a)
        att = _attend(a, m, channel=channel, by=actor)
        _audit(att, actor=actor, action="assembly.checkin", channel=channel, membership=m.pk)
    return att


def desk_check_in(*, actor: Actor, assembly: Assembly, membership_id: int) -> Attendance:
    """The secretary checks in a member at the desk."""
    _require_change(actor=actor, assembly=assembly)
    if isinstance(actor, SystemActor):
        raise refused(_("Check-in at the desk is done by a person."))
    with transaction.atomic():
        a = _lock(assembly)
        _check_open(a)
        m = (
            Membership.objects.filter(
                pk=membership_id, organisation_id=a.organisation_id, left_on__isnull=True
            )
            .select_related("person")
            .first()
        )
        if m is None:
            raise ServiceError(
                "not_member",
                _("Not an active member of this cooperative."),
                fields={"membership": [_("Not an active member of this cooperative.")]},
            )
        att = _attend(a, m, channel=AttendanceChannel.DESK, by=actor)
        _audit(att, actor=actor, action="assembly.checkin", channel="desk", membership=m.pk)
    return att


# --- petitions ---------------------------------------------------------------------------


def _official_member(*, actor: Actor, a: Assembly) -> Membership:
    m = _member_of_actor(actor=actor, assembly=a)
    if not sel.official_members(a.organisation_id, timezone.localdate()).filter(pk=m.pk).exists():
        raise refused(_("Only official members may petition the agenda."), "not_official")
    return m


def petition_create(*, actor: Actor, assembly: Assembly, title: str, reason: str = "") -> Petition:
    with transaction.atomic():
        a = _lock(assembly)
        m = _official_member(actor=actor, a=a)
        _status(a, *PREPARING)
        if not title.strip():
            raise ServiceError("title_missing", _("Say what item you ask for."))
        p = Petition.objects.create(
            assembly=a, title=title.strip(), reason=reason.strip(), created_by=m
        )
        PetitionSignature.objects.create(petition=p, membership=m)
        _audit(p, actor=actor, action="assembly.petition", title=p.title)
    return p


def petition_sign(*, actor: Actor, petition: Petition) -> PetitionSignature:
    with transaction.atomic():
        a = _lock(petition.assembly)
        m = _official_member(actor=actor, a=a)
        _status(a, *PREPARING)
        if petition.decision:
            raise conflict(_("This petition was already answered."), "petition_answered")
        if PetitionSignature.objects.filter(petition=petition, membership=m).exists():
            raise conflict(_("You already signed."), "already_signed")
        try:
            with transaction.atomic():
                s = PetitionSignature.objects.create(petition=petition, membership=m)
        except IntegrityError:
            raise conflict(_("You already signed."), "already_signed") from None
        _audit(petition, actor=actor, action="assembly.petition_sign")
    return s


def petition_answer(*, actor: Actor, petition: Petition, add: bool, reason: str = "") -> Petition:
    """The manager adds the petitioned item to the agenda, or records why not."""
    _require_change(actor=actor, assembly=petition.assembly)
    if isinstance(actor, SystemActor):
        raise refused(_("A petition is answered by a person."))
    with transaction.atomic():
        a = _lock(petition.assembly)
        p = Petition.objects.select_for_update().get(pk=petition.pk)
        _status(a, *PREPARING)
        if p.decision:
            raise conflict(_("This petition was already answered."), "petition_answered")
        if not add and not reason.strip():
            raise ServiceError(
                "reason_missing",
                _("Say why the item is not added."),
                fields={"reason": [_("Say why the item is not added.")]},
            )
        if add:
            position = (
                a.agenda.order_by("-position").values_list("position", flat=True).first() or 0
            ) + 1
            AgendaItem.objects.create(
                assembly=a, position=position, title=p.title, description=p.reason, petition=p
            )
        p.decision = PetitionDecision.ADDED if add else PetitionDecision.DECLINED
        p.decision_reason = "" if add else reason.strip()
        p.decided_at = timezone.now()
        p.decided_by = actor
        p.save(update_fields=["decision", "decision_reason", "decided_at", "decided_by"])
        _audit(p, actor=actor, action="assembly.petition_answer", decision=p.decision)
    return p
