"""Query counts of the provider list (no N+1; the architecture's list-page rule)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opstap.accounts.models import User
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation
from opstap.providers.services import (
    provider_create,
    provider_end_participation,
    provider_record_activity,
)

pytestmark = pytest.mark.django_db


def test_provider_list_query_count_constant(
    org: Organisation, make_user: Callable[..., User], django_assert_num_queries: Any
) -> None:
    """R-SEC-1 list page: the provider list (contract manager, product count per row) costs
    the same number of queries for 2 or 12 providers."""
    manager = make_user(RoleCode.CONTRACT_MANAGER, username="cm-lijst")

    def make(first: int, n: int) -> None:
        for i in range(first, first + n):
            provider_create(organisation=org, name=f"Aanbieder {i}", contract_manager=manager)

    http = HttpClient()
    http.force_login(manager)
    url = reverse("providers:list")
    make(0, 2)
    http.get(url)  # warm the per-user caches
    with CaptureQueriesContext(connection) as small:
        assert http.get(url).status_code == 200
    make(2, 10)
    with django_assert_num_queries(len(small.captured_queries)):
        body = http.get(url).content.decode()
    assert body.count("Aanbieder ") >= 12


def test_provider_list_queries_and_rows(
    org: Organisation,
    make_user: Callable[..., User],
    django_assert_num_queries: Any,
) -> None:
    """The provider list is one statement of its own beyond those of every signed-in
    request (the user with its organisation and roles in one, accounts.backends; the session
    from the cache, cached_db), issue 18 (5 before the one-statement sign-in, 3 before the
    cached session); each row shows the provider's
    name with a link, its status, its contract manager (or a dash), its active products and
    its last activity in Dutch notation (or a dash)."""
    manager = make_user(RoleCode.CONTRACT_MANAGER, username="cm-rijen")
    manager.first_name, manager.last_name = "Carla", "Mulder"
    manager.save(update_fields=["first_name", "last_name"])
    active = provider_create(organisation=org, name="Aanbieder Actief", contract_manager=manager)
    provider_record_activity(provider=active, on=dt.date(2026, 3, 4))
    ended = provider_create(organisation=org, name="Aanbieder Gestopt")
    provider_end_participation(
        actor=manager, provider=ended, ended_on=dt.date(2026, 5, 1), reason="Gestopt"
    )
    http = HttpClient()
    http.force_login(manager)
    url = reverse("providers:list")
    http.get(url)  # warm the per-user caches
    with django_assert_num_queries(2):
        body = http.get(url).content.decode()
    assert (
        f'<tr><td><a class="utrecht-link" href="/aanbieders/{active.pk}/">Aanbieder Actief</a>'
        "</td>\n      <td>actief</td>\n      <td>Carla Mulder</td>\n"
        '      <td class="num">0</td>\n      <td>04-03-2026</td></tr>'
    ) in body
    assert (
        f'<tr><td><a class="utrecht-link" href="/aanbieders/{ended.pk}/">Aanbieder Gestopt</a>'
        "</td>\n      <td>beëindigd</td>\n      <td>—</td>\n"
        '      <td class="num">0</td>\n      <td>—</td></tr>'
    ) in body
    assert body.index("Aanbieder Actief") < body.index("Aanbieder Gestopt")


def _rows_from_the_orm(user: User) -> list[Any]:
    """The provider list's rows as `provider_list_rows` read them before issue 18's
    written-out statement: `providers_for` (the scope, the count of active products)."""
    from opstap.accounts.models import display_name_of
    from opstap.providers.selectors import ProviderListRow, providers_for

    values = providers_for(user).values_list(
        "pk",
        "name",
        "status",
        "contract_manager__first_name",
        "contract_manager__last_name",
        "contract_manager__username",
        "product_count",
        "last_activity_on",
    )
    return [
        ProviderListRow(pk, name, status, display_name_of(first, last, username), count, active)
        for pk, name, status, first, last, username, count, active in values
    ]


def test_provider_list_rows_are_the_orms_rows(
    org: Organisation,
    make_user: Callable[..., User],
    make_product: Callable[..., Any],
    case_manager: User,
) -> None:
    """Issue 18: the written-out statement gives the rows `providers_for` gave (scope,
    contract manager's name, active products only, last activity, order by name) for a
    contract manager, a case manager, provider staff (their own provider only), staff
    without a provider, a user without the permission, an inactive user and a user of
    another organisation (R-SEC-1)."""
    from opstap.organisations.services import organisation_create
    from opstap.providers.selectors import provider_list_rows
    from opstap.providers.services import product_end, provider_add_staff

    manager = make_user(RoleCode.CONTRACT_MANAGER, username="cm-gelijk")
    manager.first_name = "Carla"
    manager.save(update_fields=["first_name"])
    a = provider_create(organisation=org, name="Bureau A", contract_manager=manager)
    b = provider_create(organisation=org, name="Aanbieder B")
    provider_record_activity(provider=b, on=dt.date(2026, 3, 4))
    make_product(a, name="Een")
    make_product(a, name="Twee")
    ended = make_product(a, name="Drie")
    product_end(actor=manager, product=ended, reason="Klaar")
    make_product(b, name="Vier")
    staff = make_user(RoleCode.PROVIDER_STAFF, username="st-gelijk")
    provider_add_staff(provider=a, user=staff)
    loose = make_user(RoleCode.PROVIDER_STAFF, username="st-los")
    resident = make_user(RoleCode.RESIDENT, username="inw-gelijk")
    inactive = make_user(RoleCode.CONTRACT_MANAGER, username="cm-inactief")
    inactive.is_active = False
    elsewhere = make_user(
        RoleCode.CONTRACT_MANAGER,
        username="cm-elders",
        organisation=organisation_create(name="Elders", slug="elders"),
    )
    for user in (manager, case_manager, staff, loose, resident, inactive, elsewhere):
        assert provider_list_rows(user) == _rows_from_the_orm(user), user.username
    rows = provider_list_rows(manager)
    assert [(r.name, r.product_count) for r in rows] == [("Aanbieder B", 1), ("Bureau A", 2)]
    assert rows[0].contract_manager == "" and rows[1].contract_manager.startswith("Carla ")
    assert [r.pk for r in provider_list_rows(staff)] == [a.pk]
    assert provider_list_rows(loose) == provider_list_rows(resident) == []


_OLD_LOOP = (
    "{% for p in providers %}\n"
    '  <tr><td><a class="utrecht-link" href="{{ p.url }}">{{ p.name }}</a></td>\n'
    "      <td>{{ p.status }}</td>\n"
    "      <td>{{ p.contract_manager }}</td>\n"
    '      <td class="num">{{ p.product_count }}</td>\n'
    "      <td>{{ p.last_activity }}</td></tr>\n"
    "  {% endfor %}"
)


def test_provider_rows_are_written_as_the_template_loop_wrote_them() -> None:
    """Issue 18: `provider_rows_html` writes what the template's loop wrote, escaping
    included, also for a count in the thousands (the template localises numbers)."""
    from django.template import engines

    from opstap.providers.views import provider_rows_html

    rows = [
        {
            "url": "/aanbieders/7/",
            "name": 'Werk & "Zo" <b>',
            "status": "actief",
            "contract_manager": "—",
            "product_count": 12345,
            "last_activity": "04-03-2026",
        },
        {
            "url": "/aanbieders/8/?a=1&b=2",
            "name": "Tweede",
            "status": "beëindigd",
            "contract_manager": "Carla O'Neill",
            "product_count": 0,
            "last_activity": "—",
        },
    ]
    old = engines["django"].from_string(_OLD_LOOP).render({"providers": rows})
    assert str(provider_rows_html(rows)) == old
    assert "Werk &amp; &quot;Zo&quot; &lt;b&gt;" in old
