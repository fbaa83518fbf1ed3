"""A refused step on the trajectory page says why once, at its place (an earlier walk: the
same message three times — the flash message, the page's alert and the field). 'Today' is
fixed: 1 June 2026, with the trajectory running since 6 May 2026."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from opstap.accounts.models import User
from opstap.providers.models import Product
from opstap.trajectories.models import Trajectory

from .conftest import AMS

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 6, 1, 10, 0, tzinfo=AMS)


def _login(user: User) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_refused_end_date_shown_once_at_the_field_with_the_reason_kept(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
    time_machine: Any,
) -> None:
    """R-TRJ-5: an early end with a date in the future is refused beside the date field,
    once; the page's alert only points to the form, and the reason typed stays."""
    trajectory = walk(order(product3), "running")
    time_machine.move_to(TODAY, tick=False)
    response = _login(provider_user_a).post(
        reverse("trajectories:action", args=[trajectory.pk]),
        {
            "action": "terminate_early",
            "terminate_early-reason": "Deelnemer is verhuisd naar Zwolle",
            "terminate_early-end_date": "2026-07-01",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    message = "Een traject kan niet met een einddatum in de toekomst worden beëindigd."
    assert html.count(message) == 1
    assert f'id="id_terminate_early-end_date_error">{message}</span>' in html
    assert "Deelnemer is verhuisd naar Zwolle</textarea>" in html
    assert 'value="2026-07-01"' in html
    assert 'href="#form-terminate_early"' in html
    trajectory.refresh_from_db()
    assert trajectory.state == "running"


def test_step_not_open_to_the_user_is_refused_once(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
    time_machine: Any,
) -> None:
    """R-TRJ-2: a provider posting the approval of its own plan (no form for it on the
    page) reads the refusal once, in the page's alert."""
    trajectory = walk(order(product3), "plan_submitted")
    time_machine.move_to(TODAY, tick=False)
    response = _login(provider_user_a).post(
        reverse("trajectories:action", args=[trajectory.pk]), {"action": "approve_plan"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("een aanbieder kan zijn eigen plan niet goedkeuren") == 1
    assert 'id="trajectory-error"' in html
