from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "htxso.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from htxso.core.api import register_api_auth
        from htxso.core.scoping import register_scope_builder

        from .api_auth import session_check, token_user
        from .limits import on_user_login_failed
        from .selectors import scope_for

        register_scope_builder(scope_for)
        register_api_auth(token_lookup=token_user, session_check=session_check)

        user_login_failed.connect(
            on_user_login_failed, dispatch_uid="htxso.accounts.limits.sign_in_failed"
        )
