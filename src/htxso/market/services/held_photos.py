"""Photos chosen on the product form, held until the product is saved.

``photo_hold`` runs the same checks as a photo added to a saved product
(``market.images.process_upload``: size, format, pixels, metadata stripped) and keeps
the re-encoded photo; ``held_photos_of`` finds the seller's own held photos again from
the tokens the form sends back; ``held_photos_attach`` turns them into the product's
photos on the successful save; ``held_photos_expire`` deletes what was left behind.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from htxso.core import audit
from htxso.core.actors import Actor
from htxso.core.errors import ServiceError

from ..images import ImageRejected, process_upload
from ..models import HeldPhoto, Product, ProductImage, Store
from ..models.held_photos import HELD_PHOTO_HOURS
from .catalogue import MAX_PHOTOS, require_store_edit

MAX_TOKENS = MAX_PHOTOS


def _cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=HELD_PHOTO_HOURS)


def photo_hold(*, actor: Actor, store: Store, upload) -> HeldPhoto:
    """Check and keep one chosen photo; ``ServiceError`` (the image's code) if refused."""
    require_store_edit(actor=actor, store=store)
    try:
        processed = process_upload(upload)
    except ImageRejected as exc:
        raise ServiceError(exc.code, exc.message, exc.params or None) from exc
    for old in HeldPhoto.objects.filter(owner=actor, created_at__lt=_cutoff()):
        _delete(old)  # the seller's own leftovers go even when the periodic task lags
    token = secrets.token_urlsafe(32)
    held = HeldPhoto(
        token=token,
        owner=actor,
        store=store,
        width=processed.width,
        height=processed.height,
    )
    ext = processed.extension
    held.image.save(f"h{store.pk}-{token[:12]}.{ext}", ContentFile(processed.full), save=False)
    held.thumb.save(f"h{store.pk}-{token[:12]}-t.{ext}", ContentFile(processed.thumb), save=False)
    held.save()
    return held


def held_photos_of(*, actor: Actor, store: Store, tokens) -> list[HeldPhoto]:
    """The actor's unexpired held photos of ``store`` among ``tokens`` (others are
    ignored: a token is useless to anyone but the seller who chose the photo)."""
    if not getattr(actor, "is_authenticated", False):
        return []
    wanted = [t for t in dict.fromkeys(tokens or []) if isinstance(t, str) and 0 < len(t) <= 43]
    if not wanted:
        return []
    return list(
        HeldPhoto.objects.filter(
            owner=actor, store=store, token__in=wanted[:MAX_TOKENS], created_at__gte=_cutoff()
        )
    )


def _delete(held: HeldPhoto) -> None:
    held.image.delete(save=False)
    held.thumb.delete(save=False)
    held.delete()


@transaction.atomic
def held_photos_attach(
    *, actor: Actor, product: Product, held: list[HeldPhoto]
) -> list[ProductImage]:
    """Make the held photos the product's (up to the per-product limit) and drop them."""
    require_store_edit(actor=actor, store=product.store)
    room = MAX_PHOTOS - product.images.count()
    images = []
    for item in held:
        if item.owner_id != actor.pk or item.store_id != product.store_id:
            continue
        if room <= 0:  # the form offers no more than the limit; extras simply expire
            break
        ext = item.image.name.rsplit(".", 1)[-1]
        image = ProductImage(
            product=product,
            width=item.width,
            height=item.height,
            alt=product.title[:150],
            position=product.images.count(),
        )
        with item.image.open("rb") as full, item.thumb.open("rb") as thumb:
            image.image.save(f"p{product.pk}.{ext}", ContentFile(full.read()), save=False)
            image.thumb.save(f"p{product.pk}-t.{ext}", ContentFile(thumb.read()), save=False)
        image.save()
        images.append(image)
        room -= 1
        audit.record(
            actor=actor, action="product.photo", instance=product, after={"added": image.pk}
        )
        _delete(item)
    return images


def held_photos_expire(*, now: dt.datetime | None = None) -> int:
    """Delete the held photos older than ``HELD_PHOTO_HOURS`` (and their files)."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=HELD_PHOTO_HOURS)
    count = 0
    for held in HeldPhoto.objects.filter(created_at__lt=cutoff).iterator():
        _delete(held)
        count += 1
    return count
