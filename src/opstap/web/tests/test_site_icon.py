"""Every page names the site's icon, and the icon is one of our static files: without it the
browser asked for /favicon.ico on every page, which answered 404 (a warning in the log each
time, and a blank tab icon next to every other site a case manager has open)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ICON = re.compile(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">')


@pytest.mark.django_db
def test_the_layout_names_an_icon_that_is_served(client: Client) -> None:
    page = client.get("/account/inloggen/")
    assert page.status_code == 200
    found = ICON.search(page.content.decode())
    assert found, "the layout names no icon"
    assert found.group(1).startswith("/static/")
    assert finders.find(found.group(1).removeprefix("/static/"))


@pytest.mark.parametrize("name", ["400.html", "409.html", "500.html"])
def test_the_plain_error_pages_name_it_too(name: str) -> None:
    found = ICON.search((TEMPLATES / name).read_text())
    assert found and finders.find(found.group(1).removeprefix("/static/"))
