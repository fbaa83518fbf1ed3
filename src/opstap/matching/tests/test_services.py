"""Employers, vacancies, work profiles, weights and the chain match → proposal →
introduction → placement (R-MAT, R-TRJ-7, R-KPI-3), through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.models import Client, ClientEvent
from opstap.core.errors import ConflictError, DomainError, PermissionDeniedError, WorkflowError
from opstap.core.roles import RoleCode
from opstap.matching import selectors, services
from opstap.matching.models import Employer, MatchWeights, Placement, Vacancy
from opstap.notifications.models import Notification

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False):
        yield


def test_kvk_is_validated_and_unique(wsp: User, employer: Employer) -> None:
    with pytest.raises(DomainError) as bad:
        services.employer_create(actor=wsp, kvk_number="1234", name="X")
    assert bad.value.field == "kvk_number" and "8 cijfers" in bad.value.message
    with pytest.raises(ConflictError):
        services.employer_create(actor=wsp, kvk_number="6900 1234", name="Dubbel")


def test_only_the_wsp_manages_employers(km: User) -> None:
    with pytest.raises(PermissionDeniedError):
        services.employer_create(actor=km, kvk_number="69001235", name="X")


def test_vacancy_validation_names_the_field(wsp: User, employer: Employer) -> None:
    base = dict(title="Kok", occupation="5120", hours_min=20, hours_max=30, postcode="6921 AB")
    for change, field in (
        ({"occupation": "0000"}, "occupation"),
        ({"hours_min": "veel"}, "hours_min"),
        ({"hours_max": 10}, "hours_max"),
        ({"postcode": "abc"}, "postcode"),
        ({"start_date": "31-02-2027"}, "start_date"),
        ({"demands": ["vliegen"]}, "demands"),
    ):
        with pytest.raises(DomainError) as exc:
            services.vacancy_create(actor=wsp, employer=employer, **{**base, **change})
        assert exc.value.field == field, change
    assert not Vacancy.objects.exists()


def test_partial_update_changes_only_what_was_given(wsp: User, vacancy: Vacancy) -> None:
    services.vacancy_update(actor=wsp, vacancy=vacancy, hours_max=36)
    vacancy.refresh_from_db()
    assert (vacancy.hours_min, vacancy.hours_max, vacancy.title) == (24, 36, "Orderpicker")
    with pytest.raises(DomainError):
        services.vacancy_update(actor=wsp, vacancy=vacancy, hours_max=10)


def test_vacancy_workflow(wsp: User, vacancy: Vacancy) -> None:
    services.vacancy_transition(actor=wsp, vacancy=vacancy, action="withdraw")
    with pytest.raises(WorkflowError, match="Ingetrokken"):
        services.vacancy_transition(actor=wsp, vacancy=vacancy, action="fill")
    v = services.vacancy_transition(actor=wsp, vacancy=vacancy, action="reopen")
    assert v.state == "open"


def test_profile_reads_eligibility_from_the_record(
    make_candidate: Callable[..., Client], km: User
) -> None:
    """Facts from the record: LDR, NBW, LKS and the hour restriction are not in the profile."""
    client = make_candidate(ldr_registered=True, hour_restriction=20, lks_status="active")
    facts = selectors.candidate_facts(selectors.visible_profiles(km))
    f = next(x for x in facts if x.client_id == client.pk)
    assert f.ldr_registered and f.lks_eligible and f.hour_restriction == 20
    with pytest.raises(DomainError):
        services.work_profile_save(actor=km, client=client, ldr_registered=False)
    assert ClientEvent.objects.filter(client=client, kind="matching").exists()


def test_candidates_only_within_scope(
    make_candidate: Callable[..., Client],
    vacancy: Vacancy,
    km: User,
    wsp: User,
    make_user: Callable[..., User],
) -> None:
    """R-SEC-1: candidates come only from clients the user may see; the WSP sees only shared
    profiles; a care-unit case manager sees none of Unit Werk."""
    shared = make_candidate({"shared_with_wsp": True})
    private = make_candidate()
    care = make_user(RoleCode.CASE_MANAGER, username="km-zorg")
    from opstap.clients.services import case_manager_set_unit

    case_manager_set_unit(user=care, unit="care")
    ids = lambda u: {m.client.pk for m in selectors.candidates_for_vacancy(user=u, vacancy=vacancy)}  # noqa: E731
    assert ids(km) == {shared.pk, private.pk}
    assert ids(wsp) == {shared.pk}
    assert ids(care) == set()


def test_ranking_explains_and_orders(
    make_candidate: Callable[..., Client], vacancy: Vacancy, km: User
) -> None:
    good = make_candidate()
    short = make_candidate({"hours_available": 12})
    far = make_candidate({"max_distance_km": 5}, postcode="7041 AA")
    ranked = selectors.candidates_for_vacancy(user=km, vacancy=vacancy)
    assert [m.client.pk for m in ranked] == [good.pk, short.pk, far.pk]
    hours = {c.criterion.value: c for c in ranked[1].result.criteria}["hours"]
    assert not hours.matched and "12 uur te weinig" in hours.explanation


def test_weights_are_editable_and_audited(
    admin_user: User, km: User, make_candidate: Callable[..., Client], vacancy: Vacancy
) -> None:
    with pytest.raises(PermissionDeniedError):
        services.match_weights_update(actor=km, weights={"hours": 50})
    with pytest.raises(DomainError) as exc:
        services.match_weights_update(actor=admin_user, weights={"hours": 500})
    assert exc.value.field == "hours"
    services.match_weights_update(actor=admin_user, weights={"hours": 50})
    assert MatchWeights.objects.get().weights["hours"] == 50
    record = AuditRecord.objects.filter(object_type="match_weights").get()
    assert record.changes == {"hours": [15, 50]}
    make_candidate()
    assert selectors.candidates_for_vacancy(user=km, vacancy=vacancy)[0].result.max_points == 135


def test_chain_to_placement_notifies_and_counts(
    make_candidate: Callable[..., Client], vacancy: Vacancy, km: User, wsp: User
) -> None:
    """R-MAT: proposal → introduction → placement; each step tells the next person and is on
    the client's timeline; the placement fills the vacancy and counts for R-KPI-3."""
    client = make_candidate({"shared_with_wsp": True})
    proposal = services.proposal_create(actor=km, vacancy=vacancy, client=client)
    assert proposal.score > 80 and proposal.explanation[0]["criterion"] == "occupation"
    assert Notification.objects.filter(recipient=wsp, title__contains="voorgedragen").exists()
    with pytest.raises(ConflictError):
        services.proposal_create(actor=km, vacancy=vacancy, client=client)
    with pytest.raises(DomainError) as early:
        services.proposal_introduction_plan(actor=wsp, proposal=proposal, on="01-01-2020")
    assert early.value.field == "introduction_on"
    services.proposal_introduction_plan(actor=wsp, proposal=proposal, on="20-11-2026")
    assert Notification.objects.filter(recipient=km, title__contains="Kennismaking").exists()
    with pytest.raises(WorkflowError):
        services.placement_record(
            actor=wsp,
            proposal=proposal,
            start_date="01-12-2026",
            hours_per_week=24,
            contract_type="fixed",
        )
    services.proposal_introduction_record(actor=wsp, proposal=proposal, positive=True)
    with pytest.raises(DomainError) as before:
        services.placement_record(
            actor=wsp,
            proposal=proposal,
            start_date="01-11-2026",
            hours_per_week=24,
            contract_type="fixed",
        )
    assert before.value.field == "start_date"
    placement = services.placement_record(
        actor=wsp,
        proposal=proposal,
        start_date="01-12-2026",
        hours_per_week=24,
        contract_type="fixed",
        contract_months=12,
    )
    vacancy.refresh_from_db()
    assert vacancy.state == "filled"
    assert Notification.objects.filter(recipient=km, title__startswith="Geplaatst").exists()
    summaries = list(
        ClientEvent.objects.filter(client=client, kind="matching").values_list("summary", flat=True)
    )
    assert any(s.startswith("Geplaatst") for s in summaries)
    assert any(s.startswith("Voorgedragen") for s in summaries)
    ids = selectors.wsp_placement_client_ids(
        organisation_id=client.organisation_id, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    assert list(ids) == [{"client_id": client.pk}]
    assert Placement.objects.get() == placement


def test_placement_respects_hour_restriction(
    make_candidate: Callable[..., Client], vacancy: Vacancy, km: User
) -> None:
    client = make_candidate(hour_restriction=16)
    p = services.proposal_create(actor=km, vacancy=vacancy, client=client)
    services.proposal_introduction_plan(actor=km, proposal=p, on="20-11-2026")
    services.proposal_introduction_record(actor=km, proposal=p, positive=True)
    with pytest.raises(DomainError) as exc:
        services.placement_record(
            actor=km, proposal=p, start_date="01-12-2026", hours_per_week=24, contract_type="fixed"
        )
    assert exc.value.field == "hours_per_week" and "urenbeperking" in exc.value.message


def test_placement_via_provider_needs_its_trajectory(
    make_candidate: Callable[..., Client], vacancy: Vacancy, km: User, provider_a: Any
) -> None:
    client = make_candidate()
    p = services.proposal_create(actor=km, vacancy=vacancy, client=client)
    services.proposal_introduction_plan(actor=km, proposal=p, on="20-11-2026")
    services.proposal_introduction_record(actor=km, proposal=p, positive=True)
    with pytest.raises(DomainError) as exc:
        services.placement_record(
            actor=km,
            proposal=p,
            start_date="01-12-2026",
            hours_per_week=24,
            contract_type="fixed",
            via="provider",
            provider=provider_a,
        )
    assert exc.value.field == "provider"


def test_import_is_all_or_nothing_with_line_errors(wsp: User, employer: Employer) -> None:
    from opstap.matching.importer import read_rows

    data = (
        b"kvk;functie;isco;uren_min;uren_max;postcode;opleiding;lks\n"
        b"69001234;Orderpicker;9333;24;32;6902 AB;mbo1;ja\n"
        b"69001234;Kok;9999;24;32;6902 AB;;nee\n"
        b"12345678;Chauffeur;8332;24;40;6921 AB;;\n"
        b"69001234;Schoonmaker;9112;20;10;6921 AB;;misschien\n"
    )
    created, errors = services.vacancy_import(actor=wsp, rows=read_rows("v.csv", data))
    assert created == 0 and not Vacancy.objects.exists()
    assert [(line, col) for line, col, _m in errors] == [(3, "isco"), (4, "kvk"), (5, "lks")]
    good = b"kvk;functie;isco;uren_min;uren_max;postcode\n69001234;Orderpicker;9333;24;32;6902 AB\n"
    assert services.vacancy_import(actor=wsp, rows=read_rows("v.csv", good)) == (1, [])


def test_import_reads_work_demands_in_dutch(wsp: User, employer: Employer) -> None:
    """R-MAT: the WSP writes the work demands in Dutch ("tillen, nachtdiensten", or the full
    name); the internal codes of older files still read. An unknown word is a Dutch line
    error that lists the words to choose from, and nothing is read in."""
    from opstap.matching.importer import DEMAND_WORDS, read_rows

    head = b"kvk;functie;isco;uren_min;uren_max;postcode;werkbelasting\n"
    data = head + (
        b"69001234;Orderpicker;9333;24;32;6902 AB;Tillen, nachtdiensten\n"
        b"69001234;Kok;5120;24;32;6902 AB;werken op hoogte;\n"
        b"69001234;Schoonmaker;9112;20;32;6921 AB;time_pressure\n"
    )
    assert services.vacancy_import(actor=wsp, rows=read_rows("v.csv", data)) == (3, [])
    demands = dict(Vacancy.objects.values_list("title", "demands"))
    assert sorted(demands["Orderpicker"]) == ["night_shifts", "physical"]
    assert demands["Kok"] == ["heights"]
    assert demands["Schoonmaker"] == ["time_pressure"]

    bad = head + b"69001234;Heftruckchauffeur;8344;24;32;6902 AB;tillen, zwaar\n"
    created, errors = services.vacancy_import(actor=wsp, rows=read_rows("v.csv", bad))
    assert created == 0
    ((line, column, message),) = errors
    assert (line, column) == (2, "werkbelasting")
    assert "'zwaar'" in message
    assert all(word in message for word in DEMAND_WORDS.values())


def test_vacancy_start_date_more_than_a_year_back_is_a_typo(wsp: User, employer: Employer) -> None:
    """R-SEC-6: a start date of 01-01-1900 was stored; a recent date ("per direct") still
    is fine, and a vacancy saved again later with the start date it has is not refused."""
    import datetime as dt

    import time_machine

    base = dict(title="Kok", occupation="5120", hours_min=20, hours_max=30, postcode="6921 AB")
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False):
        with pytest.raises(DomainError) as exc:
            services.vacancy_create(actor=wsp, employer=employer, start_date="01-01-1900", **base)
        assert exc.value.field == "start_date" and "jaar terug" in exc.value.message
        vacancy = services.vacancy_create(
            actor=wsp, employer=employer, start_date="01-10-2026", **base
        )
    with time_machine.travel(dt.datetime(2028, 1, 10, 10, tzinfo=dt.UTC), tick=False):
        services.vacancy_update(actor=wsp, vacancy=vacancy, start_date="01-10-2026", hours_max=32)
        vacancy.refresh_from_db()
        assert (vacancy.start_date, vacancy.hours_max) == (dt.date(2026, 10, 1), 32)
        with pytest.raises(DomainError):
            services.vacancy_update(actor=wsp, vacancy=vacancy, start_date="02-10-2026")
