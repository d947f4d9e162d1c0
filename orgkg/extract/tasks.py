"""Tasks of a plan: the heading blocks that own responsibility markers, with their sections."""

from __future__ import annotations

from dataclasses import replace

from orgkg.extract.responsibilities import parse_marker
from orgkg.records import Citation, MentionKind, Responsibility, Role, Section, Span, Task
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


def _owner(all_blocks: list[Block], m: Marker, owned: dict[int, list[Marker]]) -> Block | None:
    """The block a marker assigns: the innermost one holding it; a tag standing on its own line after a run
    of sub-items that carry no marker of their own (（1）…（4） then (责任单位:…)) assigns their parent."""
    b = _innermost(all_blocks, m.start)
    if b is None or not m.whole_line or m.kind == "cell" or b.parent is None or b.heading.number < 2:
        return b
    siblings = [x for x in all_blocks if x.parent is b.parent and x.heading.level == b.heading.level]
    if len(siblings) >= 2 and siblings[-1] is b and not any(x.heading.start in owned for x in siblings):
        return b.parent
    return b


def extract_tasks(
    source_text: str,
    layout: Layout,
    citations: tuple[Citation, ...] = (),
) -> tuple[tuple[Section, ...], tuple[Task, ...]]:
    """Sections and tasks of a segmented document (empty when no responsibility marker is found).

    A task is a numbered block that owns a marker (the innermost block holding it), and every block beside
    such a block under the same parent (a plan's items without a tag are tasks too). A section heading that
    names a leader (一、王丹县长牵头重点工作) makes that leader supervise every task under it.
    """
    all_blocks = blocks(layout)
    owned: dict[int, list[Marker]] = {}
    leaders: list[tuple[Marker, Block]] = []
    for m in layout.markers:
        if m.kind == "leader":
            b = _innermost(all_blocks, m.start)
            if b is not None:
                leaders.append((m, b))
            continue
        owner = _owner(all_blocks, m, owned)
        if owner is not None:
            owned.setdefault(owner.heading.start, []).append(m)
    if not owned:
        return (), ()
    owners = [b for b in all_blocks if b.heading.start in owned]
    owner_levels = {(id(b.parent), b.heading.level) for b in owners}
    leader_blocks = {b.heading.start for _, b in leaders}
    task_blocks = [
        b
        for b in all_blocks
        if b.heading.start in owned
        or ((id(b.parent), b.heading.level) in owner_levels and b.heading.start not in leader_blocks)
    ]
    sections: dict[int, Section] = {}
    tasks: list[Task] = []
    v = layout.view
    for seq, b in enumerate(task_blocks, start=1):
        markers = owned.get(b.heading.start, [])
        end = max([b.heading.line_end, *(m.end for m in markers)])
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
        stated: list[Responsibility] = []
        for m in markers:
            found = parse_marker(v, m)
            if layout.first_listed_lead_from is not None and m.end > layout.first_listed_lead_from:
                found = _first_listed_leads(found)
            stated.extend(found)
        for lm, lb in leaders:
            if lb.heading.start <= b.heading.start < lb.end:
                stated.extend(parse_marker(v, lm))
        tasks.append(
            Task(
                sequence=seq,
                ordinal=b.heading.number,
                label=_label(layout, source_text, b),
                title=title,
                text=clean_inline(span.quote(source_text)),
                span=span,
                section=section,
                responsibilities=tuple(_unique(stated)),
                citations=tuple(c for c in citations if span.start <= c.span.start < span.end),
            )
        )
    return tuple(sections.values()), tuple(tasks)


def _first_listed_leads(found: list[Responsibility]) -> list[Responsibility]:
    """Where the document says the first-listed unit leads: the first named unit of a list without a lead."""
    if any(r.role is Role.LEAD for r in found):
        return found
    for i, r in enumerate(found):
        if r.role is Role.RESPONSIBLE and r.agent.kind is MentionKind.UNIT:
            return [*found[:i], replace(r, role=Role.LEAD), *found[i + 1 :]]
    return found


def _unique(stated: list[Responsibility]) -> list[Responsibility]:
    """One statement per (role, name): a unit named in two tags of one task is one responsibility."""
    seen: set[tuple[Role, str]] = set()
    out = []
    for r in stated:
        key = (r.role, r.agent.name)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _label(layout: Layout, source_text: str, block: Block) -> str:
    h = block.heading
    return layout.view.span(h.start, h.body_start).quote(source_text).strip()
