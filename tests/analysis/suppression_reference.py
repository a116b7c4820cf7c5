"""How a breakdown's table is published, computed from exact counts with the suppression
functions themselves (analysis.suppression): each group through ``suppress_group``, then the
table through ``protect_rows`` with the overall cells as row totals. The tests count the exact
numbers from the database rows on their own; this only applies the rule to them."""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from analysis.suppression import Cell, SuppressedGroup, protect_rows, suppress_group


def published_table(
    per_group: Mapping[Hashable, Mapping[str, int]],
    *,
    group_n: Mapping[Hashable, int],
    hidden_groups: set[Hashable],
    values: list[str],
    overall_n: int,
    k: int,
) -> dict[Hashable, dict[str, int | None] | None]:
    """Per group its published count per value (None: hidden), or None for a group hidden
    whole. ``per_group`` holds every group's exact counts; the overall counts are their sums."""
    overall = suppress_group(
        {value: sum(counts.get(value, 0) for counts in per_group.values()) for value in values},
        total=overall_n,
        k=k,
        exact_total=True,
    )
    counts = {
        group: {value: per_group[group].get(value, 0) for value in values} for group in per_group
    }
    columns = {
        group: SuppressedGroup(n=None, suppressed=True, cells={v: Cell(None, True) for v in values})
        if group in hidden_groups
        else suppress_group(counts[group], total=group_n[group], k=k)
        for group in per_group
    }
    return {
        group: None
        if group in hidden_groups
        else {value: cell.value for value, cell in published.cells.items()}
        for group, published in protect_rows(columns, counts, overall=overall, k=k).items()
    }
