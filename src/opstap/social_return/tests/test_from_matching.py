"""From match to placement to social return (issue 15): a provider places our client in a
garantiebaan through matching (R-MAT). The placement is recorded as the outcome of the
client's trajectory at that provider (R-TRJ-7: with its durability check), and that outcome
is offered to the provider's social-return record pre-filled (R-NET-10), where it becomes a
garantiebaan block without typing the facts again. Social return sits above matching: it
reads the placement through the trajectory outcome, matching knows nothing of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.core.roles import RoleCode
from opstap.matching import services as matching
from opstap.matching.models import Placement
from opstap.social_return import selectors, services
from opstap.trajectories.models import Outcome, Trajectory

from .conftest import TODAY


def test_garantiebaan_placement_via_provider_reaches_social_return(
    placed: Trajectory,
    client_k: Client,
    case_manager: User,
    provider_user_a: User,
    make_user: Callable[..., User],
) -> None:
    """R-MAT → R-TRJ-7 → R-NET-10: the placement via the provider becomes the trajectory's
    outcome (durability check six months after the start) and a pre-filled garantiebaan
    block of that provider's social return."""
    wsp = make_user(RoleCode.EMPLOYER_ADVISER, username="wsp-sr")
    employer = matching.employer_create(
        actor=wsp, kvk_number="69005555", name="Groen Liemers B.V.", offers_garantiebanen=True
    )
    vacancy = matching.vacancy_create(
        actor=wsp,
        employer=employer,
        title="Medewerker groen (garantiebaan)",
        occupation="9214",
        hours_min=20,
        hours_max=24,
        postcode="6921 AB",
        exit="garantiebaan",
        offers_lks=True,
    )
    matching.work_profile_save(
        actor=case_manager, client=client_k, desired_occupations=["9214"], hours_available=24
    )
    proposal = matching.proposal_create(actor=case_manager, vacancy=vacancy, client=client_k)
    matching.proposal_introduction_plan(actor=case_manager, proposal=proposal, on="14-08-2026")
    matching.proposal_introduction_record(actor=case_manager, proposal=proposal, positive=True)
    placement = matching.placement_record(
        actor=case_manager,
        proposal=proposal,
        start_date="14-08-2026",
        hours_per_week=24,
        contract_type="fixed",
        contract_months=12,
        lks=True,
        via="provider",
        provider=placed.provider,
    )
    assert isinstance(placement, Placement) and placement.garantiebaan
    assert placement.trajectory_id == placed.pk

    outcome = Outcome.objects.get(trajectory=placed)
    assert outcome.placement_start == TODAY
    assert outcome.garantiebaan and outcome.lks
    assert outcome.durability_check_on == dt.date(2027, 2, 14)

    offered = list(
        selectors.offered_placements(user=provider_user_a, provider_id=placed.provider_id)
    )
    assert offered == [outcome]
    block = services.block_register_from_placement(
        actor=provider_user_a, outcome=outcome, block_code="garantiebaan_sw", on=TODAY
    )
    assert (block.client_id, block.start_date, block.hours_per_week, block.contract_months) == (
        client_k.pk,
        TODAY,
        outcome.hours_per_week,
        12,
    )
    assert block.outcome_id == outcome.pk
