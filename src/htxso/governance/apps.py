from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "htxso.governance"
    label = "governance"
    verbose_name = _("Cooperative governance")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import Rule
        from .rules import RULES

        post_save.connect(RULES.forget, sender=Rule, dispatch_uid="gov-rule-save")
        post_delete.connect(RULES.forget, sender=Rule, dispatch_uid="gov-rule-delete")

        # the register part: its checks in the registry's legal warnings
        from .checks_register import connect

        connect()
        # the register part: once started, it alone keeps the members' capital
        from .checks_register import connect_capital_owner

        connect_capital_owner()

        # the portal part: the member portal's and the manager home's cache forget writes
        from . import selectors_portal

        selectors_portal.connect_signals()
