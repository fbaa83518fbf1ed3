"""Issue 14, "Navigation shows only what the role may open" (R-SEC-1): every role's menu,
checked against the access registry. The menu declares labels and URLs only; who may open a
page is the view's own declaration, so the menu and the 403 can never disagree."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import resolve, reverse

from opstap.accounts.models import Role, User
from opstap.clients.services import client_link_user
from opstap.clients.tests.factories import make_client
from opstap.core.access import may_open, view_access_declaration
from opstap.core.roles import DEFAULT_ROLE_PERMISSIONS, RoleCode
from opstap.organisations.models import Organisation
from opstap.providers.models import Provider
from opstap.providers.services import provider_add_staff
from opstap.web import context_processors
from opstap.web.navigation import NAV_ITEMS
from opstap.web.views import role_home_url

pytestmark = pytest.mark.django_db

_NAV = re.compile(r'<nav class="opstap-nav"[^>]*>(.*?)</nav>', re.S)
_LINK = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)</a>')


def _declared_perms(url_name: str) -> tuple[str, ...]:
    declaration = view_access_declaration(resolve(reverse(url_name)).func)
    assert declaration is not None and declaration[0] == "perms", url_name
    return tuple(declaration[1])


def _expected_menu(role: RoleCode) -> list[str]:
    """From the roles' permission lists (roles.py) and the views' declarations alone."""
    held = DEFAULT_ROLE_PERMISSIONS[role]
    return [item.label for item in NAV_ITEMS if set(_declared_perms(item.url_name)) <= held]


def test_every_menu_item_is_a_guarded_page() -> None:
    """Each item names a page whose view declares its permission; an item that still carries
    a permission of its own must agree with the view (one declaration, never two)."""
    for item in NAV_ITEMS:
        perms = _declared_perms(item.url_name)
        assert perms, f"{item.label}: a menu item for a page without a permission"
        if item.perm is not None:
            assert (item.perm,) == perms, f"{item.label}: menu says {item.perm}, view {perms}"


@pytest.mark.parametrize("role", list(RoleCode))
def test_menu_of_each_role_is_what_it_may_open(
    role: RoleCode,
    make_user: Callable[..., User],
    provider_a: Provider,
    org: Organisation,
    case_manager: User,
) -> None:
    user = make_user(role, username=f"nav-{role.value}")
    if role == RoleCode.PROVIDER_STAFF:
        provider_add_staff(provider=provider_a, user=user)
    if role == RoleCode.RESIDENT:
        client_link_user(client=make_client(org, case_manager=case_manager), user=user)
    web = Client()
    web.force_login(user)
    page = web.get(role_home_url(user), follow=True)
    assert page.status_code == 200
    match = _NAV.search(page.content.decode())
    links = _LINK.findall(match.group(1)) if match else []
    assert [label for _url, label in links] == _expected_menu(role)
    assert links, f"{role}: no menu at all"
    for url, label in links:
        # provider staff's "Aanbieders" is their own provider's page (a redirect to it)
        answer = web.get(url, follow=True)
        assert answer.status_code == 200, f"{role}: menu item {label} ({url}) refused"


def test_menus_fit_the_work() -> None:
    """Spot checks of the matrix: the finance clerk gets the payment batches, the case
    manager does not (issue 14: 'Betaalbatches' was linked for three roles that got a 403);
    residents see only their portal."""
    assert "Betaalbatches" in _expected_menu(RoleCode.FINANCE_CLERK)
    assert "Betaalbatches" not in _expected_menu(RoleCode.CASE_MANAGER)
    assert "Betaalbatches" not in _expected_menu(RoleCode.CONTRACT_MANAGER)
    assert "Betaalbatches" not in _expected_menu(RoleCode.PROVIDER_STAFF)
    assert _expected_menu(RoleCode.RESIDENT) == ["Mijn Opstap", "Mijn gegevens opvragen"]
    assert _expected_menu(RoleCode.CASE_MANAGER)[:3] == ["Start", "Meldingen", "Mijn caseload"]


def test_links_on_pages_follow_the_same_declaration(
    make_user: Callable[..., User], case_manager: User
) -> None:
    """The invoice work list offers 'Betaalbatches' only to a role that may open it."""
    clerk = make_user(RoleCode.FINANCE_CLERK, username="nav-clerk")
    batches = reverse("invoices:batches")
    for user, shown in ((case_manager, False), (clerk, True)):
        web = Client()
        web.force_login(user)
        html = web.get(reverse("invoices:list")).content.decode()
        main = html.split("<main", 1)[1]
        assert (f'href="{batches}"' in main) is shown, user.username


def _menu_uncached(user: User) -> list[tuple[str, str]]:
    """The menu as the context processor decided it before the per-permission-set memo."""
    return [(i.label, reverse(i.url_name)) for i in NAV_ITEMS if may_open(user, i.url_name)]


def test_the_memoised_menu_is_what_may_open_decides(make_user: Callable[..., User]) -> None:
    """`menu_of` keeps one menu per permission set (issue 18). For every role, combined
    roles, no role and an inactive user it equals the menu decided item by item, on the
    first call (it decides) and on a later one for another user with the same set."""
    users = [make_user(role, username=f"memo-{role.value}") for role in RoleCode]
    users.append(make_user(RoleCode.CASE_MANAGER, RoleCode.CONTRACT_MANAGER, username="memo-two"))
    nobody = make_user(RoleCode.CASE_MANAGER, username="memo-none")
    nobody.roles.clear()
    users.append(User.objects.get(pk=nobody.pk))
    inactive = make_user(RoleCode.FINANCE_CLERK, username="memo-inactive")
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    users.append(User.objects.get(pk=inactive.pk))
    context_processors._MENUS.clear()
    for user in users:
        assert list(context_processors.menu_of(user)) == _menu_uncached(user), user.username
        again = User.objects.get(pk=user.pk)  # a fresh instance: the memo answers
        assert list(context_processors.menu_of(again)) == _menu_uncached(again), user.username
    assert context_processors.menu_of(users[-1]) == ()  # inactive: no page needs no permission


def test_a_changed_role_changes_the_menu(make_user: Callable[..., User]) -> None:
    """The memo is keyed by the permissions, so a role added shows its pages at once."""
    user = make_user(RoleCode.CASE_MANAGER, username="memo-grows")
    before = context_processors.menu_of(user)
    assert "Betaalbatches" not in dict(before)
    user.roles.add(Role.objects.get(code=RoleCode.FINANCE_CLERK))
    fresh = User.objects.get(pk=user.pk)
    after = context_processors.menu_of(fresh)
    assert "Betaalbatches" in dict(after)
    assert list(after) == _menu_uncached(fresh)
