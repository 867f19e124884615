from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "htxso.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from .limits import on_user_login_failed

        user_login_failed.connect(
            on_user_login_failed, dispatch_uid="htxso.accounts.limits.sign_in_failed"
        )
