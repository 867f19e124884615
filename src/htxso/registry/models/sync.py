"""What the incremental sync feed needs beyond the organisations themselves (issue 19).

Organisations are never deleted by the registry's services (a dissolved cooperative
keeps its history and shows as a *status change*), but two paths still remove rows:
an import's undo deletes the organisations the import created, and the Django admin
may delete one.  A system that synced such a row in between would keep it forever, so
every deletion leaves a :class:`OrganisationTombstone` that the feed serves as a
``deleted`` change in the same (time, id) order as the organisations.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import post_delete
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager


class OrganisationTombstone(models.Model):
    """An organisation that was deleted: its id, where it was, and when."""

    scope_province_path = "province"
    scope_organisation_path = "organisation_id"
    policy = Policy(view=roles.STAFF)

    #: the deleted organisation's id (not a foreign key: the row is gone)
    organisation_id = models.BigIntegerField(_("organisation id"), unique=True)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    kind = models.CharField(_("kind"), max_length=20)
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("deleted organisation")
        verbose_name_plural = _("deleted organisations")
        indexes = [
            models.Index(fields=["deleted_at", "organisation_id"], name="org_tombstone_feed"),
        ]

    def __str__(self) -> str:
        return f"#{self.organisation_id} ({self.deleted_at:%Y-%m-%d})"


def _leave_tombstone(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``post_delete`` of an organisation (also fired by queryset deletes: Django
    collects the rows one by one as soon as a receiver is connected)."""
    OrganisationTombstone.objects.update_or_create(
        organisation_id=instance.pk,
        defaults={
            "province_id": instance.province_id,
            "kind": instance.kind,
            "tax_code": instance.tax_code or "",
            "deleted_at": timezone.now(),
        },
    )


post_delete.connect(
    _leave_tombstone, sender="registry.Organisation", dispatch_uid="registry_sync_tombstone"
)
