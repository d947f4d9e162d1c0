"""Plain typed records passed between the pipeline stages.

Extraction produces these from text and knows nothing of RDF; mapping turns them into RDF and knows no
regular expressions. Every record that states a fact carries a :class:`Span` into the verbatim source text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, order=True)
class Span:
    """Half-open character range ``[start, end)`` into a document's verbatim text.

    >>> Span(2, 5).quote("0123456")
    '234'
    """

    start: int
    end: int

    def quote(self, text: str) -> str:
        """The verbatim source text under the span."""
        return text[self.start : self.end]

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")


class Role(StrEnum):
    """How an agent is responsible for a task (a qualified responsibility)."""

    SUPERVISOR = "supervisor"  # 分管领导 / 校领导
    LEAD = "lead"  # 牵头单位 / 牵头负责
    RESPONSIBLE = "responsible"  # 责任部门 / 责任单位 / 责任科室 / 负责
    PARTICIPANT = "participant"  # 配合 / 参与 / 协办


class MentionKind(StrEnum):
    """What kind of thing a name in a responsibility field refers to (before resolution)."""

    PERSON = "person"
    UNIT = "unit"
    ORGANIZATION = "organization"
    COLLECTIVE = "collective"  # 各部门, 相关教学部, 校领导（按分工）: a group, never a named unit


class DocumentKind(StrEnum):
    """The kind of plan a source document is (the words of each kind are the lexicon's ``document_kinds``)."""

    WORK_PLAN = "work-plan"  # 工作要点, 工作计划, 重点工作
    IMPLEMENTATION_PLAN = "implementation-plan"  # 实施方案, 行动方案, 实施意见, 若干措施
    STRATEGIC_PLAN = "strategic-plan"  # 规划, 纲要 (including slide decks presenting one)
    DIVISION = "division"  # 分工方案, 任务分解, 责任分解, 责任清单: who does what of another plan
    PROGRESS_REPORT = "progress-report"  # 进展情况, 推进情况, 落实情况
    PLAN = "plan"  # a document assigning tasks whose title names none of the kinds above (…的通知)


@dataclass(frozen=True)
class NameMention:
    """A name as written in a document, with the aliases written beside it: 宣传部（新闻中心）."""

    name: str  # normalized main name: 宣传部
    span: Span
    kind: MentionKind
    aliases: tuple[str, ...] = ()  # normalized bracketed names: ("新闻中心",)
    written: str = ""  # the name in the document's own script where it differs (市發改委 for 市发改委)


@dataclass(frozen=True)
class Responsibility:
    """One agent's role for one task, with the span of the field or tag that says so."""

    role: Role
    agent: NameMention
    span: Span  # the whole responsibility statement (field line or bracketed tag)
    scope: str | None = None  # 教学改革事项和研究生教育工作 in "教务部牵头负责教学改革事项…"


@dataclass(frozen=True)
class Citation:
    """A cited work written in 《》: the title as written (normalized whitespace) and its span."""

    title: str
    span: Span


@dataclass(frozen=True)
class ProgrammeMention:
    """A programme named in the text (“1233”工程, 四个平台, 海外学习中心建设计划)."""

    name: str
    span: Span


@dataclass(frozen=True)
class Section:
    """A numbered section heading (一、…) that groups tasks."""

    ordinal: int
    label: str  # as printed: 一、
    title: str
    span: Span


@dataclass(frozen=True)
class Task:
    """A numbered task of a plan with its responsibilities and the works it cites.

    Programme mentions are found at resolution, when the names defined anywhere in the corpus are known.
    """

    sequence: int  # 1-based position in the document; unique per document
    ordinal: int  # the printed number's value (1..39, （一）→1)
    label: str  # the printed number: "1．", "（一）", "十二、"
    title: str
    text: str  # full text, whitespace-normalized
    span: Span
    section: Section | None
    responsibilities: tuple[Responsibility, ...]
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class PostHolding:
    """A person holding posts, as a document attests: 国家开放大学党委书记、校长荆德刚."""

    person: str
    organization: str
    posts: tuple[str, ...]
    span: Span


@dataclass(frozen=True)
class ProgrammeDefinition:
    """A programme a document defines, with its parts in order (1233工程 → 打造一支队伍, …)."""

    name: str
    span: Span
    parts: tuple[str, ...] = ()
    category: str | None = None  # 工程 / 计划 / 转变 / 平台 / 任务 … from the name or its collection
    ordinal: int | None = None  # 专栏 number, or position in a numbered collection


@dataclass(frozen=True)
class DocumentHeader:
    """What a document says about itself (or what its sidecar metadata adds)."""

    title: str
    kind: DocumentKind
    organization: str  # the organization the plan is for: 国家开放大学
    organization_aliases: tuple[str, ...] = ()  # 湖北科技职业学院 for 湖北开放大学（湖北科技职业学院）
    issuers: tuple[str, ...] = ()
    number: str | None = None  # 文号: 国开发〔2020〕1号
    date: str | None = None  # ISO date of issue
    year: int | None = None  # the year the plan is for (else the year issued); None when nothing says
    title_span: Span | None = None
    # The fields (of HEADER_FIELDS) that the header does not state and were inferred by a fallback (the title
    # from the file name, a generic kind, the year from the body …); reported as warnings of the build.
    inferred: tuple[str, ...] = ()


HEADER_FIELDS = ("title", "kind", "year", "issuer", "organization")


@dataclass(frozen=True)
class SourceText:
    """A source file decoded to text, verbatim; spans index into ``text``."""

    path: str  # as given, relative where possible
    name: str  # file name
    sha256: str
    text: str
    media_type: str = "text/plain"


@dataclass(frozen=True)
class ExtractedDocument:
    """Everything extracted from one source document."""

    source: SourceText
    header: DocumentHeader
    sections: tuple[Section, ...] = ()
    tasks: tuple[Task, ...] = ()
    citations: tuple[Citation, ...] = ()
    programme_definitions: tuple[ProgrammeDefinition, ...] = ()
    post_holdings: tuple[PostHolding, ...] = ()
    warnings: tuple[str, ...] = field(default=())
