"""Single sign-on pages: real OIDC (staff) and DigiD via an OIDC broker (residents) when
configured, and mock flows for demo and tests (OPSTAP_MOCK_OIDC) that run the same claim
mapping as the real backends (`oidc.staff_from_claims`, `oidc.resident_from_claims`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.urls import NoReverseMatch, reverse
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.access import public_view

from .forms import MockDigiDLoginForm, MockStaffLoginForm
from .oidc import (
    _PrefixedSettings,
    demo_residents,
    digid_organisation,
    resident_from_claims,
    staff_from_claims,
)
from .session_policy import LOGIN_METHOD, MFA_BY_IDP

_MODEL_BACKEND = "opstap.accounts.backends.RequestUserBackend"


def sso_options() -> dict[str, bool]:
    return {
        "staff_oidc": bool(settings.OIDC_RP_CLIENT_ID),
        "digid": bool(settings.OIDC_DIGID_RP_CLIENT_ID),
        "mock": bool(settings.OPSTAP_MOCK_OIDC),
    }


def resident_landing_url() -> str:
    """Where a resident lands after DigiD: the portal once it exists, else the start page."""
    try:
        return reverse("portal:home")
    except NoReverseMatch:
        return str(resolve_url(settings.LOGIN_REDIRECT_URL))


def _require_mock() -> None:
    if not settings.OPSTAP_MOCK_OIDC:
        raise Http404


@public_view
def mock_staff_login(request: HttpRequest) -> HttpResponse:
    """Mock of the organisation's identity provider: claims → the same staff mapping."""
    _require_mock()
    form = MockStaffLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        claims = {"preferred_username": form.cleaned_data["username"], "sub": "mock"}
        claims[settings.OIDC_USERNAME_CLAIM] = form.cleaned_data["username"]
        user = staff_from_claims(claims)
        if user is None:
            audit_log(
                action=AuditAction.LOGIN_FAILED,
                request=request,
                object_type="user",
                object_id=form.cleaned_data["username"][:64],
                purpose="Mislukte SSO-inlog (mock): geen medewerker met deze naam",
                result="geweigerd",
            )
            form.add_error(None, "Geen actieve medewerker met deze gebruikersnaam.")
        else:
            request.session[LOGIN_METHOD] = "SSO (mock)"
            login(request, user, backend=_MODEL_BACKEND)
            if settings.OIDC_STAFF_MFA_BY_IDP:
                request.session[MFA_BY_IDP] = True
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "accounts/mock_oidc.html",
        {"page_title": "Mock identity provider (medewerkers)", "form": form, "kind": "staff"},
    )


@public_view
def mock_digid_login(request: HttpRequest) -> HttpResponse:
    """Mock of the DigiD broker: a BSN and assurance level → the resident linked to it."""
    _require_mock()
    form = MockDigiDLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        claims = {
            settings.OIDC_DIGID_BSN_CLAIM: form.cleaned_data["bsn"],
            settings.OIDC_DIGID_LOA_CLAIM: form.cleaned_data["loa"],
        }
        organisation = digid_organisation(form.cleaned_data.get("organisation") or None)
        user = resident_from_claims(claims, organisation)
        if user is None:
            audit_log(
                action=AuditAction.LOGIN_FAILED,
                request=request,
                organisation_id=organisation.pk if organisation else None,
                object_type="digid",
                purpose="Mislukte DigiD-inlog (mock): geen inwoner of te laag niveau",
                result="geweigerd",
            )
            form.add_error(
                None,
                "Met deze gegevens kunnen wij u niet inloggen. Neem contact op met uw "
                "klantmanager.",
            )
        else:
            request.session[LOGIN_METHOD] = f"DigiD (mock, {form.cleaned_data['loa']})"
            login(request, user, backend=_MODEL_BACKEND)
            return redirect(resident_landing_url())
    return render(
        request,
        "accounts/mock_oidc.html",
        {
            "page_title": "Mock DigiD",
            "form": form,
            "kind": "digid",
            # Demo only: the demo residents to pick, so nobody has to know a BSN.
            "demo_residents": demo_residents() if settings.OPSTAP_DEMO else [],
        },
    )


class _StaffRequestView(OIDCAuthenticationRequestView):
    pass


class _StaffCallbackView(OIDCAuthenticationCallbackView):
    def login_failure(self) -> HttpResponse:
        messages.error(self.request, "Inloggen via single sign-on is mislukt.")
        return redirect("accounts:login")


class _DigiDRequestView(_PrefixedSettings, OIDCAuthenticationRequestView):
    settings_prefix = "OIDC_DIGID_"


class _DigiDCallbackView(_PrefixedSettings, OIDCAuthenticationCallbackView):
    settings_prefix = "OIDC_DIGID_"

    def login_failure(self) -> HttpResponse:
        messages.error(self.request, "Inloggen met DigiD is mislukt.")
        return redirect("accounts:login")


def _configured(view: Any, setting: str) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not getattr(settings, setting, ""):
            raise Http404
        return view.as_view()(request, *args, **kwargs)

    return public_view(wrapped)


oidc_init = _configured(_StaffRequestView, "OIDC_RP_CLIENT_ID")
oidc_callback = _configured(_StaffCallbackView, "OIDC_RP_CLIENT_ID")
digid_init = _configured(_DigiDRequestView, "OIDC_DIGID_RP_CLIENT_ID")
digid_callback = _configured(_DigiDCallbackView, "OIDC_DIGID_RP_CLIENT_ID")
