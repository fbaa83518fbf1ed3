"""`core.api.viewsets.visible_or_invalid`: the row a request body refers to, or one 400 on the
field that does not tell a missing row from one out of the caller's scope (R-SEC-1). Used by
the trajectories, invoices and providers APIs; their tests check the problem+json answers."""

from __future__ import annotations

import pytest
from rest_framework.exceptions import ErrorDetail, ValidationError

from opstap.accounts.models import User
from opstap.core.api.viewsets import visible_or_invalid
from opstap.organisations.models import Organisation
from opstap.providers.models import Provider
from opstap.providers.services import provider_create


def _refusal(user: User, pk: int, **kwargs: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        visible_or_invalid(
            user, Provider.objects.all(), pk, field="provider", noun="Deze aanbieder", **kwargs
        )
    return caught.value


def test_the_row_the_caller_may_see_comes_back(provider_user_a: User, provider_a: Provider) -> None:
    row = visible_or_invalid(
        provider_user_a,
        Provider.objects.all(),
        provider_a.pk,
        field="provider",
        noun="Deze aanbieder",
    )
    assert row == provider_a


def test_missing_and_out_of_scope_read_the_same(
    provider_user_a: User, provider_b: Provider, other_org: Organisation
) -> None:
    # given a provider of the same organisation that is not the user's own, one of another
    # organisation, and an id that does not exist
    elsewhere = provider_create(organisation=other_org, name="Elders B.V.")
    refusals = [_refusal(provider_user_a, pk) for pk in (provider_b.pk, elsewhere.pk, 987_654)]

    # then each is the same field error, with the default code
    expected = {
        "provider": [
            ErrorDetail(
                "Deze aanbieder bestaat niet of u heeft er geen toegang toe.",
                code="does_not_exist",
            )
        ]
    }
    assert [r.detail for r in refusals] == [expected] * 3
    assert [r.get_codes() for r in refusals] == [{"provider": ["does_not_exist"]}] * 3


def test_an_api_keeps_its_own_code(provider_user_a: User) -> None:
    refusal = _refusal(provider_user_a, 987_654, code="not_found")
    assert refusal.get_codes() == {"provider": ["not_found"]}
