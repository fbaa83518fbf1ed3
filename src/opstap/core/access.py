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
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

M = TypeVar("M", bound=models.Model)
V = TypeVar("V", bound=Callable[..., Any])
RV = TypeVar("RV", bound=Callable[..., HttpResponseBase])
ScopePolicy = Callable[[Any, QuerySet[Any]], QuerySet[Any]]

_POLICIES: dict[type[models.Model], ScopePolicy] = {}


def register_scope(model: type[models.Model]) -> Callable[[ScopePolicy], ScopePolicy]:
    """Register the row-level policy of `model`: (user, queryset) -> narrowed queryset."""

    def decorator(policy: ScopePolicy) -> ScopePolicy:
        _POLICIES[model] = policy
        return policy

    return decorator


def registered_models() -> list[type[models.Model]]:
    return list(_POLICIES)


def _organisation_filter(user: Any, qs: QuerySet[M]) -> QuerySet[M]:
    field_names = {f.name for f in qs.model._meta.get_fields()}
    if "organisation" not in field_names:
        return qs
    org_id = getattr(user, "organisation_id", None)
    if org_id is None:
        return qs.none()
    return qs.filter(organisation_id=org_id)


def scoped(user: Any, qs: QuerySet[M]) -> QuerySet[M]:
    """The rows of `qs` this user may see: organisation first, then the model's policy."""
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    policy = _POLICIES.get(qs.model)
    if policy is None:
        raise ImproperlyConfigured(
            f"No access policy registered for {qs.model.__name__}; use @register_scope."
        )
    return policy(user, _organisation_filter(user, qs))


def get_object_for_user(user: Any, qs: QuerySet[M], **lookup: Any) -> M:
    """Fetch one object the user may see, or raise Http404 (also when it does not exist)."""
    try:
        return scoped(user, qs).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def scoped_count(user: Any, qs: QuerySet[Any]) -> int:
    """Counts shown to a user (badges, panels, totals) come from the scoped rows only."""
    return scoped(user, qs).count()


def can_see(user: Any, obj: models.Model) -> bool:
    """Whether `obj` is within the user's scope (for links and buttons; fetching still goes
    through `get_object_for_user`)."""
    model = type(obj)
    return scoped(user, model._default_manager.filter(pk=obj.pk)).exists()


def check_perm(user: Any, *perms: str) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and all(user.has_opstap_perm(p) for p in perms)
    )


def permission_required(*perms: str) -> Callable[[RV], RV]:
    """View decorator: anonymous → login page; missing permission → 403 (a page, not an
    object: the existence of a page is no secret). The permission list is kept on the view
    (`view.opstap_perms`) so the access-matrix test can read it. Without arguments it means
    "any signed-in user" (e.g. the second-factor pages)."""

    def decorator(view: RV) -> RV:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check_perm(request.user, *perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

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
        return check_perm(request.user, *perms)


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


def required_perms_for(required: Any, action: str | None, method: str) -> tuple[str, ...]:
    """The permissions a DRF view's `required_perms` asks for one action/method (the same
    lookup as HasOpstapPermission)."""
    if isinstance(required, dict):
        key = action or method.lower()
        chosen: Any = required.get(key, required.get("default", ()))
        return tuple(chosen or ())
    return tuple(required or ())
