"""Catalogue: categories, products, variants (price and stock), images, search words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import Scope, ScopedManager


class Category(models.Model):
    """A node of the category tree (seeded by a data migration; two levels).

    Names are data, stored in Vietnamese (``name``) and English (``name_en``).
    ``search_text`` is the folded Vietnamese and English names.
    """

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent category"),
    )
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    perishable = models.BooleanField(_("perishable goods"), default=False)
    search_text = models.CharField(max_length=250, editable=False, blank=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        """Save; when the name changes, re-index the category's products (their stored
        search columns hold it)."""
        renamed = False
        if self.pk:
            old = Category.objects.filter(pk=self.pk).values_list("name", "name_en").first()
            renamed = old is not None and tuple(old) != (self.name, self.name_en)
        super().save(*args, **kwargs)
        if renamed:
            from .. import search

            search.reindex_products(Product.objects.filter(category=self))

    @property
    def display_name(self) -> str:
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name


def _store_owned(user: Any, scope: Scope) -> Q:
    """A member household's products are also its store owner's."""
    return Q(store__owner=user) if user.is_authenticated else Q(pk__in=[])


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("On sale")
    HIDDEN = "hidden", _("Hidden by the seller")
    BLOCKED = "blocked", _("Blocked by moderation")


class Product(models.Model):
    """A product of a store.

    ``description`` holds sanitised HTML (``market.sanitize.clean_html``).  OCOP stars are
    shown only when ``ocop`` (a registry ``OcopProduct`` of the store's organisation) is
    valid on the day (:meth:`ocop_stars_on`).  ``search_text`` is the folded title,
    English title, category, store and province (filled by the service); ``search_title``
    the folded title alone (ranking).  ``province`` is copied from the store's
    organisation (for filters); ``min_price``/``in_stock`` summarise the active variants
    (kept by the services).  Public when ``status=active`` and the store is verified.
    """

    scope_province_path = "store__province"
    scope_organisation_path = "store__organisation"
    #: As its store; the province's officer blocks a product (moderation).
    policy = Policy(
        view=roles.STAFF_AND_ORGANISATIONS,
        change=roles.EDITORS,
        block=roles.REVIEWERS,
        extra={"view": _store_owned, "change": _store_owned},
    )

    store = models.ForeignKey(
        "market.Store", on_delete=models.CASCADE, related_name="products", verbose_name=_("store")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        related_name="market_products",
        verbose_name=_("province"),
    )
    title = models.CharField(_("product name"), max_length=150)
    title_en = models.CharField(_("name in English"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=20000)
    description_en = models.TextField(_("description in English"), blank=True, max_length=20000)
    unit = models.CharField(_("unit"), max_length=30, default="kg")
    origin_ward = models.ForeignKey(
        "geo.Ward",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="market_products",
        verbose_name=_("place of origin"),
    )
    ocop = models.ForeignKey(
        "registry.OcopProduct",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="market_products",
        verbose_name=_("OCOP certificate"),
    )
    ethnic_minority_producer = models.BooleanField(
        _("made by ethnic-minority producers"), default=False
    )
    gtin = models.CharField(
        _("barcode (GTIN)"),
        max_length=14,
        blank=True,
        db_index=True,
        help_text=_("The GTIN printed on the package; it links the product to its trace page."),
    )
    shelf_life_days = models.PositiveSmallIntegerField(
        _("shelf life (days)"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    min_price = models.PositiveIntegerField(_("lowest price (VND)"), default=0)
    in_stock = models.BooleanField(_("in stock"), default=False)
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    sold_count = models.PositiveIntegerField(default=0)
    search_text = models.CharField(max_length=600, editable=False, blank=True)
    search_title = models.CharField(max_length=200, editable=False, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [
            models.Index(fields=["status", "category"], name="market_product_status_cat"),
            models.Index(fields=["status", "province"], name="market_product_status_prov"),
            models.Index(fields=["status", "min_price"], name="market_product_status_price"),
            models.Index(fields=["store", "status"], name="market_product_store_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active", "hidden", "blocked"]),
                name="market_product_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(shelf_life_days__isnull=True) | Q(shelf_life_days__gt=0),
                name="market_product_shelf_life_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("market:product_detail", kwargs={"product_id": self.pk})

    @property
    def display_title(self) -> str:
        if (get_language() or "vi").startswith("en") and self.title_en:
            return self.title_en
        return self.title

    @property
    def display_description(self) -> str:
        if (get_language() or "vi").startswith("en") and self.description_en:
            return self.description_en
        return self.description

    def ocop_stars_on(self, day: dt.date | None = None) -> int | None:
        """OCOP stars backed by a valid, unexpired registry record; else ``None``."""
        from django.utils import timezone

        if self.ocop_id is None or self.ocop is None:
            return None
        day = day or timezone.localdate()
        if self.ocop.organisation_id != self.store.organisation_id:
            return None
        return self.ocop.stars if self.ocop.is_valid_on(day) else None

    @property
    def ocop_stars(self) -> int | None:
        return self.ocop_stars_on()

    @property
    def rating(self) -> float | None:
        return round(self.rating_sum / self.rating_count, 1) if self.rating_count else None


class Variant(models.Model):
    """A sellable size of a product (250 g / 500 g / 1 kg) with its price and stock.

    ``price`` is whole VND (> 0); ``stock`` never goes below 0 (a database constraint and
    the conditional UPDATE in ``services.orders`` that reserves it).
    """

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="variants", verbose_name=_("product")
    )
    label = models.CharField(_("size"), max_length=40)
    price = models.PositiveIntegerField(_("price (VND)"))
    stock = models.IntegerField(_("stock"), default=0)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("for sale"), default=True)

    class Meta:
        ordering = ["position", "price", "id"]
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="market_variant_price_positive"),
            models.CheckConstraint(
                condition=Q(stock__gte=0), name="market_variant_stock_not_negative"
            ),
            models.UniqueConstraint(
                fields=["product", "label"], name="market_variant_label_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.title} — {self.label}"


class ProductImage(models.Model):
    """A photo of a product, re-encoded by ``market.images.process_upload`` (full size ≤
    1600 px and a 400 px thumbnail)."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product")
    )
    image = models.ImageField(_("photo"), upload_to="market/products/")
    thumb = models.ImageField(_("thumbnail"), upload_to="market/thumbs/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt = models.CharField(_("description of the photo"), max_length=150, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")

    def __str__(self) -> str:
        return f"{self.product_id}#{self.position}"


class SearchTerm(models.Model):
    """One folded word of the catalogue vocabulary (titles, categories, provinces).

    Used for typo tolerance (``market.search``): a query word is also matched by the
    vocabulary words within one edit (insertion, deletion, substitution, transposition),
    found through :class:`SearchKey` and checked in Python, so SQLite and PostgreSQL
    behave alike.  ``df`` is the number of products using the word (its
    :class:`ProductTerm` postings; kept by ``search.index_product``, recounted by
    ``search.rebuild_index``): it orders typo candidates and tells a rare word (which
    may be corrected) from a common one (taken as typed).
    """

    term = models.CharField(max_length=40, unique=True)
    length = models.PositiveSmallIntegerField(db_index=True)
    df = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        constraints = [
            models.CheckConstraint(condition=Q(length__gt=0), name="market_term_length_positive")
        ]

    def __str__(self) -> str:
        return self.term


class SearchKey(models.Model):
    """A deletion key of a vocabulary word ("lak" → "ak", "lk", "la", and "lak" itself):
    two words within one edit share a key (symmetric-delete spelling correction)."""

    key = models.CharField(max_length=40, db_index=True)
    term = models.ForeignKey(SearchTerm, on_delete=models.CASCADE, related_name="keys")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "term"], name="market_searchkey_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.term_id}"


class ProductTerm(models.Model):
    """A posting of the inverted search index: ``product`` contains the vocabulary word
    ``term`` in its folded search text (``in_title``: also in its folded title).

    Maintained by ``search.index_product`` (one product's postings replaced in one
    transaction), ``search.product_deleted`` and ``search.rebuild_index``.  The postings
    are the source of :attr:`SearchTerm.df` (typo rarity, completion order); matching
    uses the database's own full-text index (migration 0006).  Every product is indexed
    whatever its status; the search filters on status and store.
    """

    # No single-column indexes: the unique (product, term) and (term, product) cover both.
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+", db_index=False)
    term = models.ForeignKey(
        SearchTerm, on_delete=models.CASCADE, related_name="postings", db_index=False
    )
    in_title = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        constraints = [
            models.UniqueConstraint(fields=["product", "term"], name="market_productterm_unique")
        ]
        indexes = [
            models.Index(fields=["term", "product", "in_title"], name="market_pterm_term_product")
        ]

    def __str__(self) -> str:
        return f"{self.product_id}:{self.term_id}"


@receiver(pre_delete, sender=Product, dispatch_uid="market_product_search_delete")
def _product_leaves_search(sender, instance: Product, **kwargs) -> None:
    """A deleted product's words lose it from their ``df`` and (SQLite) its FTS5 row
    goes — for queryset and cascade deletes too."""
    from .. import search

    search.product_deleted([instance.pk])
