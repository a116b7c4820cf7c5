"""Small cells never leak (DESIGN §4): the rule itself, by example and as a property."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.suppression import suppress_group

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
