"""Navigation per role, as data: an item is shown when the user holds its permission.

Apps add their entries here (one line each); order is the order in the menu.
"""

from __future__ import annotations

from dataclasses import dataclass

from opstap.accounts.roles import Perm


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str


NAV_ITEMS: list[NavItem] = [
    NavItem("Start", "web:home", Perm.HOME_VIEW),
]
