"""The portal tests reuse the trajectory fixtures (a contracted provider, a client in the
case manager's caseload, the happy-path walk)."""

from opstap.trajectories.tests.conftest import (  # noqa: F401
    client_k,
    contract_manager,
    contracted_a,
    make_product,
    order,
    product3,
    walk,
)
