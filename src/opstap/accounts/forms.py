from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.validators import UnicodeUsernameValidator
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


def _role_choices() -> list[tuple[str, str]]:
    from opstap.core.roles import ROLE_NAMES_NL

    from .rules import ASSIGNABLE_ROLES

    return [(code.value, ROLE_NAMES_NL[code]) for code in ASSIGNABLE_ROLES]


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            label=_("Rollen"),
            choices=_role_choices,
            error_messages={
                "required": _("Kies ten minste één rol."),
                "invalid_choice": _("Onbekende rol: %(value)s."),
            },
            **kwargs,  # type: ignore[arg-type]
        )


class UserCreateForm(forms.Form):
    """A new staff user of the own organisation (no password: SSO)."""

    username = forms.CharField(
        label=_("Gebruikersnaam"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_(
            "Zoals bij het inloggen via de organisatie (SSO); letters, cijfers en @ . + - _."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(
        label=_("Achternaam"), max_length=150, help_text=_("Met tussenvoegsel, bijv. van den Berg.")
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        help_text=_("Voor meldingen en het inloggen via de organisatie."),
        error_messages={"invalid": _("Vul een geldig e-mailadres in, bijv. naam@gemeente.nl.")},
    )
    roles = RolesField()


class UserRolesForm(forms.Form):
    roles = RolesField()
    reason = forms.CharField(
        label=_("Reden"),
        max_length=200,
        help_text=_("Komt in de audittrail, bijv. 'nieuwe functie per 1 januari'."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Geef een reden op.")},
    )


class UserActiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        max_length=200,
        help_text=_("Komt in de audittrail, bijv. 'uit dienst per 1 december'."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Geef een reden op.")},
    )


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken op naam"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Rol"), required=False, choices=lambda: [("", _("Alle rollen")), *_role_choices()]
    )
