from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

from opstap.core.access import may_open
from opstap.core.actor import active_actor

from .navigation import NAV_ITEMS

# The menu as (label, URL) per permission set (issue 18: the layout of every page decided 26
# items with `may_open` and reversed each shown URL, 1-2 ms a page). Whether a user may open a
# menu page depends on whether they are an active user and on their permissions only
# (`may_open`: the view's declared permissions against `has_opstap_perm`, which reads
# `opstap_perms`); the URL conf and the views' declarations do not change while running. So
# the first user with a permission set decides that set's menu with `may_open` itself, and
# every later user with the same set gets the same menu. Keyed also by the script prefix,
# which `reverse` puts in front of every URL.
_MENUS: dict[tuple[str, frozenset[str] | None], tuple[tuple[str, str], ...]] = {}
_MENUS_MAX = 256  # distinct permission sets are a handful of role combinations


def menu_of(user: Any) -> tuple[tuple[str, str], ...]:
    """(label, URL) of every menu item `user` (signed in) may open, in menu order."""
    actor = active_actor(user)
    key = (get_script_prefix(), frozenset(actor.opstap_perms) if actor is not None else None)
    menu = _MENUS.get(key)
    if menu is None:
        menu = tuple(
            (item.label, reverse(item.url_name))
            for item in NAV_ITEMS
            if may_open(user, item.url_name)
        )
        if len(_MENUS) >= _MENUS_MAX:
            _MENUS.clear()
        _MENUS[key] = menu
    return menu


def opstap(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    nav: list[dict[str, Any]] = []
    if user.is_authenticated:
        path = request.path
        nav = [
            {
                "label": label,
                "url": url,
                "current": path == url or (url != "/" and path.startswith(url)),
            }
            for label, url in menu_of(user)
        ]
    organisation = getattr(request, "organisation", None)
    return {
        "nav_items": nav,
        "organisation": organisation,
        "opstap_demo": settings.OPSTAP_DEMO,
    }
