"""Network settings of an organisation (thresholds of R-NET-8 and R-NET-9)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from opstap.accounts.models import User
from opstap.organisations.models import Organisation
from opstap.providers.models import NetworkSettings

from ._common import ProviderError, _require_same_org

__all__ = ["network_settings_update"]


@transaction.atomic
def network_settings_update(
    *, actor: User, organisation: Organisation, **values: int | bool
) -> NetworkSettings:
    _require_same_org(actor, organisation.pk)
    row, _created = NetworkSettings.objects.get_or_create(organisation=organisation)
    for name, value in values.items():
        if not hasattr(row, name) or name in ("id", "organisation"):
            raise ProviderError(f"Onbekende instelling '{name}'.")
        setattr(row, name, value)
    try:
        row.save()
    except IntegrityError as exc:  # pragma: no cover - guarded by the unique constraint
        raise ProviderError("Instellingen konden niet worden opgeslagen.") from exc
    return row
