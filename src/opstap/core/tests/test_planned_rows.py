"""`core.api.serializers.fast_write` writes a value as the field's own `to_representation`
does (issue 18: the API lists write their rows without DRF's dispatch per field, R-INT-1:
the answers stay the same). The rows of the lists themselves are compared with DRF's in
`clients/tests/test_views_api.py` and `trajectories/tests/test_api_list_rows.py`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from opstap.core.api.serializers import fast_write


class _Colour(models.TextChoices):
    RED = "red", "rood"
    DARK_BLUE = "dark_blue", "donkerblauw"


class _Number(models.IntegerChoices):
    ONE = 1, "een"
    TWO = 2, "twee"


_ANY = st.one_of(
    st.text(max_size=6),
    st.integers(),
    st.booleans(),
    st.dates(),
    st.decimals(allow_nan=False, places=2, min_value=-100, max_value=100),
    st.sampled_from(["red", "dark_blue", "", "1", "2", "true", "False", "0", "on"]),
    st.sampled_from(list(_Colour) + list(_Number)),
)
_NUMBERS = st.one_of(
    st.integers(),
    st.booleans(),
    st.sampled_from([Decimal("3.00"), 4.0, "12"]),
    st.just(_Number.TWO),
)
_FIELDS: list[tuple[serializers.Field[Any, Any, Any, Any], Any]] = [
    (serializers.CharField(), _ANY),
    (serializers.CharField(allow_blank=True, max_length=5), _ANY),
    (serializers.IntegerField(), _NUMBERS),
    (serializers.BigIntegerField(), _NUMBERS),
    (serializers.BigIntegerField(coerce_to_string=True), _NUMBERS),
    (serializers.BooleanField(), _ANY),
    (serializers.BooleanField(allow_null=True), _ANY),
    (serializers.DateField(), st.one_of(st.dates(), st.text(max_size=10))),
    (serializers.DateField(format="%d-%m-%Y"), st.dates()),
    (serializers.ChoiceField(choices=_Colour.choices), _ANY),
    (serializers.ChoiceField(choices=_Number.choices), _ANY),
    (serializers.ChoiceField(choices=[("", "geen"), ("a", "A")], allow_blank=True), _ANY),
    (serializers.DecimalField(max_digits=8, decimal_places=2), _NUMBERS),
    (serializers.ListField(child=serializers.CharField()), st.lists(st.text(max_size=3))),
]


def _written(write: Any, value: Any) -> tuple[str, Any]:
    """What a write gives (its type and value) or the error it raises."""
    try:
        out = write(value)
    except Exception as exc:  # the same error either way is what counts
        return "error", type(exc)
    return type(out).__name__, out


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_fast_write_writes_what_to_representation_writes(data: st.DataObject) -> None:
    """Issue 18: for every kind of field the lists use (and a few they do not), any value that
    is not None (the plan writes None itself) comes out the same, of the same type."""
    for field, values in _FIELDS:
        value = data.draw(values)
        assert _written(fast_write(field), value) == _written(field.to_representation, value), (
            type(field).__name__,
            value,
        )


def test_fast_write_takes_the_short_way_only_for_drfs_own_fields() -> None:
    """A builtin for DRF's CharField and IntegerField; a field of a class with its own
    `to_representation` (a subclass), or an output format other than ISO 8601, keeps it."""

    class Shouting(serializers.CharField):
        def to_representation(self, value: Any) -> str:
            return str(value).upper()

    assert fast_write(serializers.CharField()) is str
    assert fast_write(serializers.IntegerField()) is int
    assert fast_write(Shouting())("a") == "A"
    dutch = serializers.DateField(format="%d-%m-%Y")
    assert fast_write(dutch)(dt.date(2026, 12, 7)) == "07-12-2026"
