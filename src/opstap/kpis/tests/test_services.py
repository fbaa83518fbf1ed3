"""Targets, settings and survey waves are validated and audited (R-KPI, R-KPI-1, R-KPI-6)."""

from __future__ import annotations

import datetime as dt

import pytest

from opstap.audit.models import AuditRecord
from opstap.kpis import services
from opstap.kpis.formulas import KpiCode
from opstap.kpis.services import KpiError


@pytest.mark.parametrize(
    ("kpi", "target", "field"),
    [
        (KpiCode.ACTIVE_GUIDANCE_WORK, "101", "target"),  # a share above 100%
        (KpiCode.SATISFACTION, "11", "target"),  # a mark above 10
        (KpiCode.WERKFIT, "-1", "target"),  # a negative count
        (KpiCode.WERKFIT, "veel", "target"),
        ("onbekend", "1", "kpi"),
    ],
)
def test_target_validation(org, kpi: str, target: str, field: str) -> None:
    """R-KPI: targets are data, but only sensible data."""
    with pytest.raises(KpiError) as exc:
        services.kpi_target_set(actor=None, organisation=org, kpi=kpi, year=2026, target=target)
    assert exc.value.field == field


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("8,25", "8.3"), ("8,35", "8.4"), ("8,24", "8.2"), ("7", "7.0")],
)
def test_a_typed_score_or_target_is_rounded_half_up(typed: str, kept: str) -> None:
    """R-KPI-6 (a satisfaction mark such as 8,2) and R-KPI targets: one decimal, rounded
    half up as every number in Opstap (`core.money.round_half_up`). The KPI service rounded
    with its own `quantize`, half to even: 8,25 became 8,2."""
    from decimal import Decimal

    assert services.survey_wave_check(
        organisation=None, name="KBO", score=typed, respondents=10
    ) == Decimal(kept)
    _definition, target = services.kpi_target_check(
        kpi=KpiCode.SATISFACTION, year=2026, target=typed
    )
    assert target == Decimal(kept)


def test_a_number_too_large_to_hold_is_refused_at_its_field() -> None:
    """R-KPI, no input may produce a 5xx: a target of 40 digits raised
    decimal.InvalidOperation out of the service; it is refused at the field."""
    with pytest.raises(KpiError) as refused:
        services.kpi_target_check(kpi=KpiCode.WERKFIT, year=2026, target="1" * 40)
    assert (refused.value.field, refused.value.message) == ("target", "Vul een getal in.")


def test_target_update_is_audited_with_old_and_new_value(org) -> None:
    """R-KPI: a changed target keeps its history in the audit trail."""
    services.kpi_target_set(
        actor=None, organisation=org, kpi=KpiCode.WERKFIT, year=2026, target=200
    )
    row = services.kpi_target_set(
        actor=None, organisation=org, kpi=KpiCode.WERKFIT, year=2026, target="210,5"
    )
    assert row.target == pytest.approx(210.5)
    last = AuditRecord.objects.filter(object_type="kpi_target").order_by("-id").first()
    assert last is not None and last.changes == {"target": ["200.0", "210.5"]}


def test_window_and_survey_validation(org, other_org) -> None:
    """R-KPI-1: window 1-24 months; R-KPI-6: score 1-10, respondents, own municipality."""
    with pytest.raises(KpiError):
        services.kpi_settings_update(actor=None, organisation=org, activity_window_months=0)
    with pytest.raises(KpiError):
        services.survey_wave_record(
            actor=None,
            organisation=org,
            name="KBO",
            held_on=dt.date(2026, 1, 1),
            score="10.5",
            respondents=10,
        )
    from opstap.organisations.models import Municipality

    foreign = Municipality.objects.filter(organisation=other_org).first()
    with pytest.raises(KpiError):
        services.survey_wave_record(
            actor=None,
            organisation=org,
            name="KBO",
            held_on=dt.date(2026, 1, 1),
            score="8",
            respondents=10,
            municipality=foreign,
        )
