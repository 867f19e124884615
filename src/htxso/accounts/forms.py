from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .models import ApiToken

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Wrong username or password (the username may be your phone number or "
            "e-mail). The password is case-sensitive; after several failed attempts the "
            "account is locked for a while."
        ),
        "inactive": _("This account has been deactivated. Contact your provincial alliance."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Phone number, e-mail or username")
        self.fields["username"].max_length = 254  # type: ignore[attr-defined]  # a CharField
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "maxlength": "254"}
        )
        self.fields["password"].label = _("Password")

    def clean_username(self) -> str:
        """A phone number or an e-mail address becomes the username of its account, so
        django-axes counts and locks one account whichever of the three is typed.

        Anything that names no single account is kept as typed: the password check then
        fails the same way for an unknown phone as for a wrong password."""
        from .models import User
        from .phones import parse_vn_phone

        typed = (self.cleaned_data.get("username") or "").strip()
        if "@" in typed:
            users = list(
                User.objects.filter(email__iexact=typed).values_list("username", flat=True)[:2]
            )
            return users[0] if len(users) == 1 else typed
        if typed and sum(ch.isdigit() for ch in typed) >= 9:
            try:
                e164 = parse_vn_phone(typed, mobile=False)
            except ValueError:  # ServiceError: not a phone; a username with digits
                return typed
            found = User.objects.filter(phone=e164).values_list("username", flat=True).first()
            return found or typed
        return typed


class LimitedPasswordResetForm(PasswordResetForm):
    """Password reset with the link built from ``SITE_URL`` (never the request's Host
    header) and a cap on mails per account and per client address.

    Over the cap no mail goes out, and the page answers exactly as when one did: it
    must not tell whether an address belongs to an account.
    """

    def save(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        from urllib.parse import urlsplit

        site = urlsplit(settings.SITE_URL)
        kwargs["domain_override"] = site.netloc
        kwargs["use_https"] = site.scheme == "https"
        self._request = request
        # the stubs cannot tell that *args stops before ``request``
        return super().save(*args, request=request, **kwargs)  # type: ignore[misc]

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        from .limits import reset_mail_allowed

        if not reset_mail_allowed(request=getattr(self, "_request", None), user=context["user"]):
            return
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class OtpCodeField(forms.RegexField):
    """Six digits from an authenticator app; spaces around them are dropped."""

    def __init__(
        self, *, label: StrOrPromise, autocomplete: str = "one-time-code", **kwargs: Any
    ) -> None:
        super().__init__(
            label=label,
            regex=r"^\s*\d{6}\s*$",
            max_length=12,
            error_messages={"invalid": _("Enter the 6 digits shown in your authenticator app.")},
            widget=forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": autocomplete, "pattern": r"\d{6}"}
            ),
            **kwargs,
        )

    def clean(self, value: Any) -> str:
        return super().clean(value).strip()


class OtpCodeForm(forms.Form):
    code = OtpCodeField(label=_("6-digit code from your authenticator app"))


class TwoFactorProofForm(forms.Form):
    """Proof asked before two-factor sign-in is replaced or turned off: the password
    again and a current code from the app in use (a verified session alone is not
    enough — it may be a stolen one)."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    current_code = OtpCodeField(
        label=_("6-digit code from the app you use now"), autocomplete="off"
    )


class TwoFactorReplaceForm(TwoFactorProofForm):
    """Replacing the authenticator app: the proof, and a code from the new app."""

    code = OtpCodeField(label=_("6-digit code from the new app"))


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("What this token is for, e.g. “provincial reporting script”."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=3650, initial=365)
    # issue 19: what an external system syncing the registry may read with the token
    scope = forms.ChoiceField(
        label=_("Registry sync fields"),
        choices=[("", _("None (not for the registry sync feed)")), *ApiToken.Scope.choices],
        required=False,
        help_text=_(
            "For another system syncing the registry: public fields only, or also "
            "address, phone, e-mail and representative (personal data; provincial "
            "officers and the VCA only)."
        ),
    )


class NextForm(forms.Form):
    """Where to go after a form: the ``next`` of a POST or of the address."""

    next = forms.CharField(required=False, max_length=2000)

    @classmethod
    def target(cls, data: Any) -> str:
        form = cls(data)
        return str(form.cleaned_data["next"]) if form.is_valid() else ""


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
