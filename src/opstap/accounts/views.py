"""Login and logout pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext_lazy as _

from .access import public_view
from .forms import LoginForm


@public_view
def login_view(request: HttpRequest) -> HttpResponseBase:
    return auth_views.LoginView.as_view(
        template_name="accounts/login.html",
        authentication_form=LoginForm,
        redirect_authenticated_user=True,
        extra_context={"page_title": _("Inloggen")},
    )(request)


@public_view
def logout_view(request: HttpRequest) -> HttpResponseBase:
    return auth_views.LogoutView.as_view()(request)
