"""Small-cell suppression as the statistics offices do it: a count under five is shown as "< 5", and where the
hidden count could be worked out from the total and the others, a second cell is hidden too.

Primary: every count from 1 to 4, shown as "< 5". Secondary, for a dimension whose cells add up to a shown total:
the total minus the shown cells gives the sum of the hidden ones, so further cells are hidden, smallest first,
until at least two are hidden and together they hold at least five (then no hidden count can be worked out). If
the total itself is under five, every cell is hidden. A cell hidden only for the sake of another shows "x".
"""

from __future__ import annotations

from collections.abc import Mapping
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


def suppress(counts: Mapping[str, int], *, partition: bool = True) -> list[Cell]:
    """The cells of one dimension, in the order given, with small counts hidden.

    :param partition: whether the cells add up to a total that is shown (each registration in exactly one cell);
        only then can a hidden cell be worked out, so only then is a second one hidden.
    """
    hidden = {value for value, count in counts.items() if is_small(count)}
    if partition and hidden:
        total = sum(counts.values())
        if is_small(total):
            hidden = {value for value, count in counts.items() if count}
        else:
            others = sorted((count, value) for value, count in counts.items() if count and value not in hidden)
            while others and (len(hidden) < 2 or sum(counts[value] for value in hidden) < THRESHOLD):
                hidden.add(others.pop(0)[1])
    return [Cell(value, count, value in hidden) for value, count in counts.items()]


def total_cell(counts: Mapping[str, int]) -> Cell:
    """The total of a dimension, hidden when it is small itself."""
    total = sum(counts.values())
    return Cell("total", total, is_small(total))
