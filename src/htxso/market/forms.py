"""Forms of the market pages: they read what the person typed; the services keep the
rules (``services.*`` still validate everything and name the field of each problem).

Field names are the names the pages have always posted, and ids follow the name
(``auto_id="%s"``, see :data:`AUTO_ID`), so links, labels and tests keep working.
Amounts of đồng may be written "120.000": :class:`VndField` reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from htxso.core.formatting import ParseError, parse_vnd
from htxso.core.forms import bounded_integers

from .banks import BANK_CHOICES
from .models import Fulfilment, OrderState, PaymentMethod, ReportReason, SellerKind
from .services.catalogue import VARIANT_LABEL_MAX

#: Ids as the pages have always written them: the field's name.
AUTO_ID = "%s"


class VndField(forms.CharField):
    """A whole number of đồng (or a count) as people write it: "120.000", "120,000",
    "120000 đ".  Empty is ``None``; the range is the service's rule."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        value = super().to_python(value)
        if value in (None, ""):
            return None
        try:
            return parse_vnd(str(value), allow_negative=True)
        except (ParseError, ValueError):
            raise ValidationError(_("Enter a whole number."), code="invalid_number") from None


def _text(label: Any = "", *, attrs: dict[str, Any] | None = None, **kw: Any) -> forms.CharField:
    """A text input; its limits are the service's (``maxlength`` only helps the browser)."""
    return forms.CharField(
        label=label, required=False, strip=False, widget=forms.TextInput(attrs=attrs or {}), **kw
    )


def _area(label: Any = "", *, attrs: dict[str, Any] | None = None, **kw: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, strip=False, widget=forms.Textarea(attrs=attrs or {}), **kw
    )


class TokenListField(forms.Field):
    """Several values of one name (hidden inputs or ticked boxes), as strings."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        return [str(v)[:100] for v in list(value)[:50]]


class MarketForm(forms.Form):
    """Ids are the field names (as the hand-written pages had them).

    :meth:`values` is what the service reads: each field cleaned, or — where the form
    could not read it (a number that is not one, a choice not in the list) — the text
    as typed, so the service refuses it with its own message on that field.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", AUTO_ID)
        super().__init__(*args, **kwargs)

    def values(self) -> dict[str, Any]:
        self.is_valid()
        out: dict[str, Any] = {}
        for name, field in self.fields.items():
            if isinstance(field, forms.FileField):
                continue
            if name in self.cleaned_data:
                value = self.cleaned_data[name]
                out[name] = "" if value is None else value
            else:
                out[name] = self.data.get(self.add_prefix(name))
        return out

    def typed(self) -> dict[str, Any]:
        """What the person typed, to show it again as typed ("120.000" stays so)."""
        return {
            name: self.data.get(self.add_prefix(name))
            for name, field in self.fields.items()
            if not isinstance(field, forms.FileField) and self.add_prefix(name) in self.data
        }


# ---------------------------------------------------------------- buyer


class VariantRadio(forms.RadioSelect):
    """The sizes of a product: a sold-out size is shown, disabled."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if getattr(option["label"], "stock", 1) < 1:
            option["attrs"]["disabled"] = True
        return option


@bounded_integers
class CartAddForm(MarketForm):
    """Add to cart, on a product page (its sizes are the choices of ``variant``)."""

    variant = forms.TypedChoiceField(
        coerce=int, required=False, widget=VariantRadio, empty_value=None
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        required=False,
        error_messages={"invalid": _("Enter a quantity of 1 or more.")},
        widget=forms.NumberInput(attrs={"id": "qty", "min": 1, "max": 999, "inputmode": "numeric"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, variants: Iterable[Any] = (), next_url: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        variants = list(variants)
        self.fields["variant"].choices = [(v.pk, v) for v in variants]  # type: ignore[attr-defined]
        self.fields["next"].widget.attrs["id"] = "next"
        if not self.is_bound:
            self.initial.update({"quantity": 1, "next": next_url})
            if variants:
                self.initial["variant"] = variants[0].pk

    def next_url(self) -> str:
        """Where to go back to: a path of this site only."""
        nxt = str(self.values().get("next") or "")
        return nxt if nxt.startswith("/") and not nxt.startswith("//") else ""


@bounded_integers
class CartUpdateForm(MarketForm):
    """The cart's quantities (``qty-<line id>``, one field per line), "remove" and "go"."""

    remove = forms.IntegerField(required=False)
    go = forms.CharField(required=False)

    def __init__(self, *args: Any, lines: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # a page shows the cart's lines; a post names the lines it changes
        names = [f"qty-{line.pk}" for line in lines]
        names += [k for k in self.data if k.startswith("qty-") and k not in names][:200]
        for name in names:
            self.fields[name] = forms.CharField(
                label=_("Quantity"),
                required=False,
                widget=forms.NumberInput(
                    attrs={"class": "qty", "min": 0, "max": 999, "inputmode": "numeric"}
                ),
            )

    def quantities(self) -> list[tuple[str, str]]:
        """(line id, quantity typed) for each line the form holds a value for."""
        values = self.values()
        return [
            (name[4:], values[name])
            for name in self.fields
            if name.startswith("qty-") and name in self.data
        ]


class CheckoutForm(MarketForm):
    """The buyer's details (``services.orders.checkout_place`` checks them)."""

    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput)
    buyer_name = forms.CharField(
        label=_("Your name"), strip=False, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    buyer_phone = forms.CharField(
        label=_("Phone"),
        strip=False,
        help_text=_("The seller calls this number about delivery."),
        widget=forms.TextInput(
            attrs={
                "type": "tel",
                "inputmode": "tel",
                "autocomplete": "tel",
                "placeholder": "0912 345 678",
            }
        ),
    )
    buyer_email = forms.CharField(
        label=_("E-mail (optional)"),
        required=False,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )
    fulfilment = forms.ChoiceField(
        choices=Fulfilment.choices, required=False, widget=forms.RadioSelect
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    ward = forms.ChoiceField(label=_("Ward / commune"), required=False)
    address = _text(_("House number, street or village"), attrs={"autocomplete": "street-address"})
    payment_method = forms.ChoiceField(
        choices=PaymentMethod.choices, required=False, widget=forms.RadioSelect
    )
    note = _area(_("Note to the seller (optional)"), attrs={"rows": 2})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fulfilment"].widget.attrs.update(
            {
                "hx-get": reverse("market:checkout") + "?part=total",
                "hx-trigger": "change",
                "hx-target": "#checkout-total",
                "hx-include": "this",
            }
        )
        self.fields["province"].widget.attrs.update(
            {
                "hx-get": reverse("geo:ward_options"),
                "hx-target": "#ward",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
                "hx-include": "this",
            }
        )
        self.initial.setdefault("payment_method", PaymentMethod.choices[0][0])

    def place_choices(self, *, provinces: list[tuple[str, str]], ward: Any) -> None:
        """The province list, and the chosen ward (htmx loads the others)."""
        self.fields["province"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a province")),
            *provinces,
        ]
        wards = [("", _("Choose the province first"))]
        if ward is not None:
            wards.append((ward.code, ward.name))
        self.fields["ward"].choices = wards  # type: ignore[attr-defined]


class BuyerOrderForm(MarketForm):
    """What a buyer does on an order page: cancel (with a reason), confirm receipt, review."""

    action = forms.ChoiceField(
        choices=[("cancel", "cancel"), ("received", "received"), ("review", "review")],
        required=False,
    )
    reason = _text(_("Cancel the order — why?"), attrs={"maxlength": 500})
    product = forms.CharField(required=False, widget=forms.HiddenInput)
    rating = forms.ChoiceField(
        choices=[(str(n), f"{n}★") for n in range(1, 6)], required=False, widget=forms.RadioSelect
    )
    text = _area(_("Your review (optional)"), attrs={"rows": 3, "maxlength": 2000})
    author_name = forms.CharField(required=False)


class ReportForm(MarketForm):
    product = forms.CharField(required=False, widget=forms.HiddenInput)
    review = forms.CharField(required=False, widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=ReportReason.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"required": True}),
    )
    detail = _area(_("Details"), attrs={"rows": 3, "maxlength": 2000})
    contact = _text(_("Your phone or e-mail (optional)"))


# ---------------------------------------------------------------- officer


class StoreDecisionForm(MarketForm):
    """Verify, reject (with a reason) or suspend (with a reason) a store."""

    action = forms.ChoiceField(
        choices=[("verify", "verify"), ("reject", "reject"), ("suspend", "suspend")],
        required=False,
    )
    reason = _text(attrs={"required": True, "maxlength": 500})

    def __init__(self, *args: Any, reason_label: Any = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = reason_label


class ReportDecisionForm(MarketForm):
    action = forms.ChoiceField(
        choices=[("uphold", "uphold"), ("dismiss", "dismiss")], required=False
    )
    note = _text(_("Decision (recorded)"), attrs={"required": True, "maxlength": 500})


# ---------------------------------------------------------------- seller


class StoreSubmitForm(MarketForm):
    action = forms.ChoiceField(choices=[("submit", "submit")], required=False)


@bounded_integers
class ProductStatusForm(MarketForm):
    product = forms.IntegerField(required=False, widget=forms.HiddenInput)
    status = forms.CharField(required=False)


@bounded_integers
class StoreForm(MarketForm):
    """A store's settings (``services.stores`` checks them)."""

    name = forms.CharField(
        label=_("Store name"), strip=False, widget=forms.TextInput(attrs={"maxlength": 120})
    )
    description = _area(
        _("About the store"),
        attrs={"rows": 4},
        help_text=_(
            "Who you are, how you grow or make your goods. Write plain text; an empty "
            "line starts a new paragraph."
        ),
    )
    logo = forms.FileField(
        label=_("Logo or photo (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    phone = _text(_("Store phone"), attrs={"type": "tel"})
    offers_delivery = forms.BooleanField(required=False, label=_("We deliver"))
    delivery_fee = VndField(label=_("Delivery fee per order (VND)"))
    offers_pickup = forms.BooleanField(required=False, label=_("Buyers can pick up"))
    province = forms.CharField(label=_("Province"), required=False)
    pickup_ward = forms.CharField(label=_("Ward / commune of the pickup place"), required=False)
    pickup_address = _text(
        _("House number, street or village"),
        attrs={
            "maxlength": 255,
            "placeholder": _("e.g. Village 3, next to the commune market"),
        },
    )
    delivery_note = _text()
    bank_bin = forms.ChoiceField(
        label=_("Bank"),
        required=False,
        choices=[("", _("No bank account")), *BANK_CHOICES],
    )
    bank_account = _text(_("Account number"), attrs={"inputmode": "numeric"})
    bank_account_name = _text(_("Account holder (as in the bank)"))
    household_name = _text(_("Household name"))

    def __init__(self, *args: Any, organisations: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def pickup_choices(
        self,
        *,
        provinces: list[tuple[str, str]],
        province: str,
        wards: list[tuple[str, str]],
        invalid: bool,
    ) -> None:
        """The pickup place pickers: the organisations' provinces (htmx reloads the
        wards of the chosen one) and that province's wards."""
        attrs = {
            "id": "pickup_province",
            "hx-get": reverse("geo:ward_options"),
            "hx-target": "#pickup_ward",
            "hx-trigger": "change",
            "hx-swap": "innerHTML",
            "hx-include": "this",
        }
        self.fields["province"] = forms.ChoiceField(
            label=_("Province"),
            required=False,
            choices=provinces,
            initial=province,
            widget=forms.Select(attrs=attrs),
        )
        if not self.is_bound or "province" not in self.data:
            self.initial["province"] = province
        ward_attrs = {"aria-invalid": "true"} if invalid else {}
        self.fields["pickup_ward"] = forms.ChoiceField(
            label=_("Ward / commune of the pickup place"),
            required=False,
            choices=[("", _("Choose a ward / commune")), *wards],
            widget=forms.Select(attrs=ward_attrs),
        )


class StoreCreateForm(StoreForm):
    """Opening a store: for which of the seller's organisations, and who sells."""

    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    kind = forms.ChoiceField(
        # an independent producer's store is opened by a store request, not here
        choices=[c for c in SellerKind.choices if c[0] != SellerKind.INDEPENDENT],
        required=False,
        widget=forms.RadioSelect,
    )

    field_order = ["organisation", "kind", "household_name"]

    def __init__(self, *args: Any, organisations: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household_name"].label = _("Household name (for a member household)")
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            (str(o.pk), f"{o.name} ({o.province.name})") for o in organisations
        ]
        self.initial.setdefault("kind", SellerKind.COOPERATIVE)


class ValueInput(forms.TextInput):
    """The input of a size row, written as the row always was: ``id``, ``name``,
    ``value`` (also when empty), then the other attributes."""

    template_name = "market/widgets/row_input.html"

    def format_value(self, value: Any) -> str:
        return "" if value is None else str(value)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several chosen files (the service checks each image)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        return list(data) if isinstance(data, (list, tuple)) else [data]


class HeldPhotosForm(forms.Form):
    """The photos kept from an earlier submission (ticked: they stay chosen)."""

    photo_token = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, held: list[Any]) -> None:
        super().__init__(auto_id=False, initial={"photo_token": [h.token for h in held]})
        self.fields["photo_token"].choices = [(h.token, h) for h in held]  # type: ignore[attr-defined]


@bounded_integers
class ProductForm(MarketForm):
    """A product's fields; its sizes are :class:`VariantForm` rows (prefix ``v<i>``)."""

    title = forms.CharField(
        label=_("Product name"),
        strip=False,
        widget=forms.TextInput(
            attrs={"maxlength": 150, "placeholder": _("e.g. Robusta coffee beans, roasted")}
        ),
    )
    category = forms.ChoiceField(label=_("Category"))
    variant_count = forms.CharField(required=False, widget=forms.HiddenInput)
    unit = _text(_("Unit"), attrs={"maxlength": 30})
    description = _area(
        _("Description"),
        attrs={"rows": 6},
        help_text=_(
            "How it is grown or made, taste, how to keep it. Write plain text; an empty "
            "line starts a new paragraph."
        ),
    )
    shelf_life_days = VndField(label=_("Shelf life in days (fresh goods)"))
    gtin = _text(
        _("Barcode (GTIN), optional"),
        attrs={"inputmode": "numeric", "maxlength": 14, "aria-describedby": "gtin_help"},
        help_text=_(
            "The 8, 12, 13 or 14 digits under the barcode on the package (893… for GS1 "
            "Vietnam). Buyers then see the product's origin from the traceability records."
        ),
    )
    ocop = forms.ChoiceField(
        label=_("OCOP certificate"),
        required=False,
        help_text=_("Stars are shown only while the certificate in the registry is valid."),
    )
    province = forms.ChoiceField(
        label=_("Place of origin"),
        required=False,
        widget=forms.Select(attrs={"id": "origin_province"}),
    )
    origin_ward = forms.ChoiceField(required=False)
    ethnic_minority_producer = forms.BooleanField(
        required=False, label=_("Made by ethnic-minority producers")
    )
    title_en = _text(_("Name in English"))
    description_en = _area(_("Description in English"), attrs={"rows": 4})
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        help_text=_("JPEG, PNG or WebP up to 8 MB; we resize them for slow phones."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_token = TokenListField(required=False)
    remove_photo = forms.IntegerField(required=False)

    def pickers(
        self,
        *,
        categories: Iterable[Any],
        ocop_products: Iterable[Any],
        provinces: Iterable[tuple[str, str]],
        province: str,
        wards: list[tuple[str, str]],
    ) -> None:
        """The lists of the page: categories (by group), the organisation's OCOP
        products, provinces and the chosen province's wards (htmx reloads them)."""
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose")),
            *[
                (c.display_name, [(ch.pk, ch.display_name) for ch in c.children.all()])
                for c in categories
            ],
        ]
        self.fields["ocop"].choices = [  # type: ignore[attr-defined]
            ("", _("None")),
            *[
                (
                    o.pk,
                    f"{o.name} — {o.stars}★ ({_('until')} {date_format(o.expires_on, 'd/m/Y')})",
                )
                for o in ocop_products
            ],
        ]
        self.fields["province"].choices = [("", _("Choose a province")), *provinces]  # type: ignore[attr-defined]
        self.fields["province"].widget.attrs.update(
            {
                "hx-get": reverse("geo:ward_options"),
                "hx-target": "#origin_ward",
                "hx-trigger": "change",
            }
        )
        if wards:
            ward_choices = [("", _("Choose a ward / commune")), *wards]
        else:
            ward_choices = [("", _("Choose the province first"))]
        self.fields["origin_ward"].choices = ward_choices  # type: ignore[attr-defined]
        self.fields["origin_ward"].widget.attrs["aria-label"] = _("Ward / commune")
        if self.is_bound:
            self.data = self.data.copy()
            self.data["province"] = province
        else:
            self.initial["province"] = province

    def row_count(self, max_rows: int = 13) -> int:
        """How many size rows the page posted (3 when it does not say)."""
        raw = str(self.values().get("variant_count") or "3")
        return min(int(raw) if raw.isdigit() else 3, max_rows)


class VariantForm(MarketForm):
    """One size of a product: ``v<i>-id``, ``v<i>-label``, ``v<i>-price``, ``v<i>-stock``."""

    id = forms.CharField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(
        label=_("Size"),
        required=False,
        strip=False,
        widget=ValueInput(attrs={"maxlength": VARIANT_LABEL_MAX}),
    )
    price = VndField(label=_("Price (đ)"), widget=ValueInput)
    stock = VndField(label=_("Stock"), widget=ValueInput)

    def show_errors(self, bad: Iterable[str]) -> None:
        """Mark the inputs of the fields ``bad`` as invalid, described by the row's
        messages (``v<i>-errors``)."""
        for name in bad:
            self.fields[name].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": f"{self.prefix}-errors"}
            )

    def __init__(self, *args: Any, index: int = 0, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"v{index}")
        super().__init__(*args, **kwargs)

    def row(self) -> dict[str, Any]:
        """The row as ``services.catalogue`` reads it (it names the row in messages)."""
        values = self.values()
        return {
            k: (None if values[k] == "" else values[k]) for k in ("id", "label", "price", "stock")
        }

    def typed_row(self) -> dict[str, Any]:
        """The row as typed, to show it again."""
        return {k: self.data.get(self.add_prefix(k)) for k in ("id", "label", "price", "stock")}


@bounded_integers
class OrderTransitionForm(MarketForm):
    to_state = forms.ChoiceField(choices=OrderState.choices, required=False)
    reason = _text(_("Reason (the buyer sees it)"), attrs={"required": True, "maxlength": 500})
    reference = _text(
        _("Bank transfer reference (optional)"), attrs={"id": "ref", "maxlength": 100}
    )


# ---------------------------------------------------------------- statistics (GET)


class ExportForm(forms.Form):
    """The date range of the seller's order export (the view reads and checks it)."""

    start = forms.DateField(
        label=_("From (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "id": "f-from"}),
    )
    end = forms.DateField(
        label=_("To (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "id": "f-to"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the names the export has always read
        self.fields["from"] = self.fields.pop("start")
        self.fields["to"] = self.fields.pop("end")


class StatsFilterForm(forms.Form):
    """The province and period of the market statistics."""

    province = forms.ChoiceField(
        label=_("Province"), required=False, widget=forms.Select(attrs={"id": "f-province"})
    )
    period = forms.ChoiceField(
        label=_("Orders placed"), required=False, widget=forms.Select(attrs={"id": "f-period"})
    )

    def __init__(
        self,
        *args: Any,
        provinces: Iterable[tuple[str, str]] = (),
        periods: Iterable[tuple[str, Any]] = (),
        all_label: Any = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", all_label), *provinces]  # type: ignore[attr-defined]
        self.fields["period"].choices = list(periods)  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    """The catalogue's search box and filters (``views_public`` reads the query)."""

    q = forms.CharField(
        label=_("Search products"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("e.g. ca phe dak lak, mat ong"),
                "autocomplete": "off",
            }
        ),
    )
    danh_muc = forms.ChoiceField(
        label=_("Category"), required=False, widget=forms.Select(attrs={"id": "f-cat"})
    )
    tinh = forms.ChoiceField(
        label=_("Province"), required=False, widget=forms.Select(attrs={"id": "f-prov"})
    )
    ocop = forms.ChoiceField(
        label=_("OCOP stars"), required=False, widget=forms.Select(attrs={"id": "f-ocop"})
    )
    gia_tu = forms.CharField(
        label=_("Price from (VND)"),
        required=False,
        widget=forms.TextInput(attrs={"id": "f-min", "inputmode": "numeric"}),
    )
    gia_den = forms.CharField(
        label=_("Price to (VND)"),
        required=False,
        widget=forms.TextInput(attrs={"id": "f-max", "inputmode": "numeric"}),
    )
    sap_xep = forms.ChoiceField(
        label=_("Sort by"), required=False, widget=forms.Select(attrs={"id": "f-sort"})
    )
    dtts = forms.BooleanField(
        label=_("Made by ethnic-minority producers"),
        required=False,
        widget=forms.CheckboxInput(attrs={"value": "1"}),
    )

    def __init__(
        self,
        *args: Any,
        categories: Iterable[Any] = (),
        provinces: Iterable[tuple[str, str]] = (),
        sorts: Iterable[tuple[str, Any]] = (),
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", AUTO_ID)
        super().__init__(*args, **kwargs)
        cats: list[tuple[Any, Any]] = [("", _("All categories"))]
        for c in categories:
            cats.append((c.pk, c.display_name))
            cats += [(ch.pk, f"— {ch.display_name}") for ch in c.children.all()]
        self.fields["danh_muc"].choices = cats  # type: ignore[attr-defined]
        self.fields["tinh"].choices = [("", _("All provinces")), *provinces]  # type: ignore[attr-defined]
        self.fields["ocop"].choices = [  # type: ignore[attr-defined]
            ("", _("Any")),
            *[(str(n), _("%(s)s stars or more") % {"s": n}) for n in (3, 4, 5)],
        ]
        self.fields["sap_xep"].choices = list(sorts)  # type: ignore[attr-defined]
