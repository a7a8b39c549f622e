"""Reading and checking a year's calendar file (CSV or Excel): one row per changed day.

Columns: `date` (YYYY-MM-DD), `kind` (workday, weekend, holiday, makeup_workday), `name`,
`notice`. `rows_from_file` reads; `check_rows` returns every problem as (row, column, rule) so
that the administrator fixes the whole file at once. Nothing here writes.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from yiwang.workdays.calendar import FIRST_YEAR, LAST_YEAR
from yiwang.workdays.models import DayKind

COLUMNS = ("date", "kind", "name", "notice")

RULES = {
    "format": _("The file must be a CSV (UTF-8) or an Excel .xlsx file."),
    "columns": _("The first row must name the columns date, kind, name, notice."),
    "empty": _("The file has no rows."),
    "date": _("Give a date as YYYY-MM-DD."),
    "year_range": _("Give a date in a year from 2004 to 2099."),
    "one_year": _("Every row must fall in the one year being loaded."),
    "duplicate": _("This date appears on an earlier row."),
    "kind": _("Give one of: workday, weekend, holiday, makeup_workday."),
    "weekend_on_weekday": _("A weekend day must be a Saturday or a Sunday."),
    "makeup_on_weekday": _("A make-up working day must be a Saturday or a Sunday."),
    "workday_on_weekend": _(
        "A Saturday or Sunday that becomes a working day is a make-up working day."
    ),
    "name_required": _("A holiday or make-up working day needs a name."),
    "too_long": _("This text is too long."),
}


@dataclass(frozen=True)
class ImportProblem:
    row: int  # the file's row number, the header being row 1
    column: str
    rule: str

    @property
    def message(self) -> str:
        return str(RULES[self.rule])


@dataclass(frozen=True)
class CalendarRow:
    date: datetime.date
    kind: str
    name: str
    notice: str


class UnreadableFile(Exception):
    def __init__(self, rule: str):
        super().__init__(rule)
        self.rule = rule


def rows_from_file(filename: str, content: bytes) -> list[dict[str, str]]:
    """The file's rows as dicts of the four columns (text, stripped)."""
    if filename.lower().endswith(".xlsx"):
        table = _xlsx_table(content)
    elif filename.lower().endswith((".csv", ".txt")):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UnreadableFile("format") from error
        table = list(csv.reader(io.StringIO(text)))
    else:
        raise UnreadableFile("format")
    table = [row for row in table if any(str(cell).strip() for cell in row)]
    if not table:
        raise UnreadableFile("empty")
    header = [str(cell).strip().lower() for cell in table[0]]
    if not {"date", "kind"} <= set(header):
        raise UnreadableFile("columns")
    return [
        {
            column: str(row[header.index(column)]).strip()
            if column in header and header.index(column) < len(row)
            else ""
            for column in COLUMNS
        }
        for row in table[1:]
    ]


def _xlsx_table(content: bytes) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise UnreadableFile("format") from error
    sheet = workbook.worksheets[0]
    table = []
    for row in sheet.iter_rows(values_only=True):
        cells = []
        for cell in row:
            if isinstance(cell, datetime.datetime):
                cell = cell.date().isoformat()
            elif isinstance(cell, datetime.date):
                cell = cell.isoformat()
            cells.append("" if cell is None else str(cell))
        table.append(cells)
    workbook.close()
    return table


def check_rows(
    rows: list[dict[str, str]], year: int | None
) -> tuple[list[CalendarRow], list[ImportProblem], int | None]:
    """(good rows, problems, year): the year is the rows' own when not given."""
    problems: list[ImportProblem] = []
    good: list[CalendarRow] = []
    seen: set[datetime.date] = set()
    if not rows:
        return [], [ImportProblem(1, "date", "empty")], year
    for number, row in enumerate(rows, start=2):
        count = len(problems)
        try:
            day = datetime.date.fromisoformat(row["date"])
        except ValueError:
            problems.append(ImportProblem(number, "date", "date"))
            day = None
        if day is not None:
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                problems.append(ImportProblem(number, "date", "year_range"))
            else:
                year = year or day.year
                if day.year != year:
                    problems.append(ImportProblem(number, "date", "one_year"))
            if day in seen:
                problems.append(ImportProblem(number, "date", "duplicate"))
            seen.add(day)
        kind = row["kind"].strip().lower()
        if kind not in DayKind.values:
            problems.append(ImportProblem(number, "kind", "kind"))
        elif day is not None:
            rule = _weekday_rule(kind, day)
            if rule:
                problems.append(ImportProblem(number, "kind", rule))
            if kind in (DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY) and not row["name"]:
                problems.append(ImportProblem(number, "name", "name_required"))
        if len(row["name"]) > 80:
            problems.append(ImportProblem(number, "name", "too_long"))
        if len(row["notice"]) > 200:
            problems.append(ImportProblem(number, "notice", "too_long"))
        if len(problems) == count and day is not None:
            good.append(CalendarRow(day, kind, row["name"], row["notice"]))
    return good, problems, year


def _weekday_rule(kind: str, day: datetime.date) -> str | None:
    weekend = day.weekday() >= 5
    if kind == DayKind.WEEKEND and not weekend:
        return "weekend_on_weekday"
    if kind == DayKind.MAKEUP_WORKDAY and not weekend:
        return "makeup_on_weekday"
    if kind == DayKind.WORKDAY and weekend:
        return "workday_on_weekend"
    return None
