from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportKnowledgeConfig(AppConfig):
    name = "htxso.support.knowledge"
    label = "support_knowledge"
    verbose_name = _("Model cases, news and guides")
