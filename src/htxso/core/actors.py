"""Who does a change: a signed-in user, or a named part of the system.

Services take ``actor: Actor`` keyword-only and never ``None``:  a scheduled job, an
import recovery or an anonymous consumer's report acts as a :class:`SystemActor`, which
the audit trail shows by name.  ``scripts/check_actors.py`` (in ``make lint``) refuses
an untyped or defaulted ``actor``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class SystemActor:
    """A named part of the system acting on its own (never a person)."""

    name: str
    label: str | Promise

    # The same questions code asks of a user, answered for a machine.
    is_authenticated = False
    is_active = True
    is_superuser = False
    pk = None

    @property
    def username(self) -> str:
        return f"system:{self.name}"

    def __str__(self) -> str:
        return str(self.label)


#: Scheduled jobs (reminders, deadlines, clean-up).
SCHEDULER = SystemActor("scheduler", _("Scheduled job"))
#: Recovering or finishing spreadsheet imports.
IMPORTER = SystemActor("import", _("Import job"))
#: What an anonymous visitor of a public page triggers (a stamp report, a scan).
PUBLIC = SystemActor("public", _("Public visitor"))
#: Commands run by an operator from the shell (demo data, maintenance).
OPERATOR = SystemActor("operator", _("Operator command"))

Actor: TypeAlias = AbstractBaseUser | SystemActor


def require_actor(actor: object) -> Actor:  # check_actors: allow -- the runtime guard
    """Refuse a missing actor loudly (a programming error, not a user's)."""
    if isinstance(actor, SystemActor):
        return actor
    if isinstance(actor, AbstractBaseUser):
        if not actor.is_authenticated:  # pragma: no cover - AbstractBaseUser is always
            raise TypeError("an anonymous user cannot act; use a SystemActor")
        return actor
    raise TypeError(f"actor must be a User or a SystemActor, not {type(actor).__name__}")
