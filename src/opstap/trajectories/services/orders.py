"""Ordering a trajectory (R-TRJ-1): what `product_orderability` refuses is refused, the price valid
on the order date is fixed (R-NET-6), the participatierotonde is checked (R-LAD-4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction

from opstap.clients.models import ROTONDE_ORDER, Client, RotondeExit
from opstap.core.access import can_see
from opstap.core.actor import Actor
from opstap.core.money import AmbiguousAmountError, format_euro, parse_amount, to_decimal
from opstap.core.roles import Perm
from opstap.providers.models import Product, Tile
from opstap.providers.selectors import product_price_on
from opstap.providers.services import product_orderability
from opstap.trajectories import date_rules, handoffs
from opstap.trajectories import deadlines as dl
from opstap.trajectories import price_terms as pt
from opstap.trajectories.models import (
    AbsenceRisk,
    Trajectory,
)
from opstap.trajectories.workflow import (
    State,
)

from ._common import TrajectoryError, _deadline_from_rule, _next_due_refresh, _record, _today
from .handoff_notices import event_handoff_notify
from .quotes import _terms_fields

#: The largest budget the column holds (10 digits, 2 decimals): a larger one was stored and
#: then made every page that shows the trajectory (and the client's dossier) answer 500.
MAX_BUDGET = Decimal("99999999.99")


def _parse_money(value: Decimal | str | int | None, *, field: str) -> Decimal | None:
    """The order's budget (R-TRJ-1), typed the Dutch way (``1.500,00``, ``1500,50``) or as a
    number; empty is no budget. Refused with a Dutch message: text, exponents (``1e3``),
    zero or less, more than two decimals, more than the column holds (R-SEC-6)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = parse_amount(value) if isinstance(value, str) else to_decimal(value)
    except AmbiguousAmountError as exc:  # 2.500: core.money names both readings
        raise TrajectoryError(str(exc), field=field) from exc
    except ValueError as exc:
        raise TrajectoryError("Vul het budget in als bedrag, bijv. 1.500,00.", field=field) from exc
    if amount <= 0:
        raise TrajectoryError(
            "Het budget moet groter zijn dan € 0,00; laat het leeg als er geen apart budget is.",
            field=field,
        )
    if amount > MAX_BUDGET:
        raise TrajectoryError(
            f"Het budget mag niet hoger zijn dan {format_euro(MAX_BUDGET)}.", field=field
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise TrajectoryError(
            "Gebruik voor het budget hooguit twee cijfers achter de komma.", field=field
        )
    return amount.quantize(Decimal("0.01"))


def _check_rotonde(
    client: Client, aimed: str, skip_reason: str, exclude_pk: int | None = None
) -> None:
    """R-LAD-4: an earlier exit not tried before (by an earlier order) needs a reason."""
    try:
        exit_ = RotondeExit(aimed)
    except ValueError as exc:
        raise TrajectoryError(
            "Kies de afslag van de participatierotonde.", field="rotonde_exit"
        ) from exc
    earlier = Trajectory.objects.filter(client=client)
    if exclude_pk is not None:
        earlier = earlier.exclude(pk=exclude_pk)
    tried = set(earlier.values_list("rotonde_exit", flat=True))
    skipped = [e for e in ROTONDE_ORDER[: ROTONDE_ORDER.index(exit_)] if e.value not in tried]
    if skipped and not skip_reason.strip():
        from opstap.clients.models import ROTONDE_LABELS_NL

        names = ", ".join(ROTONDE_LABELS_NL[e] for e in skipped)
        raise TrajectoryError(
            f"U slaat een eerdere afslag van de participatierotonde over ({names}); "
            "geef aan waarom.",
            field="rotonde_skip_reason",
        )


def _tiles(aim_tiles: Sequence[str]) -> list[str]:
    return [str(t).strip() for t in aim_tiles if str(t).strip()]


def trajectory_order_problems(
    *,
    client: Client,
    rotonde_exit: str | None,
    rotonde_skip_reason: str = "",
    aim_tiles: Sequence[str] = (),
    wished_start: dt.date | None = None,
    budget: Decimal | str | int | None = None,
    on: dt.date,
) -> list[TrajectoryError]:
    """Every problem with what was typed on an order (R-TRJ-1, R-LAD-4, R-SEC-6), each
    naming its field, all at once: the order page names them in one answer together with its
    own field errors (it showed the start date's problem only after the others were fixed).
    `trajectory_order` refuses with all of them (`of_all`). An input the caller could not
    read is passed as None (`rotonde_exit`) or left out, and not checked here."""
    problems: list[TrajectoryError] = []
    if rotonde_exit is not None:
        try:
            _check_rotonde(client, rotonde_exit, rotonde_skip_reason)
        except TrajectoryError as exc:
            problems.append(exc)
    tiles = _tiles(aim_tiles)
    # EW01 Melding is registration, not something to buy (R-NET-1): no aim of an order.
    known = set(
        Tile.objects.filter(code__in=tiles, purchasable=True).values_list("code", flat=True)
    )
    if unknown := [t for t in tiles if t not in known]:
        problems.append(
            TrajectoryError(
                f"Onbekende of niet inkoopbare tegel(s): {', '.join(unknown)}.",
                field="aim_tiles",
            )
        )
    try:
        _parse_money(budget, field="budget")
    except TrajectoryError as exc:
        problems.append(exc)
    if wished_start is not None and (problem := date_rules.wished_start_problem(wished_start, on)):
        problems.append(TrajectoryError(problem.message, field=problem.field))
    return problems


@transaction.atomic
def trajectory_order(
    *,
    actor: Actor,
    client: Client,
    product: Product,
    rotonde_exit: str,
    aim_tiles: Sequence[str] = (),
    aim_description: str = "",
    rotonde_skip_reason: str = "",
    wished_start: dt.date | None = None,
    absence_risk: str = AbsenceRisk.NONE,
    budget: Decimal | str | int | None = None,
    on: dt.date | None = None,
) -> Trajectory:
    """Order `product` for `client` (R-TRJ-1). Refused with the reason when the product
    cannot be ordered (provider suspended, contract ended, certificate lapsed...); the price
    is the one valid on the order date (R-NET-6); codes 2, 4 and 5 start with a quote."""
    on = on or _today()
    if actor is None or not actor.has_opstap_perm(Perm.TRAJECTORY_ORDER):
        raise TrajectoryError("Alleen een klantmanager kan een traject bestellen.")
    if client.organisation_id != actor.organisation_id or (
        product.organisation_id != actor.organisation_id
    ):
        raise TrajectoryError("Klant of product hoort niet bij uw organisatie.")
    if not can_see(actor, client):
        raise TrajectoryError("Deze klant bestaat niet of u heeft er geen toegang toe.")
    orderable, why = product_orderability(product=product, on=on)
    if not orderable:
        raise TrajectoryError(why, field="product", code="not_orderable")
    if absence_risk not in AbsenceRisk.values:
        raise TrajectoryError("Kies een verzuimrisico.", field="absence_risk")
    if problems := trajectory_order_problems(
        client=client,
        rotonde_exit=rotonde_exit,
        rotonde_skip_reason=rotonde_skip_reason,
        aim_tiles=aim_tiles,
        wished_start=wished_start,
        budget=budget,
        on=on,
    ):
        raise TrajectoryError.of_all(problems)
    tiles = _tiles(aim_tiles)
    budget_amount = _parse_money(budget, field="budget")
    code = product.product_code.code
    trajectory = Trajectory.objects.create(
        organisation_id=actor.organisation_id,
        client=client,
        product=product,
        provider_id=product.provider_id,
        product_code=code,
        vat_code=product.vat_code,
        case_manager=actor,
        state=State.ORDERED.value,
        aim_tiles=tiles,
        aim_description=aim_description.strip(),
        rotonde_exit=rotonde_exit,
        rotonde_skip_reason=rotonde_skip_reason.strip(),
        wished_start=wished_start,
        absence_risk=absence_risk,
        budget=budget_amount,
        order_date=on,
        **_terms_fields(pt.terms_from_product(code, product_price_on(product, on))),
    )
    # Intake within 14 days of the order (R-TRJ-3), for every product code: a quote product
    # (codes 2, 4, 5) does not restart the period when its quote is approved.
    _deadline_from_rule(trajectory, dl.DeadlineKind.INTAKE, on)
    _next_due_refresh(trajectory)
    event = _record(
        actor=actor,
        trajectory=trajectory,
        action="order",
        from_state="",
        reason="",
        payload={"product": product.pk, "price": str(trajectory.price or ""), "code": code},
        summary=f"Traject besteld: {product.name} bij {product.provider.name}",
        changes={"product": [None, product.pk], "price": [None, str(trajectory.price or "")]},
    )
    event_handoff_notify(handoffs.ORDER, actor=actor, trajectory=trajectory, event=event)
    return trajectory
