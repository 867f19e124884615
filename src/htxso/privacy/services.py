"""Personal-data rights: correction and deletion requests, consent withdrawal.

The deletion rule (also on the page, ``deletion_rule`` in the template):

1. **Self-service** — an account whose only role is the buyer's (or none), that runs no
   store and has no store request waiting: deleted at once when the person confirms.
   Nothing to keep (no order, review, register row, application, request): the account
   is deleted.  Otherwise it is *anonymised*: the name becomes "Người dùng đã xoá",
   phone and e-mail are cleared on the account and on its orders, the account can no
   longer sign in, and orders keep their figures (sellers and reports count them).
   An order still open (not completed, cancelled, refunded or expired) must be finished
   or cancelled first.
2. **Reviewed** — any other account (staff, trainer, a cooperative's manager or member,
   a seller): the request goes to the province's officer (the province of the person's
   role or register row) or, with no province, to the VCA.  Approving anonymises the
   account and the person's register row (ID number, ethnicity, birth date, phone
   cleared; memberships and capital figures kept for the cooperative's reports) and
   takes the roles away; refusing needs a reason (e.g. the Law on Cooperatives asks the
   cooperative to keep its member register while the person is a member).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.accounts.models import RoleAssignment, User
from htxso.core import audit, consent, roles
from htxso.core.actors import Actor, SystemActor
from htxso.core.errors import Kind, ServiceError
from htxso.core.models import AuditEvent, ConsentPurpose, ConsentRecord
from htxso.core.scoping import get_scope
from htxso.core.text import TextError, clean_text
from htxso.market.models import Order, Review, Store
from htxso.registry.models import Person

from . import collectors
from .models import TEXT_MAX, CorrectionField, PrivacyRequest, RequestKind, RequestStatus

#: Who the trail names for a person's own deletion (their account no longer exists).
PRIVACY = SystemActor("privacy", _("Personal-data request"))

#: The name an anonymised person gets (shown as is in Vietnamese and English pages).
ANONYMOUS_NAME = "Người dùng đã xoá"
#: An anonymised delivery address (orders to be delivered need one).
ANONYMOUS_ADDRESS = "(đã xoá)"

audit.ACTION_LABELS.update(
    {
        "privacy.request": _("Personal-data request made"),
        "privacy.decide": _("Personal-data request decided"),
        "privacy.account_deleted": _("Account deleted at the person's request"),
        "privacy.account_anonymised": _("Account anonymised at the person's request"),
        "privacy.consent_withdraw": _("Consent withdrawn"),
    }
)

#: Keys blanked in the audit trail's snapshots of an anonymised account or person.
PERSONAL_KEYS = (
    "username",
    "full_name",
    "first_name",
    "last_name",
    "email",
    "phone",
    "citizen_id",
    "ethnicity",
    "birth_date",
)


def _conflict(code: str, message: Any) -> ServiceError:
    return ServiceError(code, message, kind=Kind.CONFLICT)


def _clean(text: str, field: str, max_length: int) -> str:
    try:
        return clean_text(text, max_length=max_length, multiline=True)
    except TextError as exc:
        raise ServiceError(exc.code, exc.message, exc.params, fields={field: [exc]}) from exc


# ------------------------------------------------------------------ who decides ---
def self_service(user: Any) -> bool:
    """Whether ``user`` may delete the account without a review."""
    held = get_scope(user).roles
    if held - {roles.Role.BUYER}:
        return False
    if Store.objects.filter(owner=user).exists():
        return False
    return not _pending_store_request(user)


def _pending_store_request(user: Any) -> bool:
    model = collectors._model("market.StoreRequest")
    if model is None:
        return False
    return bool(
        model._default_manager.filter(requester=user)
        .exclude(status__in=("approved", "refused", "withdrawn"))
        .exists()
    )


def review_province(user: Any) -> str | None:
    """Where a reviewed request goes: the province of the person's role, organisation
    or register row; ``None`` (the VCA) when there is none."""
    for a in RoleAssignment.objects.filter(user=user).select_related("organisation"):
        if a.province_id:
            return str(a.province_id)
        if a.organisation_id:
            return str(a.organisation.province_id)
    person = (
        Person.objects.filter(user=user, organisation__isnull=False)
        .select_related("organisation")
        .first()
    )
    if person is not None and person.organisation is not None:
        return str(person.organisation.province_id)
    return None


def must_keep(user: Any) -> bool:
    """Whether something a report or an order needs refers to the account."""
    return any(
        (
            Order.objects.filter(buyer=user).exists(),
            Review.objects.filter(author=user).exists(),
            Store.objects.filter(owner=user).exists(),
            Person.objects.filter(user=user).exists(),
            RoleAssignment.objects.filter(user=user).exclude(role=roles.Role.BUYER).exists(),
            bool(collectors._store_requests(user)),
            bool(collectors._access_requests(user)),
            bool(collectors._applications(user)),
        )
    )


def open_orders(user: Any) -> int:
    return (
        Order.objects.filter(buyer=user)
        .exclude(state__in=("completed", "cancelled", "refunded", "expired"))
        .count()
    )


# -------------------------------------------------------------------- requests ---
def correction_request(*, actor: Actor, user: User, field: str, text: str) -> PrivacyRequest:
    """The person asks to correct ``field``; ``text`` says what is wrong and the right
    value.  One open correction request at a time (a double submit adds nothing)."""
    if field not in CorrectionField.values:
        msg = _("Choose what to correct.")
        raise ServiceError("field_invalid", msg, fields={"field": [msg]})
    text = _clean(text, "text", TEXT_MAX)
    if not text:
        msg = _("Say what is wrong and what is right.")
        raise ServiceError("required", msg, fields={"text": [msg]})
    return _open_request(
        actor=actor, user=user, kind=RequestKind.CORRECTION, field=field, text=text
    )


def _open_request(
    *, actor: Actor, user: User, kind: str, field: str = "", text: str = ""
) -> PrivacyRequest:
    with transaction.atomic():
        User.objects.select_for_update(of=("self",)).filter(pk=user.pk).first()
        existing = PrivacyRequest.objects.filter(
            user=user, kind=kind, status=RequestStatus.SUBMITTED
        ).first()
        if existing is not None:
            raise _conflict(
                "request_open",
                _("You already have a request of this kind waiting for review."),
            )
        req = PrivacyRequest.objects.create(
            user=user,
            user_label=user.get_username(),
            kind=kind,
            field=field,
            text=text,
            province_id=review_province(user),
        )
        audit.record(
            actor=actor,
            action="privacy.request",
            instance=req,
            after={"kind": kind, "field": field},
        )
    return req


def deletion_request(
    *, actor: Actor, user: User, text: str = ""
) -> tuple[str, PrivacyRequest | None]:
    """Delete, anonymise, or send for review (see the module's rule).

    Returns ``("deleted" | "anonymised" | "review", request or None)``."""
    if not user.is_active:
        raise _conflict("account_closed", _("This account is already closed."))
    text = _clean(text, "text", TEXT_MAX)
    if not self_service(user):
        return "review", _open_request(actor=actor, user=user, kind=RequestKind.DELETION, text=text)
    if open_orders(user):
        raise _conflict(
            "orders_open",
            _(
                "You have orders that are not finished. Wait until they are completed or "
                "cancel them, then delete your account."
            ),
        )
    with transaction.atomic():
        locked = (
            User.objects.select_for_update(of=("self",)).filter(pk=user.pk, is_active=True).first()
        )
        if locked is None:  # a second click on the same form
            raise _conflict("account_closed", _("This account is already closed."))
        if must_keep(locked):
            _anonymise(actor=actor, user=locked)
            return "anonymised", None
        _delete(actor=actor, user=locked)
    return "deleted", None


def decide(
    *, actor: Actor, request: PrivacyRequest, approve: bool, reason: str = ""
) -> PrivacyRequest:
    """A reviewer closes a request: approving a deletion anonymises the account;
    approving a correction says the record was corrected.  Refusing needs a reason."""
    PrivacyRequest.policy.require(actor, "decide", request)
    reason = _clean(reason, "reason", 500)
    if not approve and not reason:
        msg = _("Give the reason of the refusal: the person reads it.")
        raise ServiceError("reason_required", msg, fields={"reason": [msg]})
    with transaction.atomic():
        req = PrivacyRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
        if req.status != RequestStatus.SUBMITTED:
            raise _conflict("request_decided", _("This request has already been decided."))
        if not isinstance(actor, SystemActor) and req.user_id == actor.pk:
            raise ServiceError(
                "own_request",
                _("Another reviewer must decide your own request."),
                kind=Kind.FORBIDDEN,
            )
        deleting = approve and req.kind == RequestKind.DELETION
        if deleting and req.user is not None and req.user.is_active:
            _anonymise(actor=actor, user=req.user)
        req.status = RequestStatus.DONE if approve else RequestStatus.REFUSED
        req.reason = reason
        req.decided_at = timezone.now()
        req.decided_by = None if isinstance(actor, SystemActor) else actor  # type: ignore[assignment]
        req.save()
        audit.record(
            actor=actor,
            action="privacy.decide",
            instance=req,
            after={"status": req.status, "reason": reason},
        )
    return req


def consent_withdraw(*, actor: Actor, user: User, purpose: str) -> int:
    if purpose not in ConsentPurpose.values:
        msg = _("Choose a consent you gave.")
        raise ServiceError("purpose_invalid", msg, fields={"purpose": [msg]})
    with transaction.atomic():
        count = consent.withdraw_consent(user=user, purpose=purpose)
        if count:
            audit.record(
                actor=actor,
                action="privacy.consent_withdraw",
                instance=user,
                after={"purpose": purpose},
            )
    if not count:
        raise _conflict("consent_not_in_force", _("This consent is not in force."))
    return count


# --------------------------------------------------------- deletion, anonymising ---
def _redact(snapshot: Any) -> Any:
    if not isinstance(snapshot, dict):
        return snapshot
    return {
        k: ("" if k in PERSONAL_KEYS and v not in (None, "") else v) for k, v in snapshot.items()
    }


def _scrub_trail(user: User, label: str, persons: list[Person]) -> None:
    """The audit trail keeps what happened, not who the person was: their events as
    actor show ``label``; snapshots of their account and register rows lose the
    personal keys."""
    from django.contrib.contenttypes.models import ContentType

    AuditEvent.objects.filter(Q(actor=user) | Q(actor_label=user.get_username())).update(
        actor_label=label
    )
    targets = [(ContentType.objects.get_for_model(User), str(user.pk))]
    targets += [(ContentType.objects.get_for_model(Person), str(p.pk)) for p in persons]
    for ctype, object_id in targets:
        for event in AuditEvent.objects.filter(content_type=ctype, object_id=object_id):
            event.before = _redact(event.before)
            event.after = _redact(event.after)
            event.object_repr = ANONYMOUS_NAME
            event.save(update_fields=["before", "after", "object_repr"])


def _delete(*, actor: Actor, user: User) -> None:
    pk = user.pk
    _scrub_trail(user, f"da-xoa-{pk}", [])
    PrivacyRequest.objects.filter(user=user).update(user_label=f"da-xoa-{pk}")
    user.delete()
    own = not isinstance(actor, SystemActor) and actor.pk in (pk, None)
    audit.record(
        actor=PRIVACY if own else actor,
        action="privacy.account_deleted",
        after={"user_id": pk},
    )


def _anonymise(*, actor: Actor, user: User) -> None:
    if not isinstance(actor, SystemActor) and actor.pk == user.pk:
        actor = user  # the trail names the anonymous label, not the old username
    label = f"da-xoa-{user.pk}"
    persons = list(Person.objects.filter(user=user))
    _scrub_trail(user, label, persons)
    for person in persons:
        person.full_name = ANONYMOUS_NAME
        person.phone = ""
        person.citizen_id = None
        person.ethnicity = ""
        person.birth_date = None
        person.save()
    orders = Order.objects.filter(buyer=user)
    orders.update(buyer_name=ANONYMOUS_NAME, buyer_phone="", buyer_email="", note="")
    orders.exclude(address="").update(address=ANONYMOUS_ADDRESS)
    Review.objects.filter(author=user).update(author_name=ANONYMOUS_NAME)
    store_requests = collectors._model("market.StoreRequest")
    if store_requests is not None:
        names = {f.name for f in store_requests._meta.concrete_fields}
        blank = {
            k: v
            for k, v in {
                "head_name": ANONYMOUS_NAME,
                "id_number": "",
                "ethnicity": "",
                "phone": "",
                "address": "",
                "bank_account": "",
                "bank_account_name": "",
            }.items()
            if k in names
        }
        store_requests._default_manager.filter(requester=user).update(**blank)
    ConsentRecord.objects.filter(user=user, withdrawn_at=None).update(withdrawn_at=timezone.now())
    RoleAssignment.objects.filter(user=user).delete()
    PrivacyRequest.objects.filter(user=user).update(user_label=label)
    user.username = label
    user.full_name = ANONYMOUS_NAME
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.phone = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    audit.record(
        actor=actor,
        action="privacy.account_anonymised",
        instance=user,
        after={"anonymised": True},
    )
