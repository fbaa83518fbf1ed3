"""`pk_links` gives the URL `reverse` gives, for every kind of row link the lists use."""

from __future__ import annotations

import pytest
from django.urls import reverse

from opstap.core.links import pk_links


@pytest.mark.parametrize(
    "url_name", ["trajectories:detail", "clients:dossier", "indicators:provider"]
)
@pytest.mark.parametrize("pk", [1, 7, 42, 918273645, 2_000_000_001])
def test_same_url_as_reverse(url_name: str, pk: int) -> None:
    assert pk_links(url_name)(pk) == reverse(url_name, args=[pk])


def test_a_key_that_is_no_number_is_refused() -> None:
    with pytest.raises(ValueError):
        pk_links("trajectories:detail")("1/../admin")  # type: ignore[arg-type]
