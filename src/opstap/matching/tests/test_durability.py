"""The durability check of a placement the WSP made through matching without a trajectory
(R-TRJ-7, R-KPI-4): checked 6 months after the start by the daily job (the case manager is
asked once), answered by the case manager with validation, and counted in R-KPI-4 like a
trajectory's outcome (live, trend, drill-down)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.models import Client, ClientEvent
from opstap.core.errors import DomainError
from opstap.kpis import selectors as kpi_selectors
from opstap.kpis.formulas import KpiCode
from opstap.matching import services
from opstap.matching.models import Placement, Vacancy
from opstap.notifications.models import Notification

START = dt.date(2026, 3, 2)
CHECK_DAY = dt.date(2026, 9, 2)  # start + 6 months (R-TRJ-7)


def _at(day: dt.date) -> Any:
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC), tick=False
    )


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with _at(START):
        yield


def _place_wsp(km: User, vacancy: Vacancy, client: Client, start: dt.date = START) -> Placement:
    """A placement via the WSP (no trajectory), made through the services on `start`."""
    p = services.proposal_create(actor=km, vacancy=vacancy, client=client)
    services.proposal_introduction_plan(actor=km, proposal=p, on=start)
    services.proposal_introduction_record(actor=km, proposal=p, positive=True)
    return services.placement_record(
        actor=km, proposal=p, start_date=start, hours_per_week=24, contract_type="fixed"
    )


def _durable_counts(org: Any, today: dt.date) -> tuple[int, int | None]:
    ctx = kpi_selectors.kpi_context(
        organisation_id=org.pk, filters=kpi_selectors.KpiFilters(year=today.year), today=today
    )
    counts = kpi_selectors.kpi_counts(ctx)[KpiCode.DURABLE_PLACEMENTS]
    return counts.numerator, counts.denominator


def test_reproduction_wsp_placement_gets_a_durability_check(
    km: User, vacancy: Vacancy, make_candidate: Callable[..., Client]
) -> None:
    """R-TRJ-7, R-KPI-4 (the finding): a placement the WSP made without a trajectory was
    counted in R-KPI-3 but never checked for durability, so R-KPI-4 left it out. When 6
    months have passed, the daily job asks the client's case manager (once)."""
    client = make_candidate()
    _place_wsp(km, vacancy, client)
    with _at(CHECK_DAY):
        call_command(
            "send_deadline_notifications", "--date", CHECK_DAY.isoformat(), stdout=StringIO()
        )
        call_command(
            "send_deadline_notifications", "--date", CHECK_DAY.isoformat(), stdout=StringIO()
        )
    asked = Notification.objects.filter(recipient=km, title__contains="duurzaam")
    assert asked.count() == 1
    assert client.full_name in asked.get().title


def _vacancy(wsp: User, employer: Any, title: str) -> Vacancy:
    return services.vacancy_create(
        actor=wsp,
        employer=employer,
        title=title,
        occupation="9333",
        hours_min=24,
        hours_max=32,
        postcode="6902 AB",
        required_skills="orderpicken",
        education="mbo1",
        contract_type="fixed",
        contract_months=12,
    )


def test_check_day_is_set_when_the_placement_is_recorded(
    km: User, vacancy: Vacancy, make_candidate: Callable[..., Client]
) -> None:
    """R-TRJ-7: the same rule as a trajectory's outcome: checked 6 months after the start."""
    placement = _place_wsp(km, vacancy, make_candidate())
    assert placement.durability_check_on == CHECK_DAY
    assert placement.durability == "" and placement.durability_open


def test_job_asks_once_and_decides_from_a_known_last_day(
    km: User, wsp: User, employer: Any, vacancy: Vacancy, make_candidate: Callable[..., Client]
) -> None:
    """R-TRJ-7: before the check day nothing happens; on it the case manager is asked once
    (with a link to the client's "Passend werk", where the answer is recorded); a placement
    whose last day is known is decided without asking."""
    from opstap.trajectories.services import durability_checks_run

    asked = _place_wsp(km, vacancy, make_candidate())
    ended = _place_wsp(km, _vacancy(wsp, employer, "Magazijnmedewerker"), make_candidate())
    Placement.objects.filter(pk=ended.pk).update(last_day_of_employment=dt.date(2026, 6, 30))
    assert services.placements_check_durability(on=CHECK_DAY - dt.timedelta(days=1)) == 0
    assert durability_checks_run(on=CHECK_DAY) == 2
    assert durability_checks_run(on=CHECK_DAY + dt.timedelta(days=1)) == 0  # idempotent
    asked.refresh_from_db()
    ended.refresh_from_db()
    assert asked.durability == "" and asked.durability_asked_on == CHECK_DAY
    assert ended.durability == "not_durable" and ended.durability_asked_on is None
    note = Notification.objects.get(recipient=km, title__contains="duurzaam")
    assert note.url == f"/werk/klanten/{asked.client_id}/"


@pytest.mark.parametrize(
    ("on", "answer", "message"),
    [
        # the last day lies before the placement's start
        (CHECK_DAY, {"last_day_of_employment": "01-03-2026"}, "vóór de start van de plaatsing"),
        # the last day lies in the future
        (
            dt.date(2026, 5, 1),
            {"last_day_of_employment": "02-05-2026"},
            "De laatste werkdag ligt in de toekomst",
        ),
        # still employed, but 6 months have not passed yet
        (dt.date(2026, 9, 1), {"still_employed": True}, "pas op 02-09-2026 6 maanden oud"),
        # neither answer, or both
        (CHECK_DAY, {}, "niet allebei"),
        (
            CHECK_DAY,
            {"last_day_of_employment": "01-06-2026", "still_employed": True},
            "niet allebei",
        ),
        # not a date
        (CHECK_DAY, {"last_day_of_employment": "31-02-2026"}, "dd-mm-jjjj"),
    ],
)
def test_answer_refuses_wrong_dates_in_dutch(
    km: User,
    vacancy: Vacancy,
    make_candidate: Callable[..., Client],
    on: dt.date,
    answer: dict[str, Any],
    message: str,
) -> None:
    """R-TRJ-7, R-SEC-6: the answer is checked against the facts (not before the start, not
    in the future, "still employed" only after 6 months), refused with a Dutch message, and
    nothing is written."""
    placement = _place_wsp(km, vacancy, make_candidate())
    with _at(on), pytest.raises(DomainError, match=message):
        services.placement_durability_record(actor=km, placement=placement, **answer)
    placement.refresh_from_db()
    assert placement.durability == "" and placement.last_day_of_employment is None


def test_answer_records_verdict_event_and_audit(
    km: User, wsp: User, employer: Any, vacancy: Vacancy, make_candidate: Callable[..., Client]
) -> None:
    """R-TRJ-7: an early end is known as not durable at once; "still employed" after 6 months
    is durable; each answer writes a timeline event and an audit line. Only someone who may
    change the client answers (the WSP adviser may not), and only once."""
    early = _place_wsp(km, vacancy, make_candidate())
    lasting = _place_wsp(km, _vacancy(wsp, employer, "Heftruckchauffeur"), make_candidate())
    with _at(dt.date(2026, 6, 10)):
        with pytest.raises(DomainError, match="geen recht"):
            services.placement_durability_record(
                actor=wsp, placement=early, last_day_of_employment="31-05-2026"
            )
        services.placement_durability_record(
            actor=km, placement=early, last_day_of_employment="31-05-2026"
        )
    with _at(CHECK_DAY):
        services.placement_durability_record(actor=km, placement=lasting, still_employed=True)
        with pytest.raises(DomainError, match="al vastgesteld"):
            services.placement_durability_record(actor=km, placement=lasting, still_employed=True)
    early.refresh_from_db()
    lasting.refresh_from_db()
    assert (early.durability, early.last_day_of_employment) == (
        "not_durable",
        dt.date(2026, 5, 31),
    )
    assert (lasting.durability, lasting.last_day_of_employment) == ("durable", None)
    for p in (early, lasting):
        assert AuditRecord.objects.filter(
            object_type="placement", object_id=str(p.pk), action="update", client_id=p.client_id
        ).exists()
        assert ClientEvent.objects.filter(client_id=p.client_id, data__action="durability").exists()


def test_r_kpi_4_counts_wsp_placements(
    org: Any,
    km: User,
    wsp: User,
    employer: Any,
    vacancy: Vacancy,
    make_candidate: Callable[..., Client],
) -> None:
    """R-KPI-4: a placement via the WSP with a decided durability counts in the numerator
    (durable) and the denominator (decided), dated at its check day: in the live counts, the
    detail, the trend and the drill-down to the clients; an undecided one counts in neither."""
    durable_client, ended_client, open_client = (make_candidate() for _ in range(3))
    lasting = _place_wsp(km, vacancy, durable_client)
    ended = _place_wsp(km, _vacancy(wsp, employer, "Inpakker"), ended_client)
    _place_wsp(km, _vacancy(wsp, employer, "Chauffeur"), open_client)
    today = dt.date(2026, 11, 20)
    assert _durable_counts(org, today) == (0, 0)
    with _at(dt.date(2026, 7, 1)):
        services.placement_durability_record(
            actor=km, placement=ended, last_day_of_employment="30-06-2026"
        )
    with _at(CHECK_DAY):
        services.placement_durability_record(actor=km, placement=lasting, still_employed=True)
    assert _durable_counts(org, dt.date(2026, 9, 1)) == (0, 0)  # dated at the check day
    assert _durable_counts(org, today) == (1, 2)
    with _at(today):
        ctx = kpi_selectors.kpi_context(
            organisation_id=org.pk, filters=kpi_selectors.KpiFilters(year=2026), today=today
        )
        result = kpi_selectors.kpi_result(ctx, KpiCode.DURABLE_PLACEMENTS)
        assert (result.counts.numerator, result.counts.denominator) == (1, 2)
        september = [p for p in kpi_selectors.trend(ctx, KpiCode.DURABLE_PLACEMENTS)][-3]
        assert (september.month, september.numerator, september.denominator) == (
            dt.date(2026, 9, 1),
            1,
            2,
        )

        def drill(part: str) -> set[int]:
            return set(
                kpi_selectors.drilldown_clients(
                    user=km, ctx=ctx, code=KpiCode.DURABLE_PLACEMENTS, part=part
                ).values_list("pk", flat=True)
            )

        assert drill("teller") == {durable_client.pk}
        assert drill("noemer") == {durable_client.pk, ended_client.pk}
        assert drill("rest") == {ended_client.pk}
        # R-KPI-3 still counts all three placements, once each.
        assert kpi_selectors.kpi_counts(ctx)[KpiCode.PLACEMENTS].numerator == 3


def _http(user: User) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_page_shows_the_form_and_records_the_answer(
    km: User,
    wsp: User,
    employer: Any,
    vacancy: Vacancy,
    make_candidate: Callable[..., Client],
    django_assert_max_num_queries: Any,
) -> None:
    """R-TRJ-7: "Passend werk" shows the durability of a placement via the WSP and a small
    form for the answer; a wrong date comes back beside the field in Dutch; the page does
    not grow in queries with the number of placements (no N+1)."""
    client = make_candidate()
    placement = _place_wsp(km, vacancy, client)
    url = f"/werk/klanten/{client.pk}/"
    with _at(CHECK_DAY):
        http = _http(km)  # logged in on the day (staff sessions time out when idle)
        http.get(url)
        with CaptureQueriesContext(connection) as one:
            html = http.get(url).content.decode()
        one_placement = len(one.captured_queries)
        assert one_placement <= 40
        assert "Duurzaamheid vastleggen" in html and "controle op 02-09-2026" in html
        with _at(START):
            for title in ("Inpakker", "Chauffeur"):
                _place_wsp(km, _vacancy(wsp, employer, title), client)
        http = _http(km)
        http.get(url)
        with django_assert_max_num_queries(one_placement):
            html = http.get(url).content.decode()
        assert html.count("Duurzaamheid vastleggen") == 3
        step = f"/werk/voordrachten/{placement.proposal_id}/duurzaamheid/"
        wrong = http.post(step, {"last_day_of_employment": "01-01-2026", "terug": "klant"})
        assert wrong.status_code == 200
        assert "vóór de start van de plaatsing" in wrong.content.decode()
        done = http.post(step, {"still_employed": "on", "terug": "klant"})
        assert done.status_code == 302 and done["Location"] == url
        placement.refresh_from_db()
        assert placement.durability == "durable"
        assert "Duurzame plaatsing" in http.get(url).content.decode()
