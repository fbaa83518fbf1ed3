"""The user page of the functional administrator (R-SEC-1, section 1 of the spec: the
administrator manages configuration and the users of the own organisation): the staff users
with their roles, a new user (no password: staff sign in through the organisation's SSO),
roles changed and accounts (de)activated, each with a reason that goes in the audit trail."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from opstap.core.access import permission_required
from opstap.core.actor import actor_of
from opstap.core.forms import form_submit
from opstap.core.roles import ROLE_NAMES_NL, Perm, RoleCode

from . import selectors, services
from .forms import UserActiveForm, UserCreateForm, UserFilterForm, UserRolesForm
from .models import User, by_surname_key
from .services import AccountError

#: A page shows at most this many users (an organisation has hundreds of staff at most).
LIST_LIMIT = 500


def _role_names(user: User) -> list[str]:
    names = []
    for role in user.roles.all():  # prefetched
        try:
            names.append(ROLE_NAMES_NL[RoleCode(role.code)])
        except ValueError:
            names.append(role.name)
    return sorted(names)


@permission_required(Perm.USERS_MANAGE)
def user_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = UserFilterForm(request.GET or None)
    role = search = ""
    if form.is_bound and form.is_valid():
        role = form.cleaned_data["role"] or ""
        search = form.cleaned_data["q"] or ""
    users = sorted(
        selectors.manageable_users(actor.organisation_id, role=role, search=search)[
            : LIST_LIMIT + 1
        ],
        key=by_surname_key,
    )
    rows = [{"user": u, "roles": _role_names(u)} for u in users[:LIST_LIMIT]]
    return render(
        request,
        "accounts/users/list.html",
        {
            "page_title": "Gebruikers",
            "filter_form": form if form.is_bound else UserFilterForm(),
            "rows": rows,
            "truncated": len(users) > LIST_LIMIT,
            "limit": LIST_LIMIT,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@permission_required(Perm.USERS_MANAGE)
def user_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = UserCreateForm(request.POST if request.method == "POST" else None)
    done = form_submit(
        request,
        form,
        lambda data: services.user_create(actor=actor, **data),
        done=lambda user: (
            f"Gebruiker {user.username} is aangemaakt. Hij of zij logt in via het inloggen van "
            "de organisatie (SSO); een wachtwoord is er niet."
        ),
        refused=AccountError,
    )
    if done is not None:
        return redirect("users:detail", pk=done.result.pk)
    return render(
        request,
        "accounts/users/create.html",
        {"page_title": "Nieuwe gebruiker", "form": form},
        status=400 if form.errors else 200,
    )


def _user_or_404(request: HttpRequest, pk: int) -> User:
    user = selectors.manageable_user(actor_of(request).organisation_id, pk)
    if user is None:
        raise Http404
    return user


def _detail(request: HttpRequest, user: User, **forms: Any) -> HttpResponse:
    actor = actor_of(request)
    roles_form = forms.get("roles_form") or UserRolesForm(
        initial={"roles": [r.code for r in user.roles.all()]}
    )
    context = {
        "page_title": f"Gebruiker {user.display_name}",
        "subject": user,
        "roles": _role_names(user),
        "is_self": user.pk == actor.pk,
        "roles_form": roles_form,
        "active_form": forms.get("active_form") or UserActiveForm(prefix="active"),
    }
    refused = any(f.errors for f in forms.values())
    return render(request, "accounts/users/detail.html", context, status=400 if refused else 200)


@permission_required(Perm.USERS_MANAGE)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user_or_404(request, pk)
    if request.method == "POST":
        form = UserRolesForm(request.POST)
        if form_submit(
            request,
            form,
            lambda data: services.user_roles_set(actor=actor_of(request), user=user, **data),
            done="De rollen zijn gewijzigd.",
            refused=AccountError,
        ):
            return redirect("users:detail", pk=user.pk)
        return _detail(request, user, roles_form=form)
    return _detail(request, user)


def _set_active(request: HttpRequest, pk: int, *, active: bool) -> HttpResponse:
    user = _user_or_404(request, pk)
    form = UserActiveForm(request.POST, prefix="active")
    service = services.user_reactivate if active else services.user_deactivate
    if form_submit(
        request,
        form,
        lambda data: service(actor=actor_of(request), user=user, **data),
        done="Het account is weer actief." if active else "Het account is gedeactiveerd.",
        refused=AccountError,
    ):
        return redirect("users:detail", pk=user.pk)
    return _detail(request, user, active_form=form)


@require_POST
@permission_required(Perm.USERS_MANAGE)
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=False)


@require_POST
@permission_required(Perm.USERS_MANAGE)
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=True)
