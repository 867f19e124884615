"""Shared pieces of the services: who may act, history rows, notifications."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from htxso.core.actors import Actor, SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errors import ServiceError
from htxso.core.notify import email_after_commit
from htxso.core.roles import Role

from ..models import Application, ApplicationEvent, Notification

ACTION_LABELS.update(
    {
        "call.create": gettext_lazy("Call created"),
        "call.update": gettext_lazy("Call changed"),
        "call.criteria": gettext_lazy("Call criteria changed"),
        "call.open": gettext_lazy("Call opened"),
        "call.close": gettext_lazy("Call closed"),
        "call.publish": gettext_lazy("Call published in a province"),
        "call.decide": gettext_lazy("Call selection decided"),
        "application.create": gettext_lazy("Application started"),
        "application.save": gettext_lazy("Application changed"),
        "application.attach": gettext_lazy("Document attached to an application"),
        "application.detach": gettext_lazy("Document removed from an application"),
        "application.submit": gettext_lazy("Application submitted"),
        "application.withdraw": gettext_lazy("Application withdrawn"),
        "application.request_info": gettext_lazy("More information requested"),
        "application.check": gettext_lazy("Declared criterion checked"),
        "application.verify": gettext_lazy("Application verified"),
        "application.reject": gettext_lazy("Application found not eligible"),
        "compilation.forward": gettext_lazy("Provincial list forwarded to VCA"),
    }
)


def fail(code: str, message: Any, field: str | None = None) -> ServiceError:
    """A refusal of the input (``kind`` INVALID), on ``field`` when given."""
    if field:
        return ServiceError(code, message, fields={field: [ServiceError(code, message)]})
    return ServiceError(code, message)


def require(action: str, obj: Any, message: Any, *, actor: Actor) -> None:
    """``obj``'s policy refuses ``actor`` (``not_found`` or ``forbidden``, as
    :meth:`~htxso.core.policy.Policy.require` decides), saying ``message``."""
    try:
        type(obj).policy.require(actor, action, obj)
    except ServiceError as exc:
        raise ServiceError(exc.code, message, kind=exc.kind) from None


def add_event(
    application: Application, from_status: str, *, actor: Actor, comment: str = ""
) -> None:
    ApplicationEvent.objects.create(
        application=application,
        from_status=from_status,
        to_status=application.status,
        actor=None if isinstance(actor, SystemActor) else actor,
        comment=comment,
    )


# --------------------------------------------------------------------- recipients


def _users(filter_kwargs):
    from htxso.accounts.models import RoleAssignment

    rows = (
        RoleAssignment.objects.filter(user__is_active=True, **filter_kwargs)
        .select_related("user")
        .order_by("user_id")
    )
    seen, users = set(), []
    for row in rows:
        if row.user_id not in seen:
            seen.add(row.user_id)
            users.append(row.user)
    return users


def managers_of(organisation_id: int):
    return _users({"role": Role.COOP_MANAGER, "organisation_id": organisation_id})


def officers_of(province_id: str):
    return _users({"role": Role.PROVINCE_OFFICER, "province_id": province_id})


def vca_admins():
    return _users({"role": Role.VCA_ADMIN})


def notify(users, key: str, params: dict, url: str) -> int:
    """One in-app notification and one e-mail per user.

    The notification keeps ``key`` (of ``programs.messages.MESSAGES``) and ``params``
    so that it is shown in the reader's language of the moment; the e-mail, and the
    stored ``message`` kept beside them, are written in the user's preferred language."""
    from ..messages import render_message

    params = {k: v if isinstance(v, int) else str(v) for k, v in params.items()}
    if render_message(key, params) is None:
        raise ValueError(f"unknown notification {key!r} or parameters {sorted(params)}")
    notes = []
    for user in users:
        with translation.override(user.preferred_language or "vi"):
            message = render_message(key, params) or ""
            notes.append(
                Notification(
                    user=user, message=message[:500], message_key=key, params=params, url=url
                )
            )
            if user.email:
                email_after_commit(
                    subject="HTX Số: " + message[:120],
                    body=f"{message}\n\n{settings.SITE_URL}{url}",
                    recipients=[user.email],
                )
    Notification.objects.bulk_create(notes)
    return len(notes)


def notification_mark_read(*, actor: Actor) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def managers_of_province(province_id: str, kinds):
    return _users(
        {
            "role": Role.COOP_MANAGER,
            "organisation__province_id": province_id,
            "organisation__kind__in": list(kinds or []),
        }
    )
