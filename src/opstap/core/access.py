"""Need-to-know access (R-SEC-1): the one module every view, API endpoint, export and search
goes through. Part of the foundation (below every app): apps register their scope policies
here, so no app needs to import a higher one to be scoped.

Two layers:

1. *Permission*: may this user do this kind of thing at all? `user.has_opstap_perm(Perm.X)`,
   from the roles' permission lists (data). Pages use `@permission_required(Perm.X)`, API views
   `HasOpstapPermission` with `required_perms` on the view.
2. *Scope*: which rows? Each app registers a scope policy for its models with
   `@register_scope(Model)`; `scoped(user, queryset)` applies the organisation filter (always)
   and the policy. A model without a policy cannot be queried through here: forgetting one is
   an error, not a data leak. `get_object_for_user` fetches and checks in one go and raises
   Http404 for objects the user may not know exist (never 403).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar, Token
from functools import lru_cache, wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from .actor import Actor, Viewer, active_actor
from .audit_names import object_type_for
from .request_memo import request_memo

# --- Denied reads (R-SEC-2, issue 19) ---------------------------------------------------------
# A read that the scope or the permission refused is recorded by whoever listens (the audit
# app registers `audit.services.audit_denied_read` in its AppConfig.ready); the core itself
# does not depend on the audit app. The request being served is kept in a context variable
# by the guards below, so `get_object_for_user` (which has no request) can name the path.

DeniedReadListener = Callable[..., object]
_DENIED_READ_LISTENERS: list[DeniedReadListener] = []
_CURRENT_REQUEST: ContextVar[Any] = ContextVar("opstap_access_request", default=None)


def register_denied_read_listener(listener: DeniedReadListener) -> None:
    """`listener(*, user, request, object_type, object_id)` is called for every denied read."""
    if listener not in _DENIED_READ_LISTENERS:
        _DENIED_READ_LISTENERS.append(listener)


def set_current_request(request: Any) -> Token[Any]:
    return _CURRENT_REQUEST.set(request)


def denied_read(
    user: Viewer,
    *,
    object_type: str,
    object_id: object = "",
    request: Any = None,
    client_id: int | None = None,
) -> None:
    """Report a denied read (an object out of scope, a page or operation without the
    permission) to the listeners; `client_id` names the person whose data it was, so the
    auditor's search by person finds the attempt. Only for signed-in users: an anonymous
    visitor is sent to the login page, which is no read attempt on data."""
    if user is None or not getattr(user, "is_authenticated", False):
        return
    request = request if request is not None else _CURRENT_REQUEST.get()
    for listener in _DENIED_READ_LISTENERS:
        listener(
            user=user,
            request=request,
            object_type=object_type,
            object_id=object_id,
            client_id=client_id,
        )


# Which client has a client number: the auditor searches the audit trail by the number a
# complaint names, and the audit app sits below clients. The clients app registers the one
# lookup (`clients.access`); organisation-bound, and None for an unknown number.
ClientNumberLookup = Callable[[int, str], "int | None"]
_CLIENT_NUMBER_LOOKUPS: list[ClientNumberLookup] = []


def register_client_number_lookup(lookup: ClientNumberLookup) -> ClientNumberLookup:
    if lookup not in _CLIENT_NUMBER_LOOKUPS:
        _CLIENT_NUMBER_LOOKUPS.append(lookup)
    return lookup


def client_id_for_number(*, organisation_id: int, number: str) -> int | None:
    """The id of the organisation's client with `number`, or None (no such client, or no
    app registered a lookup)."""
    for lookup in _CLIENT_NUMBER_LOOKUPS:
        found = lookup(organisation_id, number)
        if found is not None:
            return found
    return None


M = TypeVar("M", bound=models.Model)
V = TypeVar("V", bound=Callable[..., Any])
RV = TypeVar("RV", bound=Callable[..., HttpResponseBase])
ScopePolicy = Callable[[Actor, QuerySet[Any]], QuerySet[Any]]

_POLICIES: dict[type[models.Model], ScopePolicy] = {}


def register_scope(model: type[models.Model]) -> Callable[[ScopePolicy], ScopePolicy]:
    """Register the row-level policy of `model`: (user, queryset) -> narrowed queryset."""

    def decorator(policy: ScopePolicy) -> ScopePolicy:
        _POLICIES[model] = policy
        return policy

    return decorator


def registered_models() -> list[type[models.Model]]:
    return list(_POLICIES)


def _organisation_filter(user: Actor, qs: QuerySet[M]) -> QuerySet[M]:
    field_names = {f.name for f in qs.model._meta.get_fields()}
    if "organisation" not in field_names:
        return qs
    org_id = getattr(user, "organisation_id", None)
    if org_id is None:
        return qs.none()
    return qs.filter(organisation_id=org_id)


def scoped(user: Viewer, qs: QuerySet[M]) -> QuerySet[M]:
    """The rows of `qs` this user may see: organisation first, then the model's policy."""
    actor = active_actor(user)
    if actor is None:
        return qs.none()
    policy = _POLICIES.get(qs.model)
    if policy is None:
        raise ImproperlyConfigured(
            f"No access policy registered for {qs.model.__name__}; use @register_scope."
        )
    return policy(actor, _organisation_filter(actor, qs))


def get_object_for_user(user: Viewer, qs: QuerySet[M], **lookup: Any) -> M:
    """Fetch one object the user may see, or raise Http404 (also when it does not exist)."""
    try:
        return scoped(user, qs).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        _report_if_exists(user, qs, lookup)
        raise Http404 from exc


def report_if_exists(user: Viewer, qs: QuerySet[Any], **lookup: Any) -> None:
    """For a refusal that does not go through `get_object_for_user` (an id in a request body
    that is not the caller's): recorded as a denied access when the row exists."""
    _report_if_exists(user, qs, lookup)


def _report_if_exists(user: Viewer, qs: QuerySet[Any], lookup: dict[str, Any]) -> None:
    """A 404 for an object that exists is a denied read (recorded); one for an object that
    does not exist is not. One extra query, on the refusal path only."""
    model = qs.model
    names = {f.attname for f in model._meta.concrete_fields}
    # Whose data it is (R-SEC-2: the auditor searches by person): the client itself, or the
    # client an object belongs to (a trajectory, an access request), within the user's own
    # organisation (another tenant's client is no person of this trail).
    person = "pk" if model._meta.label_lower == "clients.client" else None
    if person is None and "client_id" in names:
        person = "client_id"
    columns = (
        ["pk"]
        + ([person] if person else [])
        + (["organisation_id"] if "organisation_id" in names else [])
    )
    try:
        row = model._default_manager.filter(**lookup).values(*columns).first()
    except (ValueError, TypeError, ObjectDoesNotExist):
        return
    if row is None:
        return
    user_org = getattr(user, "organisation_id", None)
    own = user_org is not None and row.get("organisation_id", user_org) == user_org
    client_id = row[person] if person and own else None
    object_id = lookup.get("pk", lookup.get("id", next(iter(lookup.values()), "")))
    denied_read(user, object_type=object_type_for(model), object_id=object_id, client_id=client_id)


def scoped_count(user: Viewer, qs: QuerySet[Any]) -> int:
    """Counts shown to a user (badges, panels, totals) come from the scoped rows only."""
    return scoped(user, qs).count()


def can_see(user: Viewer, obj: models.Model) -> bool:
    """Whether `obj` is within the user's scope (for links and buttons; fetching still goes
    through `get_object_for_user`)."""
    model = type(obj)
    return scoped(user, model._default_manager.filter(pk=obj.pk)).exists()


def check_perm(user: Viewer, *perms: str) -> bool:
    actor = active_actor(user)
    return actor is not None and all(actor.has_opstap_perm(p) for p in perms)


def permission_required(*perms: str) -> Callable[[RV], RV]:
    """View decorator: anonymous → login page; missing permission → 403 (a page, not an
    object: the existence of a page is no secret). The permission list is kept on the view
    (`view.opstap_perms`) so the access-matrix test can read it. Without arguments it means
    "any signed-in user" (e.g. the second-factor pages).

    A read (GET/HEAD) runs inside a `request_memo()` block (issue 18): values such as the
    user's client scope are computed once per request on every page, not once per query
    that needs them. A write (POST...) does not: it may change what such a value is computed
    from (a unit, a mapping, an assignment) and read it again in the same request."""

    def decorator(view: RV) -> RV:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            token = set_current_request(request)
            try:
                if not check_perm(request.user, *perms):
                    if request.method in ("GET", "HEAD"):
                        denied_read(
                            request.user,
                            object_type="page",
                            object_id=getattr(view, "__name__", ""),
                            request=request,
                        )
                    raise PermissionDenied
                if request.method in ("GET", "HEAD"):
                    with request_memo():
                        return view(request, *args, **kwargs)
                return view(request, *args, **kwargs)
            finally:
                _CURRENT_REQUEST.reset(token)

        wrapper.opstap_perms = perms  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def public_view(view: V) -> V:
    """Mark a view as deliberately public (login page, health check, accessibility
    statement). The access-matrix test requires every view to be either this or guarded."""
    view.opstap_public = True  # type: ignore[attr-defined]
    return view


class HasOpstapPermission(BasePermission):
    """DRF permission: the view's `required_perms` (a tuple, or a dict per action)."""

    message = "U heeft geen recht op deze handeling."

    def has_permission(self, request: Request, view: APIView) -> bool:
        required: Any = getattr(view, "required_perms", None)
        if required is None:
            raise ImproperlyConfigured(f"{type(view).__name__} declares no required_perms.")
        action = getattr(view, "action", None)
        perms = required_perms_for(required, action, request.method or "GET")
        # The API's bearer-token user is known only here: keep the request for the scope
        # checks of this call (`get_object_for_user` reports denied reads with its path).
        set_current_request(request)
        allowed = check_perm(request.user, *perms)
        if not allowed and request.method in ("GET", "HEAD"):
            denied_read(
                request.user,
                object_type="api",
                object_id=f"{type(view).__name__}.{action or request.method.lower()}",
                request=request,
            )
        return allowed


def view_access_declaration(callback: Any) -> tuple[str, Any] | None:
    """How a resolved URL callback declares its access, for the access-matrix test and the
    docs: ("public", None), ("perms", tuple) for pages, ("api", required_perms) for DRF views,
    or None when it declares nothing (which the test refuses)."""
    if getattr(callback, "opstap_public", False):
        return ("public", None)
    perms = getattr(callback, "opstap_perms", None)
    if perms is not None:
        return ("perms", tuple(perms))
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None:
        if getattr(view_class, "opstap_public", False):
            return ("public", None)
        required = getattr(view_class, "required_perms", None)
        if required is not None and HasOpstapPermission in tuple(
            getattr(view_class, "permission_classes", ())
        ):
            return ("api", required)
        perms = getattr(view_class, "opstap_perms", None)
        if perms is not None:
            return ("perms", tuple(perms))
    return None


@lru_cache(maxsize=512)
def page_perms(url_name: str, args: tuple[Any, ...] = ()) -> tuple[str, ...] | None:
    """The permissions the page named `url_name` declares (its view's `permission_required`
    or `required_perms`); () for a public page; None when there is no such page or it
    declares nothing. The URL conf does not change while running, hence the cache."""
    try:
        match = resolve(reverse(url_name, args=args))
    except (NoReverseMatch, Resolver404):
        return None
    declaration = view_access_declaration(match.func)
    if declaration is None:
        return None
    if declaration[0] == "public":
        return ()
    if declaration[0] == "api":
        return required_perms_for(declaration[1], None, "GET")
    return tuple(declaration[1])


def may_open(user: Viewer, url_name: str, *args: Any) -> bool:
    """Whether `user` may open the page named `url_name`: the one answer for navigation and
    for links on pages (issue 14: nobody is offered a link that ends in a 403). It reads the
    view's own declaration, so a link never needs a permission of its own."""
    perms = page_perms(url_name, tuple(args))
    if perms is None:
        return False
    return not perms or check_perm(user, *perms)


def required_perms_for(required: Any, action: str | None, method: str) -> tuple[str, ...]:
    """The permissions a DRF view's `required_perms` asks for one action/method (the same
    lookup as HasOpstapPermission)."""
    if isinstance(required, dict):
        key = action or method.lower()
        chosen: Any = required.get(key, required.get("default", ()))
        return tuple(chosen or ())
    return tuple(required or ())
