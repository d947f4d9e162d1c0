"""The JSON shapes of the lookup resources (their OpenAPI schemas); keys are lowerCamelCase like the query columns."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Ref(BaseModel):
    """A link to an entity: its API id, IRI, API path and label."""

    id: str = Field(description="the entity's id in this API (its IRI's path segments after the kind)")
    iri: str = Field(description="the entity's IRI, which dereferences here under /id/")
    href: str = Field(description="the API path describing the entity")
    label: str | None = Field(default=None, description="its name or title")
    type: str = Field(description="organization, unit, person, collective, document, task, policy, programme, …")


class Page(BaseModel, Generic[T]):
    """One page of a list; follow ``next`` for the rest."""

    items: list[T]
    total: int = Field(description="items in the whole list")
    limit: int
    offset: int
    next: str | None = Field(default=None, description="path of the next page, if any")
    prev: str | None = Field(default=None, description="path of the previous page, if any")


class Organization(Ref):
    aliases: list[str] = Field(default_factory=list)
    units: int = Field(default=0, description="number of its units")
    documents: int = Field(default=0, description="number of plans for it")


class Unit(Ref):
    aliases: list[str] = Field(default_factory=list)
    kind: str = Field(default="unit", description="unit or leading group")
    organization: Ref | None = None
    tasks: int = Field(default=0, description="tasks naming the unit in any role")


class Post(BaseModel):
    role: str = Field(description="the post held (校领导, 党委书记 …)")
    organization: Ref | None = None
    document: Ref | None = Field(default=None, description="the document attesting it")
    date: str | None = Field(default=None, description="the date it is attested on")


class Leader(Ref):
    pinyin: str = Field(default="", description="the name in pinyin, without tones")
    organization: Ref | None = None
    posts: list[Post] = Field(default_factory=list)
    tasks: int = Field(default=0, description="tasks the person supervises")
    years: list[int] = Field(default_factory=list, description="plan years with supervised tasks")


class Quote(BaseModel):
    quote: str = Field(description="the source text, verbatim")
    start: int = Field(description="character offset in the document")
    end: int | None = Field(default=None, description="character offset just after the quote")
    document: Ref | None = None


class TaskRow(Ref):
    """A task in a list, with the role and source quote of the entity the list is about (when there is one)."""

    title: str
    year: int | None = None
    ordinal: int | None = None
    document: Ref | None = None
    role: str | None = Field(
        default=None, description="supervising leader / lead unit / responsible unit / participant"
    )
    agent: Ref | None = Field(default=None, description="who holds the role")
    mentioned: Ref | None = Field(default=None, description="the programme, part or policy the quote names")
    quote: str | None = Field(default=None, description="the source text stating the role or mention, verbatim")
    start: int | None = Field(default=None, description="character offset of the quote")


class Responsibility(BaseModel):
    iri: str
    role: str = Field(description="supervising leader / lead unit / responsible unit / participant")
    agent: Ref
    scope: str | None = Field(default=None, description="the part of the task the agent is responsible for")
    source: Quote | None = None


class Task(Ref):
    title: str
    text: str | None = None
    year: int | None = None
    ordinal: int | None = None
    numberLabel: str | None = None
    document: Ref
    section: str | None = Field(default=None, description="title of the section the task is in")
    organization: Ref | None = None
    responsibilities: list[Responsibility] = Field(default_factory=list)
    source: Quote | None = Field(default=None, description="the whole task text in the source")
    policies: list[Ref] = Field(default_factory=list, description="policies the task cites")
    programmes: list[Ref] = Field(default_factory=list, description="programmes the task mentions")
    continues: list[Ref] = Field(default_factory=list, description="the task on the same theme in the previous plan")
    continuedBy: list[Ref] = Field(default_factory=list, description="the task on the same theme in the next plan")


class Document(Ref):
    title: str
    identifier: str | None = Field(default=None, description="文号, when the document has one")
    issued: str | None = None
    year: int | None = None
    kinds: list[str] = Field(
        default_factory=list,
        description="WorkPlan, ImplementationPlan, StrategicPlan, DivisionPlan, ProgressReport or OtherPlan",
    )
    organization: Ref | None = None
    tasks: int = 0


class Section(BaseModel):
    ordinal: int | None = None
    numberLabel: str | None = None
    title: str | None = None


class DocumentDetail(Document):
    creators: list[Ref] = Field(default_factory=list)
    sourceFile: str | None = None
    sha256: str | None = None
    textLength: int | None = None
    sections: list[Section] = Field(default_factory=list)
    policies: list[Ref] = Field(default_factory=list, description="policies the document cites")


class Programme(Ref):
    category: str | None = None
    broader: Ref | None = Field(default=None, description="the whole this programme is part of")
    parts: int = Field(default=0, description="number of direct parts")
    definedIn: Ref | None = None


class ProgrammePart(BaseModel):
    part: Ref
    parent: Ref = Field(description="the whole the part directly belongs to")
    category: str | None = None
    quote: str | None = Field(default=None, description="the source text that lists the part")


class Policy(Ref):
    title: str
    aliases: list[str] = Field(default_factory=list)
    creators: list[Ref] = Field(default_factory=list)
    citations: int = Field(default=0, description="how many times documents cite it")


class Citation(BaseModel):
    document: Ref
    year: int | None = None
    task: Ref | None = None
    quote: str
    start: int


class SearchHit(Ref):
    matched: str = Field(description="the name, alias, title or pinyin that matched")
    via: str = Field(description="name, alias, title or pinyin")


class ValidationResult(BaseModel):
    severity: str
    rule: str | None = None
    message: str | None = None
    messages: dict[str, str] = Field(default_factory=dict, description="the message by language")
    focusNode: str | None = None
    path: str | None = None
    value: str | None = None


class Validation(BaseModel):
    conforms: bool
    counts: dict[str, int]
    generated: str | None = Field(default=None, description="when the report was written (ISO 8601)")
    results: Page[ValidationResult]


class Value(BaseModel):
    value: str
    type: str = Field(description="uri, literal or bnode")
    datatype: str | None = None
    lang: str | None = None
    label: str | None = Field(default=None, description="the label of the entity an IRI names")
    href: str | None = Field(default=None, description="where the entity an IRI names is described here")


class Entity(BaseModel):
    iri: str
    href: str | None = Field(default=None, description="the lookup resource for this kind of entity, if there is one")
    label: str | None = None
    types: list[str] = Field(default_factory=list)
    properties: dict[str, list[Value]] = Field(description="outgoing statements by property (CURIE)")
    referencedBy: dict[str, list[Value]] = Field(default_factory=dict, description="incoming statements (capped)")


class Health(BaseModel):
    status: str
    quads: int
    graphs: int
    workers: int
    lanes: dict[str, int] = Field(default_factory=dict, description="live workers per lane (lookup, public)")


class SparqlHead(BaseModel):
    vars: list[str] = Field(default_factory=list)
    link: list[str] | None = None


class SparqlBindings(BaseModel):
    bindings: list[dict[str, dict[str, str]]]


class SparqlResults(BaseModel):
    """SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/)."""

    head: SparqlHead
    results: SparqlBindings | None = None
    boolean: bool | None = None


class QueryParameter(BaseModel):
    name: str
    type: str = Field(description="name, title, string, integer or iri")
    required: bool
    example: str | None = None
    description: str = ""


class QueryColumn(BaseModel):
    name: str
    description: str = ""


class NamedQueryInfo(BaseModel):
    name: str
    summary: str
    description: str = ""
    href: str = Field(description="the path that runs it")
    parameters: list[QueryParameter]
    columns: list[QueryColumn]
