"""The API's camelCase renderer gives exactly the library's output (R-INT-1: camelCase JSON
fields), only faster."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils.translation import gettext_lazy
from djangorestframework_camel_case.util import camelize as library_camelize
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ErrorDetail

from opstap.api.renderers import CamelCaseJSONRenderer, camel_key, camelize
from opstap.trajectories.workflow import State

KEYS = st.text(alphabet="abcz019_", min_size=0, max_size=12)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.dates(),
    # Values whose type is not exactly a str, int or bool (issue 18: `camelize` passes those
    # over by exact type): a lazy string, an error detail, a choice.
    st.sampled_from([gettext_lazy("traject"), ErrorDetail("Fout.", code="invalid"), State.RUNNING]),
)
JSONISH = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.dictionaries(KEYS, children, max_size=5),
    ),
    max_leaves=25,
)


def _dump(data: Any) -> str:
    return json.dumps(data, default=str)


@settings(max_examples=200, deadline=None)  # equality, not speed: no deadline on a busy CI box
@given(JSONISH)
def test_same_output_as_the_library(data: Any) -> None:
    assert _dump(camelize(data)) == _dump(library_camelize(data))


def test_known_keys_and_lazy_strings() -> None:
    assert camel_key("next_due_on") == "nextDueOn"
    assert camel_key("address_line_1") == "addressLine1"
    assert camel_key("_private") == "Private"  # as the library does
    data = {gettext_lazy("ladder_step"): gettext_lazy("trede"), "results": ({"is_overdue": 1},)}
    assert camelize(data) == {"ladderStep": "trede", "results": [{"isOverdue": 1}]}


def test_renderer_renders_camel_case_json() -> None:
    body = CamelCaseJSONRenderer().render(
        {"page_size": 2, "results": [{"order_date": dt.date(2026, 5, 6), "price": "1.50"}]}
    )
    assert json.loads(body) == {
        "pageSize": 2,
        "results": [{"orderDate": "2026-05-06", "price": "1.50"}],
    }
