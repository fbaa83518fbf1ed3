"""R-SEC-1 (section 1: the functional administrator manages the users of the own
organisation): the user page /gebruikers/ and the services behind it. Before, the
administrator could manage users nowhere (Django admin refuses non-staff, no page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opstap.accounts import rules
from opstap.accounts.models import User
from opstap.accounts.services import (
    AccountError,
    user_create,
    user_deactivate,
    user_reactivate,
    user_roles_set,
)
from opstap.audit.models import AuditRecord
from opstap.core.roles import DEFAULT_ROLE_PERMISSIONS, Perm, RoleCode
from opstap.organisations.models import Organisation

ADMIN = RoleCode.APP_ADMIN
KM = RoleCode.CASE_MANAGER

# --- the pure rules (table-driven) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "refused_with"),
    [
        ({"case_manager"}, ""),
        ({"case_manager", "policy_officer", "app_admin"}, ""),
        (set(), ""),
        ({"resident"}, "Inwoner"),
        ({"provider_staff", "case_manager"}, "Medewerker aanbieder"),
        ({"superhero"}, "Onbekende rol(len): superhero."),
    ],
)
def test_assignable_roles(codes: set[str], refused_with: str) -> None:
    """R-SEC-1: residents come from DigiD, provider staff from their provider; unknown roles
    are refused in Dutch."""
    refusal = rules.unknown_or_unassignable(codes)
    if refused_with:
        assert refused_with in refusal
    else:
        assert refusal == ""


def test_assignable_roles_are_the_staff_roles_but_provider_staff() -> None:
    assert RoleCode.RESIDENT not in rules.ASSIGNABLE_ROLES
    assert RoleCode.PROVIDER_STAFF not in rules.ASSIGNABLE_ROLES
    assert RoleCode.APP_ADMIN in rules.ASSIGNABLE_ROLES
    assert len(rules.ASSIGNABLE_ROLES) == len(RoleCode) - 2


@pytest.mark.parametrize(
    ("actor_id", "user_is_admin", "stays", "others", "refused_with"),
    [
        (1, False, False, 0, "eigen"),  # oneself, whatever the change
        (1, True, True, 3, "eigen"),
        (2, False, False, 0, ""),  # someone else, no administrator
        (2, True, True, 0, ""),  # the last administrator keeps the role
        (2, True, False, 1, ""),  # another administrator remains
        (2, True, False, 0, "laatste actieve functioneel beheerder"),
    ],
)
def test_change_refusal(
    actor_id: int, user_is_admin: bool, stays: bool, others: int, refused_with: str
) -> None:
    """R-SEC-1: no self-elevation or self-deactivation; the last active administrator
    stays."""
    refusal = rules.change_refusal(
        actor_id=actor_id,
        user_id=1,
        user_is_admin=user_is_admin,
        stays_active_admin=stays,
        other_active_admins=others,
    )
    assert (refused_with in refusal) if refused_with else refusal == ""


def test_only_the_administrator_holds_users_manage() -> None:
    """R-SEC-1: the new permission belongs to the functional administrator only."""
    holders = {r for r, perms in DEFAULT_ROLE_PERMISSIONS.items() if Perm.USERS_MANAGE in perms}
    assert holders == {ADMIN}


# --- services -------------------------------------------------------------------------------


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    return make_user(ADMIN, username="beheer1")


@pytest.fixture
def admin2(make_user: Callable[..., User]) -> User:
    return make_user(ADMIN, username="beheer2")


def _records(user: User) -> list[AuditRecord]:
    return list(
        AuditRecord.objects.filter(object_type="user", object_id=str(user.pk)).order_by("pk")
    )


def test_create_joins_the_actors_organisation_without_password(
    admin: User, other_org: Organisation
) -> None:
    """R-SEC-1: the new staff user is of the administrator's organisation, has no usable
    password (SSO) and the creation is in the audit trail."""
    user = user_create(
        actor=admin,
        username="nieuw.km",
        organisation=other_org,
        roles=[KM],
        first_name="Nina",
        last_name="de Vries",
        email="nina@example.nl",
        password="Welkom-welkom-2026",
    )
    assert user.organisation_id == admin.organisation_id
    assert not user.has_usable_password()
    assert user.role_codes == {KM.value}
    (record,) = _records(user)
    assert record.action == "create" and record.actor_id == admin.pk


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"roles": ["resident"]}, "roles", "DigiD"),
        ({"roles": ["provider_staff"]}, "roles", "aanbieder"),
        ({"roles": ["bestaat_niet"]}, "roles", "Onbekende rol"),
        ({"roles": []}, "roles", "ten minste één rol"),
        ({"first_name": "x" * 151}, "first_name", "150"),
        ({"email": "geen-adres"}, "email", "e-mailadres"),
        ({"username": "met spatie!"}, "username", ""),
        ({"username": "BEHEER1"}, "username", "al in gebruik"),
    ],
)
def test_create_refuses_bad_input_at_the_field(
    admin: User, fields: dict[str, object], field: str, text: str
) -> None:
    """R-SEC-1: a refusal names its field, in Dutch; nothing is created."""
    data: dict[str, object] = {
        "username": "nieuw",
        "roles": [KM],
        "first_name": "Nina",
        "last_name": "Vries",
        "email": "nina@example.nl",
        **fields,
    }
    before = User.objects.count()
    with pytest.raises(AccountError) as caught:
        user_create(actor=admin, **data)  # type: ignore[arg-type]
    assert any(p.field == field and text in p.message for p in caught.value.problems)
    assert User.objects.count() == before


def test_roles_set_changes_roles_with_an_audit_line(
    admin: User, make_user: Callable[..., User]
) -> None:
    km = make_user(KM)
    user_roles_set(actor=admin, user=km, roles=[KM, RoleCode.POLICY_OFFICER], reason="teamleider")
    assert User.objects.get(pk=km.pk).role_codes == {KM.value, RoleCode.POLICY_OFFICER.value}
    (record,) = _records(km)
    assert record.changes["roles"] == [["case_manager"], ["case_manager", "policy_officer"]]
    assert "teamleider" in record.purpose


def test_no_one_changes_their_own_roles_or_deactivates_themselves(
    admin: User, admin2: User
) -> None:
    """R-SEC-1: segregation of duties: no self-elevation, no self-deactivation."""
    with pytest.raises(AccountError, match="eigen"):
        user_roles_set(actor=admin, user=admin, roles=[ADMIN, KM], reason="zelf")
    with pytest.raises(AccountError, match="eigen"):
        user_deactivate(actor=admin, user=admin, reason="zelf")
    assert User.objects.get(pk=admin.pk).role_codes == {ADMIN.value}


def test_the_last_active_administrator_stays(
    admin: User, admin2: User, make_user: Callable[..., User]
) -> None:
    """R-SEC-1: with two administrators one may go; the last one may neither lose the role
    nor be deactivated."""
    user_deactivate(actor=admin, user=admin2, reason="uit dienst")
    assert not User.objects.get(pk=admin2.pk).is_active
    # admin2 is now inactive; another administrator (made by admin) cannot remove admin
    third = make_user(ADMIN, username="beheer3")
    user_roles_set(actor=admin, user=third, roles=[KM], reason="andere functie")
    # only `admin` is left as active administrator: a (hypothetical) other actor cannot
    # remove them. The second administrator is reactivated to act.
    user_reactivate(actor=admin, user=admin2, reason="terug")
    user_deactivate(actor=admin2, user=admin, reason="verlof")
    with pytest.raises(AccountError, match="laatste actieve functioneel beheerder"):
        user_roles_set(actor=third, user=admin2, roles=[KM], reason="x")
    with pytest.raises(AccountError, match="laatste actieve functioneel beheerder"):
        user_deactivate(actor=third, user=admin2, reason="x")


def test_only_the_own_organisation_and_never_residents_or_provider_staff(
    admin: User,
    make_user: Callable[..., User],
    other_org: Organisation,
    provider_user_a: User,
) -> None:
    """R-SEC-1: another organisation's user, a resident and provider staff are not managed
    here (the same refusal: the page does not know them)."""
    stranger = make_user(KM, organisation=other_org)
    resident = make_user(RoleCode.RESIDENT)
    for user in (stranger, resident, provider_user_a):
        with pytest.raises(AccountError, match="niet beheren"):
            user_deactivate(actor=admin, user=user, reason="x")
        assert User.objects.get(pk=user.pk).is_active


@pytest.mark.parametrize("reason", ["", "   ", "x" * 201])
def test_a_reason_is_required(admin: User, make_user: Callable[..., User], reason: str) -> None:
    km = make_user(KM)
    with pytest.raises(AccountError) as caught:
        user_deactivate(actor=admin, user=km, reason=reason)
    assert caught.value.field == "reason"
    with pytest.raises(AccountError):
        user_roles_set(actor=admin, user=km, roles=[KM], reason=reason)


def test_roles_set_refuses_unassignable_unknown_and_empty_roles(
    admin: User, make_user: Callable[..., User]
) -> None:
    km = make_user(KM)
    for roles, text in (
        (["resident"], "DigiD"),
        (["provider_staff"], "aanbieder"),
        (["bestaat_niet"], "Onbekende rol"),
        ([], "ten minste één rol"),
    ):
        with pytest.raises(AccountError, match=text):
            user_roles_set(actor=admin, user=km, roles=roles, reason="x")
    assert User.objects.get(pk=km.pk).role_codes == {KM.value}


def test_deactivate_and_reactivate_are_audited(admin: User, make_user: Callable[..., User]) -> None:
    km = make_user(KM)
    user_deactivate(actor=admin, user=km, reason="uit dienst")
    assert not User.objects.get(pk=km.pk).is_active
    user_reactivate(actor=admin, user=km, reason="weer in dienst")
    assert User.objects.get(pk=km.pk).is_active
    assert [r.changes["is_active"] for r in _records(km)] == [[True, False], [False, True]]


# --- pages ----------------------------------------------------------------------------------


def _login(user: User) -> HttpClient:
    client = HttpClient()
    client.force_login(user)
    return client


def test_list_shows_own_staff_only(
    admin: User,
    make_user: Callable[..., User],
    other_org: Organisation,
    provider_user_a: User,
) -> None:
    """R-SEC-1: name, username, e-mail, Dutch role names, active, last login (dd-mm-jjjj
    uu:mm); no residents, no provider staff, no other organisation."""
    km = make_user(KM, username="km.zichtbaar")
    km.email = "km@example.nl"
    km.last_login = timezone.make_aware(dt.datetime(2026, 11, 3, 9, 5))
    km.save()
    make_user(RoleCode.RESIDENT, username="inwoner.onzichtbaar")
    make_user(KM, organisation=other_org, username="ander.onzichtbaar")
    html = _login(admin).get("/gebruikers/").content.decode()
    assert "km.zichtbaar" in html and "km@example.nl" in html
    assert "Klantmanager / regisseur" in html and "03-11-2026 09:05" in html
    assert "inwoner.onzichtbaar" not in html
    assert "ander.onzichtbaar" not in html
    assert provider_user_a.username not in html


def test_list_filters_by_role_and_name(admin: User, make_user: Callable[..., User]) -> None:
    make_user(KM, username="km.een")
    make_user(RoleCode.AUDITOR, username="auditor.een")
    client = _login(admin)
    html = client.get("/gebruikers/", {"role": "auditor"}).content.decode()
    assert "auditor.een" in html and "km.een" not in html
    html = client.get("/gebruikers/", {"q": "km.e"}).content.decode()
    assert "km.een" in html and "auditor.een" not in html
    assert client.get("/gebruikers/", {"role": "superhero"}).status_code == 400


def test_list_query_count_does_not_grow_with_users(
    admin: User, make_user: Callable[..., User]
) -> None:
    """The list costs the same number of queries for 2 users as for 12."""
    client = _login(admin)
    make_user(KM)
    client.get("/gebruikers/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/gebruikers/").status_code == 200
    for _ in range(10):
        make_user(KM, RoleCode.POLICY_OFFICER)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/gebruikers/").status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize("role", [r for r in RoleCode if r is not ADMIN])
def test_every_other_role_gets_403_and_it_is_audited(
    make_user: Callable[..., User], role: RoleCode
) -> None:
    user = make_user(role)
    assert _login(user).get("/gebruikers/").status_code == 403
    assert AuditRecord.objects.filter(action="denied", actor_id=user.pk).exists()


def test_create_page_makes_a_user_and_says_sso(admin: User) -> None:
    client = _login(admin)
    response = client.post(
        "/gebruikers/nieuw/",
        {
            "username": "nina.devries",
            "first_name": "Nina",
            "last_name": "de Vries",
            "email": "nina@example.nl",
            "roles": ["case_manager", "income_coach"],
        },
        follow=True,
    )
    assert response.status_code == 200
    user = User.objects.get(username="nina.devries")
    assert user.organisation_id == admin.organisation_id
    assert user.role_codes == {"case_manager", "income_coach"}
    assert "SSO" in response.content.decode()


@pytest.mark.parametrize(
    ("post", "field", "text"),
    [
        ({"first_name": "x" * 151}, "first_name", "150"),
        ({"last_name": "x" * 151}, "last_name", "150"),
        ({"email": "a@" + "b" * 250 + ".nl"}, "email", ""),
        ({"email": "geen-adres"}, "email", "geldig e-mailadres"),
        ({"username": "x" * 151}, "username", "150"),
        ({"username": "met spatie"}, "username", ""),
        ({"username": "met spatie", "email": "x"}, "username", ""),
        ({"roles": ["resident"]}, "roles", "Onbekende rol"),
        ({"roles": []}, "roles", "ten minste één rol"),
        ({"username": "beheer1"}, "username", "al in gebruik"),
    ],
)
def test_create_page_shows_bad_input_at_the_field(
    admin: User, post: dict[str, object], field: str, text: str
) -> None:
    """Bad input: a Dutch message at the field (400), never a 5xx; nothing is created."""
    data = {
        "username": "nieuw",
        "first_name": "Nina",
        "last_name": "Vries",
        "email": "nina@example.nl",
        "roles": ["case_manager"],
        **post,
    }
    before = User.objects.count()
    response = _login(admin).post("/gebruikers/nieuw/", data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and text in " ".join(errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert User.objects.count() == before


def test_detail_page_changes_roles_and_deactivates(
    admin: User, make_user: Callable[..., User]
) -> None:
    km = make_user(KM)
    client = _login(admin)
    url = f"/gebruikers/{km.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"roles": ["case_manager", "auditor"], "reason": "extra taak"})
    assert response.status_code == 302
    assert User.objects.get(pk=km.pk).role_codes == {"case_manager", "auditor"}
    response = client.post(f"{url}deactiveren/", {"active-reason": ""})
    assert response.status_code == 400
    assert "Geef een reden op." in response.content.decode()
    response = client.post(f"{url}deactiveren/", {"active-reason": "uit dienst"})
    assert response.status_code == 302
    assert not User.objects.get(pk=km.pk).is_active
    assert client.post(f"{url}activeren/", {"active-reason": "terug"}).status_code == 302
    assert User.objects.get(pk=km.pk).is_active


def test_detail_page_refuses_self_and_others_org(
    admin: User, make_user: Callable[..., User], other_org: Organisation
) -> None:
    client = _login(admin)
    page = client.get(f"/gebruikers/{admin.pk}/").content.decode()
    assert "Dit is uw eigen account" in page
    response = client.post(f"/gebruikers/{admin.pk}/deactiveren/", {"active-reason": "x"})
    assert response.status_code == 400
    assert "vraag een andere functioneel beheerder" in response.content.decode()
    stranger = make_user(KM, organisation=other_org)
    assert client.get(f"/gebruikers/{stranger.pk}/").status_code == 404
    response = client.post(f"/gebruikers/{stranger.pk}/deactiveren/", {"active-reason": "x"})
    assert response.status_code == 404
    assert User.objects.get(pk=stranger.pk).is_active
