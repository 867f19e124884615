"""Forms of the trace pages: few fields, lists to pick from, numbers, one button."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.db.models import DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import BoundedModelMultipleChoiceField, bounded_integers
from htxso.geo.models import Ward

from .models import Facility, Lot, Plot, TradeItem
from .models.events import LotKind
from .models.master import Crop, FacilityKind
from .services.events import kg_text
from .vocab import OUTPUT_KIND

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
KG_WIDGET = forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1", "min": "0"})


class PlotForm(forms.Form):
    code = forms.CharField(label=_("Plot code"), max_length=40, help_text=_("e.g. EATU-017"))
    name = forms.CharField(label=_("Plot name"), max_length=120, required=False)
    producer_name = forms.CharField(
        label=_("Producer (owner)"),
        max_length=150,
        required=False,
        help_text=_("Sent to the EU buyer in the EUDR file; never shown on public pages."),
    )
    ward = forms.ModelChoiceField(
        label=_("Commune / ward"),
        queryset=Ward.objects.none(),
        empty_label=_("— Choose the commune or ward —"),
    )
    crop = forms.ChoiceField(label=_("Crop"), choices=Crop.choices, initial="coffee")
    area_ha = forms.DecimalField(
        label=_("Area (ha)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=4,
        help_text=_("Needed for a point; computed from the boundary for a polygon."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=10,
        decimal_places=7,
        help_text=_("e.g. 12.6797 (north)"),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=10,
        decimal_places=7,
        help_text=_("e.g. 108.0377 (east)"),
    )
    geometry_file = forms.FileField(
        label=_("Boundary file (GeoJSON or KML)"),
        required=False,
        help_text=_("Instead of a point: the polygon drawn with a phone app or GPS."),
    )
    geometry_text = forms.CharField(
        label=_("…or paste GeoJSON"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    deforestation_free = forms.TypedChoiceField(
        label=_("No deforestation on this plot after 31/12/2020"),
        choices=[("", _("Not declared yet")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )
    deforestation_evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. satellite map 2020 checked, land-use certificate number."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.filter(province_id=organisation.province_id)

    def geometry(self) -> tuple[str | bytes | dict, str]:
        data = self.cleaned_data
        upload = data.get("geometry_file")
        if upload:
            raw = upload.read(5 * 1024 * 1024 + 1)
            if raw.startswith(b"PK\x03\x04"):  # KMZ: zipped KML, read through the archive guard
                return raw, "kmz"
            text = raw.decode("utf-8", errors="replace")
            fmt = (
                "kml"
                if upload.name.lower().endswith(".kml") or text.lstrip().startswith("<")
                else "geojson"
            )
            return text, fmt
        if data.get("geometry_text"):
            return data["geometry_text"], "geojson"
        from .services.master import point_geometry

        return point_geometry(data.get("latitude"), data.get("longitude")), "geojson"


class FacilityForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=FacilityKind.choices)
    gln = forms.CharField(
        label=_("Location number (GLN)"),
        max_length=20,
        required=False,
        help_text=_("13 digits, if the facility has one."),
    )
    ward = forms.ModelChoiceField(
        label=_("Commune / ward"),
        queryset=Ward.objects.none(),
        required=False,
        empty_label=_("— Choose the commune or ward —"),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.filter(province_id=organisation.province_id)


@bounded_integers
class TradeItemForm(forms.Form):
    gtin = forms.CharField(
        label=_("Barcode number (GTIN)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    name = forms.CharField(label=_("Product name"), max_length=200)
    name_en = forms.CharField(label=_("Product name in English"), max_length=200, required=False)
    lot_kind = forms.ChoiceField(
        label=_("Kind of lot"), choices=LotKind.choices, initial="packaged"
    )
    net_weight_g = forms.IntegerField(label=_("Net weight (g)"), required=False, min_value=1)
    own_prefix = forms.CharField(
        label=_("Own GS1 company prefix"),
        max_length=12,
        required=False,
        help_text=_("Only if the GTIN does not start with 893."),
    )


def with_left(qs):
    """Lots with ``left_kg``: quantity minus what transformations already used."""
    used = Coalesce(
        Sum("event_links__quantity_kg", filter=Q(event_links__role="input")),
        Value(Decimal(0)),
        output_field=DecimalField(max_digits=12, decimal_places=3),
    )
    return qs.annotate(left_kg=F("quantity_kg") - used)


def _choice_label_lot(lot: Lot) -> str:
    left = getattr(lot, "left_kg", None)
    kg = left if left is not None else lot.quantity_kg
    return f"{lot.code} · {lot.get_kind_display()} · {kg_text(kg)}\u00a0kg"


class LotChoices(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _choice_label_lot(obj)


class RecordForm(forms.Form):
    """One critical tracking event; the fields depend on the kind."""

    event_id = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, organisation, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        org_lots = Lot.objects.filter(organisation=organisation).select_related("trade_item")
        items = TradeItem.objects.filter(organisation=organisation)
        facilities = Facility.objects.filter(organisation=organisation)
        self.fields["event_id"].initial = f"urn:uuid:{uuid.uuid4()}"
        if kind == "harvest":
            self.fields["plot"] = forms.ModelChoiceField(
                label=_("Plot"),
                queryset=Plot.objects.filter(organisation=organisation),
                empty_label=_("— Choose the plot harvested —"),
            )
            self.fields["trade_item"] = forms.ModelChoiceField(
                label=_("Product"),
                queryset=items.filter(lot_kind="cherry") or items,
                empty_label=None,
            )
            self.fields["quantity_kg"] = forms.DecimalField(
                label=_("Quantity (kg)"),
                min_value=0,
                max_digits=12,
                decimal_places=3,
                widget=KG_WIDGET,
            )
        elif kind in ("processing", "drying", "hulling", "roasting", "packing"):
            self.fields["inputs"] = LotChoices(
                label=_("Input lots (all that is left of each)"),
                queryset=with_left(org_lots.filter(shipped=False))
                .filter(left_kg__gt=0)
                .order_by("-produced_at"),
                widget=forms.CheckboxSelectMultiple,
                help_text=_("A lot partly used before shows what is left."),
            )
            self.fields["trade_item"] = forms.ModelChoiceField(
                label=_("Output product"), queryset=items, empty_label=None
            )
            wanted = OUTPUT_KIND.get(kind)
            self.fields["trade_item"].initial = next(
                (i.pk for i in items if i.lot_kind == wanted), None
            )
            self.fields["quantity_kg"] = forms.DecimalField(
                label=_("Output quantity (kg)"),
                min_value=0,
                max_digits=12,
                decimal_places=3,
                widget=KG_WIDGET,
            )
            if kind == "processing":
                self.fields["method"] = forms.ChoiceField(
                    label=_("Method"),
                    choices=[
                        ("washed", _("Washed")),
                        ("natural", _("Natural")),
                        ("honey", _("Honey")),
                    ],
                    widget=forms.RadioSelect,
                    initial="washed",
                )
        else:
            self.fields["lots"] = LotChoices(
                label=_("Lots"),
                queryset=with_left(
                    org_lots.filter(shipped=True) if kind == "receiving" else org_lots
                )
                .filter(left_kg__gt=0)
                .order_by("-produced_at"),
                widget=forms.CheckboxSelectMultiple,
            )
            if kind in ("shipping", "receiving"):
                self.fields["party"] = forms.CharField(
                    label=_("Buyer or exporter") if kind == "shipping" else _("Received from"),
                    max_length=150,
                    required=False,
                )
            if kind == "certification":
                self.fields["certification"] = forms.CharField(
                    label=_("Certificate or standard"),
                    max_length=200,
                    help_text=_("e.g. 4C, Rainforest Alliance, VietGAP, organic TCVN 11041"),
                )
            self.fields["note"] = forms.CharField(label=_("Note"), max_length=300, required=False)
        self.fields["facility"] = forms.ModelChoiceField(
            label=_("Where"), queryset=facilities, required=False, empty_label=_("—")
        )
        self.fields["at"] = forms.DateTimeField(
            label=_("Date and time"),
            widget=DATETIME_WIDGET,
            input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        )
        self.fields["at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.order_fields(
            [
                "event_id",
                "plot",
                "inputs",
                "lots",
                "trade_item",
                "quantity_kg",
                "method",
                "party",
                "certification",
                "note",
                "facility",
                "at",
            ]
        )


@bounded_integers
class StampOrderForm(forms.Form):
    trade_item = forms.ModelChoiceField(
        label=_("Product"), queryset=TradeItem.objects.none(), empty_label=None
    )
    quantity = forms.IntegerField(
        label=_("Number of stamps"), min_value=1, max_value=10000, initial=100
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trade_item"].queryset = TradeItem.objects.filter(organisation=organisation)


class StampActivateForm(forms.Form):
    lot = forms.ModelChoiceField(
        label=_("Lot"), queryset=Lot.objects.none(), empty_label=_("— Choose the lot —")
    )

    def __init__(self, *args, batch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = Lot.objects.filter(
            organisation_id=batch.organisation_id, trade_item_id=batch.trade_item_id
        )


class EventErrorForm(forms.Form):
    """Why a recorded event is wrong (the service says when it is missing)."""

    reason = forms.CharField(label=_("What is wrong?"), required=False)
