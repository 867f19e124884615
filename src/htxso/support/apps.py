from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "htxso.support"
    label = "support"
    verbose_name = _("Support centre")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from htxso.accounts.models import RoleAssignment, User
        from htxso.geo.models import Province

        from . import selectors
        from .models import CalendarDay, ServiceRequest

        # values the queue keeps per version of their tables (support.selectors)
        for versioned, models in (
            (selectors.CALENDAR, (CalendarDay,)),
            (selectors.OFFICERS, (RoleAssignment, User)),
            (selectors.OPEN_COUNTS, (ServiceRequest,)),
            (selectors.PROVINCE_NAMES, (Province,)),
        ):
            for model in models:
                for signal in (post_save, post_delete):
                    signal.connect(
                        versioned.forget,
                        sender=model,
                        dispatch_uid=f"{versioned.name}-{model.__name__}",
                    )
        from django.urls import reverse
        from django.utils.http import urlencode
        from django.utils.translation import gettext

        from htxso.registry.links import register_organisation_links

        def links(user, organisation) -> list[tuple[str, str]]:
            if not ServiceRequest.policy.allows_at(user, "own", organisation=organisation.pk):
                return []
            url = reverse("support:new") + "?" + urlencode({"org": organisation.pk})
            return [(gettext("Ask the support centre"), url)]

        register_organisation_links("support", links)

        from htxso.core.workdays import register_calendar_source

        # the government's days off and made-up working days (CalendarDay) for every app
        # counting working days (core.workdays.current)
        register_calendar_source(selectors.working_calendar)
