"""Every write to invitations: create, send, print, revoke, accept.

Contract for the other parts of issue 12 (account management calls these):

* :func:`invitation_create` — an invitation to ``role`` at a province or organisation,
  refused (``forbidden``) when the inviter may not grant that role there
  (``core.policy.require_grant``);
* :func:`invitation_send` — issues a new one-time link and sends it by the invitation's
  channel (SMS, Zalo or e-mail) once the transaction commits.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxso.accounts import services as accounts
from htxso.accounts.phones import parse_vn_phone
from htxso.core import audit, consent, messaging
from htxso.core.actors import PUBLIC, Actor, SystemActor
from htxso.core.errors import Kind, ServiceError, conflict
from htxso.core.policy import require_grant
from htxso.core.roles import ORGANISATION_ROLES, PROVINCE_ROLES, Role
from htxso.registry.models import Membership, Organisation, Person, Worker

from .models import (
    DEFAULT_DAYS,
    MAX_DAYS,
    Invitation,
    InvitationChannel,
    InvitationState,
    hash_token,
    new_token,
)

if TYPE_CHECKING:
    from htxso.accounts.models import User

#: Most members invited (or cards printed) in one go.
MAX_BATCH = 500
#: Times one invitation may be sent (each sending issues a new link).
MAX_SENDS = 5
#: Longest token looked up (anything longer is not one of ours).
MAX_TOKEN_LENGTH = 64

PHONE_CHANNELS = (InvitationChannel.SMS, InvitationChannel.ZALO)


# --- reading a token -------------------------------------------------------------------


def invitation_for_token(raw: str) -> Invitation | None:
    """The invitation a link's token opens, or None (unknown, malformed)."""
    raw = (raw or "").strip()
    if not raw or len(raw) > MAX_TOKEN_LENGTH or not raw.isascii():
        return None
    return (
        Invitation.objects.select_related("organisation", "province", "person", "inviter")
        .filter(token_hash=hash_token(raw))
        .first()
    )


def accept_url(raw: str) -> str:
    return reverse("invitations:accept", kwargs={"token": raw})


# --- create ----------------------------------------------------------------------------


def _clean_name(raw: str) -> str:
    try:
        return accounts.clean_full_name(raw)
    except ServiceError as exc:
        raise ServiceError(exc.code, exc.message, fields={"full_name": [exc.message]}) from None


def _province_code(province: Any) -> str | None:
    if province is None or province == "":
        return None
    return str(getattr(province, "pk", province))


def _belongs(person: Person, organisation: Organisation) -> bool:
    if person.organisation_id == organisation.pk:
        return True
    return (
        Membership.objects.filter(
            person=person, organisation=organisation, left_on__isnull=True
        ).exists()
        or Worker.objects.filter(
            person=person, organisation=organisation, ended_on__isnull=True
        ).exists()
    )


def _expire_stale(person: Person) -> None:
    """Mark a person's pending invitation that has passed its date as expired (so a
    new one may be made: one pending invitation per person)."""
    Invitation.objects.filter(
        person=person, state=InvitationState.PENDING, expires_at__lte=timezone.now()
    ).update(state=InvitationState.EXPIRED)


def invitation_create(
    *,
    actor: Actor,
    role: str,
    to_phone: str = "",
    to_email: str = "",
    full_name: str = "",
    province: Any = None,
    organisation: Organisation | None = None,
    person: Person | None = None,
    channel: str = "sms",
    days: int = DEFAULT_DAYS,
) -> Invitation:
    """A pending invitation; nothing is sent (call :func:`invitation_send`, or print it).

    ``province`` is a Province or its code; for an organisation's role pass
    ``organisation`` (its province is taken from it).  ``person`` binds the invitation
    to a register row of that organisation: its name and phone are used when none is
    given.  Errors: ``role_invalid``, ``role_scope``, ``forbidden`` (the inviter may not
    grant the role there), ``person_other_organisation``, ``already_linked``,
    ``already_invited``, ``phone_*``, ``email_invalid``, ``contact_missing``,
    ``name_invalid``, ``channel_invalid``, ``days_invalid``."""
    try:
        role = Role(role)
    except ValueError:
        raise ServiceError("role_invalid", gettext_lazy("Unknown role.")) from None
    if channel not in InvitationChannel.values:
        raise ServiceError("channel_invalid", gettext_lazy("Choose how to send the invitation."))
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ServiceError(
            "days_invalid",
            gettext_lazy("An invitation is valid for 1 to %(max)s days."),
            {"max": MAX_DAYS},
        )
    province_code = _province_code(province)
    if organisation is not None:
        if province_code and province_code != organisation.province_id:
            raise ServiceError(
                "role_scope", gettext_lazy("The organisation is not in this province.")
            )
        province_code = organisation.province_id
    if role in ORGANISATION_ROLES and organisation is None:
        raise ServiceError("role_scope", gettext_lazy("This role needs an organisation."))
    if role in PROVINCE_ROLES and (not province_code or organisation is not None):
        raise ServiceError(
            "role_scope", gettext_lazy("This role needs a province and no organisation.")
        )
    if role not in ORGANISATION_ROLES | PROVINCE_ROLES and (province_code or organisation):
        raise ServiceError(
            "role_scope",
            gettext_lazy("This role applies everywhere; do not give a province or organisation."),
        )
    require_grant(
        actor,
        role,
        province=province_code,
        organisation=organisation.pk if organisation is not None else None,
    )
    if person is not None:
        if organisation is None or not _belongs(person, organisation):
            raise ServiceError(
                "person_other_organisation",
                gettext_lazy("This person is not in the register of this organisation."),
                kind=Kind.NOT_FOUND,
            )
        if person.user_id:
            raise conflict(
                gettext_lazy("%(name)s already has an account linked to the register."),
                "already_linked",
                {"name": person.full_name},
            )
        full_name = full_name or person.full_name
        to_phone = to_phone or person.phone
    name = _clean_name(full_name)
    phone = ""
    if to_phone:
        phone = parse_vn_phone(to_phone, field="to_phone")
    email = (to_email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            msg = gettext_lazy("Enter a valid e-mail address.")
            raise ServiceError("email_invalid", msg, fields={"to_email": [msg]}) from None
    if channel in PHONE_CHANNELS and not phone:
        msg = gettext_lazy("Enter a phone number: the invitation is sent by SMS or Zalo.")
        raise ServiceError("contact_missing", msg, fields={"to_phone": [msg]})
    if channel == InvitationChannel.EMAIL and not email:
        msg = gettext_lazy("Enter an e-mail address: the invitation is sent by e-mail.")
        raise ServiceError("contact_missing", msg, fields={"to_email": [msg]})
    with transaction.atomic():
        if person is not None:
            # the row itself is locked so two managers inviting at once make one invitation
            locked = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
            if locked.user_id:
                raise conflict(
                    gettext_lazy("%(name)s already has an account linked to the register."),
                    "already_linked",
                    {"name": locked.full_name},
                )
            _expire_stale(locked)
            if Invitation.objects.filter(person=locked, state=InvitationState.PENDING).exists():
                raise conflict(
                    gettext_lazy("%(name)s already has an invitation waiting."),
                    "already_invited",
                    {"name": locked.full_name},
                )
        invitation = Invitation.objects.create(
            # a token nobody holds until the invitation is sent or printed
            token_hash=hash_token(new_token()),
            role=role,
            province_id=province_code,
            organisation=organisation,
            person=person,
            full_name=name,
            to_phone=phone,
            to_email=email,
            channel=channel,
            inviter=None if isinstance(actor, SystemActor) else actor,
            expires_at=Invitation.expiry(days),
        )
        audit.record(
            actor=actor,
            action="invitation.create",
            instance=invitation,
            after=_snapshot(invitation),
        )
    return invitation


def _snapshot(invitation: Invitation) -> dict[str, Any]:
    data = audit.snapshot(invitation) or {}
    data.pop("token_hash", None)
    return data


# --- send, print -----------------------------------------------------------------------


def _require_open(invitation: Invitation) -> None:
    state = invitation.current_state
    if state == InvitationState.ACCEPTED:
        raise conflict(gettext_lazy("This invitation was already accepted."), "invitation_used")
    if state == InvitationState.REVOKED:
        raise conflict(gettext_lazy("This invitation was revoked."), "invitation_revoked")
    if state == InvitationState.EXPIRED:
        raise conflict(
            gettext_lazy("This invitation has expired: invite the person again."),
            "invitation_expired",
        )


def _issue_token(invitation: Invitation) -> str:
    """A new token for the invitation (the previous link stops working); call inside a
    transaction with the row locked."""
    if invitation.sent_count >= MAX_SENDS:
        raise ServiceError(
            "send_limit",
            gettext_lazy(
                "This invitation was sent %(count)s times already. Revoke it and invite "
                "the person again if the messages do not arrive."
            ),
            {"count": MAX_SENDS},
            kind=Kind.THROTTLED,
        )
    raw = new_token()
    invitation.token_hash = hash_token(raw)
    invitation.sent_count += 1
    invitation.last_sent_at = timezone.now()
    invitation.save(update_fields=["token_hash", "sent_count", "last_sent_at"])
    return raw


def _where(invitation: Invitation) -> str:
    if invitation.organisation_id:
        return invitation.organisation.name
    if invitation.province_id:
        return invitation.province.name
    return "HTX Số"


def message_text(invitation: Invitation, link: str) -> str:
    """The invitation's message, in Vietnamese (most members read nothing else)."""
    with translation.override("vi"):
        inviter = invitation.inviter.display_name if invitation.inviter else "HTX Số"
        return _(
            "%(inviter)s invites you to HTX Số as %(role)s of %(where)s. Open this link on "
            "your phone to join (valid until %(date)s): %(link)s"
        ) % {
            "inviter": inviter,
            "role": str(Role(invitation.role).label).lower(),
            "where": _where(invitation),
            "date": date_format(timezone.localtime(invitation.expires_at), "d/m/Y"),
            "link": link,
        }


def invitation_send(*, actor: Actor, invitation: Invitation, base_url: str = "") -> None:
    """Issue a new one-time link and send it by the invitation's channel after commit.

    ``base_url`` is the scheme and host of the link (default ``SITE_URL``).  Errors:
    ``invitation_used`` / ``invitation_revoked`` / ``invitation_expired`` (conflict),
    ``channel_print`` (a printed card is printed, not sent), ``send_limit``."""
    Invitation.policy.require(actor, "change", invitation)
    if invitation.channel == InvitationChannel.PRINT:
        raise ServiceError(
            "channel_print",
            gettext_lazy("This invitation is a printed card: print the sheet again."),
        )
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organisation", "province", "inviter")
            .get(pk=invitation.pk)
        )
        _require_open(locked)
        raw = _issue_token(locked)
        link = (base_url or settings.SITE_URL).rstrip("/") + accept_url(raw)
        text = message_text(locked, link)
        if locked.channel == InvitationChannel.EMAIL:
            to, channel = locked.to_email, messaging.Channel.EMAIL
        else:
            to, channel = locked.to_phone, locked.channel
        with translation.override("vi"):
            subject = _("Invitation to HTX Số")
        messaging.send_after_commit(
            channel=channel, to=to, text=text, purpose="invitation", subject=subject
        )
        audit.record(
            actor=actor,
            action="invitation.send",
            instance=locked,
            after={"channel": locked.channel, "sent_count": locked.sent_count},
        )
    invitation.refresh_from_db()


@dataclasses.dataclass
class PrintedCard:
    invitation: Invitation
    link: str


def invitation_print(
    *, actor: Actor, invitations: list[Invitation], base_url: str = ""
) -> list[PrintedCard]:
    """New one-time links for printed cards (earlier cards of these invitations stop
    working).  Invitations no longer open are left out."""
    if len(invitations) > MAX_BATCH:
        raise _too_many(len(invitations))
    cards: list[PrintedCard] = []
    with transaction.atomic():
        for invitation in invitations:
            Invitation.policy.require(actor, "change", invitation)
            locked = (
                Invitation.objects.select_for_update(of=("self",))
                .select_related("organisation", "province", "person")
                .get(pk=invitation.pk)
            )
            if not locked.is_open:
                continue
            raw = _issue_token(locked)
            cards.append(
                PrintedCard(locked, (base_url or settings.SITE_URL).rstrip("/") + accept_url(raw))
            )
            audit.record(
                actor=actor,
                action="invitation.print",
                instance=locked,
                after={"sent_count": locked.sent_count},
            )
    return cards


def _too_many(count: int) -> ServiceError:
    return ServiceError(
        "batch_too_large",
        gettext_lazy("You chose %(count)s people; invite at most %(max)s at a time."),
        {"count": count, "max": MAX_BATCH},
        kind=Kind.TOO_LARGE,
    )


# --- many members at once ----------------------------------------------------------------


@dataclasses.dataclass
class BatchResult:
    created: list[Invitation]
    #: (person, reason) for each person left out
    skipped: list[tuple[Person, str]]


def invite_members(
    *,
    actor: Actor,
    organisation: Organisation,
    people: list[Person],
    channel: str = InvitationChannel.SMS,
    days: int = DEFAULT_DAYS,
    base_url: str = "",
) -> BatchResult:
    """Invite register rows of ``organisation`` as its members, with the name and phone
    of each row.  A person already linked to an account, with an invitation waiting, or
    without a mobile number (for SMS/Zalo) is left out with the reason; the others are
    invited (and sent, unless printed) together or not at all."""
    if len(people) > MAX_BATCH:
        raise _too_many(len(people))
    if not people:
        raise ServiceError("batch_empty", gettext_lazy("Tick at least one member to invite."))
    require_grant(
        actor,
        Role.COOP_MEMBER,
        province=organisation.province_id,
        organisation=organisation.pk,
    )
    result = BatchResult(created=[], skipped=[])
    with transaction.atomic():
        for person in people:
            try:
                with transaction.atomic():
                    invitation = invitation_create(
                        actor=actor,
                        role=Role.COOP_MEMBER,
                        organisation=organisation,
                        person=person,
                        channel=channel,
                        days=days,
                    )
                    if channel != InvitationChannel.PRINT:
                        invitation_send(actor=actor, invitation=invitation, base_url=base_url)
            except ServiceError as exc:
                if exc.kind in (Kind.FORBIDDEN, Kind.NOT_FOUND):
                    raise
                result.skipped.append((person, _skip_reason(exc)))
                continue
            result.created.append(invitation)
    return result


def _skip_reason(exc: ServiceError) -> str:
    if exc.code == "already_linked":
        return _("already has an account")
    if exc.code == "already_invited":
        return _("an invitation is already waiting")
    if exc.code == "contact_missing":
        return _("no phone number in the register")
    if exc.code.startswith("phone_"):
        return _("the phone number in the register cannot receive SMS or Zalo (%(why)s)") % {
            "why": exc.text
        }
    return exc.text


# --- revoke ------------------------------------------------------------------------------


def invitation_revoke(*, actor: Actor, invitation: Invitation) -> None:
    """Revoke a waiting invitation (its link stops working).  Revoking twice is a
    no-op; an accepted invitation cannot be revoked (remove the role instead)."""
    Invitation.policy.require(actor, "change", invitation)
    with transaction.atomic():
        locked = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
        if locked.state == InvitationState.REVOKED:
            return
        if locked.state == InvitationState.ACCEPTED:
            raise conflict(
                gettext_lazy("This invitation was already accepted: it cannot be revoked."),
                "invitation_used",
            )
        before = _snapshot(locked)
        locked.state = InvitationState.REVOKED
        locked.revoked_at = timezone.now()
        # the link stays known so that opening it says "revoked", not "unknown"
        locked.save(update_fields=["state", "revoked_at"])
        audit.record(
            actor=actor,
            action="invitation.revoke",
            instance=locked,
            before=before,
            after=_snapshot(locked),
        )
    invitation.refresh_from_db()


# --- accept --------------------------------------------------------------------------------


def is_for(invitation: Invitation, user: Any) -> bool:
    """Whether a signed-in ``user`` is the person invited (same phone or e-mail, or the
    register row already theirs)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if invitation.to_phone and user.phone == invitation.to_phone:
        return True
    if invitation.to_email and (user.email or "").lower() == invitation.to_email:
        return True
    return bool(invitation.person_id and invitation.person.user_id == user.pk)


def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    phone: str = "",
    full_name: str = "",
    password: str | None = None,
) -> User:
    """Accept an invitation: with ``user`` (signed in, and the person invited) the role
    goes to that account; without, a new account is made for the phone (the
    invitation's, or ``phone`` for a printed card without one) with ``password`` or,
    without one, code sign-in.  The register row is linked to the account, the role
    given, the consent to the notice recorded — all or nothing.  Only one of two
    simultaneous accepts succeeds (``invitation_used``)."""
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organisation", "province", "person")
            .get(pk=invitation.pk)
        )
        _require_open(locked)
        if user is not None and not is_for(locked, user):
            raise ServiceError(
                "invitation_other_person",
                gettext_lazy("This invitation is for another person."),
                kind=Kind.FORBIDDEN,
            )
        if (
            locked.person_id
            and locked.person.user_id
            and (user is None or locked.person.user_id != user.pk)
        ):
            raise conflict(
                gettext_lazy("This member already has an account linked to the register."),
                "already_linked",
            )
        if user is None:
            number = locked.to_phone or phone
            if not number:
                msg = gettext_lazy("Enter your phone number: you will sign in with it.")
                raise ServiceError("phone_invalid", msg, fields={"phone": [msg]})
            user = accounts.account_for_phone(
                actor=PUBLIC,  # the person's own action from the link
                phone=number,
                full_name=full_name or locked.full_name,
                password=password or None,
            )
            if locked.to_email and not user.email:
                user.email = locked.to_email
                user.save(update_fields=["email"])
        # one accept only: the state changes from pending exactly once
        done = Invitation.objects.filter(pk=locked.pk, state=InvitationState.PENDING).update(
            state=InvitationState.ACCEPTED, accepted_by=user, accepted_at=timezone.now()
        )
        if done != 1:
            raise conflict(gettext_lazy("This invitation was already accepted."), "invitation_used")
        if locked.person_id and not locked.person.user_id:
            if Person.objects.filter(user=user).exclude(pk=locked.person_id).exists():
                raise conflict(
                    gettext_lazy(
                        "Your account is already linked to another row of a register; "
                        "ask the manager to invite you there."
                    ),
                    "account_linked_elsewhere",
                )
            linked = Person.objects.filter(pk=locked.person_id, user__isnull=True).update(user=user)
            if linked != 1:
                raise conflict(
                    gettext_lazy("This member already has an account linked to the register."),
                    "already_linked",
                )
        accounts.role_assign(
            actor=user,
            user=user,
            role=locked.role,
            province=locked.province if locked.role in PROVINCE_ROLES else None,
            organisation=locked.organisation,
        )
        consent.record_consent(user=user, purpose="invitation")
        locked.refresh_from_db()
        audit.record(
            actor=user,
            action="invitation.accept",
            instance=locked,
            after={"accepted_by": user.pk, "person": locked.person_id},
        )
    return user
