"""BRP through Haal Centraal "BRP bevragen" (R-INT-3): the client module against the local
stand-in (started by the tests on a free port, not mocked inside the client), the
registration with prefill and the daily check for clients who moved out or died."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from django.test import Client as WebClient
from django.urls import reverse

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients import brp, services
from opstap.clients.brp_standin import StandinState, running_standin
from opstap.clients.models import Client, ClientEvent
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.notifications.models import Notification
from opstap.organisations.models import Municipality, Organisation

DUIVEN_BSN = "999992041"  # Marie Verstraten, Duiven (0226)
ROTTERDAM_BSN = "999993653"  # Suzanne Moulin, Rotterdam (0599)
DECEASED_BSN = "999993197"  # Henk-Pieter van der Burg, died 28-04-2019


@pytest.fixture
def standin(settings: Any) -> Iterator[StandinState]:
    """The BRP stand-in on a free loopback port; the settings point at it."""
    with running_standin() as (url, state):
        settings.OPSTAP_BRP_URL = url
        settings.OPSTAP_BRP_DOELBINDING = "Participatiewet re-integratie"
        settings.OPSTAP_BRP_OIN = "00000001234567890000"
        settings.OPSTAP_BRP_TIMEOUT = 0.5
        yield state


def _config(settings: Any) -> brp.BrpConfig:
    return brp.config_from_settings(settings)


# --- The client module against the stand-in ----------------------------------------------------


def test_raadpleeg_sends_the_query_fields_and_protocol_headers(
    standin: StandinState, settings: Any
) -> None:
    people = brp.raadpleeg(
        _config(settings),
        [ROTTERDAM_BSN, DECEASED_BSN, "999999990"],
        verwerking="Klant inschrijven",
        gebruiker="klantmanager",
    )
    assert [(p.bsn, p.last_name, p.municipality_code) for p in people] == [
        (ROTTERDAM_BSN, "Moulin", "0599"),
        (DECEASED_BSN, "Burg", "0518"),
    ]
    assert people[1].last_name_prefix == "van der"
    assert people[1].date_of_death == dt.date(2019, 4, 28)
    assert people[0].street_address == "Boterdiep 31" and people[0].postcode == "3077AW"
    request = standin.received[-1]
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["x-doelbinding"] == "Participatiewet re-integratie"
    assert headers["x-verwerking"] == "Klant inschrijven"
    assert headers["x-gebruiker"] == "klantmanager"
    assert headers["x-origin-oin"] == "00000001234567890000"
    import json

    body = json.loads(request["body"])
    assert body["type"] == "RaadpleegMetBurgerservicenummer"
    assert body["fields"] == list(brp.PREFILL_FIELDS)


def test_gemeente_van_inschrijving_filters(standin: StandinState, settings: Any) -> None:
    config = _config(settings)
    args = {"verwerking": "t", "gebruiker": "u"}
    assert brp.raadpleeg(config, [DUIVEN_BSN], gemeente_van_inschrijving="0599", **args) == []
    found = brp.raadpleeg(config, [DUIVEN_BSN], gemeente_van_inschrijving="0226", **args)
    assert [p.cbs_code for p in found] == ["GM0226"]


def test_the_standin_refuses_a_request_without_purpose_binding(standin: StandinState) -> None:
    """The stand-in behaves as the gateway: no x-doelbinding, no answer (403 problem+json)."""
    response = requests.post(
        f"{_url(standin)}",
        json={"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [DUIVEN_BSN],
              "fields": ["naam"]},
        timeout=5,
    )  # fmt: skip
    assert response.status_code == 403
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert "x-doelbinding" in response.json()["detail"]


def _url(state: StandinState) -> str:
    from django.conf import settings

    return brp.config_from_settings(settings).endpoint


@pytest.mark.parametrize(
    ("setup", "error", "message"),
    [
        ({"delay": 1.5}, brp.BrpUnavailableError, "niet op tijd"),
        ({"fail_status": 503}, brp.BrpUnavailableError, "storing"),
        ({"api_key": "geheim"}, brp.BrpUnavailableError, "weigert de toegang"),
    ],
)
def test_failures_are_dutch_errors(
    standin: StandinState,
    settings: Any,
    setup: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    for key, value in setup.items():
        setattr(standin, key, value)
    with pytest.raises(error, match=message) as info:
        brp.raadpleeg(_config(settings), [DUIVEN_BSN], verwerking="t", gebruiker="u")
    assert getattr(info.value, "status", None) == 503


def test_a_closed_port_is_unreachable(settings: Any) -> None:
    with running_standin() as (url, _state):
        pass  # stopped: nothing listens there any more
    config = brp.BrpConfig(url=url, doelbinding="x", oin="1", timeout=0.5)
    with pytest.raises(brp.BrpUnavailableError, match="niet bereikbaar"):
        brp.raadpleeg(config, [DUIVEN_BSN], verwerking="t", gebruiker="u")


@pytest.mark.parametrize(
    ("entered", "brp_values", "fields"),
    [
        ({"postcode": "6901 kt"}, {"postcode": "6901KT"}, []),
        ({"last_name": "verstraten "}, {"last_name": "Verstraten"}, []),
        ({"last_name": "Verstraeten"}, {"last_name": "Verstraten"}, ["last_name"]),
        ({"city": ""}, {"city": "Duiven"}, []),
        ({"city": "Duiven"}, {"city": ""}, []),
        (
            {"date_of_birth": "1994-11-28", "municipality": "GM0299"},
            {"date_of_birth": "1994-11-29", "municipality": "GM0226"},
            ["date_of_birth", "municipality"],
        ),
    ],
)
def test_differences_ignore_case_spacing_and_empty_fields(
    entered: dict[str, str], brp_values: dict[str, str], fields: list[str]
) -> None:
    assert [d.field for d in brp.differences(entered, brp_values)] == fields


# --- Registration with prefill -----------------------------------------------------------------


def test_lookup_is_audited_with_its_purpose_also_when_unknown(
    standin: StandinState, case_manager: User
) -> None:
    person = services.brp_lookup(actor=case_manager, bsn=DUIVEN_BSN)
    assert person.last_name == "Verstraten"
    with pytest.raises(services.ClientError, match="geen persoon"):
        services.brp_lookup(actor=case_manager, bsn="999999990")
    rows = list(
        AuditRecord.objects.filter(object_type="brp_persoon")
        .order_by("id")
        .values_list("actor_username", "object_id", "purpose", "result")
    )
    assert rows == [
        ("klantmanager", DUIVEN_BSN, "BRP-bevraging: Klant inschrijven", "ok"),
        ("klantmanager", "999999990", "BRP-bevraging: Klant inschrijven", "niet gevonden"),
    ]


def test_lookup_needs_the_right(standin: StandinState, make_user: Callable[..., User]) -> None:
    from opstap.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        services.brp_lookup(actor=make_user(RoleCode.FINANCE_CLERK), bsn=DUIVEN_BSN)
    assert standin.received == []


def _post(web: WebClient, action: str, **data: str) -> str:
    payload = {"ladder_step": "3", "action": action, **data}
    return web.post(reverse("clients:register"), payload).content.decode()


def test_register_prefills_shows_differences_and_saves_all_or_nothing(
    standin: StandinState, org: Organisation, case_manager: User
) -> None:
    web = WebClient()
    web.force_login(case_manager)
    page = _post(web, "brp", bsn=DUIVEN_BSN, last_name="Verstraeten", postcode="6901 kt")
    assert "Verschillen met wat u had ingevuld" in page
    assert "Verstraeten" in page and 'value="Verstraten"' in page
    assert page.count('<tr><th scope="row">') == 1  # the postcode is the same, only spaced
    assert not Client.objects.exists()  # a lookup saves nothing
    duiven = Municipality.objects.get(organisation=org, cbs_code="GM0226")
    assert f'<option value="{duiven.pk}" selected>' in page

    # Save with what the form now holds (the BRP's values and the signed snapshot).
    import re

    snapshot = re.search(r'name="brp_snapshot" value="([^"]+)"', page)
    assert snapshot is not None
    response = web.post(
        reverse("clients:register"),
        {
            "action": "save",
            "bsn": DUIVEN_BSN,
            "client_number": "K-BRP-1",
            "first_name": "Marie",
            "last_name": "Verstraten",
            "date_of_birth": "29-11-1994",
            "street_address": "Zonegge 1",
            "postcode": "6901KT",
            "city": "Duiven",
            "municipality": str(duiven.pk),
            "ladder_step": "3",
            "case_manager": str(case_manager.pk),
            "brp_snapshot": snapshot.group(1),
        },
    )
    client = Client.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{client.pk}/")
    assert (client.last_name, client.date_of_birth, client.case_manager) == (
        "Verstraten",
        dt.date(1994, 11, 29),
        case_manager,
    )
    # The surname shown as different before saving was saved as the BRP has it: corrected.
    event = ClientEvent.objects.get(client=client, source="brp")
    assert event.summary == (
        "Persoonsgegevens overgenomen uit de BRP; verbeterd volgens de BRP: Achternaam"
    )
    assert (event.data["verbeterd"], event.data["afwijkend"]) == (["last_name"], [])


def test_register_records_corrected_and_kept_differences_apart(
    org: Organisation, case_manager: User
) -> None:
    """R-INT-3: of the fields shown as different before saving, the ones saved as the BRP has
    them are 'corrected'; a field saved differently from the BRP is 'afwijkend ingevuld'."""
    duiven = Municipality.objects.get(organisation=org, cbs_code="GM0226")
    values = {
        "first_name": "Marie",
        "last_name_prefix": "",
        "last_name": "Verstraten",
        "date_of_birth": "1994-11-29",
        "street_address": "Zonegge 1",
        "postcode": "6901KT",
        "city": "Duiven",
        "municipality": "GM0226",
    }
    client = services.client_register(
        actor=case_manager,
        organisation=org,
        brp_values=values,
        differences_shown=["date_of_birth", "city"],
        bsn=DUIVEN_BSN,
        client_number="K-BRP-2",
        first_name="Marie",
        last_name="Verstraten",
        date_of_birth=dt.date(1994, 11, 29),
        municipality=duiven,
        ladder_step="3",
        street_address="Zonegge 1",
        postcode="6901 KT",
        city="Pannerden",
        case_manager=case_manager,
    )
    event = ClientEvent.objects.get(client=client, source="brp")
    assert event.summary == (
        "Persoonsgegevens overgenomen uit de BRP; verbeterd volgens de BRP: Geboortedatum; "
        "afwijkend ingevuld: Woonplaats"
    )


def test_register_when_the_brp_is_down_keeps_the_form_and_saves_nothing(
    standin: StandinState, case_manager: User
) -> None:
    standin.fail_status = 503
    web = WebClient()
    web.force_login(case_manager)
    page = _post(web, "brp", bsn=DUIVEN_BSN, last_name="Verstraten", client_number="K-9")
    assert "De BRP meldt een storing" in page and 'value="K-9"' in page
    assert not Client.objects.exists()
    assert AuditRecord.objects.get(object_type="brp_persoon").result == "storing"


def test_register_shows_a_warning_for_someone_living_elsewhere(
    standin: StandinState, case_manager: User
) -> None:
    web = WebClient()
    web.force_login(case_manager)
    page = _post(web, "brp", bsn=ROTTERDAM_BSN)
    assert "buiten de gemeenten van deze organisatie" in page
    page = _post(web, "brp", bsn=DECEASED_BSN)
    assert "overleden" in page


def test_register_without_brp_link_is_manual(case_manager: User, settings: Any) -> None:
    settings.OPSTAP_BRP_URL = ""
    web = WebClient()
    web.force_login(case_manager)
    page = web.get(reverse("clients:register")).content.decode()
    assert "niet ingesteld" in page and 'value="brp"' not in page


# --- The daily check -------------------------------------------------------------------------


def test_check_signals_moved_out_and_died_once(
    standin: StandinState, org: Organisation, case_manager: User
) -> None:
    stays = make_client(org, case_manager=case_manager, bsn=DUIVEN_BSN)
    moved = make_client(org, case_manager=case_manager, bsn=ROTTERDAM_BSN)
    died = make_client(org, case_manager=case_manager, bsn=DECEASED_BSN)
    unknown = make_client(org, case_manager=case_manager, bsn="999999990")
    ended = make_client(
        org,
        case_manager=case_manager,
        bsn="999993872",
        benefit_start_date=dt.date(2020, 1, 1),
        benefit_end_date=dt.date(2025, 1, 1),
    )
    on = dt.date(2026, 8, 14)
    result = services.brp_check_organisation(organisation=org, on=on, batch_size=2)
    assert (result.checked, result.signals) == (4, 2)
    titles = sorted(
        Notification.objects.filter(recipient=case_manager).values_list("title", flat=True)
    )
    assert titles == ["Klant overleden volgens de BRP", "Klant verhuisd buiten de gemeenten"]
    assert set(ClientEvent.objects.filter(source="brp").values_list("client_id", flat=True)) == {
        moved.pk,
        died.pk,
    }
    # 2 requests of 2 BSNs (batch size 2), with the check's purpose; the ended client is not asked.
    bodies = [r["body"] for r in standin.received]
    assert len(bodies) == 2 and all(ended.bsn not in b for b in bodies)
    audited = set(
        AuditRecord.objects.filter(
            purpose="BRP-bevraging: Controle verhuizing en overlijden"
        ).values_list("client_id", flat=True)
    )
    assert audited == {stays.pk, moved.pk, died.pk, unknown.pk}
    again = services.brp_check_organisation(organisation=org, on=on)
    assert again.signals == 0 and Notification.objects.count() == 2


def test_check_task_without_brp_does_nothing(settings: Any) -> None:
    from opstap.clients.tasks import brp_check_task

    settings.OPSTAP_BRP_URL = ""
    assert brp_check_task() == "BRP niet ingesteld"


# --- API ------------------------------------------------------------------------------------


def test_api_brp_lookup_answers_and_fails_as_problem_json(
    standin: StandinState, case_manager: User
) -> None:
    web = WebClient()
    web.force_login(case_manager)
    url = "/api/v1/clients/_brp-lookup"
    ok = web.post(url, {"bsn": ROTTERDAM_BSN}, content_type="application/json")
    assert ok.status_code == 200
    assert ok.json()["lastName"] == "Moulin" and ok.json()["municipalityCode"] == "GM0599"
    assert ok.json()["dateOfBirth"] == "1985-12-01"
    unknown = web.post(url, {"bsn": "999999990"}, content_type="application/json")
    assert unknown.status_code == 404
    bad = web.post(url, {"bsn": "123"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["invalidParams"][0]["name"] == "bsn"
    standin.delay = 1.5
    slow = web.post(url, {"bsn": ROTTERDAM_BSN}, content_type="application/json")
    assert slow.status_code == 503
    assert slow["Content-Type"].startswith("application/problem+json")
    assert "niet op tijd" in slow.json()["detail"]
    assert not Client.objects.exists()
