"""Parse the body of a responsibility field or tag into (role, name) statements.

Handles the family's forms: ``分管领导：X、Y。``; ``责任部门：A（alias）、B、各部门。``; ``（校领导：X。Y牵头负责）``,
with two pairs separated by ``；`` and a scope after the verb (``教务部牵头负责教学改革事项…``); joint leads
``A/B``; ``（校领导按分工牵头推进，各部门分工负责）``; half-width punctuation (the view folds it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from orgkg.records import MentionKind, NameMention, Responsibility, Role, Span
from orgkg.segment import SUPERVISOR_LABELS, Marker
from orgkg.textnorm import TextView

LABEL_ROLES: dict[str, Role] = {label: Role.SUPERVISOR for label in SUPERVISOR_LABELS} | {
    "牵头单位": Role.LEAD,
    "牵头部门": Role.LEAD,
    "责任单位": Role.RESPONSIBLE,
    "责任部门": Role.RESPONSIBLE,
    "责任科室": Role.RESPONSIBLE,
    "负责单位": Role.RESPONSIBLE,
    "负责部门": Role.RESPONSIBLE,
    "配合单位": Role.PARTICIPANT,
    "配合部门": Role.PARTICIPANT,
    "参与单位": Role.PARTICIPANT,
    "参与部门": Role.PARTICIPANT,
    "协办单位": Role.PARTICIPANT,
    "协办部门": Role.PARTICIPANT,
}

# Verb phrases after a unit list in （校领导：X。Y牵头负责…）; longest first.
_VERBS: tuple[tuple[str, Role], ...] = (
    ("牵头负责", Role.LEAD),
    ("牵头推进", Role.LEAD),
    ("牵头", Role.LEAD),
    ("分工负责", Role.RESPONSIBLE),
    ("具体负责", Role.RESPONSIBLE),
    ("负责", Role.RESPONSIBLE),
    ("配合", Role.PARTICIPANT),
    ("参与", Role.PARTICIPANT),
    ("协助", Role.PARTICIPANT),
)
_VERB_RE = re.compile("|".join(v for v, _ in _VERBS))
_VERB_ROLE = dict(_VERBS)

_COLLECTIVE_PREFIX = re.compile(r"^(?:各|相关|有关|其他|其它|全体|所属|其余)")
_COLLECTIVE_SUFFIX = re.compile(r"(?:成员单位|相关部门|有关部门|职能部门)$")
# Category nouns that, right after a 各… item, continue the 各: 各单位、部门 = 各单位 and 各部门.
_CATEGORY_NOUNS = {
    "部门",
    "单位",
    "学院",
    "院部",
    "党支部",
    "直属党支部",
    "总支",
    "党总支",
    "教学部",
    "分部",
    "科室",
    "处室",
}
_PERSON_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_TRAILING = re.compile(r"(?:等|等单位|等部门)$")
_SEPARATORS = "、,;/，；／"


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
        if ch == "(":
            depth += 1
        elif ch == ")":
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


def _mention(v: TextView, piece: _Piece, kind: MentionKind) -> NameMention:
    """A name with its bracketed aliases: 宣传部(新闻中心) → 宣传部 + alias 新闻中心."""
    text = _TRAILING.sub("", piece.text)
    aliases: list[str] = []
    main = text
    m = re.match(r"^(.+?)\((.+)\)$", text)
    if m and kind is not MentionKind.PERSON:
        main = m.group(1)
        aliases = [a for a in re.split(r"[、,;]", m.group(2)) if a]
    return NameMention(name=main, span=v.span(piece.start, piece.end), kind=kind, aliases=tuple(aliases))


def _unit_kind(name: str) -> MentionKind:
    if _COLLECTIVE_PREFIX.match(name) or _COLLECTIVE_SUFFIX.search(name):
        return MentionKind.COLLECTIVE
    return MentionKind.UNIT


def unit_mentions(v: TextView, start: int, end: int) -> list[NameMention]:
    """Unit names in a list: aliases attached, collective references typed as such."""
    mentions: list[NameMention] = []
    previous_collective = False
    for piece in _split(v, start, end):
        kind = _unit_kind(piece.text)
        if kind is MentionKind.UNIT and previous_collective and piece.text in _CATEGORY_NOUNS:
            kind = MentionKind.COLLECTIVE
            piece = _Piece("各" + piece.text, piece.start, piece.end)
        previous_collective = kind is MentionKind.COLLECTIVE
        mentions.append(_mention(v, piece, kind))
    return mentions


def person_mentions(v: TextView, start: int, end: int) -> list[NameMention]:
    """Leaders' names in a list; anything that is not a name (校领导按分工) is a collective reference."""
    mentions = []
    for piece in _split(v, start, end):
        if _PERSON_NAME.match(piece.text) and not piece.text.startswith("校领导"):
            mentions.append(_mention(v, piece, MentionKind.PERSON))
        else:
            # 校领导按分工 and the like: the leaders as a group, not a named person
            mentions.append(_mention(v, _Piece(piece.text, piece.start, piece.end), MentionKind.COLLECTIVE))
    return mentions


def _unit_clause(v: TextView, start: int, end: int) -> Iterator[tuple[Role, NameMention, str | None]]:
    """``党委办公室/校长办公室牵头负责…`` → lead units with the scope after the verb; no verb → lead."""
    text = v.text
    m = _VERB_RE.search(text, start, end)
    if m is None:
        units_end, role, scope = end, Role.LEAD, None
    else:
        units_end, role = m.start(), _VERB_ROLE[m.group(0)]
        scope = text[m.end() : end].strip("。.,") or None
    for mention in unit_mentions(v, start, units_end):
        yield role, mention, scope


def parse_marker(v: TextView, marker: Marker) -> list[Responsibility]:
    """All responsibilities a marker states, each with the marker's span as provenance."""
    span = v.span(marker.start, marker.end)
    out: list[Responsibility] = []
    if marker.label == "校领导按分工" or (marker.bracketed and marker.label in SUPERVISOR_LABELS):
        # （校领导：X。Y牵头负责；校领导：Z。W牵头负责…） or （校领导按分工牵头推进，各部门分工负责）
        for clause in _split(v, marker.start + 1, marker.body_end, separators=";；"):
            out.extend(_leader_clause(v, clause, span))
        return out
    role = LABEL_ROLES[marker.label]
    if role is Role.SUPERVISOR:
        names = person_mentions(v, marker.body_start, marker.body_end)
    else:
        names = unit_mentions(v, marker.body_start, marker.body_end)
    for mention in names:
        out.append(Responsibility(role=role, agent=mention, span=span))
    return out


def _leader_clause(v: TextView, clause: _Piece, span: Span) -> Iterator[Responsibility]:
    text = v.text
    s, e = clause.start, clause.end
    unit_label = next((lab for lab in LABEL_ROLES if text.startswith(lab + ":", s)), None)
    if unit_label is not None and LABEL_ROLES[unit_label] is not Role.SUPERVISOR:
        # (分管领导:X;责任部门:A、B): a second field inside the same tag
        for mention in unit_mentions(v, s + len(unit_label) + 1, e):
            yield Responsibility(LABEL_ROLES[unit_label], mention, span)
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
