"""Single sign-on: OIDC for staff (an organisation's identity provider) and an OIDC DigiD
broker for residents (claims: BSN and assurance level). Both are off unless configured by
environment variables (conf/settings.py); the mock flows in `views_sso.py` use the same claim
mapping below, so demo and tests exercise the real rules."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation

from .backends import request_user
from .models import User

# DigiD / eIDAS assurance levels, lowest first. Brokers send a name or a SAML context URN.
_LOA_RANK: dict[str, int] = {
    "basis": 10,
    "low": 10,
    "urn:oasis:names:tc:saml:2.0:ac:classes:passwordprotectedtransport": 10,
    "midden": 20,
    "urn:oasis:names:tc:saml:2.0:ac:classes:mobiletwofactorcontract": 20,
    "substantieel": 25,
    "substantial": 25,
    "urn:oasis:names:tc:saml:2.0:ac:classes:smartcard": 25,
    "hoog": 30,
    "high": 30,
    "urn:oasis:names:tc:saml:2.0:ac:classes:smartcardpki": 30,
}


def loa_rank(level: str | None) -> int:
    return _LOA_RANK.get((level or "").strip().lower(), 0)


def loa_sufficient(level: str | None, minimum: str | None = None) -> bool:
    required = loa_rank(minimum or settings.OIDC_DIGID_MIN_LOA)
    return loa_rank(level) >= max(required, 10)


def bsn_is_valid(bsn: str) -> bool:
    """Nine digits passing the 11-check (R-CLI-1)."""
    if not re.fullmatch(r"\d{9}", bsn or ""):
        return False
    digits = [int(c) for c in bsn]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


def resolve_resident_by_bsn(organisation: Organisation | None, bsn: str) -> User | None:
    """The resident account linked to the client with this BSN in `organisation`, or None.

    Defensive: works only once the clients app has `Client.user` and `Client.bsn`; until then
    (or when the BSN is invalid, unknown, or linked to an inactive/non-resident user) None."""
    if organisation is None or not bsn_is_valid(str(bsn)):
        return None
    try:
        client_model = apps.get_model("clients", "Client")
    except LookupError:
        return None
    try:
        user_field = client_model._meta.get_field("user")
        client_model._meta.get_field("bsn")
    except FieldDoesNotExist:
        return None
    if getattr(user_field, "related_model", None) is not User:
        return None
    qs = client_model._default_manager.filter(bsn=str(bsn), user__isnull=False)
    try:
        client_model._meta.get_field("organisation")
        qs = qs.filter(organisation=organisation)
    except FieldDoesNotExist:
        pass
    user_ids = list(qs.values_list("user_id", flat=True)[:2])
    if len(user_ids) != 1:
        return None  # unknown, or ambiguous: never guess whose dossier to open
    user = User.objects.filter(pk=user_ids[0], is_active=True).first()
    if user is None or not user.has_role(RoleCode.RESIDENT):
        return None
    return user


def digid_organisation(slug: str | None = None) -> Organisation | None:
    """The tenant residents log in to: the given slug, OPSTAP_DIGID_ORGANISATION, or the only
    organisation there is."""
    slug = slug or settings.OPSTAP_DIGID_ORGANISATION
    if slug:
        return Organisation.objects.filter(slug=slug).first()
    orgs = list(Organisation.objects.all()[:2])
    return orgs[0] if len(orgs) == 1 else None


def demo_residents(limit: int = 20) -> list[dict[str, str]]:
    """For the mock DigiD page in demo mode only: the residents linked to a client, with the
    BSN and organisation the mock broker would send (demo data, never real people)."""
    try:
        client_model = apps.get_model("clients", "Client")
    except LookupError:
        return []
    rows = (
        client_model._default_manager.filter(user__isnull=False, user__is_active=True)
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")[:limit]
    )
    return [
        {
            "name": " ".join(p for p in (c.first_name, c.last_name_prefix, c.last_name) if p),
            "bsn": str(c.bsn),
            "organisation": c.organisation.slug,
        }
        for c in rows
    ]


def resident_from_claims(
    claims: Mapping[str, Any], organisation: Organisation | None
) -> User | None:
    bsn = str(claims.get(settings.OIDC_DIGID_BSN_CLAIM) or "")
    if not loa_sufficient(claims.get(settings.OIDC_DIGID_LOA_CLAIM)):
        return None
    return resolve_resident_by_bsn(organisation, bsn)


def staff_from_claims(claims: Mapping[str, Any]) -> User | None:
    """An existing, active staff account matching the IdP's username (or e-mail) claim.
    Accounts are never created from claims: the administrator creates them with roles."""
    username = str(claims.get(settings.OIDC_USERNAME_CLAIM) or "")
    email = str(claims.get("email") or "")
    qs = User.objects.filter(is_active=True)
    user = None
    if username:
        user = qs.filter(username=username).first()
    if user is None and email:
        matches = list(qs.filter(email__iexact=email)[:2])
        user = matches[0] if len(matches) == 1 else None
    if user is None or not user.is_staff_member:
        return None
    return user


class _PrefixedSettings:
    """Read `OIDC_DIGID_<X>` before `OIDC_<X>` (the DigiD broker has its own client)."""

    settings_prefix = ""

    @classmethod
    def get_settings(cls, attr: str, *args: Any) -> Any:
        if cls.settings_prefix and attr.startswith("OIDC_"):
            prefixed = cls.settings_prefix + attr[len("OIDC_") :]
            if hasattr(settings, prefixed):
                return getattr(settings, prefixed)
        return import_from_settings(attr, *args)


class _OneCallbackBackend(OIDCAuthenticationBackend):
    """An OIDC backend that answers only on its own callback (`callback_url_name`), so the
    staff and DigiD backends never take each other's logins, and that maps the claims to at
    most one user (`user_from_claims`)."""

    callback_url_name = ""

    def authenticate(self, request: Any, **kwargs: Any) -> User | None:
        if request is None or request.path != reverse(self.callback_url_name):
            return None
        return super().authenticate(request, **kwargs)

    def user_from_claims(self, claims: Mapping[str, Any]) -> User | None:
        raise NotImplementedError

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in user in one statement (accounts.backends); a deactivated account's
        session ends on its next request, as with a password login (R-SEC-3)."""
        user = request_user(user_id)
        return user if user is not None and user.is_active else None

    def filter_users_by_claims(self, claims: Mapping[str, Any]) -> Any:
        user = self.user_from_claims(claims)
        return User.objects.filter(pk=user.pk) if user else User.objects.none()


class StaffOIDCBackend(_OneCallbackBackend):
    callback_url_name = "accounts:oidc_callback"

    def verify_claims(self, claims: Mapping[str, Any]) -> bool:
        return bool(claims.get(settings.OIDC_USERNAME_CLAIM) or claims.get("email"))

    def user_from_claims(self, claims: Mapping[str, Any]) -> User | None:
        return staff_from_claims(claims)


class ResidentDigiDBackend(_PrefixedSettings, _OneCallbackBackend):
    settings_prefix = "OIDC_DIGID_"
    callback_url_name = "accounts:digid_callback"

    def verify_claims(self, claims: Mapping[str, Any]) -> bool:
        return bool(claims.get(settings.OIDC_DIGID_BSN_CLAIM))

    def user_from_claims(self, claims: Mapping[str, Any]) -> User | None:
        return resident_from_claims(claims, digid_organisation())
