"""The resident's 'Document sturen' form (R-POR, R-SEC-6): sent empty it said 'Dit veld is
vereist.' twice, which does not tell a resident what to do (walk finding). Each field now
says what is missing, in plain Dutch, and nothing is stored."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient

from opstap.accounts.models import User
from opstap.clients.services import client_link_user
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation
from opstap.portal.models import ClientUpload

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(org: Organisation, make_user: Callable[..., User], case_manager: User) -> User:
    user = make_user(RoleCode.RESIDENT, username="inwoner")
    client_link_user(client=make_client(org, case_manager=case_manager), user=user)
    return user


def test_an_empty_upload_says_what_is_missing(resident: User) -> None:
    web = HttpClient()
    web.force_login(resident)
    response = web.post("/mijn/documenten/", {"title": "   "})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Dit veld is vereist" not in body
    assert "Schrijf waar het document over gaat, bijvoorbeeld: loonstrook maart." in body
    assert "Kies het bestand dat u wilt sturen." in body
    empty = SimpleUploadedFile("leeg.pdf", b"", content_type="application/pdf")
    response = web.post("/mijn/documenten/", {"title": "Loonstrook", "file": empty})
    assert "Het bestand is leeg. Kies een ander bestand." in response.content.decode()
    assert not ClientUpload.objects.exists()
