"""Photos held between two submissions of the product form.

A browser empties every file input when a form comes back with an error, so a seller
on a slow phone would have to find and choose the photo again.  The form's first POST
checks and re-encodes the chosen photos (``market.images.process_upload``) and keeps
them here; the page carries their ``token`` in hidden fields and shows the thumbnails;
the successful save turns them into :class:`~.catalogue.ProductImage` rows.  Leftovers
(the seller gave up) are deleted after :data:`HELD_PHOTO_HOURS` by
``services.held_photos.held_photos_expire`` (``market_tick``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

HELD_PHOTO_HOURS = 24


class HeldPhoto(models.Model):
    """A checked photo waiting for its product to be saved; only ``owner`` may use it."""

    token = models.CharField(max_length=43, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("chosen by"),
    )
    store = models.ForeignKey(
        "market.Store", on_delete=models.CASCADE, related_name="+", verbose_name=_("store")
    )
    image = models.ImageField(_("photo"), upload_to="market/held/")
    thumb = models.ImageField(_("thumbnail"), upload_to="market/held/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("photo waiting for its product")
        verbose_name_plural = _("photos waiting for their product")

    def __str__(self) -> str:
        return f"{self.store_id}:{self.token[:6]}"
