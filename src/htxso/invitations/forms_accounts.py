"""Forms of the account-management pages (invitations/views_accounts.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from htxso.accounts.phones import parse_vn_phone
from htxso.core.actors import Actor
from htxso.core.errors import ServiceError
from htxso.core.forms import fits_int64
from htxso.core.policy import may_grant
from htxso.core.roles import REACH, STAFF_INVITE_ROLES, Reach, Role
from htxso.core.text import TextError, clean_text
from htxso.geo.models import Province
from htxso.registry.models import Organisation

from . import services_accounts as accounts

STATUS_ACTIVE = "active"
STATUS_INACTIVE = "inactive"


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A choice of one row whose id is checked before the query (2**64 is no 500)."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values:
            try:
                number = int(str(value).strip())
            except (TypeError, ValueError):
                number = None
            if number is not None and not fits_int64(number):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super().to_python(value)


class OrganisationChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.province.short_name}"


class UserFilterForm(forms.Form):
    """The list's search and filters (GET)."""

    q = forms.CharField(
        label=_("Name, phone or e-mail"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Role"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            (STATUS_ACTIVE, _("Active")),
            (STATUS_INACTIVE, _("Deactivated")),
        ],
    )

    def __init__(self, *args: Any, contacts: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All roles")), *Role.choices]
        if not contacts:
            self.fields["q"].label = _("Name")

    def value(self, name: str) -> str:
        """The field's clean value, or "" (a bad filter is dropped, the others kept)."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return self.cleaned_data.get(name) or ""


def _organisations_for(actor: Actor) -> Any:  # check_actors: allow -- a read
    where = accounts.reach(actor)
    qs = Organisation.objects.select_related("province").order_by("name", "pk")
    if where.everywhere:
        return qs
    from django.db.models import Q

    q = Q(pk__in=[])
    if where.provinces:
        q |= Q(province__in=sorted(where.provinces))
    if where.organisations:
        q |= Q(pk__in=sorted(where.organisations))
    return qs.filter(q)


class _RoleFields(forms.Form):
    """A role, with its province or organisation, among what the actor may give."""

    role = forms.ChoiceField(label=_("Role"))
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("— choose —"),
        help_text=_("For a provincial officer or a department viewer."),
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— choose —"),
        help_text=_("For a cooperative manager or member."),
    )

    def __init__(self, *args: Any, actor: Actor, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        # The fields accept every role, province and organisation, and the page offers
        # only what the actor may give: a forged choice is refused by the grant check
        # (403 with its message), not passed off as a typo.
        role = self.fields["role"]
        role.choices = [("", _("— choose —")), *Role.choices]
        role.widget.choices = [("", _("— choose —"))] + [(r.value, r.label) for r in roles]
        if any(REACH[r] is Reach.PROVINCE for r in roles):
            self.fields["province"].queryset = Province.objects.order_by("name")
        else:
            del self.fields["province"]
        if any(REACH[r] is Reach.ORGANISATION for r in roles):
            organisation = self.fields["organisation"]
            organisation.queryset = Organisation.objects.select_related("province")
            offered = _organisations_for(actor)
            organisation.widget.choices = [("", organisation.empty_label)] + [
                (o.pk, organisation.label_from_instance(o)) for o in offered
            ]
        else:
            del self.fields["organisation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role = data.get("role")
        if not role:
            return data
        kind = REACH[Role(role)]
        # a field the page does not offer is left to the grant check (403)
        if kind is Reach.PROVINCE and "province" in self.fields and not data.get("province"):
            self.add_error("province", _("Choose the province where this role applies."))
        if (
            kind is Reach.ORGANISATION
            and "organisation" in self.fields
            and not data.get("organisation")
        ):
            self.add_error("organisation", _("Choose the organisation where this role applies."))
        return data

    def place(self) -> dict[str, Any]:
        """``province`` and ``organisation`` for the service (only the one the role needs)."""
        kind = REACH[Role(self.cleaned_data["role"])]
        return {
            "province": self.cleaned_data.get("province") if kind is Reach.PROVINCE else None,
            "organisation": (
                self.cleaned_data.get("organisation") if kind is Reach.ORGANISATION else None
            ),
        }

    def grantable(self) -> bool:
        """Whether the actor may give the chosen role at the chosen place (the page answers
        403 with a message when not; the service checks again)."""
        place = self.place()
        organisation = place["organisation"]
        province = place["province"]
        return may_grant(
            self.actor,
            self.cleaned_data["role"],
            province=(
                organisation.province_id
                if organisation is not None
                else getattr(province, "pk", None)
            ),
            organisation=getattr(organisation, "pk", None),
        )


class RoleAddForm(_RoleFields):
    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, roles=accounts.grantable_here(actor), **kwargs)


class ConfirmForm(forms.Form):
    """A button (deactivate, reactivate, take a role away, reset two-factor): the CSRF
    token is its only input."""


class StaffInviteForm(_RoleFields):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("The invitation goes by SMS or Zalo to this number."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    channel = forms.ChoiceField(
        label=_("Send by"),
        choices=[("sms", _("SMS")), ("zalo", _("Zalo")), ("email", _("E-mail"))],
        initial="sms",
    )

    field_order = ["role", "province", "organisation", "full_name", "phone", "email", "channel"]

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        roles = [r for r in accounts.grantable_here(actor) if r in STAFF_INVITE_ROLES]
        super().__init__(*args, actor=actor, roles=roles, **kwargs)
        self.order_fields(self.field_order)

    def clean_full_name(self) -> str:
        try:
            name = clean_text(self.cleaned_data.get("full_name"), max_length=150)
        except TextError as exc:
            raise forms.ValidationError(exc.text, code=exc.code) from None
        if not name:
            raise forms.ValidationError(_("Enter the person's full name."), code="required")
        if "<" in name or ">" in name:
            raise forms.ValidationError(
                _("A name cannot contain the characters < and >."), code="name_invalid"
            )
        return name

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone") or ""
        if not raw.strip():
            return ""
        try:
            return parse_vn_phone(raw, field="phone")
        except ServiceError as exc:
            raise forms.ValidationError(exc.text, code=exc.code) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        channel = data.get("channel")
        if channel in ("sms", "zalo") and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Enter the mobile number the invitation goes to."))
        if channel == "email" and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter the e-mail address the invitation goes to."))
        return data
