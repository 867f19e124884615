from typing import Any

from django.conf import settings
from django.http import HttpRequest

from htxso import __version__

from .scoping import get_scope


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    scope = get_scope(user)
    # Key of the cached navigation fragment: the menu differs only by these flags.
    nav_key = "".join(
        "1" if flag else "0"
        for flag in (
            getattr(user, "is_authenticated", False),
            scope.is_staff_scope,
            scope.view_organisations or scope.member_organisations,
            scope.national_view,
            scope.national_edit,
            bool(scope.edit_provinces),
            bool(scope.edit_organisations),
            scope.trainer,
        )
    )
    return {
        "fragment_ttl": 0 if settings.DEBUG else 600,
        "nav_key": nav_key,
        "htxso_version": __version__,
        "htxso_env": settings.HTXSO_ENV,
        "user_scope": scope,
        "is_staff_scope": scope.is_staff_scope,
        # who manages accounts (the VCA, a province's officer, a cooperative's manager):
        # shows the "Accounts" menu link; the pages themselves ask the policy
        "manages_accounts": bool(
            scope.national_edit or scope.edit_provinces or scope.edit_organisations
        ),
    }
