from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Gebruikersnaam of wachtwoord is onjuist. Let op: na 5 mislukte pogingen wordt "
            "het account tijdelijk geblokkeerd."
        ),
        "inactive": _("Dit account is niet actief."),
    }


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Code uit uw authenticator-app"),
        regex=r"^\d{6,8}$",
        max_length=8,
        error_messages={"invalid": _("Vul de code van 6 cijfers in.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "utrecht-textbox",
            }
        ),
    )


class ImpersonateForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Gebruiker"), queryset=User.objects.none(), empty_label=_("— kies —")
    )
    reason = forms.CharField(
        label=_("Reden (verplicht, komt in de audittrail)"),
        min_length=5,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "utrecht-textbox"}),
    )

    def __init__(self, *args: object, actor: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        from .impersonation import impersonation_candidates

        self.fields["user"].queryset = impersonation_candidates(actor)  # type: ignore[attr-defined]


class MockStaffLoginForm(forms.Form):
    username = forms.CharField(label=_("Gebruikersnaam (claim preferred_username)"), max_length=150)


class MockDigiDLoginForm(forms.Form):
    bsn = forms.RegexField(
        label=_("BSN (claim bsn)"),
        regex=r"^\d{9}$",
        error_messages={"invalid": _("Een BSN heeft 9 cijfers.")},
    )
    loa = forms.ChoiceField(
        label=_("Betrouwbaarheidsniveau"),
        choices=[
            ("basis", "basis"),
            ("midden", "midden"),
            ("substantieel", "substantieel"),
            ("hoog", "hoog"),
        ],
        initial="midden",
    )
    organisation = forms.SlugField(label=_("Organisatie (slug)"), required=False)


class SupportConsentForm(forms.Form):
    allow = forms.BooleanField(
        label=_(
            "Een functioneel beheerder mag tijdelijk als mij handelen om een probleem op te lossen"
        ),
        required=False,
    )
