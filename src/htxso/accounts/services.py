"""Every write to users, roles and tokens goes through these functions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from htxso.core import audit
from htxso.core.errors import Kind, ServiceError
from htxso.core.notify import email_after_commit
from htxso.core.text import nfc

from .models import (
    GLOBAL_ROLES,
    ORGANISATION_ROLES,
    PROVINCE_ROLES,
    ApiToken,
    Role,
    RoleAssignment,
    User,
)

if TYPE_CHECKING:
    from django.db.models import Model

    from htxso.core.actors import Actor
    from htxso.geo.models import Province


def user_create(
    *,
    actor: Actor,
    username: str,
    password: str | None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    preferred_language: str = "vi",
    validate: bool = True,
) -> User:
    username = nfc(username).strip()
    if not username:
        raise ServiceError(
            "required", _("Enter a username."), fields={"username": [_("Enter a username.")]}
        )
    if User.objects.filter(username__iexact=username).exists():
        taken = _("This username is already taken.")
        raise ServiceError("username_taken", taken, fields={"username": [taken]})
    user = User(
        username=username,
        full_name=nfc(full_name).strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        preferred_language=preferred_language,
    )
    if password:
        if validate:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise ServiceError(
                    "password_weak", " ".join(exc.messages), fields={"password": exc.messages}
                ) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    with transaction.atomic():
        user.save()
        audit.record(actor=actor, action="user.create", instance=user, after=audit.snapshot(user))
    return user


def role_assign(
    *,
    actor: Actor,
    user: User,
    role: str,
    province: Province | None = None,
    organisation: Model | None = None,
) -> RoleAssignment:
    role = Role(role)
    if role in PROVINCE_ROLES and (province is None or organisation is not None):
        raise ServiceError("role_scope", _("This role needs a province and no organisation."))
    if role in ORGANISATION_ROLES and organisation is None:
        raise ServiceError("role_scope", _("This role needs an organisation."))
    if role in GLOBAL_ROLES and (province is not None or organisation is not None):
        raise ServiceError(
            "role_scope",
            _("This role applies everywhere; do not give a province or organisation."),
        )
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, role=role, province=province, organisation=organisation
        )
        if created:
            audit.record(
                actor=actor,
                action="role.assign",
                instance=assignment,
                after=audit.snapshot(assignment),
                province=getattr(province, "pk", None)
                or getattr(organisation, "province_id", None),
                organisation_id=getattr(organisation, "pk", None),
            )
    user.__dict__.pop("_htxso_scope", None)
    user.__dict__.pop("_htxso_assignments", None)
    return assignment


def role_revoke(*, actor: Actor, assignment: RoleAssignment) -> None:
    with transaction.atomic():
        before = audit.snapshot(assignment)
        audit.record(
            actor=actor,
            action="role.revoke",
            instance=assignment,
            before=before,
            province=assignment.province_id
            or getattr(assignment.organisation, "province_id", None),
            organisation_id=assignment.organisation_id,
        )
        assignment.delete()


def user_set_language(*, actor: Actor, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ServiceError("language_unknown", _("Unknown language."))
    if user.preferred_language == language:
        return
    with transaction.atomic():
        before = {"preferred_language": user.preferred_language}
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        audit.record(
            actor=actor,
            action="user.language",
            instance=user,
            before=before,
            after={"preferred_language": language},
        )


def may_read_personal_registry_fields(user: User) -> bool:
    """May ``user`` hold a token of scope ``full`` (registry personal fields): a staff
    role among the sensitive readers (the same rule as ``registry.sync_feed``)."""
    from htxso.core import roles
    from htxso.core.scoping import get_scope

    scope = get_scope(user)
    allowed = roles.SENSITIVE_READERS & roles.STAFF
    return bool(scope.national_roles & allowed) or any(
        role in allowed and codes for role, codes in scope.provinces_by_role.items()
    )


def api_token_create(
    *, actor: Actor, user: User, name: str = "", days: int | None = None, scope: str = ""
) -> tuple[ApiToken, str]:
    """Create a token; the raw key is returned once and never stored.  ``scope`` is the
    registry sync feed's field scope (``""``: the token cannot read the feed)."""
    if scope not in ("", *ApiToken.Scope.values):
        raise ServiceError("token_scope_invalid", _("Choose the registry fields of the token."))
    if scope == ApiToken.Scope.FULL and not may_read_personal_registry_fields(user):
        raise ServiceError(
            "token_scope_not_allowed",
            _("Your role may not read personal data: choose the public registry fields."),
        )
    raw = ApiToken.new_raw_key()
    days = settings.HTXSO_API_TOKEN_DAYS if days is None else days
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            scope=scope,
            name=nfc(name)[:100],
            key_prefix=raw[:12],
            key_hash=ApiToken.hash_key(raw),
            expires_at=timezone.now() + dt.timedelta(days=days) if days else None,
        )
        audit.record(
            actor=actor, action="api_token.create", instance=token, after=audit.snapshot(token)
        )
    return token, raw


def api_token_revoke(*, actor: Actor, token: ApiToken) -> None:
    if token.revoked_at:
        return
    with transaction.atomic():
        before = audit.snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="api_token.revoke",
            instance=token,
            before=before,
            after=audit.snapshot(token),
        )


def two_factor_start(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device for enrolment (replaces earlier unconfirmed ones)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="HTX Số", confirmed=False)


def two_factor_confirm(*, actor: Actor, device: TOTPDevice, token: str) -> bool:
    """Confirm a first device with a code from it.

    Refuses (``two_factor_already_on``) when the user already has a confirmed device:
    replacing one needs proof from it, see :func:`two_factor_replace`.
    """
    if TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).exists():
        raise ServiceError(
            "two_factor_already_on",
            _("Two-factor sign-in is already on for your account."),
            kind=Kind.CONFLICT,
        )
    if not device.verify_token(token):
        return False
    _make_only_device(
        actor=actor,
        device=device,
        action="two_factor.enable",
        notice=gettext_lazy("Two-factor sign-in was turned on for your account."),
    )
    return True


def two_factor_replace(*, actor: Actor, device: TOTPDevice, token: str) -> bool:
    """Swap the user's confirmed device for ``device`` (not yet confirmed), given a code
    from the new one.

    The caller has asked for proof from the user first — the password again and a
    current code from the device in use (``views._two_factor_proof``).  The owner is
    told by e-mail.  Returns ``False`` and changes nothing when the code is wrong.
    """
    user = device.user
    exists = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).exists()
    if not exists or device.confirmed:
        raise ServiceError(
            "two_factor_not_on",
            _("There is no device to replace: turn two-factor sign-in on instead."),
            kind=Kind.CONFLICT,
        )
    if not device.verify_token(token):
        return False
    _make_only_device(
        actor=actor,
        device=device,
        action="two_factor.replace",
        notice=gettext_lazy(
            "The authenticator app for two-factor sign-in on your account was replaced "
            "by a new one. Codes from the old app no longer work."
        ),
    )
    return True


def _make_only_device(
    *, actor: Actor, device: TOTPDevice, action: str, notice: str | Promise
) -> None:
    """Confirm ``device`` and delete the user's others, with the audit row and the
    e-mail to the owner, in one transaction."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        audit.record(actor=actor, action=action, instance=device.user)
        _security_notice(device.user, notice)


def two_factor_disable(*, actor: Actor, user: User) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit.record(actor=actor, action="two_factor.disable", instance=user)
        _security_notice(user, gettext_lazy("Two-factor sign-in was turned off for your account."))


def _security_notice(user: User, what: str | Promise) -> None:
    """Tell the account owner about a security change, in their language."""
    from django.utils import translation

    with translation.override(user.preferred_language or "vi"):
        email_after_commit(
            subject=_("HTX Số: security change on your account"),
            body=_(
                "%(what)s\n\nIf you did not do this, reset your password at once and "
                "tell your provincial alliance."
            )
            % {"what": str(what)},
            recipients=[user.email],
        )


# --- Phone-first accounts (issue 12, auth) -------------------------------------------


def _username_for_phone(e164: str) -> str:
    """A username derived from the phone (``sdt0912345678``), made unique with a suffix.

    Never the raw input: only the digits of the E.164 form, so nothing typed by a person
    reaches the username."""
    from .phones import display_phone

    base = "sdt" + "".join(ch for ch in display_phone(e164) if ch.isdigit())
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def phone_taken(e164: str) -> bool:
    return User.objects.filter(phone=e164).exists()


def account_for_phone(
    *, actor: Actor, phone: str, full_name: str, password: str | None = None
) -> User:
    """A new account whose sign-in is the phone number.

    ``phone`` is read as typed (``0912 345 678``, ``+84…``) and kept in E.164 in
    ``User.phone`` (unique among non-blank phones).  Without ``password`` the account has
    an unusable password and signs in with a code sent to the phone.  Errors:
    ``phone_invalid`` / ``phone_foreign`` / ``phone_not_mobile`` (see ``phones``),
    ``phone_taken`` (a conflict), ``password_weak``, ``name_invalid``.
    """
    from django.db import IntegrityError

    from .phones import parse_vn_phone

    e164 = parse_vn_phone(phone)
    name = clean_full_name(full_name)
    with transaction.atomic():
        if phone_taken(e164):
            raise _phone_taken()
        try:
            with transaction.atomic():
                return user_create(
                    actor=actor,
                    username=_username_for_phone(e164),
                    password=password or None,
                    full_name=name,
                    phone=e164,
                )
        except IntegrityError:  # two requests for one phone at once
            raise _phone_taken() from None


def _phone_taken() -> ServiceError:
    msg = _("An account with this phone number already exists: sign in instead.")
    return ServiceError("phone_taken", msg, fields={"phone": [msg]}, kind=Kind.CONFLICT)


def clean_full_name(raw: str) -> str:
    """A person's name as shown to others: NFC, single spaces, no markup characters."""
    name = " ".join(nfc(raw or "").split())
    if len(name) > 150 or any(ch in name for ch in "<>{}\\") or any(ord(ch) < 32 for ch in name):
        msg = _("Enter your name as written on your papers, without symbols like < > { }.")
        raise ServiceError("name_invalid", msg, fields={"full_name": [msg]})
    return name


def account_for_email(
    *, actor: Actor, email: str, full_name: str, password: str | None = None
) -> User:
    """A new account whose sign-in is the e-mail address (sign-up without a phone).

    The username is derived from the address's local part (letters, digits, dots), made
    unique with a suffix.  ``email_taken`` when an account already has the address."""
    import re

    email = email.strip().lower()
    name = clean_full_name(full_name)
    local = re.sub(r"[^a-z0-9.]+", "", email.split("@", 1)[0])[:30].strip(".") or "nguoidung"
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            msg = _("An account with this e-mail address already exists: sign in instead.")
            raise ServiceError("email_taken", msg, fields={"contact": [msg]}, kind=Kind.CONFLICT)
        username, n = local, 1
        while User.objects.filter(username__iexact=username).exists():
            n += 1
            username = f"{local}-{n}"
        return user_create(
            actor=actor, username=username, password=password or None, full_name=name, email=email
        )
