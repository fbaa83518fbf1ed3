"""Login, logout, the second factor (TOTP) and impersonation pages."""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.access import permission_required, public_view
from opstap.core.actor import actor_of
from opstap.core.roles import Perm

from .forms import ImpersonateForm, LoginForm, TokenForm
from .impersonation import (
    ImpersonationError,
    impersonation_start,
    impersonation_stop,
    support_consent_set,
)
from .sso import resident_landing_url, sso_options


class OpstapLoginView(auth_views.LoginView):
    def get_default_redirect_url(self) -> str:
        """Residents land in the client portal; staff on their start page."""
        user = self.request.user  # possibly still anonymous: this view is the way in
        if user.is_authenticated and user.is_resident:
            return resident_landing_url()
        return str(super().get_default_redirect_url())


@public_view
def login_view(request: HttpRequest) -> HttpResponseBase:
    return OpstapLoginView.as_view(
        template_name="accounts/login.html",
        authentication_form=LoginForm,
        redirect_authenticated_user=True,
        extra_context={"page_title": _("Inloggen"), "sso": sso_options()},
    )(request)


@public_view
def logout_view(request: HttpRequest) -> HttpResponseBase:
    return auth_views.LogoutView.as_view()(request)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    return svg if isinstance(svg, str) else svg.decode()


@permission_required()
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Staff without a confirmed TOTP device set one up: scan the QR code, confirm a code."""
    user = actor_of(request)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(f"{_reverse('accounts:2fa_verify')}?next={_next_url(request)}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Opstap", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_log(
                action=AuditAction.UPDATE,
                request=request,
                object_type="otp_device",
                object_id=device.pk,
                purpose="Tweede factor (TOTP) ingesteld",
            )
            messages.success(request, "De tweede factor is ingesteld.")
            return HttpResponseRedirect(_next_url(request))
        form.add_error("token", "Deze code klopt niet. Controleer de tijd op uw telefoon.")
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/2fa_setup.html",
        {
            "page_title": "Tweede factor instellen",
            "form": form,
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 (generated SVG)
            "secret": secret,
            "next": _next_url(request),
        },
    )


@permission_required()
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """After the password: a TOTP code before any other page (OPSTAP_REQUIRE_2FA)."""
    user = actor_of(request)
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(f"{_reverse('accounts:2fa_setup')}?next={_next_url(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            audit_log(
                action=AuditAction.LOGIN,
                request=request,
                object_type="user",
                object_id=user.pk,
                purpose="Tweede factor (TOTP) bevestigd",
            )
            return HttpResponseRedirect(_next_url(request))
        audit_log(
            action=AuditAction.LOGIN_FAILED,
            request=request,
            object_type="user",
            object_id=user.pk,
            purpose="Onjuiste TOTP-code",
            result="geweigerd",
        )
        form.add_error("token", "Deze code klopt niet of is verlopen.")
    return render(
        request,
        "accounts/2fa_verify.html",
        {"page_title": "Inlog bevestigen", "form": form, "next": _next_url(request)},
    )


def _reverse(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


@permission_required(Perm.ADMIN_CONFIGURE)
def impersonate_start_view(request: HttpRequest) -> HttpResponse:
    """Application administrators act as another user of their organisation, with a reason."""
    actor = actor_of(request)
    form = ImpersonateForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            impersonation_start(
                request=request,
                target=form.cleaned_data["user"],
                reason=form.cleaned_data["reason"],
            )
        except ImpersonationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.warning(request, f"U handelt nu als {form.cleaned_data['user'].display_name}.")
            return redirect("web:home")
    return render(
        request,
        "accounts/impersonate.html",
        {"page_title": "Handelen als andere gebruiker", "form": form},
    )


@permission_required()
@require_POST
def impersonate_stop_view(request: HttpRequest) -> HttpResponse:
    impersonation_stop(request=request)
    messages.info(request, "U handelt weer als uzelf.")
    return redirect("web:home")


@permission_required()
def support_consent_view(request: HttpRequest) -> HttpResponse:
    """The user's own consent that an administrator may act as them (issue 19)."""
    from django.db import transaction

    from .forms import SupportConsentForm

    user = actor_of(request)
    real = getattr(request, "real_user", None)
    # An unticked box sends no field at all: a POST is bound even when empty.
    form = SupportConsentForm(
        request.POST if request.method == "POST" else None,
        initial={"allow": user.allows_support_access},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                support_consent_set(actor=real or user, user=user, allow=form.cleaned_data["allow"])
        except ImpersonationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Uw keuze is opgeslagen.")
            return redirect("accounts:support_consent")
    return render(
        request,
        "accounts/support_consent.html",
        {"page_title": "Ondersteuning", "form": form},
    )
