"""The kinds of criterion of the rule language (shared by programme calls and support
policies).  Each computed kind has a function in :mod:`.engine`; ``declared`` is
answered by an applicant and checked by an officer."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CriterionKind(models.TextChoices):
    YOUTH_SHARE = "youth_share", _("Share of workers under 35")
    FINANCE = "finance", _("Revenue or profit over recent years")
    GRADE = "grade", _("Classification grade")
    VALUE_CHAIN = "value_chain", _("Active value-chain links")
    OCOP = "ocop", _("OCOP product")
    SECTOR = "sector", _("Sector")
    PROVINCE = "province", _("Province")
    ORG_KIND = "org_kind", _("Kind of organisation")
    OPERATING_MONTHS = "operating_months", _("Time in operation")
    DECLARED = "declared", _("Declared by the applicant, checked by the officer")
