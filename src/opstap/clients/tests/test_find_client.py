"""Finding a client on "Mijn caseload" as a case manager types it (R-CLI-1, R-CLI-3): a full
name finds that person, a name written as lists write it finds them too, a mistyped BSN is
called mistyped, and a filter that cannot be read never widens the list to the whole unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient

from opstap.clients.services import case_manager_set_unit
from opstap.core.roles import RoleCode

from .factories import make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org, case_manager, make_user):
    case_manager_set_unit(user=case_manager, unit="work")
    colleague = make_user(RoleCode.CASE_MANAGER, username="km-collega")
    case_manager_set_unit(user=colleague, unit="work")
    mine = [
        make_client(org, case_manager=case_manager, first_name=f, last_name_prefix=p, last_name=la)
        for f, p, la in [
            ("Samira", "", "Bakkali"),
            ("Ayse", "", "Bakkali"),
            ("Samira", "", "Öztürk"),
            ("Sandra", "van den", "Berg"),
            ("Piet", "", "Vandenberg"),
        ]
    ]
    theirs = make_client(org, case_manager=colleague, first_name="Kees", last_name="Colleganummer")
    return {c.last_name + c.first_name: c for c in [*mine, theirs]}


def _names(http: HttpClient, url: str) -> str:
    response = http.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("typed", "found", "not_found"),
    [
        ("Samira Bakkali", ["BakkaliSamira"], ["BakkaliAyse", "ÖztürkSamira"]),
        ("bakkali samira", ["BakkaliSamira"], ["BakkaliAyse", "ÖztürkSamira"]),
        ("Berg, Sandra van den", ["BergSandra"], ["VandenbergPiet"]),
        ("Sandra van den Berg", ["BergSandra"], ["VandenbergPiet"]),
        ("öztürk", ["ÖztürkSamira"], ["BakkaliSamira"]),
        # Typed without the dots (a Dutch keyboard has none) or in capitals: still Öztürk.
        ("Ozturk", ["ÖztürkSamira"], ["BakkaliSamira"]),
        ("samira OZTÜRK", ["ÖztürkSamira"], ["BakkaliSamira"]),
        # A word never matches across two parts of the name ("n d" in "van den").
        ("vanden", ["VandenbergPiet"], ["BergSandra"]),
        ("Bakkali", ["BakkaliSamira", "BakkaliAyse"], ["ÖztürkSamira"]),
    ],
)
def test_a_full_name_finds_that_person(case_manager, people, typed, found, not_found) -> None:
    """R-CLI-3: every word typed must be in the name (first name, prefix or surname). The
    search OR-ed the words: "Samira Bakkali" listed every Samira and every Bakkali, and a
    common prefix ("van") listed half the caseload; "öztürk" found nobody on SQLite, and
    "Ozturk" (typed without the dots) found nobody on either engine."""
    http = HttpClient()
    http.force_login(case_manager)
    html = _names(http, f"/klanten/?q={typed}")
    for key in found:
        assert people[key].client_number in html, (typed, key)
    for key in not_found:
        assert people[key].client_number not in html, (typed, key)


def test_an_unreadable_search_does_not_list_the_whole_unit(case_manager, people) -> None:
    """R-CLI-3: a search of 300 characters failed the form, and then every filter was dropped:
    "Mijn caseload" listed the whole unit (1,036 clients in the demo) under the error. Now the
    error shows and no name matches; an unknown case manager is "my own clients"."""
    http = HttpClient()
    http.force_login(case_manager)
    html = _names(http, "/klanten/?q=" + "x" * 300)
    assert "0 klanten gevonden" in html
    assert "niet meer dan 100 tekens" in html  # the field says what is wrong
    html = _names(http, "/klanten/?klantmanager=999999")
    assert people["BakkaliSamira"].client_number in html
    assert people["ColleganummerKees"].client_number not in html


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("trede=9", "Kies een trede uit de lijst."),
        ("doelgroep=xx", "Kies een doelgroep uit de lijst."),
    ],
)
def test_a_filter_value_not_in_its_list_is_named_by_the_list(case_manager, people, query, said):
    """R-CLI-3: an old link with ?trede=9 said 'Selecteer een geldige keuze. 9 is geen
    beschikbare keuze.' (Django's words, with the raw value); the field now says what to
    choose, and the other filters keep applying."""
    http = HttpClient()
    http.force_login(case_manager)
    html = _names(http, f"/klanten/?{query}&q=Bakkali")
    assert said in html and "Selecteer een geldige keuze" not in html
    assert people["BakkaliSamira"].client_number in html
    assert people["BergSandra"].client_number not in html


@pytest.mark.parametrize("typed", ["123456789", "12345678a", "1234567890", "abc"])
def test_a_mistyped_bsn_is_called_mistyped(case_manager, people, typed) -> None:
    """R-CLI-1: a BSN failing the 11-check (or not nine digits) gets "het BSN is ongeldig ...
    elfproef", not "no client found with this BSN", which sent the user looking for a client
    under a number that cannot exist; what was typed stays in the field."""
    http = HttpClient()
    http.force_login(case_manager)
    html = http.post("/klanten/zoeken-op-bsn/", {"bsn": typed}).content.decode()
    assert "elfproef" in html
    assert "Geen klant gevonden" not in html
    assert f'value="{typed}"' in html


def test_a_valid_bsn_typed_with_spaces_is_found(case_manager, people) -> None:
    """R-CLI-1: "123 456 782" is how a BSN is read out over the phone."""
    client = people["BakkaliSamira"]
    http = HttpClient()
    http.force_login(case_manager)
    spaced = f"{client.bsn[:3]} {client.bsn[3:6]} {client.bsn[6:]}"
    html = http.post("/klanten/zoeken-op-bsn/", {"bsn": spaced}).content.decode()
    assert client.client_number in html


def test_the_name_search_is_an_index_search_on_postgresql(case_manager, people) -> None:
    """Issue 18 (an index for every filter): on PostgreSQL the search's folded name is the
    expression of the trigram index of migration 0014, so the planner can answer a name
    search from it instead of reading every client in the case manager's scope (the old
    search OR-ed nine ILIKEs per word and compared UPPER() of every client number). With
    sequential scans off, the plan of the bare name condition must name that index (on a test
    database this small the planner would rightly read the table); a change to the expression
    in `name_words_q` that the index does not hold fails here. At city scale the caseload
    search uses it by itself (`bench/`: 'caseload page, name search'). On SQLite the fold is
    a function of the connection and there is no such index."""
    from django.db import connection

    from opstap.clients.models import Client
    from opstap.clients.selectors import CaseloadFilters, caseload_list, name_words_q

    qs = caseload_list(
        user=case_manager, filters=CaseloadFilters(text="Sandra Berg"), on=dt.date(2026, 12, 1)
    )
    assert [c.last_name for c in qs] == ["Berg"]
    if connection.vendor != "postgresql":
        return
    sql, params = Client.objects.filter(name_words_q("Sandra Berg")).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "client_folded_name_trgm" in plan, plan
