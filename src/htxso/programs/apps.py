from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "htxso.programs"
    label = "programs"
    verbose_name = _("Programmes and calls")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import models
        from .selectors import forget_home_calls

        # what the provincial staff's home card shows (programs.selectors.province_home_calls)
        for model in (
            models.Call,
            models.CallProvince,
            models.ProvinceCompilation,
            models.Application,
            models.Criterion,
        ):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_home_calls, sender=model, dispatch_uid=f"home-calls-{model.__name__}"
                )
