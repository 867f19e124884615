"""Forms of the phone-first sign-up, sign-in by code and password reset by phone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from htxso.core import messaging
from htxso.core.errors import ServiceError

from .codes_auth import Target
from .phones import parse_vn_phone

#: What a phone number is for, said on every page that asks for one.
PHONE_PURPOSE = _(
    "We send a 6-digit code to this number by SMS to check it is yours, and you can sign "
    "in with it. We never show it on the market or give it to anyone else."
)


def read_target(raw: str, *, field: str = "contact", email: bool = True) -> Target:
    """A phone number (→ E.164, SMS) or, when ``email``, an e-mail address; a
    ValidationError with a precise message otherwise."""
    text = (raw or "").strip()
    if email and "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(
                _("This e-mail address is not valid: check it, e.g. ten@gmail.com."),
                code="email_invalid",
            ) from None
        return Target(text.lower(), messaging.Channel.EMAIL)
    try:
        return Target(parse_vn_phone(text, field=field), messaging.Channel.SMS)
    except ServiceError as exc:
        raise ValidationError(exc.text, code=exc.code) from None


class ContactField(forms.CharField):
    """A Vietnamese mobile number or an e-mail address; cleans to a :class:`Target`."""

    def __init__(self, *, email: bool = True, **kwargs: Any) -> None:
        self.allow_email = email
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "autocomplete": "username" if email else "tel",
                # phone or e-mail: the full keyboard; a phone alone: the keypad
                **({} if email else {"inputmode": "tel"}),
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        )

    def clean(self, value: Any) -> Target:
        text = super().clean(value)
        return read_target(text, email=self.allow_email)


class SixDigitCodeField(forms.RegexField):
    """The 6-digit code of an SMS or e-mail; spaces are dropped."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            regex=r"^\d{6}$",
            max_length=20,
            error_messages={
                "invalid": _("Enter the 6 digits of the code we sent you."),
                "required": _("Enter the 6 digits of the code we sent you."),
            },
            widget=forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "autocomplete": "one-time-code",
                    "pattern": r"[0-9 ]*",
                    "maxlength": "20",
                }
            ),
            **kwargs,
        )

    def to_python(self, value: Any) -> str:
        return "".join(str(value or "").split())


class SignupStartForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        help_text=_("As the seller should write it on your delivery."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact = ContactField(
        label=_("Phone number (or e-mail)"),
        help_text=PHONE_PURPOSE,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that HTX Số keeps my name and phone number (or e-mail) to run my "
            "account and my orders, as the privacy notice explains."
        ),
        error_messages={
            "required": _(
                "Tick the box to agree to the privacy notice, or we cannot open an account."
            )
        },
    )

    def clean_full_name(self) -> str:
        from .services import clean_full_name

        try:
            name = clean_full_name(self.cleaned_data["full_name"])
        except ServiceError as exc:
            raise ValidationError(exc.text, code=exc.code) from None
        if not name:
            raise ValidationError(_("Enter your full name."), code="required")
        return name


class CodeForm(forms.Form):
    code = SixDigitCodeField(label=_("6-digit code"))


class ResendForm(forms.Form):
    """The "send a new code" button beside a code form."""

    resend = forms.BooleanField(required=True)


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        help_text=_("At least 10 characters; not only digits. You can also sign in with a code."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class LoginCodeStartForm(forms.Form):
    contact = ContactField(label=_("Phone number (or e-mail)"), help_text=PHONE_PURPOSE)


class ResetPhoneStartForm(forms.Form):
    contact = ContactField(
        label=_("Phone number of your account"),
        email=False,
        help_text=_("We send a 6-digit code to this number by SMS."),
    )


class ResetPhoneFinishForm(CodeForm):
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        help_text=_("At least 10 characters; not only digits."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
