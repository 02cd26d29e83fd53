"""Tables for German Excel: CSV with ``;``, a UTF-8 BOM and CRLF, and XLSX through openpyxl's write-only mode.

Every text cell passes ``cell_text``, the one place where a cell that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is neutralised by a leading apostrophe, as
OWASP advises. Numbers and dates stay typed. Both writers take rows one at a time and keep none of them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from .dates import BERLIN

Cell = str | int | float | date | datetime | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
# Characters an XLSX file cannot hold (XML 1.0 forbids them); openpyxl refuses them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# What Excel refuses in a sheet name (openpyxl refuses it too), and what each becomes.
_SHEET_CHARACTERS = str.maketrans({"/": "-", "\\": "-", ":": None, "?": None, "*": None, "[": "(", "]": ")"})
SHEET_TITLE_LENGTH = 31
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"


def cell_text(value: str) -> str:
    """A text cell that no spreadsheet runs as a formula: the one rule of neutralisation."""
    if not value.isprintable():  # the rare cell with a control character (or a line break) is cleaned
        value = _CONTROL.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def sheet_title(title: str, fallback: str = "Export") -> str:
    """A sheet name Excel accepts, as close to ``title`` as it allows: none of ``/ \\ : * ? [ ]`` (slashes become
    dashes, brackets parentheses, the rest go), no control character, no apostrophe at either end, at most 31
    characters, and never the name Excel keeps for itself (History); ``fallback`` when nothing is left.

    A sheet name is no cell: it is never run as a formula, so it keeps a leading ``=``.
    """
    name = _CONTROL.sub("", title.translate(_SHEET_CHARACTERS))
    name = " ".join(name.split())  # line breaks and tabs become spaces, runs of spaces one
    name = name.strip(" '")[:SHEET_TITLE_LENGTH].rstrip(" '")
    return name if name and name.casefold() != "history" else fallback


def local(value: datetime) -> datetime:
    """A stored UTC time as Berlin wall-clock time without a zone (spreadsheets know no zones)."""
    return value.astimezone(BERLIN).replace(tzinfo=None)


def _csv_value(value: Cell) -> str:
    if isinstance(value, str):
        return cell_text(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        moment = value.astimezone(BERLIN)
        return f"{moment.day:02}.{moment.month:02}.{moment.year} {moment.hour:02}:{moment.minute:02}"
    if isinstance(value, date):
        return f"{value.day:02}.{value.month:02}.{value.year}"
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def csv_text(value: str | None) -> str:
    """A text cell of a CSV (a column known to hold text or nothing)."""
    return cell_text(value) if value else ""


def csv_number(value: int | float | None) -> str:
    """A number cell of a CSV (a column known to hold numbers)."""
    return "" if value is None else _csv_value(value)


def csv_moment(value: datetime | None) -> str:
    """A time cell of a CSV, in Berlin time as German Excel reads it (a column known to hold times)."""
    return "" if value is None else _csv_value(value)


CSV_FORMATS: dict[str, Callable[[Any], str]] = {"text": csv_text, "number": csv_number, "moment": csv_moment}
_FORMULA_STARTS = frozenset(FORMULA_STARTS)


def csv_text_cell(read: Callable[[Any], str | None]) -> Callable[[Any], str]:
    """A column's CSV cell read from a row and neutralised (``cell_text``) in one call: the cell that is printable
    and starts harmlessly, nearly every one, is passed as it is without a second call."""

    def cell(row: Any) -> str:
        value = read(row)
        if not value:
            return ""
        if value[0] in _FORMULA_STARTS or not value.isprintable():
            return cell_text(value)
        return value

    return cell


def csv_moment_cell(read: Callable[[Any], datetime | None]) -> Callable[[Any], str]:
    """A time column's CSV cell read from a row, in Berlin time as German Excel reads it."""

    def cell(row: Any) -> str:
        value = read(row)
        if value is None:
            return ""
        moment = value.astimezone(BERLIN)
        return f"{moment.day:02}.{moment.month:02}.{moment.year} {moment.hour:02}:{moment.minute:02}"

    return cell


def csv_number_cell(read: Callable[[Any], int | float | None]) -> Callable[[Any], str]:
    """A number column's CSV cell read from a row."""

    def cell(row: Any) -> str:
        value = read(row)
        return "" if value is None else _csv_value(value)

    return cell


CSV_CELLS: dict[str, Callable[[Callable[[Any], Any]], Callable[[Any], str]]] = {
    "text": csv_text_cell,
    "number": csv_number_cell,
    "moment": csv_moment_cell,
}


def csv_batches(header: Sequence[str], batches: Iterable[list[list[str]]]) -> Iterator[bytes]:
    """CSV for German Excel from rows whose cells are CSV text already (``CSV_CELLS``), one chunk of UTF-8 bytes
    per batch of rows (the first chunk is the BOM and the header): the csv module writes a whole batch at once."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([cell_text(title) for title in header])
    yield (BOM + buffer.getvalue()).encode("utf-8")
    for batch in batches:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(batch)
        yield buffer.getvalue().encode("utf-8")


class _Line:
    """A file-like object that hands back what the csv writer wrote for one row."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text = text
        return len(text)


def csv_chunks(
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    batch: int = 200,
    formats: Sequence[Callable[[Any], str]] | None = None,
) -> Iterator[bytes]:
    """CSV for German Excel, as UTF-8 bytes in chunks of ``batch`` rows (the first starts with the BOM).

    :param formats: one of ``CSV_FORMATS`` per column, when the columns' kinds are known (faster than asking each
        cell what it is).
    """
    line = _Line()
    writer = csv.writer(line, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([cell_text(title) for title in header])
    parts = [BOM + line.text]
    for row in rows:
        if formats is None:
            writer.writerow([_csv_value(value) for value in row])
        else:
            writer.writerow([format_(value) for format_, value in zip(formats, row, strict=True)])
        parts.append(line.text)
        if len(parts) >= batch:
            yield "".join(parts).encode("utf-8")
            parts = []
    if parts:
        yield "".join(parts).encode("utf-8")


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def write_xlsx(
    target: str | Path | IO[bytes], title: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> int:
    """Write an XLSX workbook with a frozen, filterable header and typed dates; return how many rows.

    openpyxl's write-only mode streams the rows to a temporary file, so memory stays flat whatever their number.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=cell_text(text))
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    count = 0
    for row in rows:
        values: list[Any] = []
        for value in row:
            if isinstance(value, datetime):
                values.append(_dated(sheet, local(value), DATETIME_FORMAT))
            elif isinstance(value, date):
                values.append(_dated(sheet, value, DATE_FORMAT))
            elif isinstance(value, str):
                values.append(cell_text(value))
            else:
                values.append(value)
        sheet.append(values)
        count += 1
    last = _column_letter(max(1, len(header)))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    workbook.save(target)
    return count


def _dated(sheet: Any, value: date | datetime, number_format: str) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]  # openpyxl writes dates, as its docs say
    cell.number_format = number_format
    return cell


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """A small workbook in memory (the figures' tables)."""
    output = io.BytesIO()
    write_xlsx(output, title, header, rows)
    return output.getvalue()
