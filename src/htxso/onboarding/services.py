"""Every write to access requests: submit, ask, answer, approve, refuse, withdraw, and
register a proposed cooperative then approve, in one flow.

Each service checks the policy (``AccessRequest.policy``), refuses bad input with a
``ServiceError`` (field messages and a stable code), changes the request in one
transaction with one audit row, and tells the requester by SMS (and e-mail when they
have one) once the transaction has committed, in the requester's language.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxso.accounts.models import RoleAssignment, User
from htxso.accounts.phones import parse_vn_phone
from htxso.accounts.services import role_assign
from htxso.core import audit, messaging
from htxso.core.actors import Actor, SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.codes import CodeError, validate_tax_code
from htxso.core.consent import record_consent
from htxso.core.errorlist import Errors, text
from htxso.core.errors import Kind, ServiceError, conflict, refused
from htxso.core.policy import require_grant
from htxso.core.roles import Role
from htxso.core.text import fold
from htxso.geo.models import Province
from htxso.registry.models import Organisation
from htxso.registry.services.organisations import organisation_create

from .documents import CheckedDocument, check_document
from .models import OPEN, AccessRequest, ProposedKind, Status

ACTION_LABELS.update(
    {
        "access_request.submit": gettext_lazy("Access request sent"),
        "access_request.ask": gettext_lazy("Access request: more information asked"),
        "access_request.answer": gettext_lazy("Access request: information given"),
        "access_request.approve": gettext_lazy("Access request approved"),
        "access_request.refuse": gettext_lazy("Access request refused"),
        "access_request.withdraw": gettext_lazy("Access request withdrawn"),
    }
)

#: Open requests one person may have at a time (a person manages one or two
#: cooperatives; more open requests are a script, not a manager).
MAX_OPEN_PER_PERSON = 5
#: Characters refused in names (markup, template and escape characters).
_MARKUP = set("<>{}\\")
PURPOSE = "access_request"


# ------------------------------------------------------------------ helpers


def _plain(errors: Errors, field: str, value: Any, *, max_length: int, required=True) -> str:
    result = text(errors, field, value, max_length=max_length, required=required)
    if result and (_MARKUP & set(result)):
        errors.add(
            field,
            gettext_lazy("Write it as on the papers, without symbols like < > { }."),
            "text_markup",
        )
        return ""
    return result


def _message_text(errors: Errors, field: str, value: Any, *, required=True) -> str:
    return text(errors, field, value, max_length=1000, required=required, multiline=True)


def _display_name(*, actor: Actor) -> str:
    if isinstance(actor, SystemActor):
        return actor.username
    return actor.full_name or actor.get_username()


def _log(req: AccessRequest, *, actor: Actor, event: str, note: str = "") -> None:
    req.history = [
        *req.history,
        {
            "at": timezone.localtime().isoformat(),
            "event": event,
            "by": _display_name(actor=actor),
            "text": note,
        },
    ]


def _audit(req: AccessRequest, *, actor: Actor, action: str, **after: Any) -> None:
    audit.record(
        actor=actor,
        action=action,
        instance=req,
        after={"status": req.status, **after},
        organisation_id=req.organisation_id,
    )


def _site(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _notify(req: AccessRequest, texts: dict[str, Any]) -> None:
    """Tell the requester (SMS to the phone of the request, e-mail when the account has
    one), after commit, in their language.  ``texts``: "sms", "subject", "body"."""
    user = req.requester
    with translation.override(user.preferred_language or "vi"):
        sms = str(texts["sms"])
        subject = str(texts.get("subject") or _("HTX Số: your access request"))
        body = str(texts.get("body") or sms)
    messaging.send_after_commit(
        channel=messaging.Channel.SMS, to=req.phone, text=sms, purpose=PURPOSE
    )
    if user.email:
        messaging.send_after_commit(
            channel=messaging.Channel.EMAIL,
            to=user.email,
            text=body,
            subject=subject,
            purpose=PURPOSE,
        )


class _Lazy:
    """A text built when it is read, in the language active then (the requester's)."""

    def __init__(self, build):
        self.build = build

    def __str__(self) -> str:
        return self.build()


def _lock(req: AccessRequest) -> AccessRequest:
    return (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("organisation", "requester", "province")
        .get(pk=req.pk)
    )


def _not_open(req: AccessRequest) -> ServiceError:
    messages = {
        Status.APPROVED: gettext_lazy("This request has already been approved."),
        Status.REFUSED: gettext_lazy("This request has already been refused."),
        Status.WITHDRAWN: gettext_lazy("This request was withdrawn by the person who sent it."),
    }
    return conflict(
        messages.get(req.status, gettext_lazy("This request is closed.")),
        f"request_{req.status}",
    )


def existing_managers(organisation: Organisation | None) -> list[User]:
    if organisation is None:
        return []
    return [
        a.user
        for a in RoleAssignment.objects.filter(
            role=Role.COOP_MANAGER, organisation=organisation
        ).select_related("user")
    ]


# ------------------------------------------------------------------ submit


def _clean_proposal(errors: Errors, proposal: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    out["proposed_name"] = _plain(errors, "proposed_name", proposal.get("name"), max_length=255)
    raw_tax = str(proposal.get("tax_code") or "").strip()[:30]
    out["proposed_tax_code"] = ""
    if raw_tax:
        try:
            out["proposed_tax_code"] = validate_tax_code(raw_tax)
        except CodeError as exc:
            errors.add("proposed_tax_code", exc.message, exc.code, exc.params)
    kind = proposal.get("kind") or ""
    if kind not in ProposedKind.values:
        errors.add("proposed_kind", gettext_lazy("Choose a kind from the list."), "invalid_choice")
    out["proposed_kind"] = kind
    province = proposal.get("province")
    code = str(getattr(province, "pk", province) or "")[:2]
    out["province"] = Province.objects.filter(pk=code).first() if code else None
    if out["province"] is None:
        errors.add("province", gettext_lazy("Choose a province from the list."), "invalid_choice")
    out["proposed_address"] = _plain(
        errors, "proposed_address", proposal.get("address"), max_length=255
    )
    tax = out["proposed_tax_code"]
    if tax:
        existing = Organisation.objects.filter(tax_code=tax).first()
        if existing is not None:
            errors.add(
                "proposed_tax_code",
                gettext_lazy(
                    "This tax code is already in the registry (%(name)s): go back and "
                    "choose that cooperative."
                ),
                "tax_code_in_registry",
                {"name": existing.name},
            )
    return out


def request_submit(
    *,
    actor: Actor,
    requester: User,
    full_name: str,
    phone: str,
    position: str,
    document: Any,
    consent: bool,
    organisation: Organisation | None = None,
    proposal: dict[str, Any] | None = None,
) -> AccessRequest:
    """A person asks for the manager role of ``organisation`` — or, with ``proposal``
    (name, tax_code, kind, province, address), of a cooperative the registry does not
    have yet.  ``document`` is the uploaded authorising document."""
    if not isinstance(actor, SystemActor) and actor.pk != requester.pk:
        raise refused(gettext_lazy("A request is sent by the person it is for."))
    if (organisation is None) == (proposal is None):
        raise ServiceError(
            "organisation_required",
            gettext_lazy("Choose your cooperative, or propose it if it is not in the list."),
        )
    errors = Errors()
    values: dict[str, Any] = {
        "full_name": _plain(errors, "full_name", full_name, max_length=150),
        "position": _plain(errors, "position", position, max_length=100),
    }
    try:
        values["phone"] = parse_vn_phone(str(phone or ""), field="phone")
    except ServiceError as exc:
        for message in exc.fields.get("phone", [exc.message]):
            errors.add("phone", message, exc.code)
    if not consent:
        errors.add(
            "consent",
            gettext_lazy("Tick the box to agree to how your personal data is used."),
            "consent_required",
        )
    if proposal is not None:
        values.update(_clean_proposal(errors, proposal))
        values["proposed"] = True
    else:
        assert organisation is not None
        values["organisation"] = organisation
        values["province"] = organisation.province
    checked: CheckedDocument | None = None
    if document is None:
        errors.add(
            "document",
            gettext_lazy("Add a photo or a PDF of the document that authorises you."),
            "required",
        )
    else:
        try:
            checked = check_document(document)
        except ServiceError as exc:
            if errors:  # report the file's problem with the others
                errors.add("document", exc.message, exc.code, exc.params)
            else:
                raise
    errors.raise_if_any()
    assert checked is not None
    _check_duplicates(requester, organisation, values)
    with transaction.atomic():
        req = AccessRequest(
            requester=requester,
            status=Status.SUBMITTED,
            document_name=checked.name,
            document_type=checked.content_type,
            document_size=len(checked.content),
            **values,
        )
        _log(req, actor=actor, event="submitted")
        req.document.save(f"x{checked.extension}", ContentFile(checked.content), save=False)
        stored = req.document.name
        try:
            with transaction.atomic():
                req.save()
        except IntegrityError:
            req.document.storage.delete(stored)
            raise _duplicate() from None
        record_consent(user=requester, purpose=PURPOSE)
        _audit(req, actor=actor, action="access_request.submit", proposed=req.proposed)
        name = req.organisation_name
        _notify(
            req,
            {
                "sms": _Lazy(
                    lambda: (
                        _(
                            "HTX Số: we received your request to manage %(org)s. The provincial "
                            "cooperative alliance will check it and send you its answer."
                        )
                        % {"org": name}
                    )
                ),
            },
        )
    return req


def _duplicate() -> ServiceError:
    return conflict(
        gettext_lazy(
            "You already have an open request for this cooperative. Wait for the "
            "province's answer, or withdraw that request first."
        ),
        "request_duplicate",
    )


def _check_duplicates(requester: User, organisation: Organisation | None, values: dict) -> None:
    mine = AccessRequest.objects.filter(requester=requester, status__in=OPEN)
    if organisation is not None:
        if mine.filter(organisation=organisation).exists():
            raise _duplicate()
        if RoleAssignment.objects.filter(
            user=requester, role=Role.COOP_MANAGER, organisation=organisation
        ).exists():
            raise conflict(
                gettext_lazy("You already manage this cooperative on HTX Số."),
                "already_manager",
            )
    else:
        key = fold(values["proposed_name"])
        for other in mine.filter(proposed=True, organisation=None, province=values["province"]):
            same_tax = values["proposed_tax_code"] and (
                other.proposed_tax_code == values["proposed_tax_code"]
            )
            if same_tax or fold(other.proposed_name) == key:
                raise _duplicate()
    if mine.count() >= MAX_OPEN_PER_PERSON:
        raise ServiceError(
            "too_many_requests",
            gettext_lazy(
                "You have %(n)s requests waiting. Wait for the answers before sending more."
            ),
            {"n": MAX_OPEN_PER_PERSON},
            kind=Kind.THROTTLED,
        )


# ------------------------------------------------------------------ the officer


def request_ask(*, actor: Actor, access_request: AccessRequest, message: str) -> AccessRequest:
    """Ask the requester for more information (the request waits for the answer)."""
    AccessRequest.policy.require(actor, "decide", access_request)
    errors = Errors()
    question = _message_text(errors, "message", message)
    errors.raise_if_any()
    with transaction.atomic():
        req = _lock(access_request)
        if not req.is_open:
            raise _not_open(req)
        req.status = Status.INFO_REQUESTED
        _log(req, actor=actor, event="asked", note=question)
        req.save(update_fields=["status", "history", "updated_at"])
        _audit(req, actor=actor, action="access_request.ask", message=question)
        name = req.organisation_name
        url = _site(reverse("onboarding:my_request", args=[req.pk]))
        _notify(
            req,
            {
                "sms": _Lazy(
                    lambda: (
                        _(
                            "HTX Số: the province asks for more information about your request "
                            "for %(org)s: %(question)s Answer at %(url)s"
                        )
                        % {"org": name, "question": question[:300], "url": url}
                    )
                ),
            },
        )
    return req


def request_answer(
    *, actor: Actor, access_request: AccessRequest, answer: str, document: Any = None
) -> AccessRequest:
    """The requester answers the province's question (and may send a new document);
    the request goes back to the province's queue."""
    AccessRequest.policy.require(actor, "own", access_request)
    errors = Errors()
    reply = _message_text(errors, "answer", answer, required=document is None)
    checked = None
    if document is not None:
        try:
            checked = check_document(document)
        except ServiceError as exc:
            errors.add("document", exc.message, exc.code, exc.params)
    errors.raise_if_any()
    with transaction.atomic():
        req = _lock(access_request)
        if req.status != Status.INFO_REQUESTED:
            if not req.is_open:
                raise _not_open(req)
            raise conflict(
                gettext_lazy("The province has not asked anything: your request is waiting."),
                "request_not_asked",
            )
        old = req.document.name
        fields = ["status", "history", "updated_at"]
        if checked is not None:
            req.document.save(f"x{checked.extension}", ContentFile(checked.content), save=False)
            req.document_name = checked.name
            req.document_type = checked.content_type
            req.document_size = len(checked.content)
            fields += ["document", "document_name", "document_type", "document_size"]
            storage = req.document.storage
            transaction.on_commit(lambda: storage.delete(old))
        req.status = Status.SUBMITTED
        note = reply
        if checked is not None:
            note = f"{reply}\n[{checked.name}]".strip()
        _log(req, actor=actor, event="answered", note=note)
        req.save(update_fields=fields)
        _audit(req, actor=actor, action="access_request.answer", new_document=checked is not None)
        name = req.organisation_name
        _notify(
            req,
            {
                "sms": _Lazy(
                    lambda: (
                        _(
                            "HTX Số: your answer about %(org)s was sent to the province. "
                            "You will get a message when it is decided."
                        )
                        % {"org": name}
                    )
                ),
            },
        )
    return req


def request_refuse(*, actor: Actor, access_request: AccessRequest, reason: str) -> AccessRequest:
    AccessRequest.policy.require(actor, "decide", access_request)
    errors = Errors()
    why = _message_text(errors, "reason", reason)
    if why and len(why) < 5:
        errors.add(
            "reason",
            gettext_lazy("Say why in a sentence: the person reads it."),
            "reason_too_short",
        )
    errors.raise_if_any()
    with transaction.atomic():
        req = _lock(access_request)
        if not req.is_open:
            raise _not_open(req)
        req.status = Status.REFUSED
        req.decision_reason = why
        _decided(req, actor=actor)
        _log(req, actor=actor, event="refused", note=why)
        req.save(
            update_fields=[
                "status",
                "decision_reason",
                "decided_by",
                "decided_at",
                "history",
                "updated_at",
            ]
        )
        _audit(req, actor=actor, action="access_request.refuse", reason=why)
        name = req.organisation_name
        _notify(
            req,
            {
                "sms": _Lazy(
                    lambda: (
                        _(
                            "HTX Số: your request to manage %(org)s was refused. Reason: "
                            "%(reason)s You may send a new request."
                        )
                        % {"org": name, "reason": why[:300]}
                    )
                ),
            },
        )
    return req


def _decided(req: AccessRequest, *, actor: Actor) -> None:
    req.decided_by = None if isinstance(actor, SystemActor) else actor  # type: ignore[assignment]
    req.decided_at = timezone.now()


def request_approve(*, actor: Actor, access_request: AccessRequest) -> AccessRequest:
    """Grant the requester the manager role of the request's organisation."""
    AccessRequest.policy.require(actor, "decide", access_request)
    with transaction.atomic():
        req = _lock(access_request)
        if not req.is_open:
            raise _not_open(req)
        org = req.organisation
        if org is None:
            raise conflict(
                gettext_lazy(
                    "This cooperative is not in the registry yet: register it first, "
                    "then the request is approved with it."
                ),
                "organisation_not_registered",
            )
        require_grant(actor, Role.COOP_MANAGER, province=org.province_id, organisation=org.pk)
        role_assign(actor=actor, user=req.requester, role=Role.COOP_MANAGER, organisation=org)
        req.status = Status.APPROVED
        _decided(req, actor=actor)
        _log(req, actor=actor, event="approved")
        req.save(
            update_fields=[
                "status",
                "organisation",
                "decided_by",
                "decided_at",
                "history",
                "updated_at",
            ]
        )
        _audit(req, actor=actor, action="access_request.approve", organisation=org.pk)
        name = org.name
        url = _site(reverse("home"))
        _notify(
            req,
            {
                "sms": _Lazy(
                    lambda: (
                        _(
                            "HTX Số: your request was approved. You now manage %(org)s on "
                            "HTX Số: sign in at %(url)s"
                        )
                        % {"org": name, "url": url}
                    )
                ),
            },
        )
    return req


def proposal_register(
    *, actor: Actor, access_request: AccessRequest, kind: str, data: dict[str, Any]
) -> tuple[Organisation, AccessRequest]:
    """Register the cooperative a request proposed (``registry``'s
    ``organisation_create``: tax-code check digit, duplicate check, a ward of the
    province) and approve the request with it — both or neither."""
    AccessRequest.policy.require(actor, "decide", access_request)
    with transaction.atomic():
        req = _lock(access_request)
        if not req.is_open:
            raise _not_open(req)
        if not req.proposed or req.organisation_id:
            raise conflict(
                gettext_lazy("This request names a cooperative of the registry already."),
                "not_a_proposal",
            )
        org = organisation_create(actor=actor, kind=kind, province=req.province_id, data=data)
        req.organisation = org
        _log(req, actor=actor, event="registered", note=org.name)
        req.save(update_fields=["organisation", "history", "updated_at"])
        approved = request_approve(actor=actor, access_request=req)
    return org, approved


# ------------------------------------------------------------------ the requester


def request_withdraw(*, actor: Actor, access_request: AccessRequest) -> AccessRequest:
    AccessRequest.policy.require(actor, "own", access_request)
    with transaction.atomic():
        req = _lock(access_request)
        if not req.is_open:
            raise _not_open(req)
        req.status = Status.WITHDRAWN
        _log(req, actor=actor, event="withdrawn")
        req.save(update_fields=["status", "history", "updated_at"])
        _audit(req, actor=actor, action="access_request.withdraw")
        name = req.organisation_name
        _notify(
            req,
            {
                "sms": _Lazy(
                    lambda: (
                        _("HTX Số: you withdrew your request to manage %(org)s.") % {"org": name}
                    )
                ),
            },
        )
    return req


def format_when(value) -> str:
    return formats.date_format(timezone.localtime(value), "d/m/Y H:i") if value else ""
