"""The social-return terms of a contract: award date, percentage and threshold (R-NET-10)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from opstap.audit.models import AuditAction
from opstap.core.access import check_perm
from opstap.core.actor import Actor
from opstap.core.dutch import format_percent
from opstap.core.money import ZERO, format_euro, to_cents
from opstap.core.roles import Perm
from opstap.providers.models import Contract
from opstap.social_return import rules
from opstap.social_return.models import SocialReturnAgreement
from opstap.social_return.rules import SocialReturnError

from ._common import (
    _record,
    _same_org,
)


@transaction.atomic
def agreement_set(
    *,
    actor: Actor | None,
    contract: Contract,
    awarded_on: dt.date,
    percentage: Decimal | None = None,
    threshold: Decimal | None = None,
) -> SocialReturnAgreement:
    """Record (or change) the social-return terms of a contract (R-NET-10)."""
    if actor is not None:
        _same_org(actor, contract.organisation_id)
        if not (
            check_perm(actor, Perm.SOCIAL_RETURN_COORDINATE)
            or check_perm(actor, Perm.PROVIDER_MANAGE)
            or check_perm(actor, Perm.ADMIN_CONFIGURE)
        ):
            raise SocialReturnError(
                "Alleen de coördinator of de contractmanager kan dit doen.", code="forbidden"
            )
    percentage = rules.DEFAULT_PERCENTAGE if percentage is None else percentage
    threshold = rules.DEFAULT_THRESHOLD if threshold is None else to_cents(threshold)
    rules.obligation(ZERO, percentage=percentage, threshold=threshold)  # validates both
    agreement, created = SocialReturnAgreement.objects.update_or_create(
        contract=contract,
        defaults={
            "organisation_id": contract.organisation_id,
            "provider_id": contract.provider_id,
            "awarded_on": awarded_on,
            "percentage": percentage,
            "threshold": threshold,
        },
    )
    _record(
        actor=actor,
        provider=contract.provider,
        action="agreement_set",
        description=(
            f"Social-returnafspraak {'vastgelegd' if created else 'gewijzigd'}: "
            f"{format_percent(percentage, 2)} boven {format_euro(threshold)}."
        ),
        object_type="social_return_agreement",
        object_id=agreement.pk,
        changes={"percentage": str(percentage), "threshold": str(threshold)},
        audit_action=AuditAction.CREATE if created else AuditAction.UPDATE,
    )
    return agreement
