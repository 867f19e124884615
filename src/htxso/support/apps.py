from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "htxso.support"
    label = "support"
    verbose_name = _("Support centre")

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.http import urlencode
        from django.utils.translation import gettext

        from htxso.registry.links import register_organisation_links

        def links(user, organisation) -> list[tuple[str, str]]:
            from .models import ServiceRequest

            if not ServiceRequest.policy.allows_at(user, "own", organisation=organisation.pk):
                return []
            url = reverse("support:new") + "?" + urlencode({"org": organisation.pk})
            return [(gettext("Ask the support centre"), url)]

        register_organisation_links("support", links)
