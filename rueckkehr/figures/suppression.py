"""Small-cell suppression as the statistics offices do it: a count under five is shown as "< 5", and where the
hidden count could be worked out from the total and the others, a second cell is hidden too.

Primary: every count from 1 to 4, shown as "< 5". Secondary, for a dimension whose cells add up to a shown total:
the total minus the shown cells gives the sum of the hidden ones, so further cells are hidden, smallest first,
until at least one hidden cell is not small and no hidden count follows from that sum, reading "< 5" as 1 to 4
and "x" as at least 5 and at most the smallest count shown from five up (4 + 4 beside a total of 18 and a shown 10
would give both away; so would 1 + 5). If the total itself is under five, every cell is hidden; if even hiding every
cell leaves one that follows from the total (4 + 4 = 8), the total is hidden too. A cell hidden only for the sake
of another shows "x".
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

THRESHOLD = 5
SECONDARY_MARK = "x"  # as the statistics offices mark a cell kept secret


@dataclass(frozen=True)
class Cell:
    """One value of a dimension: its count, and whether the count must not be shown."""

    value: str
    count: int
    hidden: bool = False

    @property
    def small(self) -> bool:
        """Hidden because it is small itself (else hidden only so that a small one cannot be worked out)."""
        return self.hidden and is_small(self.count)

    @property
    def shown(self) -> str:
        """The count as the page and the CSV show it: "< 5" for a small one, "x" for one hidden besides it."""
        if not self.hidden:
            return str(self.count)
        return f"< {THRESHOLD}" if self.small else SECONDARY_MARK

    @property
    def plotted(self) -> int | None:
        """The bar's height in a chart: none for a hidden count."""
        return None if self.hidden else self.count


def is_small(count: int) -> bool:
    """A count that could single someone out."""
    return 0 < count < THRESHOLD


def suppress(counts: Mapping[str, int], *, partition: bool = True, also: Collection[str] = ()) -> list[Cell]:
    """The cells of one dimension, in the order given, with small counts hidden.

    :param partition: whether the cells add up to a total that is shown (each registration in exactly one cell);
        only then can a hidden cell be worked out, so only then is a second one hidden.
    :param also: values to hide besides, as another table gives them away (then enough others go with them).
    """
    hidden = {value for value, count in counts.items() if is_small(count) or (value in also and count)}
    if partition and hidden:
        if is_small(sum(counts.values())):
            hidden = {value for value, count in counts.items() if count}
        else:
            others = sorted((count, value) for value, count in counts.items() if count and value not in hidden)
            while others and not protected(_cells(counts, hidden)):
                hidden.add(others.pop(0)[1])
    return _cells(counts, hidden)


def _cells(counts: Mapping[str, int], hidden: Collection[str]) -> list[Cell]:
    return [Cell(value, count, value in hidden) for value, count in counts.items()]


def protected(cells: list[Cell]) -> bool:
    """Whether no hidden count follows from the total, the shown counts and the marks: at least two hidden, one of
    them not small, and none pinned to a single value."""
    hidden = [cell for cell in cells if cell.hidden]
    if not hidden:
        return True
    if len(hidden) < 2 or all(cell.small for cell in hidden):
        return False
    rest = sum(cell.count for cell in hidden)  # what the total minus the shown counts gives away
    shown_large = [cell.count for cell in cells if not cell.hidden and cell.count >= THRESHOLD]
    ceiling = min(shown_large, default=rest)  # the smallest are hidden first
    bounds = [(1, THRESHOLD - 1) if cell.small else (THRESHOLD, ceiling) for cell in hidden]
    lowest, highest = sum(low for low, _high in bounds), sum(high for _low, high in bounds)
    # each hidden count lies between the rest minus the others at their highest and the rest minus them at their lowest
    return all(max(low, rest - (highest - high)) < min(high, rest - (lowest - low)) for low, high in bounds)


def total_cell(counts: Mapping[str, int], cells: list[Cell] | None = None) -> Cell:
    """The total of a dimension, hidden when it is small itself or when it would give a hidden cell away."""
    total = sum(counts.values())
    return Cell("total", total, is_small(total) or (cells is not None and not protected(cells)))
