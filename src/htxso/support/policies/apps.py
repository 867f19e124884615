from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportPoliciesConfig(AppConfig):
    name = "htxso.support.policies"
    label = "support_policies"
    verbose_name = _("Support policies")

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext

        from htxso.registry.links import register_organisation_links

        def links(user, organisation) -> list[tuple[str, str]]:
            # the organisation page is shown only to those who may view the organisation,
            # and the policies page asks the same question
            url = reverse("support_policies:organisation", args=[organisation.pk])
            return [(gettext("Policies this organisation may be eligible for"), url)]

        register_organisation_links("support_policies", links)
