"""R-CLI-4: who may decide on a spending beyond the custom budget, in one rule module that the
service and the dossier page both use (issue 13: no rule in a template)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opstap.clients.budget import second_approver_refusal

ALREADY = "Over deze uitgave is al beslist."
OWN = "Een uitgave boven het budget moet door een andere medewerker worden goedgekeurd."
NOT_ALLOWED = "U mag deze uitgave niet beoordelen."


@pytest.mark.parametrize(
    ("pending", "created_by", "approver", "may_change", "same_org", "expected"),
    [
        (True, 1, 2, True, True, None),  # another colleague with the right: may decide
        (False, 1, 2, True, True, ALREADY),  # decided already
        (True, 1, 1, True, True, OWN),  # the one who recorded it: never the second approver
        (True, 1, 2, False, True, NOT_ALLOWED),  # no right to change clients
        (True, 1, 2, True, False, NOT_ALLOWED),  # another organisation
        (True, None, 2, True, True, None),  # recorded by a removed account: anyone else may
        (False, 1, 1, False, False, ALREADY),  # the first reason wins
    ],
)
def test_second_approver_table(pending, created_by, approver, may_change, same_org, expected):
    """R-CLI-4: each row is one situation and the Dutch reason (None = may decide)."""
    assert (
        second_approver_refusal(
            pending=pending,
            created_by_id=created_by,
            approver_id=approver,
            approver_may_change=may_change,
            same_organisation=same_org,
        )
        == expected
    )


@given(st.integers(min_value=1), st.booleans(), st.booleans(), st.booleans())
def test_the_recorder_is_never_the_second_approver(user_id, pending, may_change, same_org):
    """R-CLI-4: whatever else holds, the user who recorded the spending cannot approve it."""
    assert (
        second_approver_refusal(
            pending=pending,
            created_by_id=user_id,
            approver_id=user_id,
            approver_may_change=may_change,
            same_organisation=same_org,
        )
        is not None
    )
