"""Account management by the people in charge (issue 12, "accounts management").

Who manages whom is the grant table ``core.roles.GRANTS`` read through
``core.policy.may_grant``: the VCA everyone; a provincial officer the people holding
roles in his province or its organisations (he gives and takes away cooperative
managers' and members' roles there); a cooperative manager his organisation's people
(members).  An account as a whole (deactivate, reactivate, reset two-factor) is the
actor's only when *every* role it holds is one the actor may give, so an officer never
locks out a colleague or a person who also works in another province.

Reads (``visible_*``, ``account_*_of``) take the actor first; writes take ``*, actor``,
run in ``transaction.atomic`` and are audited (``core.audit``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from htxso.accounts import services as account_services
from htxso.accounts.models import RoleAssignment, User
from htxso.core import audit, roles
from htxso.core.actors import Actor, SystemActor
from htxso.core.errors import Kind, ServiceError, conflict, not_found
from htxso.core.models import AuditEvent
from htxso.core.policy import may_grant, reach_of, require_role
from htxso.core.roles import PROVINCE_ROLES, REACH, Reach, Role
from htxso.core.text import fold

if TYPE_CHECKING:
    from htxso.geo.models import Province
    from htxso.registry.models import Organisation

audit.ACTION_LABELS.update(
    {
        "account.deactivate": _("Account deactivated"),
        "account.reactivate": _("Account reactivated"),
    }
)


# --------------------------------------------------------------------------- reach


@dataclass(frozen=True)
class AccountReach:
    """Where an actor manages accounts: everywhere, or these provinces (officer) and
    organisations (manager)."""

    everywhere: bool
    provinces: frozenset[str]
    organisations: frozenset[int]

    @property
    def nothing(self) -> bool:
        return not (self.everywhere or self.provinces or self.organisations)


def reach(actor: Actor) -> AccountReach:  # check_actors: allow -- a read, like holds()
    everywhere, provinces, organisations = reach_of(actor, roles.ACCOUNT_MANAGERS)
    return AccountReach(everywhere, provinces, organisations)


def _assignment_condition(where: AccountReach) -> Q | None:
    """Role assignments within ``where`` (``None``: all of them)."""
    if where.everywhere:
        return None
    q = Q(pk__in=[])
    if where.provinces:
        q |= Q(province__in=sorted(where.provinces)) | Q(
            organisation__province__in=sorted(where.provinces)
        )
    if where.organisations:
        q |= Q(organisation__in=sorted(where.organisations))
    return q


def visible_assignments(actor: Actor) -> QuerySet[RoleAssignment]:  # check_actors: allow
    """The role assignments the actor may see (a user with roles in two provinces shows
    each officer only the roles of his own)."""
    condition = _assignment_condition(reach(actor))
    qs = RoleAssignment.objects.select_related("province", "organisation")
    return qs if condition is None else qs.filter(condition)


def visible_users(actor: Actor) -> QuerySet[User]:  # check_actors: allow -- a read
    """The users the actor manages: the VCA everyone (people without a role included);
    others the people holding a role within their reach."""
    where = reach(actor)
    if where.everywhere:
        return User.objects.all()
    if where.nothing:
        return User.objects.none()
    return User.objects.filter(pk__in=visible_assignments(actor).values("user_id"))


def with_visible_roles(actor: Actor, qs: QuerySet[User]) -> QuerySet[User]:  # check_actors: allow
    """``qs`` with ``user.visible_roles``: the roles the actor may see, in role order."""
    return qs.prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=visible_assignments(actor).order_by("role", "id"),
            to_attr="visible_roles",
        )
    )


def user_for(actor: Actor, pk: Any) -> User:  # check_actors: allow -- a read
    """One user the actor manages, or ``not_found`` (missing and not-yours alike)."""
    try:
        return visible_users(actor).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        raise not_found(_("Not found.")) from None


def _place(assignment: RoleAssignment) -> tuple[str | None, int | None]:
    """(province code, organisation id) where an assignment applies, for ``may_grant``."""
    if assignment.organisation_id:
        province = assignment.province_id or assignment.organisation.province_id
        return province, assignment.organisation_id
    return assignment.province_id, None


def may_remove(actor: Actor, assignment: RoleAssignment) -> bool:  # check_actors: allow
    """Whether the actor may take this role away: only a role he may give, there."""
    province, organisation = _place(assignment)
    return may_grant(actor, assignment.role, province=province, organisation=organisation)


def manages_whole(actor: Actor, user: User) -> bool:  # check_actors: allow -- a read
    """Whether every role ``user`` holds is one the actor may give (so the account as a
    whole is the actor's to deactivate, reactivate or reset).  A user with no role is
    the VCA's."""
    if isinstance(actor, SystemActor):
        return True
    assignments = list(user.role_assignments.select_related("organisation"))
    if not assignments:
        return reach(actor).everywhere
    if user.is_superuser and not reach(actor).everywhere:
        return False
    return all(may_remove(actor, a) for a in assignments)


def grantable_here(actor: Actor) -> list[Role]:  # check_actors: allow -- form choices
    """The roles the actor may give somewhere, in the order of ``Role``."""
    from htxso.core.policy import grantable_roles

    allowed = grantable_roles(actor)
    return [r for r in Role if r in allowed]


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def sees_phones(actor: Actor) -> bool:  # check_actors: allow -- a read
    """Staff who manage accounts see phone numbers and e-mail addresses; a manager sees
    them masked."""
    everywhere, provinces, _organisations = reach_of(actor, roles.ACCOUNT_STAFF)
    return everywhere or bool(provinces)


# -------------------------------------------------------------------------- search

_DIGITS = re.compile(r"\D+")


def search_ids(
    actor: Actor,  # check_actors: allow -- a read
    qs: QuerySet[User],
    text: str,
    *,
    contacts: bool,
) -> list[int]:
    """The ids (in the order of ``qs``) of users whose name or username matches every
    folded word of ``text`` (accent-free: "nguyen van" finds "Nguyễn Văn"), or — when
    ``contacts`` (staff) — whose e-mail or phone contains it ("0912 345" finds
    +84912345…)."""
    words = fold(text).split()
    digits = _DIGITS.sub("", text)
    if digits.startswith("84") and len(digits) > 9:
        digits = "0" + digits[2:]
    needle = text.strip().lower()
    found: list[int] = []
    for pk, username, full_name, email, phone in qs.values_list(
        "pk", "username", "full_name", "email", "phone"
    ):
        hay = fold(f"{full_name} {username}")
        if words and all(w in hay for w in words):
            found.append(pk)
            continue
        if not contacts:
            continue
        if needle and email and needle in email.lower():
            found.append(pk)
            continue
        if len(digits) >= 3 and phone:
            local = "0" + phone[3:] if phone.startswith("+84") else phone
            if digits in _DIGITS.sub("", local):
                found.append(pk)
    return found


# -------------------------------------------------------------------------- the trail


def account_events(actor: Actor, user: User) -> QuerySet[AuditEvent]:  # check_actors: allow
    """The audit trail of ``user``'s account: changes to the account itself, and the
    roles given and taken away — those the actor may see (an officer his province's)."""
    user_type = ContentType.objects.get_for_model(User)
    role_type = ContentType.objects.get_for_model(RoleAssignment)
    own = Q(content_type=user_type, object_id=str(user.pk))
    role_rows = Q(content_type=role_type) & (Q(after__user=user.pk) | Q(before__user=user.pk))
    where = reach(actor)
    if not where.everywhere:
        limit = Q(pk__in=[])
        if where.provinces:
            limit |= Q(province__in=sorted(where.provinces))
        if where.organisations:
            limit |= Q(organisation_id__in=sorted(where.organisations))
        role_rows &= limit
    return AuditEvent.objects.filter(own | role_rows).select_related("province")


# -------------------------------------------------------------------------- writes


def _forget_scope(user: User) -> None:
    user.__dict__.pop("_htxso_scope", None)
    user.__dict__.pop("_htxso_assignments", None)


def _other_active_vca(user: User) -> bool:
    """Whether an active VCA administrator other than ``user`` remains (locks the VCA
    administrators' rows, so two removals at once cannot both pass)."""
    rows = list(
        RoleAssignment.objects.select_for_update(of=("self",))
        .filter(role=Role.VCA_ADMIN)
        .values_list("user_id", "user__is_active")
    )
    return any(uid != user.pk and active for uid, active in rows)


def _last_vca() -> ServiceError:
    return conflict(
        _(
            "This is the last active VCA administrator: give the role to someone else "
            "first, so that the platform always has one."
        ),
        "last_vca_admin",
    )


def _not_grantable() -> ServiceError:
    return ServiceError(
        "role_not_grantable",
        _("You may not give this role here."),
        kind=Kind.FORBIDDEN,
    )


def account_role_add(
    *,
    actor: Actor,
    user: User,
    role: Role | str,
    province: Province | None = None,
    organisation: Organisation | None = None,
) -> RoleAssignment:
    """Give ``user`` a role the actor may give at that place (``role_not_grantable``)."""
    try:
        role = Role(role)
    except ValueError:
        raise ServiceError(
            "role_unknown", _("Choose a role."), fields={"role": [_("Choose a role.")]}
        ) from None
    user_for(actor, user.pk)
    reach_kind = REACH[role]
    if reach_kind is Reach.PROVINCE and province is None:
        message = _("Choose the province where this role applies.")
        raise ServiceError("role_needs_province", message, fields={"province": [message]})
    if reach_kind is Reach.ORGANISATION and organisation is None:
        message = _("Choose the organisation where this role applies.")
        raise ServiceError("role_needs_organisation", message, fields={"organisation": [message]})
    if reach_kind is not Reach.PROVINCE:
        province = None
    if reach_kind is not Reach.ORGANISATION:
        organisation = None
    place_province = (
        organisation.province_id if organisation is not None else getattr(province, "pk", None)
    )
    if not may_grant(
        actor,
        role,
        province=place_province,
        organisation=getattr(organisation, "pk", None),
    ):
        raise _not_grantable()
    held = RoleAssignment.objects.filter(user=user, role=role)
    if role in PROVINCE_ROLES:
        held = held.filter(province=province)
    elif organisation is not None:
        held = held.filter(organisation=organisation)
    if held.exists():
        raise conflict(_("This person already holds this role here."), "role_already_held")
    try:
        with transaction.atomic():
            assignment = account_services.role_assign(
                actor=actor, user=user, role=role, province=province, organisation=organisation
            )
    except IntegrityError:  # the same role given twice at once: the other one won
        raise conflict(
            _("This person already holds this role here."), "role_already_held"
        ) from None
    _forget_scope(user)
    return assignment


def account_role_remove(*, actor: Actor, assignment: RoleAssignment) -> None:
    """Take a role away: only one the actor may give there (``role_not_removable``),
    never the last active VCA administrator's (``last_vca_admin``)."""
    if not visible_assignments(actor).filter(pk=assignment.pk).exists():
        raise not_found(_("Not found."))
    if not may_remove(actor, assignment):
        raise ServiceError(
            "role_not_removable",
            _("You may not take this role away: it is not one your role may give here."),
            kind=Kind.FORBIDDEN,
        )
    user = assignment.user
    with transaction.atomic():
        if assignment.role == Role.VCA_ADMIN and user.is_active and not _other_active_vca(user):
            raise _last_vca()
        account_services.role_revoke(actor=actor, assignment=assignment)
    _forget_scope(user)


def _require_whole(*, actor: Actor, user: User, what: str) -> None:
    user_for(actor, user.pk)
    if not manages_whole(actor, user):
        raise ServiceError(
            "account_not_manageable",
            _(
                "This person also holds roles you may not give, so only the VCA may "
                "%(what)s this account."
            ),
            {"what": what},
            kind=Kind.FORBIDDEN,
        )


def account_deactivate(*, actor: Actor, user: User) -> bool:
    """Deactivate ``user`` (they can no longer sign in or use API tokens; their data and
    roles stay).  ``False`` when already inactive (a double submit)."""
    if not isinstance(actor, SystemActor) and actor.pk == user.pk:
        raise conflict(_("You cannot deactivate your own account."), "cannot_deactivate_self")
    _require_whole(actor=actor, user=user, what=_("deactivate"))
    with transaction.atomic():
        locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
        if not locked.is_active:
            return False
        if RoleAssignment.objects.filter(
            user=locked, role=Role.VCA_ADMIN
        ).exists() and not _other_active_vca(locked):
            raise _last_vca()
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            action="account.deactivate",
            instance=locked,
            before={"is_active": True},
            after={"is_active": False},
        )
    user.is_active = False
    return True


def account_reactivate(*, actor: Actor, user: User) -> bool:
    """Let a deactivated user sign in again.  ``False`` when already active."""
    _require_whole(actor=actor, user=user, what=_("reactivate"))
    with transaction.atomic():
        locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
        if locked.is_active:
            return False
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            action="account.reactivate",
            instance=locked,
            before={"is_active": False},
            after={"is_active": True},
        )
    user.is_active = True
    return True


def account_two_factor_reset(*, actor: Actor, user: User) -> bool:
    """Remove the user's authenticator devices so they enrol again at the next sign-in
    (a lost phone).  Staff only; the owner is told by e-mail; audited.  ``False`` when
    the user had no device."""
    require_role(actor, roles.ACCOUNT_STAFF)
    if not isinstance(actor, SystemActor) and actor.pk == user.pk:
        raise conflict(
            _("Replace or turn off your own authenticator app from your account page."),
            "cannot_reset_self",
        )
    _require_whole(actor=actor, user=user, what=_("reset two-factor sign-in of"))
    with transaction.atomic():
        User.objects.select_for_update(of=("self",)).get(pk=user.pk)
        if not TOTPDevice.objects.filter(user=user).exists():
            return False
        account_services.two_factor_disable(actor=actor, user=user)
    return True


# ------------------------------------------------------------------ invite staff


def staff_invite(
    *,
    actor: Actor,
    role: Role | str,
    full_name: str,
    phone: str = "",
    email: str = "",
    channel: str = "sms",
    province: Province | None = None,
    organisation: Organisation | None = None,
) -> Any:
    """Invite a member of staff (VCA: national and provincial staff, trainers, department
    viewers, managers; officer: a cooperative manager of his province) through the
    invitations of this app; refuses what the actor may not give (``role_not_grantable``)."""
    from . import services as invitation_services

    try:
        role = Role(role)
    except ValueError:
        raise ServiceError(
            "role_unknown", _("Choose a role."), fields={"role": [_("Choose a role.")]}
        ) from None
    if role not in roles.STAFF_INVITE_ROLES:
        raise _not_grantable()
    reach_kind = REACH[role]
    if reach_kind is Reach.PROVINCE and province is None:
        message = _("Choose the province where this role applies.")
        raise ServiceError("role_needs_province", message, fields={"province": [message]})
    if reach_kind is Reach.ORGANISATION and organisation is None:
        message = _("Choose the organisation where this role applies.")
        raise ServiceError("role_needs_organisation", message, fields={"organisation": [message]})
    if reach_kind is not Reach.PROVINCE:
        province = None
    if reach_kind is not Reach.ORGANISATION:
        organisation = None
    if not may_grant(
        actor,
        role,
        province=organisation.province_id
        if organisation is not None
        else getattr(province, "pk", None),
        organisation=getattr(organisation, "pk", None),
    ):
        raise _not_grantable()
    try:
        with transaction.atomic():
            invitation = _create_and_send(
                invitation_services,
                actor=actor,
                role=role,
                phone=phone,
                email=email,
                full_name=full_name,
                province=province,
                organisation=organisation,
                channel=channel,
            )
    except ServiceError as exc:
        if exc.fields:  # the invitation's field names are this page's
            renamed = {_FIELD_NAMES.get(k, k): v for k, v in exc.fields.items()}
            raise ServiceError(
                exc.code, exc.message, exc.params, fields=renamed, kind=exc.kind
            ) from exc
        raise
    return invitation


_FIELD_NAMES = {"to_phone": "phone", "to_email": "email"}


def _create_and_send(
    invitation_services: Any,
    *,
    actor: Actor,
    role: Role,
    phone: str,
    email: str,
    full_name: str,
    province: Province | None,
    organisation: Organisation | None,
    channel: str,
) -> Any:
    invitation = invitation_services.invitation_create(
        actor=actor,
        role=role,
        to_phone=phone,
        to_email=email,
        full_name=full_name,
        province=province,
        organisation=organisation,
        channel=channel,
    )
    invitation_services.invitation_send(actor=actor, invitation=invitation)
    return invitation
