from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Gebruikersnaam of wachtwoord is onjuist. Let op: na 5 mislukte pogingen wordt "
            "het account tijdelijk geblokkeerd."
        ),
        "inactive": _("Dit account is niet actief."),
    }
