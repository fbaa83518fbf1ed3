"""R-TRJ-1: which product codes start with a quote, in the workflow module; the order page
shows the flag (issue 13: no product codes in a template)."""

from __future__ import annotations

import pytest

from opstap.trajectories.workflow import starts_with_quote


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (1, False),  # direct order
        (2, True),  # quote first
        (3, False),  # direct order
        (4, True),  # quote first
        (5, True),  # jobcoaching: quote with a justification of necessity
    ],
)
def test_starts_with_quote(code: int, expected: bool) -> None:
    assert starts_with_quote(code) is expected


def test_order_template_holds_no_product_codes() -> None:
    """The template only shows the flag the view computed with `starts_with_quote`."""
    from pathlib import Path

    import opstap.trajectories

    template = Path(opstap.trajectories.__file__).parent / "templates/trajectories/order.html"
    text = template.read_text()
    assert "starts_with_quote" in text
    assert "product_code.code ==" not in text
