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
