"""Scope policies of the steering app (R-SEC-1): targets, settings, survey waves and the AMR
list are organisation data without personal data; steering readers and the application
administrator see them (the organisation filter applies first)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from opstap.core.access import register_scope
from opstap.core.actor import Actor
from opstap.core.roles import Perm

from .models import (
    KpiExport,
    KpiSettings,
    KpiTarget,
    LabourMarketRegionProvider,
    SatisfactionResponse,
    SatisfactionSurveyWave,
)


def _steering(user: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if user.has_opstap_perm(Perm.STEERING_VIEW) or user.has_opstap_perm(Perm.ADMIN_CONFIGURE):
        return qs
    return qs.none()


for _model in (KpiTarget, KpiSettings, SatisfactionSurveyWave, LabourMarketRegionProvider):
    register_scope(_model)(_steering)


@register_scope(SatisfactionResponse)
def _own_answers(user: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    """A resident sees their own answers; staff see only the aggregates (R-KPI-6, R-PI-1),
    which the selectors compute without rows."""
    if user.has_opstap_perm(Perm.PORTAL_VIEW) and not user.has_opstap_perm(Perm.CLIENT_VIEW):
        return qs.filter(client__user_id=user.pk)
    return qs.none()


@register_scope(KpiExport)
def _own_exports(user: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    """A KPI report is opened only by the steering reader who asked for it (R-INT-4)."""
    if user.has_opstap_perm(Perm.STEERING_VIEW):
        return qs.filter(created_by_id=user.pk)
    return qs.none()
