"""What every provider service shares: the domain error, the event row, the same-organisation
check and the contract manager's notification (R-NET-9)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opstap.accounts.models import User
from opstap.core.errors import InvalidInputError
from opstap.notifications.services import NotificationError, notification_send
from opstap.providers.models import Provider, ProviderEvent

__all__ = ["ProviderError"]


class ProviderError(InvalidInputError):
    """A request about providers that cannot be honoured; the message is for the user.
    `field` names the argument the message is about (the API reports it in invalidParams)."""


def _event(
    *,
    provider: Provider,
    actor: User | None,
    kind: str,
    description: str,
    data: Mapping[str, Any] | None = None,
) -> ProviderEvent:
    return ProviderEvent.objects.create(
        organisation_id=provider.organisation_id,
        provider=provider,
        actor=actor,
        kind=kind,
        description=description,
        data=dict(data or {}),
    )


def _require_same_org(actor: User, organisation_id: int) -> None:
    if actor.organisation_id != organisation_id:
        raise ProviderError("Dit gegeven hoort bij een andere organisatie.")


# --- Notifications, signals and evaluations (R-NET-9) ---------------------------------------


def _notify(*, recipient: User, title: str, body: str, url: str = "") -> None:
    """In-app notification plus e-mail for one user, e.g. the contract manager (R-NET-9)."""
    try:
        notification_send(recipient=recipient, title=title, body=body, url=url)
    except NotificationError as exc:
        raise ProviderError(exc.message) from exc
