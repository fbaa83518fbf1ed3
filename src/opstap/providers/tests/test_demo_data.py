"""The demo network builds through the services, deterministically."""

from __future__ import annotations

import datetime as dt
import random

from opstap.core.roles import RoleCode
from opstap.demo.generator import DemoContext
from opstap.providers import demo_data, selectors, services
from opstap.providers.models import Contract, Product, Provider


def test_demo_network(org, make_user, provider_a, provider_b, provider_user_a) -> None:
    """R-NET-1..8 in the demo: ~25 providers, contracts in different terms, ~80 products over
    all tiles and codes, the jobcoaching product in Zevenaar on step 5 at the ceiling,
    evidence expiring soon and one nearly inactive provider."""
    manager = make_user(RoleCode.CONTRACT_MANAGER, username="contractmanager")
    case_manager = make_user(RoleCode.CASE_MANAGER)
    today = dt.date(2026, 11, 22)
    ctx = DemoContext(
        organisation=org,
        scale="demo",
        rng=random.Random(2026),
        today=today,
        users={"contractmanager": manager},
        providers={p.name: p for p in (provider_a, provider_b)},
        log=lambda _m: None,
    )
    demo_data.build(ctx)
    assert Provider.objects.filter(organisation=org).count() == 25
    assert Product.objects.filter(organisation=org).count() == 80
    # The showcase provider's name ends in "B.V.": its products read "door Werkkracht Liemers
    # B.V.", not "B.V.." (walked on the product page).
    descriptions = list(Product.objects.values_list("description", flat=True))
    assert any(d.endswith("Werkkracht Liemers B.V.") for d in descriptions)
    assert not any(d.endswith("..") for d in descriptions)
    assert {c.terms_granted for c in Contract.objects.all()} == {1, 2, 3, 4}
    codes = set(Product.objects.values_list("product_code__code", flat=True))
    assert codes == {1, 2, 3, 4, 5}
    tiles = set(Product.objects.values_list("tiles__number", flat=True))
    assert tiles >= {1, 2, 3, 4, 5, 6, 7, 8}
    hits = selectors.guide_products(
        case_manager,
        selectors.GuideQuery(text="jobcoaching Zevenaar", ladder_step="5"),
        on=today,
    )
    assert any(p.price_on == 80 for p in hits)
    product = hits[0]
    assert services.product_orderability(product=product, on=today) == (True, "")
    assert selectors.evidence_expiring(manager, on=today).exists()
    # Nearly inactive: flagged about two weeks later.
    assert not selectors.providers_inactive(manager, on=today).exists()
    assert selectors.providers_inactive(manager, on=today + dt.timedelta(days=20)).count() == 1
