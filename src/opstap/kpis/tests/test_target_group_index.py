"""The KPI breakdown by target group (R-KPI-1, R-KPI-5, R-CLI-2) reads its population from the
index `client_org_step_groups` alone (issue 18; docs/performance.md, "KPI pages"): at national
scale a scan of the whole clients table took 340-360 ms of the KPI detail, the index-only scan
150 ms. That holds only while the index carries every column a target group reads; a new
target-group rule on another column would silently bring the table scan back."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from opstap.clients.models import Client
from opstap.clients.selectors import target_group_q
from opstap.clients.target_groups import TargetGroupCode


def _columns(q: Q) -> set[str]:
    columns: set[str] = set()
    for child in q.children:
        if isinstance(child, Q):
            columns |= _columns(child)
        else:
            lookup, _value = child
            columns.add(lookup.split("__")[0])
    return columns


def _index_columns() -> set[str]:
    (index,) = [i for i in Client._meta.indexes if i.name == "client_org_step_groups"]
    names = set(index.fields) | set(index.include)
    return {Client._meta.get_field(n).attname for n in names} | names


def test_the_target_group_index_holds_every_column_a_target_group_reads() -> None:
    on = dt.date(2026, 12, 1)
    held = _index_columns()
    for code in TargetGroupCode:
        read = {
            Client._meta.get_field("id" if c == "pk" else c).attname
            for c in _columns(target_group_q(code.value, on))
        }
        assert read <= held, (code, read - held)


def test_the_target_group_index_leads_with_the_population_filter() -> None:
    """The population of the guided-share KPIs is the organisation's clients of some ladder
    steps: the index's key columns, in that order, so the scan is a range of it."""
    (index,) = [i for i in Client._meta.indexes if i.name == "client_org_step_groups"]
    assert list(index.fields) == ["organisation", "ladder_step"]
    assert "id" in index.include  # the join to the guided facts of the month
