"""Small cells are never shown: a count below five is hidden, and so is every count from which a hidden one could be
worked out by subtraction from a total that is known (as official statistics do it)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

MIN_CELL = 5


def suppress(
    cells: Mapping[K, int], total: int | None = None, *, unshown: int = 0, minimum: int = MIN_CELL
) -> dict[K, int | None]:
    """The counts to show, ``None`` for each hidden one.

    :param total: the known total the cells add up to (with ``unshown``), or None when no such total is shown.
    :param unshown: a part of the total that is never shown as a cell of its own (cards without the attribute); it
        counts as hidden, so it can never be the one value left to work out.

    First every count below ``minimum`` is hidden. With a known total, the hidden cells together are known too
    (total minus the shown ones): while that sum lies between 1 and ``minimum`` − 1, or a single hidden cell would be
    known exactly, the smallest count still shown is hidden as well.
    """
    shown = {key: count for key, count in cells.items() if count >= minimum}
    hidden = [key for key in cells if key not in shown]
    if total is not None:
        while shown:
            hidden_sum = total - sum(shown.values())
            single = len(hidden) == 1 and not unshown  # one hidden cell and nothing else: total minus the rest
            if not (0 < hidden_sum < minimum or (single and hidden_sum > 0)):
                break
            smallest = min(shown, key=lambda key: (shown[key], str(key)))
            hidden.append(smallest)
            del shown[smallest]
    return {key: shown.get(key) for key in cells}
