"""Small-number disclosure control for the KPIs: the rules live in `opstap.core.disclosure`
(shared with the provider indicators); this name stays for the KPI code and its tests."""

from opstap.core.disclosure import DEFAULT_THRESHOLD, is_small, marker, suppressed_cells

__all__ = ["DEFAULT_THRESHOLD", "is_small", "marker", "suppressed_cells"]
