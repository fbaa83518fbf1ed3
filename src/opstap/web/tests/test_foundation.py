"""The product skeleton: health check, pages, error pages, demo organisation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from opstap.conftest import TEST_PASSWORD
from opstap.core.roles import RoleCode

SRC = Path(__file__).resolve().parents[3]


def test_healthz_reports_ok_with_database(db: None, client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_503_when_database_unreachable() -> None:
    """A real unreachable database (nothing listens on port 1), not a mock."""
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nothing",
        "DJANGO_SETTINGS_MODULE": "opstap.conf.test",
    }
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, r.json()['database'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=SRC,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip().splitlines()[-1] == "503 error", result.stderr


def test_home_requires_login(db: None, client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/inloggen/")


def test_login_page_is_dutch_and_labelled(db: None, client: Client) -> None:
    html = client.get("/account/inloggen/").content.decode()
    assert '<html lang="nl"' in html
    assert '<label class="utrecht-form-label" for="id_username">Gebruikersnaam</label>' in html
    assert 'for="id_password">Wachtwoord</label>' in html


def test_case_manager_logs_in_and_sees_home_with_organisation(case_manager, client: Client) -> None:
    response = client.post(
        "/account/inloggen/", {"username": "klantmanager", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "RSD de Liemers" in html
    assert "Goedendag" in html


def test_wrong_password_gets_dutch_message(case_manager, client: Client) -> None:
    html = client.post(
        "/account/inloggen/", {"username": "klantmanager", "password": "fout"}
    ).content.decode()
    assert "Gebruikersnaam of wachtwoord is onjuist" in html


def test_resident_has_no_staff_home(make_user, client: Client) -> None:
    """Residents have no staff start page: "/" (the logo link) is their portal (issue 14)."""
    resident = make_user(RoleCode.RESIDENT)
    client.force_login(resident)
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/mijn/")


@pytest.mark.parametrize("path", ["/bestaat-niet/", "/api/v1/bestaat-niet"])
def test_404_pages_are_dutch(db: None, client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["title"] == "Niet gevonden"
    else:
        assert "Pagina niet gevonden" in response.content.decode()


def test_accessibility_statement_is_public(db: None, client: Client) -> None:
    response = client.get("/toegankelijkheid/")
    assert response.status_code == 200
    assert "Web Content Accessibility Guidelines (WCAG) 2.1" in " ".join(
        response.content.decode().split()
    )


def test_demo_load_builds_organisation_once(db: None, settings, capsys) -> None:
    settings.OPSTAP_DEMO = True
    call_command("demo_load")
    # Every generated history goes through the services: none of it is refused and lost
    # (the walk once ended trajectories after their planned end, without an extension).
    refused = [line for line in capsys.readouterr().out.splitlines() if "overgeslagen (" in line]
    assert refused == []
    from opstap.accounts.models import User
    from opstap.organisations.models import Municipality, Organisation

    org = Organisation.objects.get(slug="rsd-de-liemers")
    assert sorted(Municipality.objects.for_organisation(org).values_list("name", flat=True)) == [
        "Duiven",
        "Westervoort",
        "Zevenaar",
    ]
    users_before = User.objects.count()
    assert users_before >= 11
    call_command("demo_load")
    assert "al geladen" in capsys.readouterr().out
    assert User.objects.count() == users_before


def test_demo_load_refused_outside_demo_mode(db: None, settings) -> None:
    from django.core.management.base import CommandError

    settings.OPSTAP_DEMO = False
    settings.DEBUG = False
    with pytest.raises(CommandError, match="demo-modus"):
        call_command("demo_load")
