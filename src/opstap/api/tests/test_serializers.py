"""`CachedFieldsMixin`: fields built once per class, never shared between instances."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from opstap.core.api.serializers import CachedFieldsMixin
from opstap.organisations.models import Municipality, Organisation
from opstap.organisations.services import municipality_create


class _Plain(serializers.ModelSerializer[Municipality]):
    class Meta:
        model = Municipality
        fields = ["id", "name", "cbs_code"]


class _Cached(CachedFieldsMixin, _Plain):
    pass


@pytest.mark.django_db
def test_cached_fields_give_the_same_output_and_fresh_bindings(org: Organisation) -> None:
    first = municipality_create(organisation=org, name="Rheden", cbs_code="GM0275")
    second = municipality_create(organisation=org, name="Rozendaal", cbs_code="GM0277")
    rows = [first, second]
    assert _Cached(rows, many=True).data == _Plain(rows, many=True).data
    one, two = _Cached(first), _Cached(second)
    assert one.fields["name"] is not two.fields["name"]
    assert one.fields["name"].parent is one and two.fields["name"].parent is two
    assert one.data["name"] == "Rheden" and two.data["name"] == "Rozendaal"
