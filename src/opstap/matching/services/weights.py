"""The organisation's weights of the match criteria."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.actor import Actor, organisation_id_of
from opstap.core.roles import Perm
from opstap.matching import selectors
from opstap.matching.models import MatchWeights
from opstap.matching.scoring import CRITERIA, validate_weights

from ._common import MatchingError, _require


@transaction.atomic
def match_weights_update(*, actor: Actor, weights: Mapping[str, Any]) -> MatchWeights:
    """The administrator sets the weight of each criterion for the organisation (audited with
    the values before and after)."""
    _require(actor, Perm.ADMIN_CONFIGURE)
    try:
        valid = validate_weights(weights)
    except ValueError as exc:
        field = exc.args[1] if len(exc.args) > 1 else ""
        raise MatchingError(str(exc.args[0]), field=field or None) from exc
    before = selectors.current_weights(organisation_id_of(actor))
    row, _created = MatchWeights.objects.select_for_update().get_or_create(
        organisation_id=organisation_id_of(actor),
        defaults={"weights": {}, "updated_at": timezone.now(), "updated_by": actor},
    )
    row.weights = {c.value: valid[c] for c in CRITERIA}
    row.updated_by = actor
    row.updated_at = timezone.now()
    row.save()
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="match_weights",
        object_id=row.pk,
        purpose="Gewichten passend werk wijzigen",
        changes={c.value: [before[c], valid[c]] for c in CRITERIA if before[c] != valid[c]},
    )
    return row
