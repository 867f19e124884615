"""Store requests of household and individual producers who belong to no cooperative.

A signed-in person asks (:func:`store_request_submit`); the province's officer (or the
VCA) approves — which opens a verified independent store run by the requester —,
refuses with a reason, or asks for more information, which the requester answers
(back to ``submitted``).  The requester may withdraw an open request.  Every step is
audited and the requester is told by SMS (and e-mail when the account has one).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from htxso.accounts.phones import parse_vn_phone
from htxso.core import audit
from htxso.core.actors import Actor, SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.codes import CodeError, validate_cccd
from htxso.core.consent import record_consent
from htxso.core.errors import ServiceError, conflict, refused
from htxso.core.messaging import Channel, send_after_commit
from htxso.geo.models import Province, Ward
from htxso.registry.data.ethnicities import ETHNICITIES

from ..models import SellerKind, Store, StoreRequest, StoreRequestStatus, StoreStatus
from ..models.household_stores import OPEN_STATES
from .common import Errors, rich_text, text
from .stores import _unique_slug, bank_account_values

ACTION_LABELS.update(
    {
        "store_request.submit": _("Store request sent"),
        "store_request.ask": _("Store request: information asked"),
        "store_request.answer": _("Store request: information given"),
        "store_request.approve": _("Store request approved"),
        "store_request.refuse": _("Store request refused"),
        "store_request.withdraw": _("Store request withdrawn"),
    }
)

PURPOSE = "store_request"
_MARKUP = re.compile(r"[<>]")
_ETHNICITY_CODES = frozenset(code for code, _name in ETHNICITIES)


# ------------------------------------------------------------------ checks


def _name(errors: Errors, field: str, value: Any) -> str:
    result = text(errors, field, value, max_length=120, required=True)
    if result and _MARKUP.search(result):
        errors.add(
            field,
            _("A name cannot contain the signs < or >. Write the name as on the ID card."),
            "name_markup",
        )
        return ""
    return result


def clean_id_number(errors: Errors, value: Any) -> str:
    """A 12-digit citizen ID (checked: province code, birth year) or a 9-digit old ID
    card number; spaces and dots are ignored."""
    raw = re.sub(r"[\s.]", "", str(value or ""))
    if not raw:
        errors.add("id_number", _("Enter the ID number of the household head."), "required")
        return ""
    if not (raw.isascii() and raw.isdigit()) or len(raw) not in (9, 12):
        errors.add(
            "id_number",
            _(
                "An ID number has 12 digits (citizen ID card, CCCD) or 9 digits (old ID "
                "card). Copy it from the card, without letters."
            ),
            "id_format",
        )
        return ""
    if len(raw) == 12:
        try:
            validate_cccd(raw)
        except CodeError as exc:
            errors.add("id_number", exc.message, exc.code, exc.params)
            return ""
    return raw


def _place(errors: Errors, data: dict) -> tuple[Province | None, Ward | None]:
    code = str(data.get("province") or "").strip()
    province = None
    if code.isascii() and code.isdigit() and len(code) <= 2:
        province = Province.objects.filter(pk=code.zfill(2)).first()
    if province is None:
        errors.add("province", _("Choose your province."), "required")
        return None, None
    ward_code = str(data.get("ward") or "").strip()
    ward = None
    if ward_code.isascii() and ward_code.isdigit() and len(ward_code) <= 5:
        ward = Ward.objects.filter(pk=ward_code).first()
    if ward is None:
        errors.add("ward", _("Choose your ward or commune."), "required")
    elif ward.province_id != province.pk:
        errors.add(
            "ward",
            _("%(ward)s is not in %(province)s. Choose the ward or commune again."),
            "ward_other_province",
            {"ward": ward.name, "province": province.name},
        )
        ward = None
    return province, ward


def bank_values(errors: Errors, data: dict) -> dict:
    """The bank account for VietQR as the store settings ask it: both or neither."""
    bin_, account = bank_account_values(errors, data)
    holder = text(
        errors, "bank_account_name", data.get("bank_account_name"), max_length=100
    ).upper()
    return {"bank_bin": bin_, "bank_account": account, "bank_account_name": holder}


def _photo(errors: Errors, upload, *, required: bool) -> ContentFile | None:
    """The photo re-encoded from its pixels (no EXIF, no GPS), at most 1600 px."""
    if upload is None:
        if required:
            errors.add(
                "photo",
                _("Add a photo of the ID card or of your production (field, workshop)."),
                "required",
            )
        return None
    from ..images import ImageRejected, process_upload

    try:
        processed = process_upload(upload)
    except ImageRejected as exc:
        errors.add("photo", exc.message, exc.code, exc.params)
        return None
    return ContentFile(processed.full, name=f"photo.{processed.extension}")


def _audit_view(req: StoreRequest) -> dict:
    """What the trail keeps of a request: no ID number, no ethnicity (sensitive)."""
    return {
        "status": req.status,
        "producer_name": req.producer_name,
        "province": req.province_id,
        "ward": req.ward_id,
        "store": req.store_id,
    }


def _notify(req: StoreRequest, message: Any, **params: Any) -> None:
    """Tell the requester, in their language, by SMS (and e-mail when they have one)."""
    user = req.requester
    language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        body = gettext(str(message)) % {"name": req.producer_name, **params}
        link = settings.SITE_URL + reverse("market:store_request_detail", args=[req.pk])
        body = f"HTX Số: {body} {link}"
        subject = gettext("HTX Số market: your store request")
    send_after_commit(channel=Channel.SMS, to=req.phone, text=body, purpose=PURPOSE)
    if getattr(user, "email", ""):
        send_after_commit(
            channel=Channel.EMAIL, to=user.email, text=body, purpose=PURPOSE, subject=subject
        )


def _locked(req: StoreRequest) -> StoreRequest:
    return (
        StoreRequest.objects.select_for_update(of=("self",))
        .select_related("requester", "province", "ward")
        .get(pk=req.pk)
    )


def _closed_conflict(req: StoreRequest) -> ServiceError:
    messages = {
        StoreRequestStatus.APPROVED: _("This request was already approved: the store is open."),
        StoreRequestStatus.REFUSED: _("This request was already refused."),
        StoreRequestStatus.WITHDRAWN: _("The requester withdrew this request."),
        StoreRequestStatus.INFO_REQUESTED: _(
            "More information was asked: wait for the requester's answer."
        ),
        StoreRequestStatus.SUBMITTED: _("This request is waiting for the officer."),
    }
    return conflict(messages[StoreRequestStatus(req.status)], code=f"store_request_{req.status}")


# ------------------------------------------------------------------ requester


def open_request_of(user: Any) -> StoreRequest | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return StoreRequest.objects.filter(requester=user, status__in=OPEN_STATES).first()


@transaction.atomic
def store_request_submit(
    *, actor: Actor, requester: Any, data: dict, photo=None, consent: bool
) -> StoreRequest:
    """A producer asks for an independent store.  ``requester`` is the signed-in
    person (the actor itself; a system actor may submit for a demo account)."""
    if not isinstance(actor, SystemActor) and actor != requester:
        raise refused(_("You can only ask for a store for yourself."))
    if not getattr(requester, "pk", None):
        raise refused(_("Sign in first."))
    if open_request_of(requester) is not None:
        raise conflict(
            _("You have already sent a store request; it is waiting for the officer."),
            code="store_request_open",
        )
    if Store.objects.filter(owner=requester, kind=SellerKind.INDEPENDENT).exists():
        raise conflict(_("You already have a store on the market."), code="store_request_has_store")
    errors = Errors()
    values: dict[str, Any] = {
        "producer_name": _name(errors, "producer_name", data.get("producer_name")),
        "head_name": _name(errors, "head_name", data.get("head_name")),
        "id_number": clean_id_number(errors, data.get("id_number")),
        "address": text(errors, "address", data.get("address"), max_length=255),
        "products": text(
            errors, "products", data.get("products"), max_length=1000, required=True, multiline=True
        ),
    }
    ethnicity = str(data.get("ethnicity") or "").strip()
    if ethnicity and ethnicity not in _ETHNICITY_CODES:
        errors.add("ethnicity", _("Choose an ethnic group from the list."), "invalid_choice")
        ethnicity = ""
    values["ethnicity"] = ethnicity
    try:
        values["phone"] = parse_vn_phone(str(data.get("phone") or ""), field="phone")
    except ServiceError as exc:
        errors.add("phone", exc.message, exc.code)
    values["province"], values["ward"] = _place(errors, data)
    values.update(bank_values(errors, data))
    photo_file = _photo(errors, photo, required=True)
    if not consent:
        errors.add(
            "consent",
            _("Tick the box to agree that HTX Số keeps these details to verify your store."),
            "consent_required",
        )
    errors.raise_if_any()
    req = StoreRequest(requester=requester, submitted_at=timezone.now(), **values)
    req.photo.save(photo_file.name, photo_file, save=False)
    try:
        with transaction.atomic():
            req.save()
    except IntegrityError:  # a double submit that raced past the check above
        req.photo.delete(save=False)
        raise conflict(
            _("You have already sent a store request; it is waiting for the officer."),
            code="store_request_open",
        ) from None
    record_consent(user=requester, purpose=PURPOSE)
    audit.record(actor=actor, action="store_request.submit", instance=req, after=_audit_view(req))
    _notify(req, _("we received the store request of %(name)s. The provincial officer checks it."))
    return req


@transaction.atomic
def store_request_answer(*, actor: Actor, request: StoreRequest, answer: str, photo=None):
    """The requester answers the officer's question; the request is submitted again."""
    StoreRequest.policy.require(actor, "answer", request)
    req = _locked(request)
    if req.status != StoreRequestStatus.INFO_REQUESTED:
        raise conflict(
            _("No question is waiting for an answer on this request."),
            code="store_request_no_question",
        )
    errors = Errors()
    answer = text(errors, "answer", answer, max_length=1000, required=True, multiline=True)
    photo_file = _photo(errors, photo, required=False)
    errors.raise_if_any()
    old_photo = req.photo.name
    if photo_file is not None:
        req.photo.save(photo_file.name, photo_file, save=False)
        transaction.on_commit(lambda: req.photo.storage.delete(old_photo))
    req.answer = answer
    req.status = StoreRequestStatus.SUBMITTED
    req.submitted_at = timezone.now()
    req.save(update_fields=["answer", "status", "submitted_at", "photo", "updated_at"])
    audit.record(actor=actor, action="store_request.answer", instance=req, after=_audit_view(req))
    return req


@transaction.atomic
def store_request_withdraw(*, actor: Actor, request: StoreRequest) -> StoreRequest:
    StoreRequest.policy.require(actor, "answer", request)
    req = _locked(request)
    if req.status not in OPEN_STATES:
        raise _closed_conflict(req)
    req.status = StoreRequestStatus.WITHDRAWN
    req.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="store_request.withdraw", instance=req)
    return req


# ------------------------------------------------------------------ officer


@transaction.atomic
def store_request_approve(*, actor: Actor, request: StoreRequest) -> Store:
    """Open the producer's store, verified: the officer has checked who they are, where
    they live and what they sell.  The owner then adds products through the seller
    pages."""
    StoreRequest.policy.require(actor, "decide", request)
    req = _locked(request)
    if req.status not in OPEN_STATES:
        raise _closed_conflict(req)
    if Store.objects.filter(owner=req.requester, kind=SellerKind.INDEPENDENT).exists():
        raise conflict(
            _("This person already runs a store on the market."), code="store_request_has_store"
        )
    now = timezone.now()
    store = Store(
        organisation=None,
        province=req.province,
        kind=SellerKind.INDEPENDENT,
        household_name=req.head_name,
        owner=req.requester,
        name=req.producer_name,
        slug=_unique_slug(req.producer_name),
        description=rich_text(req.products),
        phone=req.phone,
        offers_pickup=True,
        pickup_address=req.address,
        pickup_ward=req.ward,
        offers_delivery=False,
        bank_bin=req.bank_bin,
        bank_account=req.bank_account,
        bank_account_name=req.bank_account_name,
        status=StoreStatus.VERIFIED,
        submitted_at=req.submitted_at,
        verified_at=now,
        verified_by=None if isinstance(actor, SystemActor) else actor,
    )
    store.save()
    req.status = StoreRequestStatus.APPROVED
    req.store = store
    req.decided_at = now
    req.decided_by = None if isinstance(actor, SystemActor) else actor
    req.save(update_fields=["status", "store", "decided_at", "decided_by", "updated_at"])
    audit.record(actor=actor, action="store.create", instance=store, after={"request": req.pk})
    audit.record(actor=actor, action="store_request.approve", instance=req, after=_audit_view(req))
    _notify(req, _("the store %(name)s is open on the market. Add your products now."))
    return store


def _decide(*, actor: Actor, request: StoreRequest, field: str, value: str, status: str):
    StoreRequest.policy.require(actor, "decide", request)
    errors = Errors()
    value = text(errors, field, value, max_length=500, required=True, multiline=True)
    errors.raise_if_any()
    req = _locked(request)
    if req.status not in OPEN_STATES or (
        status == StoreRequestStatus.INFO_REQUESTED and req.status != StoreRequestStatus.SUBMITTED
    ):
        raise _closed_conflict(req)
    setattr(req, field, value)
    req.status = status
    fields = [field, "status", "updated_at"]
    if status == StoreRequestStatus.REFUSED:
        req.decided_at = timezone.now()
        req.decided_by = None if isinstance(actor, SystemActor) else actor
        fields += ["decided_at", "decided_by"]
    req.save(update_fields=fields)
    return req, value


@transaction.atomic
def store_request_refuse(*, actor: Actor, request: StoreRequest, reason: str) -> StoreRequest:
    req, reason = _decide(
        actor=actor,
        request=request,
        field="reason",
        value=reason,
        status=StoreRequestStatus.REFUSED,
    )
    audit.record(
        actor=actor,
        action="store_request.refuse",
        instance=req,
        after={**_audit_view(req), "reason": reason},
    )
    _notify(req, _("the store request of %(name)s was refused: %(reason)s"), reason=reason)
    return req


@transaction.atomic
def store_request_ask(*, actor: Actor, request: StoreRequest, question: str) -> StoreRequest:
    req, question = _decide(
        actor=actor,
        request=request,
        field="question",
        value=question,
        status=StoreRequestStatus.INFO_REQUESTED,
    )
    audit.record(
        actor=actor,
        action="store_request.ask",
        instance=req,
        after={**_audit_view(req), "question": question},
    )
    _notify(
        req,
        _("the officer asks about the store request of %(name)s: %(question)s"),
        question=question,
    )
    return req


__all__ = [
    "bank_values",
    "clean_id_number",
    "open_request_of",
    "store_request_answer",
    "store_request_approve",
    "store_request_ask",
    "store_request_refuse",
    "store_request_submit",
    "store_request_withdraw",
]
