from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal-data rights (Law 91/2025/QH15, Decree 13/2023/NĐ-CP): a person's data
    download, correction and deletion requests."""

    name = "htxso.privacy"
    label = "privacy"
    verbose_name = _("Personal data")
