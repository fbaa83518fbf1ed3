"""Scope policies of the clients app (R-SEC-1), registered with opstap.core.access.

- case managers: clients of their own unit (Unit Werk vs Zorg & Ondersteuning, from
  `CaseManagerProfile`; the unit is derived from the ladder mapping valid today) plus always
  their own caseload;
- income coaches: only the clients assigned to them, while the assignment runs
  (`IncomeCoachAssignment`, made by the client's case manager or a team lead; read-only:
  they lack CLIENT_CHANGE);
- provider staff: only clients with a trajectory ordered from their provider (the rule is
  the trajectories app's, registered through `register_provider_staff_clients`);
- residents: only themselves (`Client.user`);
- employer advisers (WSP): only clients whose work profile their case manager shared with
  the WSP (the rule is the matching app's, registered through
  `register_employer_adviser_clients`); they hold no CLIENT_VIEW, so no dossier;
- everyone else (policy officers, contract managers, ...): no dossiers, aggregates only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet
from django.utils import timezone

from opstap.core.access import register_client_number_lookup, register_scope
from opstap.core.actor import Actor
from opstap.core.request_memo import memoised
from opstap.core.roles import Perm, RoleCode
from opstap.organisations.selectors import organisation_data_for_user

from .models import (
    BudgetSpending,
    CaseManagerProfile,
    Client,
    ClientEvent,
    ImportChange,
    ImportJob,
    IncomeCoachAssignment,
    LadderStepChange,
)
from .positions import unit_q

#: Which clients a provider-staff user may see, as a function of (user, day). The rule belongs
#: to the app that orders work from providers (trajectories), which sits above this one: it
#: registers the function here, as `register_scope` does for models (upward needs go through
#: registries, never through an import of a higher app).
ProviderStaffClients = Callable[[Any, dt.date], "QuerySet[Any] | list[int]"]
_provider_staff_clients: list[ProviderStaffClients] = []


def register_provider_staff_clients(policy: ProviderStaffClients) -> ProviderStaffClients:
    """Register the one rule for the clients provider staff may see (R-SEC-1). A second,
    different registration is a configuration error, not a silent override."""
    if _provider_staff_clients and _provider_staff_clients[0] is not policy:
        raise ImproperlyConfigured("De klantscope voor aanbieders is al geregistreerd.")
    _provider_staff_clients[:] = [policy]
    return policy


def _provider_visible_client_ids(user: Actor) -> QuerySet[Any] | list[int]:
    """Client ids a provider-staff user may see (R-SEC-1), from the registered rule. Without
    a registration this is a configuration error (loud), never "the provider sees nobody"."""
    if not _provider_staff_clients:
        raise ImproperlyConfigured(
            "No app registered which clients provider staff may see "
            "(clients.access.register_provider_staff_clients)."
        )
    return _provider_staff_clients[0](user, timezone.localdate())


#: Which clients an employer adviser (werkgeversadviseur, WSP) may see as candidates, as a
#: function of the user: the matching app (higher) registers it — the clients whose case
#: manager shared their work profile with the WSP (issue 15, R-MAT).
EmployerAdviserClients = Callable[[Any], "QuerySet[Any]"]
_employer_adviser_clients: list[EmployerAdviserClients] = []


def register_employer_adviser_clients(policy: EmployerAdviserClients) -> EmployerAdviserClients:
    """Register the one rule for the clients an employer adviser may see (R-SEC-1)."""
    if _employer_adviser_clients and _employer_adviser_clients[0] is not policy:
        raise ImproperlyConfigured("De klantscope voor werkgeversadviseurs is al geregistreerd.")
    _employer_adviser_clients[:] = [policy]
    return policy


def case_manager_unit(user: Actor) -> str | None:
    """The case manager's unit (None: no profile). Organisation data, kept across requests
    under the organisation's data version: moving a case manager to another unit bumps it in
    the same transaction, so the next request reads the new unit (issue 18, R-SEC-1)."""
    return organisation_data_for_user(user, ("clients.unit", user.pk), lambda: _unit_of(user))


def _unit_of(user: Actor) -> str | None:
    try:
        profile = user.case_manager_profile
    except CaseManagerProfile.DoesNotExist:
        return None
    return str(profile.unit)


def client_scope_q(user: Actor) -> Q | None:
    """The policy as a filter (None = nothing visible). Inside a `request_memo()` block (every
    page's GET, see `permission_required`) it is computed once per user and day; elsewhere on
    every call. The Q is shared then: callers combine it, never change it."""
    key = ("clients.scope", user.pk, user.organisation_id, timezone.localdate())
    return memoised(key, lambda: _client_scope_q(user))


def _client_scope_q(user: Actor) -> Q | None:
    if user.has_role(RoleCode.PROVIDER_STAFF):
        return Q(pk__in=_provider_visible_client_ids(user))
    if not user.has_opstap_perm(Perm.CLIENT_VIEW):
        if user.has_role(RoleCode.EMPLOYER_ADVISER) and _employer_adviser_clients:
            return Q(pk__in=_employer_adviser_clients[0](user))
        if user.has_opstap_perm(Perm.PORTAL_VIEW):
            return Q(user_id=user.pk)
        return None
    if user.has_role(RoleCode.CASE_MANAGER):
        own = Q(case_manager_id=user.pk)
        unit = case_manager_unit(user)
        if unit is None:
            return own
        return own | unit_q(
            organisation_id=user.organisation_id, unit=unit, on=timezone.localdate()
        )
    if user.has_role(RoleCode.INCOME_COACH):
        return Q(pk__in=assigned_client_ids(user, on=timezone.localdate()))
    return None


def assigned_client_ids(user: Actor, *, on: dt.date) -> list[int]:
    """Ids of the clients assigned to income coach `user` on `on` (a coach has a handful:
    a plain list keeps the scope a value, usable through other relations)."""
    if user.organisation_id is None:  # no organisation: nobody's coach
        return []
    return list(
        IncomeCoachAssignment.objects.filter(
            organisation_id=user.organisation_id,
            coach_id=user.pk,
            valid_from__lte=on,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .values_list("client_id", flat=True)
        .distinct()
    )


def is_team_lead(user: Actor) -> bool:
    """A team lead: a case manager who also holds the management role (the demo's
    `teamleider`). Team leads may assign income coaches to clients in their scope."""
    return bool(user.has_role(RoleCode.CASE_MANAGER) and user.has_role(RoleCode.POLICY_OFFICER))


def _prefixed(q: Q, prefix: str) -> Q:
    """`q` with every lookup moved behind `prefix` (e.g. `client__`). Only plain values are
    supported: an expression would refer to the wrong model, so it is refused."""
    result = Q()
    result.connector = q.connector
    result.negated = q.negated
    for child in q.children:
        if isinstance(child, Q):
            result.children.append(_prefixed(child, prefix))
            continue
        if not isinstance(child, tuple):
            raise TypeError(f"Onverwacht scope-onderdeel: {child!r}")
        lookup, value = child
        if hasattr(value, "resolve_expression"):
            raise ValueError(f"Kan de scope niet doorschuiven: {lookup} is een expressie.")
        result.children.append((f"{prefix}{lookup}", value))
    return result


def client_scope_q_through(user: Actor, relation: str) -> Q | None:
    """The clients policy as a filter on a model that points to Client through `relation`
    (e.g. trajectories: `client`), as a join condition instead of `client IN (subquery)`.
    The planner can then walk the other model's index in the page's order and stop after
    one page; with `IN (…)` it must first read every visible client (issue 6: a unit's
    trajectory overview at national scale). None = nothing visible."""
    q = client_scope_q(user)
    if q is None:
        return None
    prefix = f"{relation}__"
    return Q(**{f"{prefix}organisation_id": user.organisation_id}) & _prefixed(q, prefix)


class _NotWritableError(Exception):
    """A scope filter that `client_scope_sql` does not write out (a subquery, a lookup
    other than equality or `in`, a negation): the caller keeps the ORM."""


def _q_sql(q: Q, alias: str) -> tuple[str, list[Any]]:
    from django.core.exceptions import FieldDoesNotExist
    from django.db import connection

    parts: list[str] = []
    params: list[Any] = []
    if q.negated:  # NOT with NULL columns differs from the ORM's negation: not written out
        raise _NotWritableError
    for child in q.children:
        if isinstance(child, Q):
            sql, more = _q_sql(child, alias)
            parts.append(f"({sql})")
            params.extend(more)
            continue
        if not isinstance(child, tuple) or len(child) != 2:
            raise _NotWritableError  # an expression, not a (lookup, value) pair
        name, value = child
        field_name, _, lookup = str(name).partition("__")
        try:
            field = Client._meta.get_field("id" if field_name == "pk" else field_name)
        except FieldDoesNotExist as exc:
            raise _NotWritableError from exc
        column_name = getattr(field, "column", None)
        if not isinstance(column_name, str) or (field.is_relation and field_name == field.name):
            raise _NotWritableError  # a relation by name (`case_manager=`): only `…_id` is plain
        column = f"{alias}.{connection.ops.quote_name(column_name)}"
        plain = (str, int)
        if lookup in ("", "exact") and isinstance(value, plain) and not isinstance(value, bool):
            parts.append(f"{column} = %s")
            params.append(value)
        elif (
            lookup == "in"
            and isinstance(value, list | tuple | set | frozenset)
            and all(isinstance(v, plain) and not isinstance(v, bool) for v in value)
        ):
            values = sorted(value, key=str) if isinstance(value, set | frozenset) else value
            parts.append(f"{column} IN ({', '.join(['%s'] * len(values))})" if values else "1 = 0")
            params.extend(values)
        else:
            raise _NotWritableError
    if not parts:  # an empty Q matches every row, as in the ORM
        return "1 = 1", []
    return f" {q.connector} ".join(parts), params


def client_scope_sql(user: Actor, alias: str) -> tuple[str, list[Any]] | None:
    """The clients policy (R-SEC-1) as a SQL condition on `alias`, a `clients_client` row
    of a hand-written statement (issue 18: the start page's panels), organisation included:
    the same filter as `client_scope_q`, written out from it. None when the policy cannot be
    written out (a subquery: provider staff, employer advisers): the caller keeps the ORM.
    Nothing visible is `1 = 0`."""
    q = client_scope_q(user)
    if q is None or user.organisation_id is None:
        return "1 = 0", []
    try:
        sql, params = _q_sql(q, alias)
    except _NotWritableError:
        return None
    return f"{alias}.organisation_id = %s AND ({sql})", [user.organisation_id, *params]


@register_scope(Client)
def client_scope(user: Actor, qs: QuerySet[Client]) -> QuerySet[Client]:
    q = client_scope_q(user)
    return qs.none() if q is None else qs.filter(q)


def _via_client(user: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    q = client_scope_q(user)
    if q is None or user.organisation_id is None:
        return qs.none()
    return qs.filter(
        client__in=Client.objects.filter(organisation_id=user.organisation_id).filter(q)
    )


@register_scope(LadderStepChange)
def ladder_change_scope(user: Actor, qs: QuerySet[LadderStepChange]) -> QuerySet[LadderStepChange]:
    return _via_client(user, qs)


@register_scope(ClientEvent)
def client_event_scope(user: Actor, qs: QuerySet[ClientEvent]) -> QuerySet[ClientEvent]:
    return _via_client(user, qs)


@register_scope(BudgetSpending)
def budget_scope(user: Actor, qs: QuerySet[BudgetSpending]) -> QuerySet[BudgetSpending]:
    return _via_client(user, qs)


@register_scope(ImportJob)
def import_job_scope(user: Actor, qs: QuerySet[ImportJob]) -> QuerySet[ImportJob]:
    return qs if user.has_opstap_perm(Perm.CLIENT_IMPORT) else qs.none()


@register_scope(ImportChange)
def import_change_scope(user: Actor, qs: QuerySet[ImportChange]) -> QuerySet[ImportChange]:
    return qs if user.has_opstap_perm(Perm.CLIENT_IMPORT) else qs.none()


@register_scope(IncomeCoachAssignment)
def income_coach_assignment_scope(
    user: Actor, qs: QuerySet[IncomeCoachAssignment]
) -> QuerySet[IncomeCoachAssignment]:
    """Case managers: the assignments of the clients they may see; an income coach: their own
    (also past ones: which clients they had); everyone else nothing."""
    if user.has_role(RoleCode.CASE_MANAGER) and user.has_opstap_perm(Perm.CLIENT_VIEW):
        return _via_client(user, qs)
    if user.has_role(RoleCode.INCOME_COACH) and user.has_opstap_perm(Perm.CLIENT_VIEW):
        return qs.filter(coach_id=user.pk)
    return qs.none()


@register_client_number_lookup
def client_id_for_number(organisation_id: int, number: str) -> int | None:
    """The client with this number in the organisation (`core.access.client_id_for_number`):
    the number as typed or in capitals, by the unique (organisation, number) index."""
    text = number.strip()
    if not text:
        return None
    return (
        Client.objects.filter(
            organisation_id=organisation_id, client_number__in={text, text.upper()}
        )
        .values_list("pk", flat=True)
        .first()
    )
