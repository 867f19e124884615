from django.conf import settings

from htxso import __version__

from .scoping import get_scope


def platform(request):
    user = getattr(request, "user", None)
    scope = get_scope(user)
    return {
        "htxso_version": __version__,
        "htxso_env": settings.HTXSO_ENV,
        "user_scope": scope,
        "is_staff_scope": scope.is_staff_scope,
    }
