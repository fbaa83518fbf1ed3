"""Users, roles (as data) and API tokens."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from functools import cached_property
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.core.model_fields import optional_datetime
from opstap.core.roles import STAFF_ROLES, RoleCode
from opstap.organisations.models import Organisation


class Role(models.Model):
    """A role from spec section 1 with its permission codes (editable data, R-SEC-1)."""

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        choices=[(c.value, c.value) for c in RoleCode],
        help_text=_("Vaste code van de rol; code verwijst alleen hiernaar."),
    )
    name = models.CharField(_("naam"), max_length=100, help_text=_("Naam van de rol in de UI."))
    permissions = models.JSONField(
        _("rechten"),
        default=list,
        blank=True,
        help_text=_("Lijst van rechtcodes (zie docs/access.md)."),
    )

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def display_name_of(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """How a user is named on pages: the full name, else the username (`User.display_name`).
    From the three columns, for lists that read rows as values instead of users."""
    return f"{first_name or ''} {last_name or ''}".strip() or (username or "")


#: Dutch surname prefixes (tussenvoegsels): a list is sorted on the surname after them.
NAME_PREFIXES = frozenset(
    {
        "van", "de", "der", "den", "het", "'t", "te", "ter", "ten", "in", "'s", "op", "aan",
        "bij", "onder", "uit", "voor", "over", "tot", "la", "le", "les", "du", "da", "dos",
        "d'", "von", "vom", "zu", "l'",
    }
)  # fmt: skip


def split_surname(last_name: str | None) -> tuple[str, str]:
    """('van den', 'Berg') for 'van den Berg': the leading prefixes and the surname proper.
    The last word is always surname ('Van' alone is a surname)."""
    words = (last_name or "").split()
    index = 0
    while index < len(words) - 1 and words[index].casefold() in NAME_PREFIXES:
        index += 1
    return " ".join(words[:index]), " ".join(words[index:])


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def surname_sort_key(
    first_name: str | None, last_name: str | None, username: str | None = ""
) -> tuple[str, str, str, str]:
    """How Dutch lists order people: surname without its prefix, then first name, then the
    prefix ('Berg, Sandra van den' before 'Boer, Tessa de'); accents do not count."""
    prefix, surname = split_surname(last_name)
    if not surname and not first_name:
        return ("", "", "", _fold(username or ""))
    return (_fold(surname), _fold(first_name or ""), _fold(prefix), _fold(username or ""))


def by_surname_key(user: User) -> tuple[str, str, str, str, int]:
    """Sort key of a user in a Dutch name list (`surname_sort_key`, then the id)."""
    return (*surname_sort_key(user.first_name, user.last_name, user.username), user.pk)


def list_name_of(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """How a user is named in a sorted list or dropdown: 'Berg, Sandra van den'."""
    prefix, surname = split_surname(last_name)
    if not surname:
        return (first_name or "").strip() or (username or "")
    given = " ".join(p for p in ((first_name or "").strip(), prefix) if p)
    return f"{surname}, {given}" if given else surname


class User(AbstractUser):
    """A person who logs in: staff of the organisation, provider staff or a resident."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisatie"),
        help_text=_(
            "De sociale dienst (tenant) waartoe de gebruiker hoort; leeg alleen voor "
            "technisch beheer."
        ),
    )
    roles = models.ManyToManyField(
        Role,
        blank=True,
        related_name="users",
        verbose_name=_("rollen"),
        help_text=_("Een gebruiker kan meerdere rollen hebben."),
    )
    allows_support_access = models.BooleanField(
        _("toestemming voor ondersteuning"),
        default=False,
        help_text=_(
            "De gebruiker staat zelf toe dat een functioneel beheerder tijdelijk als hem of "
            "haar handelt (alleen zelf aan of uit te zetten)."
        ),
    )
    support_access_changed_at = optional_datetime(
        _("toestemming gewijzigd op"),
        _("Wanneer de gebruiker de toestemming voor het laatst wijzigde."),
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    @cached_property
    def _roles_held(self) -> tuple[tuple[str, list[str] | None], ...]:
        """(code, permissions) of each role, read once per request in one query: the codes
        and the permissions both come from here."""
        if not self.pk:
            return ()
        return tuple(self.roles.values_list("code", "permissions"))

    @cached_property
    def role_codes(self) -> frozenset[str]:
        if not self.is_authenticated:
            return frozenset()
        return frozenset(code for code, _perms in self._roles_held)

    @cached_property
    def opstap_perms(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        perms: set[str] = set()
        for _code, role_perms in self._roles_held:
            perms.update(role_perms or [])
        return frozenset(perms)

    def has_opstap_perm(self, perm: str) -> bool:
        return perm in self.opstap_perms

    def has_role(self, code: RoleCode | str) -> bool:
        return str(code) in self.role_codes

    @property
    def is_resident(self) -> bool:
        return self.role_codes == {RoleCode.RESIDENT.value}

    @property
    def is_staff_member(self) -> bool:
        return bool(self.role_codes & {r.value for r in STAFF_ROLES})

    @property
    def display_name(self) -> str:
        return display_name_of(self.first_name, self.last_name, self.username)

    @property
    def list_name(self) -> str:
        """'Berg, Sandra van den' (dropdowns and lists sorted on surname)."""
        return list_name_of(self.first_name, self.last_name, self.username)


class ApiToken(models.Model):
    """A bearer token for an application or a provider's system. Only a hash is stored."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("gebruiker"),
        help_text=_("Namens deze gebruiker (en diens rollen) werkt het token."),
    )
    name = models.CharField(
        _("naam"),
        max_length=100,
        help_text=_("Waarvoor het token is, bijv. 'Koppeling aanbieder X'."),
    )
    prefix = models.CharField(
        _("prefix"),
        max_length=8,
        db_index=True,
        help_text=_("Eerste tekens van het token, om het te herkennen."),
    )
    key_hash = models.CharField(
        _("hash"),
        max_length=64,
        unique=True,
        help_text=_("SHA-256 van het token; het token zelf wordt niet bewaard."),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    last_used_at = optional_datetime(_("laatst gebruikt"))
    revoked_at = optional_datetime(_("ingetrokken op"))
    # R-SEC-3
    expires_at = optional_datetime(
        _("verloopt op"), _("Daarna werkt het token niet meer; leeg = verlopen.")
    )
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vervangen door"),
        help_text=_("Het nieuwe token na rotatie."),
    )

    class Meta:
        verbose_name = _("API-token")
        verbose_name_plural = _("API-tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_valid_at(self, moment: Any) -> bool:
        return self.revoked_at is None and self.expires_at is not None and self.expires_at > moment

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate_key() -> str:
        """32 random bytes, URL-safe. Never starting with '-': its first 8 characters are the
        prefix an operator types after `api_token --revoke`, where a leading '-' reads as an
        option (1 token in 64 could not be revoked that way)."""
        key = secrets.token_urlsafe(32)
        while key.startswith("-"):
            key = secrets.token_urlsafe(32)
        return key
