"""Parse a responsibility marker into (role, name) statements.

Handles every way the family writes them (see :mod:`orgkg.segment` for how markers are found): fields
``分管领导：X、Y。`` / ``责任部门：A（alias）、B、各部门。``; tags with several fields separated by ``;``
``；`` or ``,``
(``[牵头单位:县发改局(粮食局);责任单位:各镇人民政府,嘉鱼经济开发区]``, ``(负责部门:A、B;适用范围:…)``); leader
tags ``（校领导：X。Y牵头负责；…）`` and ``（校领导按分工牵头推进，各部门分工负责）``; units followed by a role verb
(``X牵头,Y、Z参与``, ``A、B分别负责落实``, ``由X负责落实``, ``X会同有关部门负责``); bare unit lists; the role cells of
tables; leaders named in section headings with their post. Roles, verbs and collective markers come from the
lexicon; half-width punctuation is folded by the view.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from orgkg.lexicon import LEXICON, alternation
from orgkg.records import MentionKind, NameMention, Responsibility, Role, Span
from orgkg.segment import LEADER_HEADING, Marker, looks_like_bodies
from orgkg.textnorm import TextView, fold_char

LABEL_ROLES: dict[str, Role] = LEXICON.label_roles
SUPERVISOR_LABELS = LEXICON.supervisor_labels
_LABELS_AT = re.compile(rf"(?:{alternation(LEXICON.all_labels)}):")
_VERB_RE = re.compile(alternation([v for v, _ in LEXICON.verbs]))
_CONNECTIVE_RE = re.compile(alternation(LEXICON.connectives)) if LEXICON.connectives else None
_POST_SUFFIX = re.compile(rf"(?:{alternation(LEXICON.posts)})(?:同志)?$")
_POST_PREFIX = re.compile(rf"(?:{alternation(LEXICON.posts)})")
_LEAD_NOTE = re.compile(rf"[(<](?:{alternation(sorted(LEXICON.lead_notes))})[)>]$")
_PERSON_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_TRAILING = re.compile(r"(?:等单位|等部门|等)$")
_SEPARATORS = "、,;/，；／"
_OPEN = "([<"
_CLOSE = ")]>"


@dataclass(frozen=True)
class _Piece:
    text: str
    start: int  # view index
    end: int


def _split(v: TextView, start: int, end: int, separators: str = _SEPARATORS) -> Iterator[_Piece]:
    """Split ``v.text[start:end]`` on separators outside brackets; strip sentence punctuation at the ends."""
    depth = 0
    piece_start = start
    text = v.text
    for i in range(start, end + 1):
        ch = text[i] if i < end else None
        if ch is not None and ch in _OPEN:
            depth += 1
        elif ch is not None and ch in _CLOSE:
            depth = max(0, depth - 1)
        if ch is None or (depth == 0 and ch in separators):
            s, e = piece_start, i
            while s < e and text[s] in "。.:":
                s += 1
            while e > s and text[e - 1] in "。.:":
                e -= 1
            if e > s:
                yield _Piece(text[s:e], s, e)
            piece_start = i + 1


def _conjoined(v: TextView, pieces: Iterator[_Piece]) -> Iterator[_Piece]:
    """``市级各有关部门及各县市区政府`` → two pieces where each side of 及 reads as a body or a group."""
    for p in pieces:
        at = p.text.find("及")
        left, right = p.text[:at], p.text[at + 1 :]
        if at > 1 and right and looks_like_bodies(left) and looks_like_bodies(right):
            yield _Piece(left, p.start, p.start + at)
            yield _Piece(right, p.start + at + 1, p.end)
        else:
            yield p


def is_convention(text: str) -> bool:
    """A convention phrase or its scope word (排名第一位为牵头单位, 下同), not a name.

    >>> is_convention("排名第一位为牵头单位"), is_convention("县发改局(首位单位为牵头单位,下同)")
    (True, False)
    """
    bare = re.sub(r"[(<\[].*[)>\]]", "", text)
    return bool(bare) and (bool(LEXICON.first_listed_lead.search(bare)) or bare in LEXICON.convention_scope)


def _mention(v: TextView, piece: _Piece, kind: MentionKind) -> NameMention:
    """A name with its bracketed aliases: 宣传部(新闻中心) → 宣传部 + alias 新闻中心."""
    text = _TRAILING.sub("", piece.text)
    aliases: list[str] = []
    main = text
    m = re.match(r"^(.+?)[(<](.+)[)>]$", text)
    if m and kind is MentionKind.UNIT:
        main = m.group(1)
        aliases = [
            a for a in re.split(r"[、,;]", m.group(2)) if a and not is_convention(a) and a not in LEXICON.lead_notes
        ]
    written = ""
    if kind is not MentionKind.COLLECTIVE and v.text.startswith(main, piece.start):
        original = v.written(piece.start, piece.start + len(main))
        if original and "".join(fold_char(c) for c in original) != main:
            written = original  # a Traditional document: the Simplified name resolves, the original is kept
    return NameMention(
        name=main, span=v.span(piece.start, piece.end), kind=kind, aliases=tuple(aliases), written=written
    )


def unit_kind(name: str) -> MentionKind:
    """A collective reference (各部门, 相关街道, 市政府各部门, 县直各有关单位) or a named unit."""
    lx = LEXICON
    bare = _TRAILING.sub("", name)
    if (
        bare.startswith(lx.collective_prefixes)
        or any(c in bare for c in lx.collective_contains)
        or bare.endswith(lx.collective_suffixes)
        or bare in lx.collective_whole
        or re.match(r"^[市县区省]直", bare)
    ):
        return MentionKind.COLLECTIVE
    return MentionKind.UNIT


def unit_mentions(v: TextView, start: int, end: int) -> list[NameMention]:
    """Unit names in a list: aliases attached, collective references typed as such, conventions left out."""
    return [m for m, _ in unit_pieces(v, start, end)]


def units_as(v: TextView, start: int, end: int, role: Role) -> list[tuple[Role, NameMention]]:
    """The units of a list with ``role``, except those noted as leading (市发改委(牵头)), which lead."""
    return [(Role.LEAD if lead and role is not Role.SUPERVISOR else role, m) for m, lead in unit_pieces(v, start, end)]


def unit_pieces(v: TextView, start: int, end: int) -> list[tuple[NameMention, bool]]:
    """Unit mentions of a list, each with whether a note in brackets says it leads (市发改委(牵头))."""
    found: list[tuple[NameMention, bool, int]] = []  # (mention, leads, view start)
    for piece in _conjoined(v, _split(v, start, end)):
        if is_convention(piece.text):
            continue
        kind = unit_kind(piece.text)
        previous_collective = bool(found) and found[-1][0].kind is MentionKind.COLLECTIVE
        if kind is MentionKind.UNIT and previous_collective:
            if piece.text in LEXICON.category_nouns:
                kind = MentionKind.COLLECTIVE
                piece = _Piece("各" + piece.text, piece.start, piece.end)
            elif LEXICON.collective_continuation.match(piece.text):
                # 各县、市、区政府: one group, the 各 carrying over the levels listed after it
                first_at = found.pop()[2]
                joined = _Piece(v.text[first_at : piece.end], first_at, piece.end)
                found.append((_mention(v, joined, MentionKind.COLLECTIVE), False, first_at))
                continue
        if kind is MentionKind.UNIT and not re.search(r"[\u4e00-\u9fffA-Za-z]", piece.text):
            continue  # punctuation or a number is no name
        found.append((_mention(v, piece, kind), bool(_LEAD_NOTE.search(piece.text)), piece.start))
    return [(m, lead) for m, lead, _ in found]


def person_mentions(v: TextView, start: int, end: int) -> list[NameMention]:
    """Leaders' names in a list (a post after the name dropped); anything else is a collective reference."""
    mentions = []
    for piece in _split(v, start, end):
        piece = _person_core(piece)
        if _PERSON_NAME.match(piece.text) and not piece.text.startswith("校领导"):
            mentions.append(_mention(v, piece, MentionKind.PERSON))
        else:
            # 校领导按分工 and the like: the leaders as a group, not a named person
            mentions.append(_mention(v, piece, MentionKind.COLLECTIVE))
    return mentions


def _person_core(piece: _Piece) -> _Piece:
    """The name in ``王宏副市长``, ``副市长王宏``, ``王宏同志``, ``王宏(副市长)``: the post and honorific left out."""
    text, s = piece.text, piece.start
    bracket = re.search(r"[(\[<].*$", text)
    if bracket and bracket.start() >= 2:
        text = text[: bracket.start()]
    text = re.sub(r"同志$", "", text)
    post = _POST_SUFFIX.search(text)
    if post and post.start() >= 2:
        text = text[: post.start()]
    lead = _POST_PREFIX.match(text)
    if lead and len(text) - lead.end() >= 2:
        s += lead.end()
        text = text[lead.end() :]
    return _Piece(text, s, s + len(text))


def _units_with_connective(v: TextView, start: int, end: int, role: Role) -> Iterator[tuple[Role, NameMention]]:
    """``X会同有关部门`` → X with ``role``, the units after the connective take part."""
    m = _CONNECTIVE_RE.search(v.text, start, end) if _CONNECTIVE_RE else None
    if m is None:
        for mention in unit_mentions(v, start, end):
            yield role, mention
        return
    for mention in unit_mentions(v, start, m.start()):
        yield role, mention
    for mention in unit_mentions(v, m.end(), end):
        yield Role.PARTICIPANT, mention


def verb_clauses(v: TextView, start: int, end: int) -> Iterator[tuple[Role, NameMention, str | None]]:
    """``生态环境部牵头,国家发展改革委、工业和信息化部参与`` → (lead, 生态环境部), (participant, …) …

    Each role verb ends a clause whose units run from the end of the previous clause; a verb counts only when
    what precedes it reads as names of bodies. Text after a verb up to the next separator (年内持续推进) is
    its scope.
    """
    text = v.text
    clause_start = start
    for m in _VERB_RE.finditer(text, start, end):
        if m.start() < clause_start:
            continue
        units = text[clause_start : m.start()]
        if not units or not looks_like_bodies(units):
            continue
        role = LEXICON.verb_role(m.group(0))
        nxt = m.end()
        while nxt < end and text[nxt] not in ",;、":
            nxt += 1
        scope = text[m.end() : nxt] or None
        if m.group(0) == "指导":
            scope = "指导"
        for r, mention in _units_with_connective(v, clause_start, m.start(), role):
            yield r, mention, scope
        clause_start = nxt + 1 if nxt < end else end


def parse_marker(v: TextView, marker: Marker) -> list[Responsibility]:
    """All responsibilities a marker states, each with the marker's span as provenance."""
    span = v.span(marker.start, marker.end)
    text = v.text
    out: list[Responsibility] = []
    if marker.kind == "leader":
        m = LEADER_HEADING.match(text, marker.body_start, marker.body_end)
        if m:
            piece = _Piece(m.group("name"), m.start("name"), m.end("name"))
            out.append(
                Responsibility(Role.SUPERVISOR, _mention(v, piece, MentionKind.PERSON), span, scope=m.group("post"))
            )
        return out
    if marker.kind == "cell":
        return _cell(v, marker, span)
    if marker.kind == "clause":
        return [Responsibility(r, m, span, scope=s) for r, m, s in verb_clauses(v, marker.body_start, marker.body_end)]
    if marker.bracketed and not marker.label:
        # (X牵头,Y参与) or (A,B,C,排名第一位为牵头单位,下同)
        found = [Responsibility(r, m, span, scope=s) for r, m, s in verb_clauses(v, marker.body_start, marker.body_end)]
        if found:
            return found
        return [Responsibility(Role.RESPONSIBLE, m, span) for m in unit_mentions(v, marker.body_start, marker.body_end)]
    if marker.label == "校领导按分工" or (marker.bracketed and marker.label in SUPERVISOR_LABELS):
        # （校领导：X。Y牵头负责；校领导：Z。W牵头负责…） or （校领导按分工牵头推进，各部门分工负责）
        for clause in _split(v, marker.start + 1, marker.body_end, separators=";；"):
            out.extend(_leader_clause(v, clause, span))
        return out
    if marker.bracketed:
        return _fields(v, marker.start + 1, marker.body_end, span)
    role = LABEL_ROLES[marker.label]
    if role is Role.SUPERVISOR:
        return [Responsibility(role, p, span) for p in person_mentions(v, marker.body_start, marker.body_end)]
    return [Responsibility(r, u, span) for r, u in units_as(v, marker.body_start, marker.body_end, role)]


def _fields(v: TextView, start: int, end: int, span: Span) -> list[Responsibility]:
    """``牵头单位:A;责任单位:B,C,各镇`` / ``负责部门:A、B,适用范围:…``: each labelled field of a tag."""
    text = v.text
    labels = [m for m in _LABELS_AT.finditer(text, start, end) if m.start() == start or text[m.start() - 1] in ";,、"]
    out: list[Responsibility] = []
    for k, m in enumerate(labels):
        body_end = labels[k + 1].start() - 1 if k + 1 < len(labels) else end
        label = m.group(0).rstrip(":")
        role = LABEL_ROLES.get(label)
        if role is None:
            continue  # 适用范围, 完成时限 …
        if role is Role.SUPERVISOR:
            out.extend(Responsibility(role, p, span) for p in person_mentions(v, m.end(), body_end))
        else:
            out.extend(Responsibility(r, u, span) for r, u in units_as(v, m.end(), body_end, role))
    return out


def _cell(v: TextView, marker: Marker, span: Span) -> list[Responsibility]:
    """A role column's cell: names (leaders or units), or units with their own verb (市发改委牵头落实)."""
    assert marker.role is not None
    s, e = marker.body_start, marker.body_end
    if marker.role is Role.SUPERVISOR:
        return [
            Responsibility(Role.SUPERVISOR, p, span) for p in person_mentions(v, s, e) if p.kind is MentionKind.PERSON
        ]
    found = [Responsibility(r, m, span, scope=sc) for r, m, sc in verb_clauses(v, s, e)]
    if found:
        return found
    if not looks_like_bodies(v.text[s:e]):
        return []
    return [Responsibility(r, u, span) for r, u in units_as(v, s, e, marker.role)]


def _unit_clause(v: TextView, start: int, end: int) -> Iterator[tuple[Role, NameMention, str | None]]:
    """``党委办公室/校长办公室牵头负责…`` → lead units with the scope after the verb; no verb → lead."""
    text = v.text
    m = _VERB_RE.search(text, start, end)
    if m is None:
        units_end, role, scope = end, Role.LEAD, None
    else:
        units_end, role = m.start(), LEXICON.verb_role(m.group(0))
        scope = text[m.end() : end].strip("。.,") or None
    for mention in unit_mentions(v, start, units_end):
        yield role, mention, scope


def _leader_clause(v: TextView, clause: _Piece, span: Span) -> Iterator[Responsibility]:
    text = v.text
    s, e = clause.start, clause.end
    unit_label = next((lab for lab in LEXICON.role_labels if text.startswith(lab + ":", s)), None)
    if unit_label is not None and LABEL_ROLES[unit_label] is not Role.SUPERVISOR:
        # (分管领导:X;责任部门:A、B): a second field inside the same tag
        yield from _fields(v, s, e, span)
        return
    label = next((lab for lab in SUPERVISOR_LABELS if text.startswith(lab + ":", s)), None)
    if label is not None:
        s += len(label) + 1
        stop = text.find("。", s, e)
        leaders_end = e if stop < 0 else stop
        for mention in person_mentions(v, s, leaders_end):
            yield Responsibility(Role.SUPERVISOR, mention, span)
        rest = leaders_end + 1
    elif text.startswith("校领导按分工", s):
        m = _VERB_RE.search(text, s, e)
        head_end = m.end() if m else s + len("校领导按分工")
        yield Responsibility(
            Role.SUPERVISOR,
            NameMention("校领导", v.span(s, s + len("校领导按分工")), MentionKind.COLLECTIVE),
            span,
            scope="按分工",
        )
        rest = head_end
        while rest < e and text[rest] in ",，":
            rest += 1
    else:
        rest = s
    if rest < e:
        # several unit clauses may follow, separated by commas: 各部门分工负责
        for piece in _split(v, rest, e, separators=",，"):
            for role, mention, scope in _unit_clause(v, piece.start, piece.end):
                yield Responsibility(role, mention, span, scope=scope)
