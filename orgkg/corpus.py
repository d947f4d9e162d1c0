"""Adding, replacing and removing documents of a built store, without rebuilding it by hand.

The store itself says which documents it holds (every document node carries ``okg:sha256`` and
``okg:sourceFile``). A content-addressed cache beside it keeps each source's bytes and extracted records by
hash, so an unchanged document is never extracted again. A change re-resolves the whole corpus (identities
depend on every document: a unit named by its second name elsewhere, a title cited with and without issuer),
maps it again, and writes only the graphs whose content changed — the changed documents' graphs, the shared
``graph/entities`` and ``graph/derived`` — and drops the graphs of removed documents, in one atomic store write.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode, NamedNode, Quad

from orgkg import iris
from orgkg.extract.header import sidecar_path
from orgkg.pipeline import BuildResult, extract_document_from, map_documents
from orgkg.records import ExtractedDocument, SourceText
from orgkg.resolve import document_key
from orgkg.source import SourceError, read_source
from orgkg.stores.base import Store, quads_fingerprint
from orgkg.stores.remote import json_to_term
from orgkg.textnorm import name_key

CACHE_VERSION = "1"  # bump when the records change shape: old cache entries are then re-extracted


class CorpusError(Exception):
    """A document cannot be added or removed; the message names it."""


@dataclass(frozen=True)
class StoredDocument:
    """A document the store holds, as the store describes it."""

    iri: str
    sha256: str
    source_file: str
    title: str
    number: str | None


@dataclass
class Change:
    """What an add or remove did, for the command's report."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    graphs_written: list[str] = field(default_factory=list)
    graphs_dropped: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # by stage: read, extract, map, compare, check, write


class Cache:
    """Content-addressed: ``<sha256>.src`` (the bytes as received) and ``<sha256>.<version>.pickle`` (records).

    Holds what the store holds, nothing more: a document enters once it is written to the store, and leaves
    when the store no longer holds it (``prune``).

    Only orgkg writes these files (pickle is not read from anywhere else); a missing or unreadable record
    is re-extracted from the bytes.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def put_source(self, sha256: str, raw: bytes, original: Path) -> Path:
        """Keep a source's bytes, its file name and its sidecar metadata (``.meta.yaml``), if any."""
        path = self.folder / f"{sha256}.src"
        if not path.exists():
            _atomic_write(path, raw)
            _atomic_write(self.folder / f"{sha256}.name", original.name.encode("utf-8"))
            sidecar = sidecar_path(original)
            if sidecar.exists():
                _atomic_write(sidecar_path(path), sidecar.read_bytes())
        return path

    def put_records(self, doc: ExtractedDocument) -> None:
        _atomic_write(self._records(doc.source.sha256), pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))

    def get(self, sha256: str) -> ExtractedDocument | None:
        records = self._records(sha256)
        if records.exists():
            try:
                doc = pickle.loads(records.read_bytes())
                if isinstance(doc, ExtractedDocument):
                    return doc
            except Exception:  # an old or damaged entry: extract again from the bytes
                pass
        raw = self.folder / f"{sha256}.src"
        if not raw.exists():
            return None
        name = (self.folder / f"{sha256}.name").read_text(encoding="utf-8")
        doc = extract_document_from(read_source_named(raw, name))
        self.put_records(doc)
        return doc

    def _records(self, sha256: str) -> Path:
        return self.folder / f"{sha256}.{CACHE_VERSION}.pickle"

    def prune(self, keep: set[str]) -> int:
        """Delete every entry whose hash is not in ``keep`` (and temporary files left by a crash); how many files.

        Called by the store's writer, under its lock, with the hashes of the documents the store now holds:
        replaced, removed and rejected documents take no room. The cache belongs to one store.
        """
        if not self.folder.is_dir():
            return 0
        removed = 0
        for entry in self.folder.iterdir():
            sha = entry.name.split(".", 1)[0]
            if entry.is_file() and (entry.name.startswith(".tmp-") or sha not in keep):
                entry.unlink(missing_ok=True)
                removed += 1
        return removed


def read_source_named(path: Path, name: str) -> SourceText:
    """A cached source read back under its original file name (the name is part of its provenance)."""
    source = read_source(path)
    return SourceText(source.path, name, source.sha256, source.text, source.media_type)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


_DOCUMENTS = """PREFIX okg: <https://w3id.org/orgkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?doc ?sha ?file ?title ?number WHERE {
  ?doc okg:sha256 ?sha ; okg:sourceFile ?file ; dcterms:title ?title .
  OPTIONAL { ?doc dcterms:identifier ?number }
} ORDER BY ?doc"""


def stored_documents(store: Store) -> list[StoredDocument]:
    """The documents a store holds."""
    return [
        StoredDocument(str(r["doc"]), str(r["sha"]), str(r["file"]), str(r["title"]), r["number"])
        for r in store.select(_DOCUMENTS).values()
    ]


def graph_fingerprint(store: Store, graph: NamedNode) -> str:
    """``quads_fingerprint`` of a named graph as stored, for any backend (read back with one SELECT)."""
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}")
    bnodes: dict[str, BlankNode] = {}
    return quads_fingerprint(
        Quad(json_to_term(r["s"], bnodes), json_to_term(r["p"], bnodes), json_to_term(r["o"], bnodes))  # type: ignore[arg-type]
        for r in rows.bindings
    )


def stored_fingerprints(store: Store, graphs: Iterable[NamedNode]) -> dict[str, str]:
    """Fingerprints of stored graphs: from the store's own record where it keeps one (embedded), else read back."""
    own = getattr(store, "graph_fingerprints", None)
    if callable(own):
        found: dict[str, str] = own(graphs)
        return found
    return {g.value: graph_fingerprint(store, g) for g in graphs}


def find_document(docs: Sequence[StoredDocument], ref: str) -> StoredDocument:
    """The stored document a reference names: its IRI, 文号, title or source file name."""
    key = name_key(ref)
    for d in docs:
        if ref in (d.iri, d.source_file) or key in {name_key(d.title), name_key(d.number or "")}:
            return d
    names = "; ".join(f"{d.number or d.title} ({d.source_file})" for d in docs) or "none"
    raise CorpusError(f"no document {ref!r} in the store; it holds: {names}")


Validator = Callable[[BuildResult, set[NamedNode]], bool | bytes]
"""Given the new build and the graphs about to be written: False refuses the update; True, or the validation
report of the store as it will be (W3C SHACL Turtle, kept with the data by stores that keep reports), lets it go."""


def update(
    store: Store,
    cache: Cache,
    *,
    add: Sequence[Path] = (),
    remove: Sequence[str] = (),
    check: Validator | None = None,
    wait: float | None = None,
    extracted: Mapping[Path, ExtractedDocument] | None = None,
) -> Change:
    """Add (or replace) and remove documents; one atomic store write of exactly the graphs that changed.

    ``check`` is given the new build and the graphs about to be written; returning False aborts the update
    before anything is written (the validation gate of ``orgkg add``). ``extracted`` holds records already
    read from files of ``add`` (the server reads uploads in a limited child process first). The whole
    read-modify-write holds the store's writer lock (``Store.writing``, at most ``wait`` seconds to get it),
    so a writer in another process (``orgkg add``, ``POST /documents``) never works from the generation this
    one is replacing.
    """
    with store.writing(wait):
        return _update(store, cache, add=add, remove=remove, check=check, extracted=extracted or {})


def _update(
    store: Store,
    cache: Cache,
    *,
    add: Sequence[Path],
    remove: Sequence[str],
    check: Validator | None,
    extracted: Mapping[Path, ExtractedDocument],
) -> Change:
    change = Change()
    clock = _Stages(change.seconds)
    stored = stored_documents(store)
    by_sha = {d.sha256: d for d in stored}
    corpus: dict[str, ExtractedDocument] = {}  # document key → records
    stored_keys: list[str] = []
    for d in stored:
        doc = cache.get(d.sha256)
        if doc is None:
            raise CorpusError(
                f"the cache {cache.folder} has no copy of {d.source_file} ({d.sha256[:12]}); "
                "rebuild the store with `orgkg build` (which fills the cache) before adding documents"
            )
        corpus[document_key(doc)] = doc
        stored_keys.append(document_key(doc))
    clock.lap("read")
    for ref in remove:
        target = find_document(stored, ref)
        key = next(k for k, doc in corpus.items() if doc.source.sha256 == target.sha256)
        del corpus[key]
        change.removed.append(target.source_file)
    pending: list[tuple[bytes, Path, ExtractedDocument]] = []  # cached only once the store holds them
    for path in add:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CorpusError(f"{path}: cannot read ({exc.strerror})") from exc
        sha = hashlib.sha256(raw).hexdigest()
        if sha in by_sha:
            same = by_sha[sha]
            if same.source_file in change.removed:  # replaced by itself (PUT of the same bytes): keep it
                change.removed.remove(same.source_file)
                kept = cache.get(sha)
                if kept is not None:
                    corpus[document_key(kept)] = kept
            change.unchanged.append(path.name)
            continue
        doc = extracted.get(path) or extract_document_from(read_source(path))
        pending.append((raw, path, doc))
        key = document_key(doc)
        (change.replaced if key in corpus else change.added).append(path.name)
        corpus[key] = doc
    clock.lap("extract")
    if not change.added and not change.replaced and not change.removed:
        return change
    if not corpus:
        raise CorpusError("removing every document would leave an empty store; use `orgkg build` on new sources")
    result = map_documents(list(corpus.values()))
    clock.lap("map")
    writes: dict[NamedNode, list[Quad]] = {}
    stored_names = _graph_names(store)
    new = {g: quads_fingerprint(q) for g, q in result.graphs.items() if g != iris.ONTOLOGY_GRAPH}
    old = stored_fingerprints(store, [g for g in new if g.value in stored_names])
    for graph, quads in result.graphs.items():
        if graph == iris.ONTOLOGY_GRAPH and graph.value in stored_names:
            continue
        if graph == iris.ONTOLOGY_GRAPH or new[graph] != old.get(graph.value):
            writes[graph] = quads
    gone = {iris.document_graph(key).value for key in stored_keys} - {g.value for g in result.graphs}
    for g in sorted(gone):
        writes[NamedNode(g)] = []
    clock.lap("compare")
    verdict = True if check is None else check(result, set(writes))
    if verdict is False:
        raise CorpusError("the updated graph has SHACL violations; nothing was written (see the report)")
    clock.lap("check")
    for raw, path, doc in pending:
        cache.put_source(doc.source.sha256, raw, path)
        cache.put_records(doc)
    try:
        store.replace_graphs(writes, report=verdict if isinstance(verdict, bytes) else None)
    except BaseException:
        cache.prune({d.sha256 for d in stored})  # the store still holds the old documents only
        raise
    cache.prune({doc.source.sha256 for doc in corpus.values()})  # replaced and removed documents go
    record = getattr(store, "record_fingerprints", None)
    if callable(record):  # what was just written (and what it left alone) is known: no need to hash it again
        record({g.value: fp for g, fp in new.items() if g.value not in gone})
    clock.lap("write")
    change.graphs_written = sorted(g.value for g, q in writes.items() if q)
    change.graphs_dropped = sorted(gone)
    return change


class _Stages:
    """Seconds per stage into ``seconds``: each ``lap`` records the time since the previous one."""

    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self.last
        self.last = now


def _graph_names(store: Store) -> set[str]:
    return set(store.graph_names())


def fill_cache(cache: Cache, documents: Iterable[ExtractedDocument]) -> None:
    """Keep the bytes and records of every document a build used, so later adds need not re-extract them."""
    for doc in documents:
        path = Path(doc.source.path)
        if path.is_file():
            cache.put_source(doc.source.sha256, path.read_bytes(), path)
        cache.put_records(doc)


__all__ = ["Cache", "Change", "CorpusError", "SourceError", "fill_cache", "stored_documents", "update"]
