"""R-SEC-1: docs/access.md shows the permission matrix as it is in roles.py."""

from __future__ import annotations

from opstap.accounts.matrix import BEGIN, END, docs_path, render_matrix, updated_document
from opstap.core.roles import Perm, RoleCode


def test_access_md_is_up_to_date() -> None:
    """R-SEC-1: regenerate with `python src/manage.py access_matrix` when this fails."""
    current = docs_path().read_text(encoding="utf-8")
    assert updated_document(current) == current, (
        "docs/access.md is out of date: run `python src/manage.py access_matrix`"
    )


def test_matrix_lists_every_role_and_permission() -> None:
    block = render_matrix()
    assert block.startswith(BEGIN) and block.endswith(END)
    for perm in Perm:
        assert f"`{perm.value}`" in block
    for role in RoleCode:
        assert f"`{role.value}`" in block


def test_matrix_lists_every_api_operation_with_its_permission(db: None) -> None:
    """R-SEC-1 / R-INT-1: the generated block has one row per API operation with the
    permission its view declares; none is undeclared. The chain's write operations are
    there with the roles that may call them."""
    block = render_matrix()
    assert "niet gedeclareerd" not in block
    for row in (
        "| `POST /api/v1/trajectories` | `trajectories.order` | KM |",
        "| `POST /api/v1/products` | `providers.manage` | CM |",
        "| `PATCH /api/v1/products/{pk}` | `providers.manage` | CM |",
        "| `POST /api/v1/products/{pk}/prices` | `providers.manage` | CM |",
        "| `GET /api/v1/products/{pk}/prices` | `providers.view` |",
    ):
        assert row in block, row
    assert "`PUT /api/v1/products/{pk}`" not in block
