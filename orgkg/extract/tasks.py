"""Tasks of a plan: the heading blocks that own responsibility markers, with their sections."""

from __future__ import annotations

from collections import Counter

from orgkg.extract.responsibilities import parse_marker
from orgkg.records import Citation, Section, Span, Task
from orgkg.segment import Block, Layout, Marker, blocks
from orgkg.textnorm import clean_inline


def _innermost(all_blocks: list[Block], pos: int) -> Block | None:
    found = None
    for b in all_blocks:
        if b.heading.start <= pos < b.end:
            found = b  # later blocks are deeper or later; the last containing one is innermost
    return found


def _at_level(block: Block | None, level: int) -> Block | None:
    while block is not None and block.heading.level > level:
        block = block.parent
    return block if block is not None and block.heading.level == level else None


def _heading_text(layout: Layout, source_text: str, block: Block, *, first_sentence: bool) -> tuple[str, Span]:
    h = block.heading
    v = layout.view
    end = h.line_end
    if first_sentence:
        stop = v.text.find("。", h.body_start, h.line_end)
        end = stop if stop >= 0 else h.line_end
    span = v.span(h.body_start, end)
    return clean_inline(span.quote(source_text)).rstrip("。"), span


def extract_tasks(
    source_text: str,
    layout: Layout,
    citations: tuple[Citation, ...] = (),
) -> tuple[tuple[Section, ...], tuple[Task, ...]]:
    """Sections and tasks of a segmented document (empty when no responsibility marker is found)."""
    all_blocks = blocks(layout)
    placed: list[tuple[Marker, Block]] = []
    for m in layout.markers:
        b = _innermost(all_blocks, m.start)
        if b is not None:
            placed.append((m, b))
    if not placed:
        return (), ()
    task_level = Counter(b.heading.level for _, b in placed).most_common(1)[0][0]
    owned: dict[int, list[Marker]] = {}
    for m, b in placed:
        owner = _at_level(b, task_level)
        if owner is not None:
            owned.setdefault(owner.heading.start, []).append(m)
    parents_with_tasks = {id(b.parent) for b in all_blocks if b.heading.start in owned and b.parent is not None}
    task_blocks = [
        b
        for b in all_blocks
        if b.heading.level == task_level
        and (b.heading.start in owned or (b.parent is not None and id(b.parent) in parents_with_tasks))
    ]
    sections: dict[int, Section] = {}
    tasks: list[Task] = []
    v = layout.view
    for seq, b in enumerate(task_blocks, start=1):
        markers = owned.get(b.heading.start, [])
        end = max(m.end for m in markers) if markers else b.end
        span = v.span(b.heading.start, end)
        section = None
        if b.parent is not None:
            p = b.parent
            if p.heading.start not in sections:
                title, _ = _heading_text(layout, source_text, p, first_sentence=False)
                sections[p.heading.start] = Section(
                    ordinal=p.heading.number,
                    label=_label(layout, source_text, p),
                    title=title,
                    span=v.span(p.heading.start, p.heading.line_end),
                )
            section = sections[p.heading.start]
        title, _ = _heading_text(layout, source_text, b, first_sentence=True)
        responsibilities = tuple(r for m in markers for r in parse_marker(v, m))
        tasks.append(
            Task(
                sequence=seq,
                ordinal=b.heading.number,
                label=_label(layout, source_text, b),
                title=title,
                text=clean_inline(span.quote(source_text)),
                span=span,
                section=section,
                responsibilities=responsibilities,
                citations=tuple(c for c in citations if span.start <= c.span.start < span.end),
            )
        )
    return tuple(sections.values()), tuple(tasks)


def _label(layout: Layout, source_text: str, block: Block) -> str:
    h = block.heading
    return layout.view.span(h.start, h.body_start).quote(source_text).strip()
