"""Dropdowns of staff (case managers, income coaches) list names the Dutch way: on the
surname without its prefix, written 'Berg, Sandra van den' (walk finding: they sorted on the
prefix, so every 'van'/'de' came together under V and D)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from opstap.accounts.models import User, list_name_of, split_surname, surname_sort_key
from opstap.accounts.selectors import by_surname
from opstap.clients.forms import CaseloadFilterForm, HandoverForm, IncomeCoachAssignForm
from opstap.core.roles import RoleCode


def test_split_surname_takes_the_leading_prefixes() -> None:
    assert split_surname("van den Berg") == ("van den", "Berg")
    assert split_surname("de Vries") == ("de", "Vries")
    assert split_surname("Van") == ("", "Van")
    assert split_surname("El Amrani") == ("", "El Amrani")
    assert list_name_of("Sandra", "van den Berg", "s") == "Berg, Sandra van den"
    assert list_name_of("Mehmet", "Yilmaz", "m") == "Yilmaz, Mehmet"
    assert list_name_of("", "", "beheer") == "beheer"


def test_sort_key_is_surname_then_first_name_and_ignores_accents() -> None:
    names = [
        ("Tessa", "de Boer"),
        ("Sandra", "van den Berg"),
        ("Ömer", "Öztürk"),
        ("Anna", "Berg"),
        ("Karin", "de Vries"),
        ("Olga", "Ozturk"),
    ]
    ordered = sorted(names, key=lambda n: surname_sort_key(*n))
    assert ordered == [
        ("Anna", "Berg"),
        ("Sandra", "van den Berg"),
        ("Tessa", "de Boer"),
        ("Olga", "Ozturk"),
        ("Ömer", "Öztürk"),
        ("Karin", "de Vries"),
    ]


def _staff(make_user: Callable[..., User], role: RoleCode) -> None:
    for username, first, last in [
        ("vries", "Karin", "de Vries"),
        ("berg", "Sandra", "van den Berg"),
        ("yilmaz", "Mehmet", "Yilmaz"),
        ("boer", "Tessa", "de Boer"),
        ("aalders", "Zeno", "Aalders"),
    ]:
        user = make_user(role, username=f"{role.value}-{username}")
        User.objects.filter(pk=user.pk).update(first_name=first, last_name=last)


EXPECTED = [
    "Aalders, Zeno",
    "Berg, Sandra van den",
    "Boer, Tessa de",
    "Vries, Karin de",
    "Yilmaz, Mehmet",
]


@pytest.mark.django_db
def test_handover_dropdown_lists_case_managers_by_surname(
    org: object, make_user: Callable[..., User]
) -> None:
    _staff(make_user, RoleCode.CASE_MANAGER)
    form = HandoverForm(organisation_id=org.pk, exclude_id=None)  # type: ignore[attr-defined]
    choices = list(form.fields["new_case_manager"].choices)
    assert choices[0] == ("", "— kies —")  # was Django's '---------'
    labels = [label for value, label in choices if value != ""]
    assert labels == EXPECTED


@pytest.mark.django_db
def test_income_coach_dropdown_lists_coaches_by_surname(
    org: object, make_user: Callable[..., User]
) -> None:
    _staff(make_user, RoleCode.INCOME_COACH)
    form = IncomeCoachAssignForm(organisation_id=org.pk)  # type: ignore[attr-defined]
    labels = [label for value, label in form.fields["coach"].choices if value != ""]
    assert labels == EXPECTED


@pytest.mark.django_db
def test_caseload_filter_lists_case_managers_by_surname(
    org: object, make_user: Callable[..., User]
) -> None:
    _staff(make_user, RoleCode.CASE_MANAGER)
    # The view hands over the users in database order; the form shows them the Dutch way.
    users = list(User.objects.filter(username__startswith="case_manager-").order_by("-pk"))
    form = CaseloadFilterForm(municipalities=[], case_managers=users)
    # after "Mijn eigen klanten", "Hele unit" and "Zonder klantmanager"
    labels = [label for value, label in form.fields["klantmanager"].choices][3:]
    assert labels == EXPECTED
    assert [u.list_name for u in by_surname(users)] == EXPECTED
