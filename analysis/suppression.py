"""Small-cell suppression (DESIGN §4): the one function every published number goes through.

A *group* is one breakdown: the counts per cell of one set of young people (the answers per
option within one age band, the responses per age band of a survey, ...) with its total ``n``.

- A group whose total is below ``k`` is suppressed whole: neither its total nor any cell is
  published. (The overall group of a survey is the exception: overall totals are exact, so its
  total is published, and every cell is still protected as below.)
- Inside a published group every count with ``0 < c < k`` is suppressed (primary suppression).
- When the suppressed cells could be worked out from the published total and the other cells,
  the next-smallest published count is suppressed as well (complementary suppression), until
  they cannot. Zero cells are published: a zero says nothing about a child, and hiding one
  protects nothing, because a reader can always guess the hidden zero.

"Could be worked out" is read a little more strictly than "exactly one cell is suppressed",
because the reader knows the rule: every suppressed cell holds at least 1 (zeros are
published), so suppressed cells that are all 1s are recovered from their sum as surely as a
single one; and their sum, the total minus the published cells, is itself a count of
children, so it must not be below ``k`` either. Protection therefore continues while fewer
than two non-zero cells are hidden or the hidden cells sum to less than ``k``. This includes
DESIGN §4's rule (exactly one suppressed cell → suppress the next-smallest as well) and closes
the ways around it; hidden cells that are all 1s are also given away by their sum, which then
equals their number. When no count is left to hide with them and the cells add up to the total,
the group is hidden whole (the overall group, whose total is exact: all its cells are hidden).

The same rule is applied whether or not the cells add up to the total (several choices per
young person make the cells add up to more): suppressing the same cells in both cases is the
safe choice and keeps one rule.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

CellKey = TypeVar("CellKey", bound=Hashable)


@dataclass(frozen=True)
class Cell:
    """A published count: ``value`` is None exactly when ``suppressed``."""

    value: int | None
    suppressed: bool


@dataclass(frozen=True)
class SuppressedGroup(Generic[CellKey]):
    """One group as it may be published. ``n`` is None when the group is suppressed whole."""

    n: int | None
    suppressed: bool
    cells: dict[CellKey, Cell]

    def value(self, key: CellKey) -> int | None:
        return self.cells[key].value


def suppress_group(
    counts: Mapping[CellKey, int],
    *,
    total: int,
    k: int,
    exact_total: bool = False,
) -> SuppressedGroup[CellKey]:
    """The publishable form of one group: ``counts`` per cell, ``total`` young people in it.

    ``exact_total``: the group is the overall one, whose total is always published (DESIGN §4:
    overall totals are exact); its cells are still protected.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    if total < 0 or any(count < 0 for count in counts.values()):
        raise ValueError("counts cannot be negative")

    if total < k and not exact_total:
        return SuppressedGroup(
            n=None, suppressed=True, cells={key: Cell(None, True) for key in counts}
        )

    hidden = {key for key, count in counts.items() if 0 < count < k}
    if hidden:
        # Complementary suppression: smallest published non-zero counts first, ties in the
        # order the cells were given, so that the outcome is the same on every run.
        candidates = sorted(
            (key for key, count in counts.items() if count >= k),
            key=lambda key: counts[key],
        )
        for key in candidates:
            if not _recoverable(counts, hidden, k):
                break
            hidden.add(key)
        if _recoverable(counts, hidden, k) and sum(counts.values()) == total:
            # Nothing left to hide with them, and the cells add up to the total (one answer
            # per young person): the hidden cells can still be worked out, e.g. five children
            # who each chose another option. Publish no cell of such a group: hide it whole,
            # or, for the overall group whose total stays exact, hide its zeros as well, so
            # that a hidden cell may be anything from zero up.
            if not exact_total:
                return SuppressedGroup(
                    n=None, suppressed=True, cells={key: Cell(None, True) for key in counts}
                )
            hidden = set(counts)

    return SuppressedGroup(
        n=total,
        suppressed=False,
        cells={
            key: Cell(None, True) if key in hidden else Cell(count, False)
            for key, count in counts.items()
        },
    )


def _recoverable(counts: Mapping[CellKey, int], hidden: set[CellKey], k: int) -> bool:
    """Whether a reader who knows the rule can work out (or narrow to under k) hidden cells.

    Hidden non-zero cells hold at least 1 each: fewer than two of them, a sum under k, or a sum
    equal to their number (all of them 1) gives them away.
    """
    hidden_sum = sum(counts[key] for key in hidden)
    non_zero = sum(1 for key in hidden if counts[key])
    return non_zero < 2 or hidden_sum < k or hidden_sum == non_zero == len(hidden)


def protect_rows(
    columns: Mapping[Hashable, SuppressedGroup[CellKey]],
    counts: Mapping[Hashable, Mapping[CellKey, int]],
    *,
    overall: SuppressedGroup[CellKey],
    k: int,
) -> dict[Hashable, SuppressedGroup[CellKey]]:
    """A breakdown as a table: ``columns`` are its groups (an age band, an organisation, …),
    each already passed through ``suppress_group``, ``counts`` their exact cells, and
    ``overall`` the published overall group, whose cells are the totals of the table's rows.

    A published overall cell is a row total: with it, the hidden cells of a row add up to the
    overall count minus the row's published cells, so a small cell of one group (or every cell
    of a group hidden whole) could be worked out across the groups. Each row is therefore held
    to the same rule as a group (at least two hidden non-zero cells, adding up to k or more,
    not all of them 1), hiding the row's next-smallest published cell where needed; a column
    that gains a hidden cell is protected again as a group, and so on until nothing changes.
    Only ever hides more; returns the groups as they may be published.
    """
    hidden: dict[Hashable, set[CellKey]] = {
        column: {key for key, cell in group.cells.items() if cell.suppressed}
        for column, group in columns.items()
    }
    rows = [key for key, cell in overall.cells.items() if not cell.suppressed]
    changed = True
    while changed:
        changed = False
        for row in rows:
            in_row = {column: counts[column].get(row, 0) for column in columns}
            hidden_in_row = {column for column in columns if row in hidden[column]}
            # Only hidden children need protecting: a row whose hidden cells are all 0 (groups
            # with nobody in them, say) has nothing to give away.
            if not any(in_row[column] for column in hidden_in_row):
                continue
            if not _recoverable(in_row, hidden_in_row, k):
                continue
            candidates = sorted(
                (column for column in columns if column not in hidden_in_row),
                # Non-zero cells first (smallest first); a zero only when nothing else is left.
                key=lambda column: (in_row[column] == 0, in_row[column]),
            )
            for column in candidates:
                hidden[column].add(row)
                changed = True
                if not _recoverable(in_row, {*hidden_in_row, column}, k):
                    break
                hidden_in_row.add(column)
        for column, group in columns.items():
            if group.suppressed or not hidden[column]:
                continue
            cells = {key: counts[column].get(key, 0) for key in group.cells}
            if not any(cells[key] for key in hidden[column]):
                continue
            while _recoverable(cells, hidden[column], k):
                # The next-smallest non-zero cell; with none left, the zeros too, since with
                # them published the group's total would give a lone hidden cell away.
                more = sorted(
                    (key for key in cells if key not in hidden[column]),
                    key=lambda key: (cells[key] == 0, cells[key]),
                )
                if not more:
                    break
                hidden[column].add(more[0])
                changed = True
    return {
        column: group
        if group.suppressed
        else SuppressedGroup(
            n=group.n,
            suppressed=False,
            cells={
                key: Cell(None, True) if key in hidden[column] else cell
                for key, cell in group.cells.items()
            },
        )
        for column, group in columns.items()
    }
