from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvitationsConfig(AppConfig):
    """Invitations (one-time links and printed QR cards, bound to a register row and a
    role) and the account management of the people in charge."""

    name = "htxso.invitations"
    label = "invitations"
    verbose_name = _("Invitations and accounts")
