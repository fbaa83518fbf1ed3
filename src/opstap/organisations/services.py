"""State changes of organisations and municipalities."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from opstap.core.errors import InvalidInputError

from .data_cache import ALL_ORGANISATIONS as ALL_ORGANISATIONS
from .data_cache import connect_organisation_data as connect_organisation_data
from .data_cache import organisation_data_changed as organisation_data_changed
from .models import Municipality, MunicipalityPopulation, Organisation


class OrganisationError(InvalidInputError):
    """A request about organisations that cannot be honoured; the message is for the user."""


@transaction.atomic
def organisation_create(*, name: str, slug: str) -> Organisation:
    name = name.strip()
    if not name:
        raise OrganisationError("Een organisatie heeft een naam nodig.")
    if Organisation.objects.filter(slug=slug).exists():
        raise OrganisationError(f"Er bestaat al een organisatie met korte naam '{slug}'.")
    return Organisation.objects.create(name=name, slug=slug)


@transaction.atomic
def municipality_create(
    *,
    organisation: Organisation,
    name: str,
    cbs_code: str,
    inhabitants: int | None = None,
    reference_date: dt.date | None = None,
) -> Municipality:
    cbs_code = cbs_code.strip().upper()
    if not (len(cbs_code) == 6 and cbs_code.startswith("GM") and cbs_code[2:].isdigit()):
        raise OrganisationError(
            f"CBS-gemeentecode '{cbs_code}' is ongeldig: verwacht GM gevolgd door 4 cijfers."
        )
    if Municipality.objects.for_organisation(organisation).filter(cbs_code=cbs_code).exists():
        raise OrganisationError(f"Gemeente met code {cbs_code} bestaat al in deze organisatie.")
    municipality = Municipality.objects.create(
        organisation=organisation, name=name.strip(), cbs_code=cbs_code
    )
    if inhabitants is not None:
        if reference_date is None:
            raise OrganisationError("Een inwonertal heeft een peildatum nodig.")
        municipality_set_population(
            municipality=municipality, reference_date=reference_date, inhabitants=inhabitants
        )
    return municipality


@transaction.atomic
def municipality_set_population(
    *, municipality: Municipality, reference_date: dt.date, inhabitants: int
) -> MunicipalityPopulation:
    if inhabitants < 0:
        raise OrganisationError("Het aantal inwoners kan niet negatief zijn.")
    population, _created = MunicipalityPopulation.objects.update_or_create(
        municipality=municipality,
        reference_date=reference_date,
        defaults={"inhabitants": inhabitants},
    )
    return population
