"""The build: sources → segment → extract → resolve → map → (validate) → store, atomically."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, parse

from orgkg import iris
from orgkg.extract.citations import find_citations
from orgkg.extract.header import extract_header, load_sidecar
from orgkg.extract.posts import find_post_holdings
from orgkg.extract.programmes import find_programme_definitions
from orgkg.extract.tables import extract_table_tasks
from orgkg.extract.tasks import extract_tasks
from orgkg.map import Graphs, agent_iri, count_by_class, map_corpus
from orgkg.records import DocumentHeader, DocumentKind, ExtractedDocument, MentionKind, Role, SourceText, Task
from orgkg.resolve import Resolution, resolve
from orgkg.segment import segment
from orgkg.source import SourceError, discover, read_source
from orgkg.themes import ThemeItem, link_plans
from orgkg.vocab import OKG

ONTOLOGY_FILE = Path(__file__).resolve().parent.parent / "ontology" / "orgkg.ttl"
Progress = Callable[[str], None]


def extract_document(path: Path) -> ExtractedDocument:
    """Everything one source file states, as records; SourceError names the file when it is unusable."""
    return extract_document_from(read_source(path))


def extract_document_from(source: SourceText) -> ExtractedDocument:
    """Everything a source text states, as records; header fields a fallback inferred become warnings."""
    path = source.path
    layout = segment(source.text)
    header = extract_header(source, layout, load_sidecar(Path(path)))
    sections, tasks = extract_tasks(source.text, layout)
    tasks = tasks + extract_table_tasks(source.text, first_sequence=len(tasks) + 1)
    definitions = find_programme_definitions(source.text)
    if not tasks and not definitions:
        raise SourceError(
            f"{path}: no tasks found (expected numbered items with 分管领导/责任部门/牵头单位 fields, "
            "（责任单位：…） tags or a task table) and no programmes defined; is this a work plan?"
        )
    citations = find_citations(source.text, layout)
    tasks = tuple(
        replace(t, citations=tuple(c for c in citations if t.span.start <= c.span.start < t.span.end)) for t in tasks
    )
    orgs = [header.organization, *header.organization_aliases, *header.issuers]
    posts = find_post_holdings(source.text, orgs)
    return ExtractedDocument(
        source=source,
        header=header,
        sections=sections,
        tasks=tasks,
        citations=citations,
        programme_definitions=definitions,
        post_holdings=posts,
        warnings=header_warnings(path, header),
    )


def header_warnings(path: str, header: DocumentHeader) -> tuple[str, ...]:
    """One warning per header field a fallback inferred, naming the file and the value used."""
    values = {
        "title": header.title,
        "kind": header.kind.value,
        "year": str(header.year) if header.year is not None else "unknown",
        "issuer": "、".join(header.issuers) or "unknown",
        "organization": header.organization,
    }
    return tuple(
        f"{path}: the header states no {name}; inferred {values[name]!r}"
        if values[name] != "unknown"
        else f"{path}: the header states no {name}; left unknown"
        for name in header.inferred
    )


@dataclass
class BuildResult:
    """What a build produced, for summaries and the closing of `orgkg build`."""

    documents: list[ExtractedDocument]
    resolution: Resolution
    graphs: Graphs
    skipped: list[str] = field(default_factory=list)  # one reason per source gone past ("path: why")
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def warnings(self) -> list[str]:
        """The documents' warnings (header fields inferred), in source order."""
        return [w for d in self.documents for w in d.warnings]

    def summary(self) -> dict[str, int]:
        """Counts of what was built, for the end of `orgkg build` and the closing notes."""
        classes = count_by_class(self.graphs)
        res = self.resolution
        leaders = {
            res.agent(ctx.key, r.agent).iri
            for ctx in res.documents
            for t in ctx.doc.tasks
            for r in t.responsibilities
            if r.role is Role.SUPERVISOR and r.agent.kind is MentionKind.PERSON
        }
        return {
            "documents": len(self.documents),
            "tasks": classes.get(OKG.Task.value, 0),
            "responsibilities": classes.get(OKG.Responsibility.value, 0),
            "leaders": len(leaders),
            "persons": len(res.persons),
            "organizations": len(res.organizations),
            "units": len(res.units),
            "collective references": len(res.collectives),
            "programmes": len(res.programmes),
            "policies": len(res.policies),
            "triples": sum(len(q) for q in self.graphs.values()),
        }


def theme_links(res: Resolution) -> list[tuple[NamedNode, NamedNode]]:
    """okg:continues links between consecutive work plans of each organization."""
    plans = []
    for ctx in res.documents:
        h = ctx.doc.header
        if h.kind is not DocumentKind.WORK_PLAN or h.year is None or not ctx.doc.tasks:
            continue
        items = [
            ThemeItem(iris.task(ctx.key, t.sequence).value, h.year, t.title, t.text, _principal_units(res, ctx.key, t))
            for t in ctx.doc.tasks
        ]
        plans.append((ctx.organization.iri.value, h.year, items))
    return [(NamedNode(a), NamedNode(b)) for a, b, _ in link_plans(plans)]


def _principal_units(res: Resolution, doc_key: str, task: Task) -> tuple[str, ...]:
    lead = [r for r in task.responsibilities if r.role is Role.LEAD]
    chosen = lead or [r for r in task.responsibilities if r.role is Role.RESPONSIBLE]
    return tuple(sorted({agent_iri(res.agent(doc_key, r.agent)).value for r in chosen}))


def ontology_quads() -> list[Quad]:
    """The ontology, into its own named graph (so queries can read labels of roles and classes).

    Blank nodes (OWL restrictions and lists) get labels by order of appearance, so the same ontology file
    always gives the same quads (parsers otherwise invent fresh labels on every run).
    """
    labels: dict[str, BlankNode] = {}

    def stable(term: Any) -> Any:
        if isinstance(term, BlankNode):
            return labels.setdefault(term.value, BlankNode(f"ontology{len(labels)}"))
        return term

    with ONTOLOGY_FILE.open("rb") as f:
        return [
            Quad(stable(t.subject), t.predicate, stable(t.object), iris.ONTOLOGY_GRAPH)
            for t in parse(f, RdfFormat.TURTLE)
        ]


def build_graphs(
    sources: Iterable[Path], *, keep_going: bool = False, strict: bool = False, progress: Progress | None = None
) -> BuildResult:
    """Extract, resolve and map all sources.

    A source found in a folder that cannot be used (undecodable, empty, no tasks) is gone past and listed in
    ``skipped`` with its reason; a source named as a file fails the build (SourceError) unless ``keep_going``.
    ``strict`` goes past nothing: every unusable source is collected and the build fails naming them all.
    """
    say = progress or (lambda _msg: None)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    named: list[tuple[Path, bool]] = []  # (path, found in a folder)
    for source in sources:
        named.extend((p, source.is_dir()) for p in discover([source]))
    if not named:
        raise SourceError("no source files found (expected .txt, .md, .pdf, .docx or .html files)")
    docs: list[ExtractedDocument] = []
    skipped: list[str] = []
    for i, (path, in_folder) in enumerate(named, start=1):
        try:
            doc = extract_document(path)
        except SourceError as exc:
            if not (strict or keep_going or in_folder):
                raise
            skipped.append(str(exc))
            say(f"skipped: {exc}")
            continue
        docs.append(doc)
        say(
            f"[{i}/{len(named)}] {path.name}: {len(doc.tasks)} tasks, "
            f"{len(doc.programme_definitions)} programme definitions"
        )
    if strict and skipped:
        raise SourceError(f"{len(skipped)} source(s) cannot be used (--strict):\n  " + "\n  ".join(skipped))
    if not docs:
        raise SourceError("none of the sources could be used: " + "; ".join(skipped))
    timings["extract"] = time.perf_counter() - t0
    result = map_documents(docs)
    result.skipped = skipped
    result.seconds = {**timings, **result.seconds}
    if strict and result.warnings:
        raise SourceError(
            f"{len(result.warnings)} header field(s) inferred (--strict):\n  " + "\n  ".join(result.warnings)
        )
    return result


def map_documents(docs: list[ExtractedDocument]) -> BuildResult:
    """Resolve a corpus of extracted documents and map it to graphs (all of them, ontology included)."""
    timings: dict[str, float] = {}
    t1 = time.perf_counter()
    res = resolve(docs)
    links = theme_links(res)
    timings["resolve"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    graphs = map_corpus(res, links)
    graphs[iris.ONTOLOGY_GRAPH] = ontology_quads()
    timings["map"] = time.perf_counter() - t2
    return BuildResult(docs, res, graphs, [], timings)


def stderr_progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)
