"""The demo organisation's clients (spec section 2 reference figures)."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.nl import bsn

from opstap.clients import selectors
from opstap.clients.demo_data import BRP_DEMO_BSN, BRP_DEMO_CLIENT_NUMBER
from opstap.clients.models import Client, ClientEvent, LadderStepChange


@pytest.fixture
def demo(db, demo_today):
    from opstap.demo.generator import build

    return build(scale="demo", today=demo_today, log=lambda _m: None)


def test_demo_clients_match_the_reference(demo) -> None:
    """R-LAD-2: the reference caseload of 1,976 clients — 942 Zorg & Ondersteuning, 1,034
    Unit Werk; municipalities in proportion 433/347/824; ≈13% exempted, ≈12% in the
    target-group register — plus one client that klantmanager registered with BRP prefill
    in the demo (R-INT-3, step 3, so Unit Werk): 1,977 in all, 1,035 in Unit Werk."""
    org = demo.organisation
    qs = Client.objects.filter(organisation=org)
    assert qs.count() == 1_976 + 1
    registered = qs.get(client_number=BRP_DEMO_CLIENT_NUMBER)
    reference = qs.exclude(pk=registered.pk)
    on = demo.today
    assert qs.filter(selectors.unit_q(organisation_id=org.pk, unit="care", on=on)).count() == 942
    assert qs.filter(selectors.unit_q(organisation_id=org.pk, unit="work", on=on)).count() == 1_035
    assert (
        reference.filter(selectors.unit_q(organisation_id=org.pk, unit="work", on=on)).count()
        == 1_034
    )
    # The reference proportions are about the generated caseload of 1,976.
    per_muni = {
        m.name: reference.filter(municipality=m).count() for m in demo.municipalities.values()
    }
    assert per_muni["Zevenaar"] > per_muni["Duiven"] > per_muni["Westervoort"]
    assert abs(per_muni["Zevenaar"] / 1_976 - 824 / 1_604) < 0.04
    assert 0.09 < reference.filter(exempt_from_labour_obligation=True).count() / 1_976 < 0.17
    assert 0.09 < reference.filter(ldr_registered=True).count() / 1_976 < 0.15
    assert all(bsn.is_valid(b) for b in qs.values_list("bsn", flat=True))
    own = reference.filter(case_manager=demo.users["klantmanager"]).count()
    assert 60 <= own <= 120
    assert qs.filter(user=demo.users["inwoner"]).count() == 1
    assert LadderStepChange.objects.filter(organisation=org).count() > 1_976
    assert ClientEvent.objects.filter(organisation=org, kind="handover").count() == 1
    # R-SEC-1: the demo income coach reads a handful of assigned clients, not all 1,976.
    coach_clients = selectors.clients_for(demo.users["inkomenscoach"])
    assert coach_clients.count() == 6
    assert set(coach_clients.values_list("case_manager", flat=True)) == {
        demo.users["klantmanager"].pk
    }


def test_demo_registers_a_client_with_brp_prefill(demo) -> None:
    """R-INT-3: in the demo klantmanager registered RvIG test person Marie Verstraten through
    the BRP stand-in: looked up with the registration's purpose, saved with the BRP's name,
    date of birth, address and municipality, and the differences with what was typed (a
    misspelt surname, a wrong date of birth) recorded on her timeline as corrected."""
    from opstap.audit.models import AuditRecord

    client = Client.objects.get(
        organisation=demo.organisation, client_number=BRP_DEMO_CLIENT_NUMBER
    )
    assert (client.bsn, client.first_name, client.last_name) == (
        BRP_DEMO_BSN,
        "Marie",
        "Verstraten",
    )
    assert client.date_of_birth == dt.date(1994, 11, 29)
    assert (client.street_address, client.postcode, client.city) == (
        "Zonegge 1",
        "6901KT",
        "Duiven",
    )
    assert client.municipality == demo.municipalities["Duiven"]
    assert client.case_manager == demo.users["klantmanager"]
    event = ClientEvent.objects.get(client=client, source="brp")
    assert event.summary == (
        "Persoonsgegevens overgenomen uit de BRP; verbeterd volgens de BRP: Achternaam, "
        "Geboortedatum"
    )
    assert event.data["verbeterd"] == ["last_name", "date_of_birth"]
    assert AuditRecord.objects.filter(
        object_type="brp_persoon",
        object_id=BRP_DEMO_BSN,
        purpose="BRP-bevraging: Klant inschrijven",
        result="ok",
        actor_username="klantmanager",
    ).exists()
