"""The catalogue of support policies (national and provincial).

A policy's eligibility is written as data in the rule language of the programme calls
(``registry.rules``): ``criteria`` is a list of ``{"kind", "label", "params"}``, checked
by ``services.clean_criteria`` with the same criterion form as the calls.

Who may do what (``SupportPolicy.policy``): everyone — the public included — reads a
published policy (``selectors.visible``); the staff see the drafts of their reach (the VCA
every one, a province's staff their province's); the VCA writes national policies, a
province's officer the policies of their province.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.text import fold


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", _("Expired")


class SupportPolicy(models.Model):
    scope_province_path = "province"
    policy = Policy(
        # drafts: the staff of the policy's reach (published ones: selectors.visible)
        view=roles.STAFF,
        # create, edit, publish, retire: the VCA (national) and the province's officer
        change=roles.REVIEWERS,
    )

    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    province = models.ForeignKey(
        "geo.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    legal_number = models.CharField(_("legal document number"), max_length=120)
    legal_date = models.DateField(_("date of the legal document"), null=True, blank=True)
    legal_title = models.CharField(_("legal document title"), max_length=400, blank=True)
    benefit = models.TextField(_("benefit"))
    eligible_text = models.TextField(_("who is eligible"), blank=True)
    how_to_apply = models.TextField(_("how to apply"), blank=True)
    contact = models.TextField(_("where to apply, contact"), blank=True)
    apply_url = models.URLField(_("link to apply"), max_length=500, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until (deadline)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT
    )
    #: the id of a programme call to apply through (programs is a sibling: no foreign key)
    call_id = models.PositiveBigIntegerField(_("programme call id"), null=True, blank=True)
    #: ``[{"kind", "label", "params"}]`` in the rule language of ``registry.rules``
    criteria = models.JSONField(_("criteria"), default=list, blank=True)
    #: ``|code|code|`` of the sectors named by a sector criterion ("" = every sector)
    sector_codes = models.CharField(max_length=300, blank=True, editable=False)
    search_text = models.CharField(max_length=1200, editable=False, db_index=True)
    #: a stable key of the demo data (idempotent seeding); empty for real policies
    demo_key = models.CharField(max_length=40, blank=True, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-valid_until", "name"]
        verbose_name = _("support policy")
        verbose_name_plural = _("support policies")
        indexes = [models.Index(fields=["status", "level", "province"])]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.refresh_derived()
        if kwargs.get("update_fields"):
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "sector_codes"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "vi").startswith("en"):
            return self.name_en
        return self.name

    @property
    def sectors(self) -> list[str]:
        return [c for c in self.sector_codes.split("|") if c]

    def refresh_derived(self) -> None:
        sectors: list[str] = []
        for c in self.criteria or []:
            if isinstance(c, dict) and c.get("kind") == "sector":
                sectors += [s for s in (c.get("params") or {}).get("sectors", []) if s]
        self.sector_codes = f"|{'|'.join(sorted(set(sectors)))}|" if sectors else ""
        self.search_text = fold(
            f"{self.name} {self.name_en} {self.legal_number} {self.legal_title} "
            f"{self.benefit[:400]}"
        )[:1200]
