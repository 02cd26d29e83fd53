"""Suppression across the tables of one page: a count hidden in one table must not be printed in another.

Three links: the advice wish is one of the interests and has a table of its own, so the interests leave it out;
once every counted event has begun, the turn-up's total is the number of confirmed registrations, so the turn-up
shows nothing while that number is hidden, and where the turn-up must hide its total the statuses hide their
confirmed ones; and the tables that count the same registrations share their total, so where one of them must hide
it, every one of them hides it and all its cells.
"""

from __future__ import annotations

from .counting import DIMENSIONS
from .suppression import Cell, suppress, total_cell

Suppressed = dict[str, tuple[list[Cell], Cell]]
ELSEWHERE = {"interest": {"advice"}}  # counted in a table of its own: printed twice, it would undo the suppression


def suppressed(counts: dict[str, dict[str, int]]) -> Suppressed:
    """Each dimension's cells and total, small cells hidden and whatever would give them away from another table."""
    counts = {
        key: {value: count for value, count in counter.items() if value not in ELSEWHERE.get(key, ())}
        for key, counter in counts.items()
    }
    tables: Suppressed = {}
    for dimension in DIMENSIONS:
        counter = counts.get(dimension.key, {})
        cells = suppress(counter, partition=dimension.partition)
        tables[dimension.key] = (cells, total_cell(counter, cells) if dimension.partition else total_cell({}))
    status, turn_up = counts.get("status", {}), counts.get("turn_up", {})
    same_people = sum(turn_up.values()) == status.get("confirmed", 0)
    if same_people and tables["turn_up"][1].hidden and not _hides(tables["status"], "confirmed"):
        cells = suppress(status, also={"confirmed"})
        tables["status"] = (cells, total_cell(status, cells))
    sharing: dict[int, list[str]] = {}  # the tables of the same registrations, with the same total
    for dimension in DIMENSIONS:
        if dimension.partition:
            sharing.setdefault(id(dimension.counts), []).append(dimension.key)
    for keys in sharing.values():
        if any(tables[key][1].hidden for key in keys):
            for key in keys:
                tables[key] = _all_hidden(*tables[key])
    if _hides(tables["status"], "confirmed"):
        tables["turn_up"] = _all_hidden(*tables["turn_up"])
    return tables


def _hides(table: tuple[list[Cell], Cell], value: str) -> bool:
    cells, total = table
    return total.hidden or any(cell.hidden for cell in cells if cell.value == value)


def _all_hidden(cells: list[Cell], total: Cell) -> tuple[list[Cell], Cell]:
    return [Cell(cell.value, cell.count, bool(cell.count)) for cell in cells], Cell(
        total.value, total.count, bool(total.count)
    )
