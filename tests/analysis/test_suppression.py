"""Small cells never leak (DESIGN §4): the rule itself, by example and as a property."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.suppression import Cell, SuppressedGroup, protect_rows, suppress_group

KS = st.integers(min_value=5, max_value=15)
COUNTS = st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=8)


def published(group) -> dict:
    return {key: cell.value for key, cell in group.cells.items() if not cell.suppressed}


def hidden(group) -> list:
    return [key for key, cell in group.cells.items() if cell.suppressed]


def forced_cells(group, total: int) -> list:
    """What a reader who knows the rule can work out of a group whose cells add up to its total.

    Hidden cells are never 0 (zeros are published) and add up to the total minus the published
    cells: with m hidden cells summing to S, each lies between 1 and S - (m - 1), so one is
    pinned down exactly when m == 1 or S == m.
    """
    secret = hidden(group)
    if not secret:
        return []
    rest = total - sum(published(group).values())
    if len(secret) == 1 or rest == len(secret):
        return secret
    return []


def test_a_group_under_k_is_suppressed_whole():
    group = suppress_group({"a": 6, "b": 0, "c": 2}, total=8, k=10)
    assert group.suppressed and group.n is None
    assert all(cell.suppressed and cell.value is None for cell in group.cells.values())


def test_the_overall_total_stays_exact_while_its_small_cells_are_hidden():
    group = suppress_group({"a": 6, "b": 2}, total=8, k=10, exact_total=True)
    assert group.n == 8 and not group.suppressed
    assert hidden(group) == ["a", "b"]


def test_a_small_cell_is_hidden_with_the_next_smallest_count():
    group = suppress_group({"a": 30, "b": 3, "c": 12, "d": 0}, total=45, k=10)
    assert group.n == 45
    assert published(group) == {"a": 30, "d": 0}
    assert sorted(hidden(group)) == ["b", "c"]


def test_nothing_is_hidden_when_no_count_is_small():
    group = suppress_group({"a": 30, "b": 10, "c": 0}, total=40, k=10)
    assert published(group) == {"a": 30, "b": 10, "c": 0}


def test_a_zero_is_published_and_never_counts_as_protection():
    group = suppress_group({"a": 40, "b": 4, "c": 0}, total=44, k=10)
    assert published(group) == {"c": 0}
    assert sorted(hidden(group)) == ["a", "b"]


def test_hidden_ones_are_protected_as_if_they_were_one_cell():
    # Two hidden 1s would add up to 2: a reader knows both are 1.
    group = suppress_group({"a": 1, "b": 1, "c": 50, "d": 20}, total=72, k=5)
    assert published(group) == {"c": 50}
    assert forced_cells(group, 72) == []


def test_children_who_each_chose_another_option_are_not_given_away():
    # Five hidden 1s add up to 5 = k, but a reader knows each hidden cell holds at least 1.
    group = suppress_group({"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}, total=5, k=5)
    assert group.suppressed and group.n is None


def test_the_overall_group_keeps_its_total_and_hides_its_zeros_too():
    group = suppress_group(
        {"a": 1, "b": 1, "c": 1, "d": 1, "e": 1, "f": 0}, total=5, k=5, exact_total=True
    )
    assert group.n == 5 and not group.suppressed
    assert published(group) == {}


def test_it_refuses_negative_counts():
    with pytest.raises(ValueError):
        suppress_group({"a": -1}, total=3, k=5)


@settings(max_examples=400, deadline=None)
@given(counts=COUNTS, k=KS)
def test_no_published_breakdown_can_point_at_a_few_children(counts: list[int], k: int):
    """Cells that add up to the total: one answer per young person (single choice, scale)."""
    cells = {f"cell{index}": count for index, count in enumerate(counts)}
    total = sum(counts)
    group = suppress_group(cells, total=total, k=k)

    if total < k or group.suppressed:
        # Hidden whole: too small, or nothing else left to hide its small cells with.
        assert group.suppressed and group.n is None
        assert all(cell.value is None for cell in group.cells.values())
        assert total < k or all(0 < count < k or count == 0 for count in counts)
        return
    assert group.n == total
    assert not any(0 < value < k for value in published(group).values())
    assert forced_cells(group, total) == []
    assert total - sum(published(group).values()) in (0, *range(k, total + 1))
    for key, cell in group.cells.items():
        assert cell.suppressed or cell.value == cells[key]
        assert cell.suppressed == (cell.value is None)


@settings(max_examples=300, deadline=None)
@given(counts=COUNTS, k=KS, extra=st.integers(min_value=0, max_value=40), overall=st.booleans())
def test_groups_with_several_answers_per_child_are_protected_the_same_way(
    counts: list[int], k: int, extra: int, overall: bool
):
    """Several choices per young person: the cells add up to more than the group's total."""
    cells = {f"cell{index}": count for index, count in enumerate(counts)}
    total = max(counts) + extra
    group = suppress_group(cells, total=total, k=k, exact_total=overall)

    if total < k and not overall:
        assert group.suppressed and group.n is None
        return
    assert group.n == total
    assert not any(0 < value < k for value in published(group).values())
    hidden_children = [cells[key] for key in hidden(group) if cells[key]]
    if len(hidden_children) == 1:
        # Only when no other count was left to hide with it.
        assert all(value == 0 for value in published(group).values())


def test_a_group_hidden_whole_cannot_be_read_off_the_overall_counts():
    # Overall: 14 chose sport, 16 music. Age band 6-8 (3 young people) is hidden whole; if the
    # other bands' cells were all published, 6-8's counts would be the overall minus them.
    counts = {
        "6-8": {"sport": 2, "music": 1},
        "9-11": {"sport": 6, "music": 7},
        "12-14": {"sport": 6, "music": 8},
    }
    overall = suppress_group({"sport": 14, "music": 16}, total=30, k=5, exact_total=True)
    columns = {
        "6-8": SuppressedGroup(
            n=None, suppressed=True, cells={v: Cell(None, True) for v in counts["6-8"]}
        ),
        "9-11": suppress_group(counts["9-11"], total=13, k=5),
        "12-14": suppress_group(counts["12-14"], total=14, k=5),
    }

    published = protect_rows(columns, counts, overall=overall, k=5)

    for value in ("sport", "music"):
        shown = [published[band].cells[value].value for band in ("9-11", "12-14")]
        assert None in shown, value  # one more cell of the row is hidden with 6-8's


@settings(max_examples=200, deadline=None)
@given(
    table=st.lists(
        st.lists(st.integers(min_value=0, max_value=25), min_size=3, max_size=3),
        min_size=2,
        max_size=5,
    ),
    k=KS,
)
def test_no_hidden_cell_of_a_table_can_be_narrowed_from_its_row_total(table, k):
    """Single choice by group: rows are options, columns groups, the overall cells row totals.
    After protection, in every row whose total is published, the hidden non-zero cells are
    either none, or at least two adding up to k or more and not all 1."""
    values = ["a", "b", "c"]
    counts = {
        f"g{index}": dict(zip(values, column, strict=True)) for index, column in enumerate(table)
    }
    sizes = {group: sum(cells.values()) for group, cells in counts.items()}
    total = sum(sizes.values())
    size_group = suppress_group(sizes, total=total, k=k, exact_total=True)
    columns = {
        group: SuppressedGroup(n=None, suppressed=True, cells={v: Cell(None, True) for v in values})
        if size_group.cells[group].suppressed or sizes[group] < k
        else suppress_group(cells, total=sizes[group], k=k)
        for group, cells in counts.items()
    }
    overall = suppress_group(
        {v: sum(cells[v] for cells in counts.values()) for v in values},
        total=total,
        k=k,
        exact_total=True,
    )

    published = protect_rows(columns, counts, overall=overall, k=k)

    for value in values:
        if overall.cells[value].suppressed:
            continue
        hidden = [counts[g][value] for g in counts if published[g].cells[value].suppressed]
        secret = [count for count in hidden if count]
        if secret:
            assert len(secret) >= 2 or len(hidden) > len(secret), (value, hidden)
            assert sum(secret) >= k or len(hidden) > len(secret), (value, hidden)
    for group, shown in published.items():
        for value in values:
            if columns[group].cells[value].suppressed:
                assert shown.cells[value].suppressed  # protection only ever hides more
