from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraceConfig(AppConfig):
    name = "htxso.trace"
    label = "trace"
    verbose_name = _("Traceability")

    def ready(self) -> None:
        from htxso.core.gtin_links import TRACE, register_gtin_page

        from .selectors import trace_url_for_gtin

        # The market's product page links to the trace page of its GTIN's newest lot.
        register_gtin_page(TRACE, trace_url_for_gtin)
