"""Tables flattened one cell per line: a header of column words, then rows that each start at their number.

Pages converted to text and pipe tables copied from the web lose their row structure: 国办发 lists arrive as
``1`` / ``知识产权…审判`` / ``整合分散的审判资源…`` / ``最高人民法院、国家知识产权局`` / ``全国`` under a header
``序号 / 改革举措 / 主要内容 / 指导部门 / 推广范围``; progress tables as ``24 |`` / ``优化提升… |`` / ``徐国江 |`` /
``城管局 |`` under ``序号 | 主要任务 | … | 分管 领导 | 牵头 单位 | …`` (the segmenter has already cut pipe cells
into lines and dropped the spaces inside header words). A table is a task table when its header has an ordinal
column, a task column and at least one role column (:mod:`orgkg.lexicon`). Each row becomes a heading of
:data:`~orgkg.segment.ROW_LEVEL` whose title is the task cell, and each role cell a marker with the column's role;
numbered section headings between rows (``(一)王宏副市长牵头重点工作``) stay headings, so a leader they name
applies to the rows under them.
"""

from __future__ import annotations

import re

from orgkg.lexicon import LEXICON
from orgkg.records import Role
from orgkg.segment import BARE_ORDINAL, ROW_LEVEL, Heading, Marker, looks_like_bodies
from orgkg.textnorm import TextView

_MAX_HEADER_CELL = 24
_PERSON = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_HEADER_WORD = re.compile(r"^[\u4e00-\u9fff\-—~()、0-9月]+$")


def _column(cell: str) -> tuple[str, Role | None] | None:
    """What a header cell names: ("ordinal"|"task"|"role"|"other", role), or None when it is no header word."""
    bare = re.sub(r"\(.*\)$", "", cell)
    if bare in LEXICON.ordinal_columns:
        return "ordinal", None
    role = LEXICON.column_role(bare)
    if role is not None:
        return "role", role
    if any(t in bare for t in LEXICON.task_columns) and len(bare) <= 12:
        return "task", None  # 主要工作任务, 重点工作任务(杭州市2项配合工作): the first such column holds the task
    if len(cell) <= _MAX_HEADER_CELL and _HEADER_WORD.match(cell) and not BARE_ORDINAL.match(cell):
        return "other", None
    return None


def _header_at(lines: list[str], k: int) -> list[tuple[str, Role | None, str]] | None:
    """The header starting at line ``k``: (what, role, text) per column, or None."""
    if _column(lines[k]) != ("ordinal", None):
        return None
    cols: list[tuple[str, Role | None, str]] = []
    j = k
    while j < len(lines) and len(cols) < 16:
        c = _column(lines[j])
        if c is None or (cols and c[0] == "ordinal"):
            break
        cols.append((c[0], c[1], lines[j]))
        j += 1
    kinds = [c[0] for c in cols]
    if len(cols) >= 3 and "task" in kinds and "role" in kinds:
        return cols
    return None


def table_rows(
    v: TextView, starts: list[int], ends: list[int], headings: list[Heading]
) -> tuple[list[Heading], list[Marker]]:
    """Row headings and role-cell markers of every flattened task table in the document."""
    texts = [v.text[s:e] for s, e in zip(starts, ends, strict=True)]
    heading_lines = {h.start for h in headings}
    rows: list[Heading] = []
    cells: list[Marker] = []
    k = 0
    while k < len(texts):
        header = _header_at(texts, k)
        if header is None:
            k += 1
            continue
        k += len(header)
        current: list[int] | None = None  # line indices of the row: ordinal, then one per column
        last_number = 0

        def close(row: list[int] | None, header: list[tuple[str, Role | None, str]] = header) -> None:
            if row is not None:
                _emit(v, starts, ends, texts, header, row, rows, cells)

        while k < len(texts):
            if _header_at(texts, k) is not None:
                break
            m = BARE_ORDINAL.match(texts[k])
            if starts[k] in heading_lines:
                close(current)
                current = None
            elif m and (current is None or len(current) >= 3) and int(m.group(1)) != last_number:
                close(current)
                current = [k]
                last_number = int(m.group(1))
            elif current is not None:
                current.append(k)
            k += 1
        close(current)
    return rows, cells


def _emit(
    v: TextView,
    starts: list[int],
    ends: list[int],
    texts: list[str],
    header: list[tuple[str, Role | None, str]],
    row: list[int],
    rows: list[Heading],
    cells: list[Marker],
) -> None:
    task_at = next((i for i, c in enumerate(header) if c[0] == "task"), None)
    if task_at is None or task_at >= len(row):
        return
    ordinal_line = row[0]
    m = BARE_ORDINAL.match(texts[ordinal_line])
    assert m is not None
    task_line = row[task_at]
    rows.append(
        Heading(
            ROW_LEVEL, int(m.group(1)), texts[ordinal_line], starts[ordinal_line], starts[task_line], ends[task_line]
        )
    )
    for (label, role), line in _role_cells(texts, header, row, task_at):
        s, e = starts[line], ends[line]
        cells.append(Marker(label, s, e, s, e, False, "cell", role, whole_line=True))


def _fits(role: Role, cell: str) -> bool:
    if role is Role.SUPERVISOR:
        return all(_PERSON.match(p) for p in re.split(r"[、,;]", cell) if p)
    return looks_like_bodies(cell) or any(cell.endswith(v) for v, _ in LEXICON.verbs)


def _role_cells(
    texts: list[str], header: list[tuple[str, Role | None, str]], row: list[int], task_at: int
) -> list[tuple[tuple[str, Role], int]]:
    """(column label and role, line) of each role cell of a row.

    A row with one cell per column is read by position. Rows of pages that dropped or merged cells are read by
    content: each role column, in order, takes the next cell (after the task cell) that reads as its role does —
    persons for a leader column, bodies for a unit column.
    """
    roles = [(i, c[2], c[1]) for i, c in enumerate(header) if c[0] == "role" and c[1] is not None]
    if len(row) == len(header) and all(_fits(role, texts[row[i]]) for i, _, role in roles if role is not None):
        return [((label, role), row[i]) for i, label, role in roles if role is not None]
    out: list[tuple[tuple[str, Role], int]] = []
    pointer = task_at + 1
    for _i, label, role in roles:
        assert role is not None
        for j in range(pointer, min(len(row), pointer + 3)):
            if _fits(role, texts[row[j]]):
                out.append(((label, role), row[j]))
                pointer = j + 1
                break
    return out
