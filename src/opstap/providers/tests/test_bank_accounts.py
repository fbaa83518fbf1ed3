"""Providers' bank accounts for SEPA payments (issue 16, item 3): the IBAN is checked by
schwifty, every change is audited and only used once a second person confirmed it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import IntegrityError, transaction
from django.test import Client as WebClient
from django.urls import reverse

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.core.errors import ConflictError, PermissionDeniedError
from opstap.core.roles import RoleCode
from opstap.providers import services
from opstap.providers.models import BankAccountStatus, Provider, ProviderBankAccount
from opstap.providers.rules.bank_accounts import BankAccountRuleError, check_account
from opstap.providers.services import ProviderError


@pytest.mark.parametrize(
    ("iban", "holder", "bic", "expected"),
    [
        ("NL91ABNA0417164300", "A B.V.", "", ("NL91ABNA0417164300", "ABNANL2A")),
        ("nl44 rabo 0123 4567 89", "A", "", ("NL44RABO0123456789", "RABONL2U")),
        ("NL20INGB0001234567", "A", "ingbnl2a", ("NL20INGB0001234567", "INGBNL2A")),
        ("DE89370400440532013000", "A", "", ("DE89370400440532013000", "COBADEFFXXX")),
    ],
)
def test_valid_accounts_are_normalised(
    iban: str, holder: str, bic: str, expected: tuple[str, str]
) -> None:
    checked = check_account(iban=iban, holder=holder, bic=bic)
    assert (checked.iban, checked.bic) == expected


@pytest.mark.parametrize(
    ("iban", "holder", "bic", "field", "message"),
    [
        ("", "A", "", "iban", "Vul het IBAN in"),
        ("NL91ABNA0417164301", "A", "", "iban", "controlecijfers"),  # mod-97 fails
        ("NL91ABNA041716430", "A", "", "iban", "ongeldig"),  # one digit short
        ("BR1800360305000010009795493C1", "A", "", "iban", "buiten SEPA"),
        ("NL91ABNA0417164300", "  ", "", "holder", "rekeninghouder"),
        ("NL91ABNA0417164300", "A" * 71, "", "holder", "te lang"),
        ("NL91ABNA0417164300", "A", "ABN", "bic", "BIC is ongeldig"),
    ],
)
def test_invalid_accounts_are_refused_in_dutch(
    iban: str, holder: str, bic: str, field: str, message: str
) -> None:
    with pytest.raises(BankAccountRuleError, match=message) as info:
        check_account(iban=iban, holder=holder, bic=bic)
    assert info.value.field == field


@pytest.fixture
def clerk(make_user: Callable[..., User]) -> User:
    return make_user(RoleCode.FINANCE_CLERK, username="administratie")


@pytest.fixture
def second(make_user: Callable[..., User]) -> User:
    return make_user(RoleCode.CONTRACT_MANAGER, username="contractmanager")


def _propose(
    actor: User, provider: Provider, iban: str = "NL44RABO0123456789"
) -> ProviderBankAccount:
    return services.bank_account_propose(
        actor=actor, provider=provider, iban=iban, holder=provider.name, reason="Brief 3 maart"
    )


def test_four_eyes_confirm_replaces_the_previous_account(
    provider_a: Provider, clerk: User, second: User
) -> None:
    """A change is used only after a second person confirms it; the proposer cannot."""
    first = _propose(clerk, provider_a)
    assert first.status == BankAccountStatus.PENDING
    with pytest.raises(PermissionDeniedError, match="vier-ogenprincipe"):
        services.bank_account_confirm(actor=clerk, account=first)
    first.refresh_from_db()
    assert first.status == BankAccountStatus.PENDING
    services.bank_account_confirm(actor=second, account=first)
    change = _propose(second, provider_a, iban="NL20INGB0001234567")
    services.bank_account_confirm(actor=clerk, account=change)
    rows = dict(ProviderBankAccount.objects.values_list("iban", "status"))
    assert rows == {"NL44RABO0123456789": "replaced", "NL20INGB0001234567": "active"}
    audited = list(
        AuditRecord.objects.filter(object_type="provider_bank_account")
        .order_by("id")
        .values_list("actor_username", "action")
    )
    assert audited == [
        ("administratie", "create"),
        ("contractmanager", "update"),
        ("contractmanager", "create"),
        ("administratie", "update"),
    ]


def test_confirming_twice_is_a_conflict_and_one_pending_at_a_time(
    provider_a: Provider, clerk: User, second: User
) -> None:
    account = _propose(clerk, provider_a)
    with pytest.raises(ConflictError, match="wacht al"):
        _propose(second, provider_a, iban="NL20INGB0001234567")
    services.bank_account_confirm(actor=second, account=account)
    with pytest.raises(ConflictError, match="al besloten"):
        services.bank_account_confirm(actor=second, account=account)


def test_reject_needs_a_reason_and_the_database_refuses_self_confirmation(
    provider_a: Provider, clerk: User, second: User
) -> None:
    account = _propose(clerk, provider_a)
    with pytest.raises(ProviderError, match="waarom"):
        services.bank_account_reject(actor=second, account=account, note=" ")
    services.bank_account_reject(actor=clerk, account=account, note="Ingetrokken: typefout")
    account.refresh_from_db()
    assert account.status == BankAccountStatus.REJECTED
    other = _propose(clerk, provider_a, iban="NL20INGB0001234567")
    # Even past the service, the table refuses an account confirmed by its proposer.
    with pytest.raises(IntegrityError), transaction.atomic():
        ProviderBankAccount.objects.filter(pk=other.pk).update(status="active", decided_by=clerk)


def test_without_the_right_nothing_is_proposed(provider_a: Provider, case_manager: User) -> None:
    with pytest.raises(PermissionDeniedError):
        _propose(case_manager, provider_a)
    assert not ProviderBankAccount.objects.exists()


def test_pages_propose_and_confirm(provider_a: Provider, clerk: User, second: User) -> None:
    web = WebClient()
    web.force_login(clerk)
    url = reverse("providers:bank_account_propose", args=[provider_a.pk])
    bad = web.post(url, {"iban": "NL91ABNA0417164301", "holder": "X", "reason": "r"}, follow=True)
    assert "controlecijfers" in bad.content.decode()
    assert not ProviderBankAccount.objects.exists()
    web.post(url, {"iban": "NL44 RABO 0123 4567 89", "holder": "Werkkracht", "reason": "brief"})
    account = ProviderBankAccount.objects.get()
    page = web.get(reverse("providers:detail", args=[provider_a.pk])).content.decode()
    assert "NL44 RABO 0123 4567 89" in page and "Wacht op een tweede medewerker" in page
    decide = reverse("providers:bank_account_decide", args=[account.pk])
    own = web.post(decide, {"decision": "confirm"}, follow=True).content.decode()
    assert "vier-ogenprincipe" in own
    web.force_login(second)
    web.post(decide, {"decision": "confirm"})
    account.refresh_from_db()
    assert (account.status, account.decided_by) == ("active", second)


def test_a_refused_iban_keeps_what_was_typed(provider_a: Provider, clerk: User) -> None:
    """R-SEC-6: an IBAN with a wrong check digit was refused after a redirect, so the IBAN,
    holder and reason the clerk copied from the provider's letter were gone and the form was
    folded away. The page comes back with them, the error beside the IBAN, the form open."""
    web = WebClient()
    web.force_login(clerk)
    url = reverse("providers:bank_account_propose", args=[provider_a.pk])
    data = {"iban": "NL72 RABO 0001 0000 00", "holder": "Werkkracht", "reason": "Brief 3 dec"}
    response = web.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert not ProviderBankAccount.objects.exists()
    assert "controlecijfers" in page
    assert 'value="NL72 RABO 0001 0000 00"' in page
    assert 'value="Brief 3 dec"' in page
    assert '<details id="bank-account-change" open>' in page
