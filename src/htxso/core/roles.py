"""Roles and role groups: the one place that names them.

A role's *reach* says where it applies: everywhere (VCA), in a province (officers and
department viewers), in an organisation (managers and members), or only to what the
user owns (trainers, buyers).  Policies (``core.policy``) combine the groups below with
the scope paths a model declares; nothing else in the code spells a role by hand.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VCA_ADMIN = "vca_admin", _("VCA administrator")
    PROVINCE_OFFICER = "province_officer", _("Provincial alliance officer")
    DEPARTMENT_VIEWER = "department_viewer", _("Provincial department viewer")
    COOP_MANAGER = "coop_manager", _("Cooperative manager")
    COOP_MEMBER = "coop_member", _("Cooperative member")
    TRAINER = "trainer", _("Trainer")
    BUYER = "buyer", _("Buyer")


class Reach(enum.Enum):
    NATIONAL = "national"
    PROVINCE = "province"
    ORGANISATION = "organisation"
    OWN = "own"


#: Where each role applies.  A new role must be added here (the check below fails).
REACH: dict[Role, Reach] = {
    Role.VCA_ADMIN: Reach.NATIONAL,
    Role.PROVINCE_OFFICER: Reach.PROVINCE,
    Role.DEPARTMENT_VIEWER: Reach.PROVINCE,
    Role.COOP_MANAGER: Reach.ORGANISATION,
    Role.COOP_MEMBER: Reach.ORGANISATION,
    Role.TRAINER: Reach.OWN,
    Role.BUYER: Reach.OWN,
}
if set(REACH) != set(Role):  # pragma: no cover - guards the table above
    raise RuntimeError("core.roles.REACH must name every Role")

RoleGroup = frozenset[Role]

#: Roles that need a province and no organisation.
PROVINCE_ROLES: RoleGroup = frozenset(r for r, k in REACH.items() if k is Reach.PROVINCE)
#: Roles that need an organisation.
ORGANISATION_ROLES: RoleGroup = frozenset(r for r, k in REACH.items() if k is Reach.ORGANISATION)
#: Roles that hold neither.
GLOBAL_ROLES: RoleGroup = frozenset(r for r, k in REACH.items() if k in (Reach.NATIONAL, Reach.OWN))

# --- named groups (what a group is *for*, not who is in it) -----------------------------
#: The VCA alone (national programme work, national statistics, the admin).
VCA: RoleGroup = frozenset({Role.VCA_ADMIN})
#: National and provincial staff: see a province's (or the country's) records and reports.
STAFF: RoleGroup = frozenset({Role.VCA_ADMIN, Role.PROVINCE_OFFICER, Role.DEPARTMENT_VIEWER})
#: Staff who change, verify and review records (a department viewer changes nothing).
REVIEWERS: RoleGroup = frozenset({Role.VCA_ADMIN, Role.PROVINCE_OFFICER})
#: People of an organisation.
ORGANISATION_PEOPLE: RoleGroup = frozenset({Role.COOP_MANAGER, Role.COOP_MEMBER})
#: Staff and the organisation's manager: see an organisation's records.
READERS: RoleGroup = STAFF | {Role.COOP_MANAGER}
#: Staff and everyone of an organisation: see the organisation itself.
STAFF_AND_ORGANISATIONS: RoleGroup = STAFF | ORGANISATION_PEOPLE
#: Who changes an organisation's records: the VCA, the province's officer, its manager.
EDITORS: RoleGroup = frozenset({Role.VCA_ADMIN, Role.PROVINCE_OFFICER, Role.COOP_MANAGER})
#: Who acts for an organisation (applies to calls, files its reports): its manager, the VCA.
MANAGERS: RoleGroup = frozenset({Role.VCA_ADMIN, Role.COOP_MANAGER})
#: Who may run a market store: an organisation's people (households), and the VCA.
SELLERS: RoleGroup = frozenset({Role.VCA_ADMIN, *ORGANISATION_PEOPLE})
#: Staff whose work needs two-factor sign-in.
STAFF_ROLES: RoleGroup = STAFF
#: Roles whose work uses the API (staff and cooperative managers).
API_ROLES: RoleGroup = STAFF | {Role.COOP_MANAGER}
#: Nobody by role (an object reached only through ownership, e.g. a buyer's own orders).
NOBODY: RoleGroup = frozenset()

#: Which roles a holder of a role may grant (by invitation, approval or account
#: management), always within the holder's own reach: an officer in the organisations of
#: the province, a manager in the organisation.  The VCA manages national and provincial
#: staff, trainers and department viewers; a provincial officer the cooperatives'
#: people in the province; a manager the members.  Checked by
#: ``core.policy.may_grant``.
GRANTS: dict[Role, RoleGroup] = {
    Role.VCA_ADMIN: frozenset(Role),
    Role.PROVINCE_OFFICER: frozenset({Role.COOP_MANAGER, Role.COOP_MEMBER}),
    Role.COOP_MANAGER: frozenset({Role.COOP_MEMBER}),
}


def as_roles(roles: Iterable[Role | str]) -> RoleGroup:
    """Validate a group: every item must name a :class:`Role` (a typo fails at import)."""
    items: set[Role] = set()
    for item in roles:
        try:
            items.add(Role(item))
        except ValueError:
            raise ValueError(f"{item!r} is not a role (see htxso.core.roles.Role)") from None
    return frozenset(items)


# --- issue 12, accounts management (invitations/views_accounts.py) ---------------------
#: Who opens the account-management pages: the VCA (everyone), a province's officer (the
#: province's people), a cooperative's manager (the organisation's people).
ACCOUNT_MANAGERS: RoleGroup = frozenset({Role.VCA_ADMIN, Role.PROVINCE_OFFICER, Role.COOP_MANAGER})
#: Staff who see managed users' phone numbers and may reset their two-factor sign-in.
ACCOUNT_STAFF: RoleGroup = frozenset({Role.VCA_ADMIN, Role.PROVINCE_OFFICER})
#: Roles the "invite staff" page gives (members are invited from the member register).
STAFF_INVITE_ROLES: RoleGroup = frozenset(
    {
        Role.VCA_ADMIN,
        Role.PROVINCE_OFFICER,
        Role.DEPARTMENT_VIEWER,
        Role.TRAINER,
        Role.COOP_MANAGER,
    }
)


# --- issue 12, privacy (privacy/, core/consent.py) ---------------------------------------
#: Who sees sensitive personal data of a register (citizen ID numbers, ethnicity): the
#: VCA, the province's officer, the organisation's manager.  Department viewers see
#: aggregates only; a member sees their own row.
SENSITIVE_READERS: RoleGroup = frozenset({Role.VCA_ADMIN, Role.PROVINCE_OFFICER, Role.COOP_MANAGER})
#: Who reads the log of sensitive exports and decides personal-data requests: the VCA
#: (everywhere) and a province's officer (in the province).
PRIVACY_REVIEWERS: RoleGroup = frozenset({Role.VCA_ADMIN, Role.PROVINCE_OFFICER})
