from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    """Access requests: a cooperative's manager asks for access (or proposes a cooperative
    the registry does not have yet) and the province's officer approves or refuses."""

    name = "htxso.onboarding"
    label = "onboarding"
    verbose_name = _("Access requests")
