"""WCAG 1.4.10 reflow: at 320 px the invoice page's tables ("Factuurregels", the history) were
cut off when the script that wraps tables had not run; the page itself now puts each table in
a focusable scroll region named after it, as the other wide tables have."""

from __future__ import annotations

import re

import pytest
from django.test import Client as WebClient

from opstap.accounts.models import User
from opstap.trajectories.models import Trajectory

from .conftest import submit

pytestmark = pytest.mark.django_db

REGION = re.compile(
    r'<div class="opstap-table-scroll" tabindex="0" role="region" aria-label="([^"]+)">\s*'
    r'<table class="opstap-table"[^>]*>\s*<caption class="opstap-visually-hidden">([^<]+)<'
)


def test_invoice_lines_table_scrolls_in_its_own_region(
    code3_done: Trajectory, provider_user_a: User, clerk: User
) -> None:
    invoice = submit(provider_user_a, code3_done)
    web = WebClient()
    web.force_login(clerk)
    response = web.get(f"/facturen/{invoice.pk}/")
    assert response.status_code == 200
    regions = REGION.findall(response.content.decode())
    captions = [caption for _label, caption in regions]
    assert "Factuurregels" in captions
    assert "Geschiedenis" in captions
    for label, caption in regions:
        assert label.startswith(caption), (label, caption)
