"""Reads of organisations and municipalities, always scoped by organisation."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, QuerySet, Subquery

from .data_cache import organisation_data as organisation_data
from .data_cache import organisation_data_for_user as organisation_data_for_user
from .models import Municipality, MunicipalityPopulation, Organisation


def municipalities_for(
    organisation: Organisation | int, *, on: dt.date | None = None
) -> QuerySet[Municipality]:
    """Municipalities of an organisation, annotated with the inhabitants valid on `on`
    (the latest reference date on or before it; the latest overall when `on` is None)."""
    populations = MunicipalityPopulation.objects.filter(municipality=OuterRef("pk"))
    if on is not None:
        populations = populations.filter(reference_date__lte=on)
    latest = populations.order_by("-reference_date")
    return (
        Municipality.objects.for_organisation(organisation)
        .annotate(
            inhabitants=Subquery(latest.values("inhabitants")[:1]),
            population_reference_date=Subquery(latest.values("reference_date")[:1]),
        )
        .order_by("name")
    )


def municipalities_of(organisation_id: int) -> QuerySet[Municipality]:
    """The organisation's municipalities as they are (for choices and look-ups)."""
    return Municipality.objects.filter(organisation_id=organisation_id)


def municipality_named(organisation_id: int, name: str) -> Municipality | None:
    """The organisation's municipality with this name (case-insensitive), if any."""
    return municipalities_of(organisation_id).filter(name__iexact=name.strip()).first()


def organisations_all() -> QuerySet[Organisation]:
    """Every tenant, for system jobs that run per organisation (never for a user's page)."""
    return Organisation.objects.all()


def organisation_ids(only: int | None = None) -> list[int]:
    """The organisations a system job runs for: `only` when given (a command's
    `--organisation`), else every tenant."""
    return [only] if only else list(organisations_all().values_list("pk", flat=True))


def organisation_by_slug(slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


def organisation_row(organisation_id: int) -> QuerySet[Organisation]:
    """The organisation's own row, to hang per-organisation settings on in one query."""
    return Organisation.objects.filter(pk=organisation_id)
