"""The handover note (R-CLI-3) has a limit: 13,000 characters went whole into the new case
manager's notification and its e-mail. `MAX_HANDOVER_NOTE` (2,000) in the service; the page
shows the service's message at the field and keeps what was typed."""

from __future__ import annotations

from typing import Any

import pytest

from opstap.clients.models import Client, ClientEvent
from opstap.clients.services import ClientError, client_handover
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.notifications.models import Notification


def test_handover_note_over_the_limit_is_refused_and_nothing_is_sent(
    org: Any, case_manager: Any, make_user: Any
) -> None:
    """R-CLI-3: a note of 2,001 characters is refused at `note`, with the Dutch message; the
    client keeps the case manager and nobody is notified. 2,000 (after trimming) passes."""
    other = make_user(RoleCode.CASE_MANAGER)
    target = make_client(org, case_manager=case_manager)
    with pytest.raises(ClientError) as info:
        client_handover(actor=case_manager, client=target, new_case_manager=other, note="x" * 2_001)
    assert info.value.field == "note"
    assert info.value.message == "De overdrachtsnotitie is te lang: hoogstens 2.000 tekens."
    assert Client.objects.get(pk=target.pk).case_manager_id == case_manager.pk
    assert not Notification.objects.exists()
    assert not ClientEvent.objects.filter(client=target, kind="handover").exists()

    event = client_handover(
        actor=case_manager,
        client=target,
        new_case_manager=other,
        note="  " + "y" * 2_000 + "  ",
    )
    assert len(event.note) == 2_000
    assert Notification.objects.get(recipient=other).body.count("y") == 2_000


def test_handover_page_shows_the_limit_at_the_field(
    org: Any, case_manager: Any, make_user: Any, client: Any
) -> None:
    """R-CLI-3: the form names the limit and shows the refusal at the note, keeping the text
    (no silent cut by the browser: the textarea has no maxlength)."""
    other = make_user(RoleCode.CASE_MANAGER)
    target = make_client(org, case_manager=case_manager)
    client.force_login(case_manager)
    page = client.get(f"/klanten/{target.pk}/overdracht/").content.decode()
    assert "Hoogstens 2.000 tekens." in page
    long_note = "Schulden en taal. " * 700  # 12,600 characters
    response = client.post(
        f"/klanten/{target.pk}/overdracht/",
        {"new_case_manager": other.pk, "note": long_note},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "De overdrachtsnotitie is te lang: hoogstens 2.000 tekens." in html
    assert html.count("Schulden en taal.") >= 700  # what was typed is kept
    assert Client.objects.get(pk=target.pk).case_manager_id == case_manager.pk
    assert not Notification.objects.exists()
