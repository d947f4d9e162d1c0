"""Tasks laid out as a table: 序号 | 任务 | 分管领导 | 牵头单位 | 责任单位.

Tables arrive as markdown pipe tables (from markdown sources, or DOCX/HTML converted to text) or as
tab-separated rows (PDF and DOCX text layers). A table is a task table when its header row names a task
column and at least one responsibility column; every following row with a task cell is a task.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from orgkg.extract.responsibilities import LABEL_ROLES, person_mentions, unit_mentions
from orgkg.lexicon import LEXICON
from orgkg.records import Responsibility, Role, Span, Task
from orgkg.segment import cn_number
from orgkg.textnorm import clean_inline, view

TASK_COLUMNS = LEXICON.task_columns
ORDINAL_COLUMNS = LEXICON.ordinal_columns
_SEPARATOR_ROW = re.compile(r"^\s*\|?\s*:?-{2,}")


@dataclass(frozen=True)
class _Cell:
    text: str  # normalized (view) text
    span: Span  # source span of the cell content


def _cells(text: str, line_start: int, line: str) -> list[_Cell] | None:
    """Cells of a table row (pipe or tab separated), or None when the line is not a row."""
    if "|" in line and line.strip().startswith("|"):
        sep = "|"
    elif "\t" in line:
        sep = "\t"
    else:
        return None
    cells = []
    pos = 0
    parts = line.split(sep)
    if sep == "|":  # a leading and trailing pipe frame the row
        pos = len(parts[0]) + 1
        parts = parts[1:-1] if line.rstrip().endswith("|") else parts[1:]
    for part in parts:
        start = line_start + pos
        v = view(text, start, start + len(part))
        cells.append(_Cell(v.text, v.span(0, len(v.text))))
        pos += len(part) + 1
    return cells


def _column_roles(header: list[_Cell]) -> tuple[int, int | None, dict[int, Role]] | None:
    """(task column, ordinal column, role of each responsibility column), or None when not a task table."""
    task_col = next((i for i, c in enumerate(header) if any(c.text.startswith(t) for t in TASK_COLUMNS)), None)
    if task_col is None:
        return None
    ordinal_col = next((i for i, c in enumerate(header) if c.text in ORDINAL_COLUMNS), None)
    # spaces are already out of the view; a note in brackets after the label (责任单位(列第一位者牵头)) is not
    roles = {i: LABEL_ROLES[b] for i, c in enumerate(header) if (b := re.sub(r"\(.*\)$", "", c.text)) in LABEL_ROLES}
    return (task_col, ordinal_col, roles) if roles else None


def _rows(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def extract_table_tasks(text: str, first_sequence: int = 1) -> tuple[Task, ...]:
    """Tasks of every task table in the text, numbered from ``first_sequence``."""
    tasks: list[Task] = []
    columns: tuple[int, int | None, dict[int, Role]] | None = None
    for line_start, line in _rows(text):
        if _SEPARATOR_ROW.match(line):
            continue
        cells = _cells(text, line_start, line)
        if cells is None:
            columns = None  # a table ends at the first line that is not a row
            continue
        if columns is None:
            columns = _column_roles(cells)
            continue
        task_col, ordinal_col, roles = columns
        if task_col >= len(cells) or not cells[task_col].text:
            continue
        task_cell = cells[task_col]
        tasks.append(_task(text, cells, task_cell, ordinal_col, roles, first_sequence + len(tasks)))
    return tuple(tasks)


def _task(
    text: str, cells: list[_Cell], task_cell: _Cell, ordinal_col: int | None, roles: dict[int, Role], sequence: int
) -> Task:
    ordinal = sequence
    label = str(sequence)
    if ordinal_col is not None and ordinal_col < len(cells) and cells[ordinal_col].text:
        label = cells[ordinal_col].text
        try:
            ordinal = cn_number(label.rstrip(".、"))
        except ValueError:
            ordinal = sequence
    responsibilities: list[Responsibility] = []
    for col, role in roles.items():
        if col >= len(cells) or not cells[col].text:
            continue
        span = cells[col].span
        v = view(text, span.start, span.end)
        names = person_mentions(v, 0, len(v.text)) if role is Role.SUPERVISOR else unit_mentions(v, 0, len(v.text))
        responsibilities.extend(Responsibility(role, m, span) for m in names)
    full = clean_inline(task_cell.span.quote(text))
    title = full.split("。")[0]
    row_span = Span(min(c.span.start for c in cells if c.text), max(c.span.end for c in cells if c.text))
    return Task(
        sequence=sequence,
        ordinal=ordinal,
        label=label,
        title=title,
        text=full,
        span=row_span,
        section=None,
        responsibilities=tuple(responsibilities),
    )
