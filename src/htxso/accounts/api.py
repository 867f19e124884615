from typing import Any

from ninja import Router, Schema

from htxso.core.api import route
from htxso.core.scoping import get_scope

from .http import AuthenticatedRequest
from .selectors import role_assignments

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    role_label: str
    province: str | None = None
    organisation_id: int | None = None


class MeOut(Schema):
    username: str
    full_name: str
    email: str
    language: str
    national: bool
    provinces: list[str]
    organisations: list[int]
    roles: list[RoleOut]


@route(router.get, "/me", authenticated=True, response=MeOut, summary="The signed-in user")
def me(request: AuthenticatedRequest) -> dict[str, Any]:
    user = request.user
    scope = get_scope(user)
    return {
        "username": user.username,
        "full_name": user.display_name,
        "email": user.email,
        "language": user.preferred_language,
        "national": scope.national_view,
        "provinces": sorted(scope.view_provinces),
        "organisations": sorted(scope.view_organisations | scope.member_organisations),
        "roles": [
            {
                "role": a.role,
                "role_label": str(a.get_role_display()),
                "province": a.province_id,
                "organisation_id": a.organisation_id,
            }
            for a in role_assignments(user)
        ],
    }
