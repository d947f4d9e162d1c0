"""The embedded store: pyoxigraph (RocksDB) on disk, with atomic replacement by generations.

Layout of ``--store DIR``::

    DIR/current        symlink → generations/<n>   (swapped atomically with os.replace)
    DIR/generations/<n> one complete pyoxigraph database each

    DIR/reports/<n>.ttl the validation report of generation <n> (W3C SHACL), written before it is current

A write builds a new generation (a hard-link checkpoint of the current one, via ``Store.backup``, then
the changes) and only then points ``current`` at it; a failed or interrupted write leaves ``current`` as it
was. Readers open the generation ``current`` points to, read-only, and reopen when it moves.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples, RdfFormat
from pyoxigraph import Store as OxStore

from orgkg import sparql as protocol
from orgkg.stores.base import (
    NotAcceptable,
    QuerySyntaxError,
    SelectResult,
    SparqlAnswer,
    StoreDamaged,
    StoreError,
    Term,
    quads_fingerprint,
    term_to_json,
    with_values,
)
from orgkg.stores.lock import WriterLock

FORMATS = {"trig": RdfFormat.TRIG, "nquads": RdfFormat.N_QUADS}


def _first_line(exc: BaseException) -> str:
    """The first line of an error, at most 200 characters: enough to say what, never a remote party's answer."""
    return (str(exc).splitlines() or [""])[0][:200]


class EmbeddedStore:
    """A pyoxigraph store on disk under ``directory``; see the module docstring for the layout."""

    network = False
    keeps_reports = True  # each generation keeps its validation report (see ``validation_report``)

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._store: OxStore | None = None
        self._generation: Path | None = None
        self._lock = WriterLock(self.directory / "write.lock", str(self.directory))

    # reading ---------------------------------------------------------------------------------------
    @property
    def current(self) -> Path:
        return self.directory / "current"

    def exists(self) -> bool:
        """Whether a graph has been built into this store."""
        return self.current.exists()

    def _open(self) -> OxStore:
        if not self.exists():
            raise StoreError(f"{self.directory}: no graph has been built here yet; run `orgkg build` first")
        target = self.current.resolve()
        if self._store is None or target != self._generation:
            with self._reading():
                self._store = OxStore.read_only(str(target))
            self._generation = target
        return self._store

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Errors of the database as StoreError: a damaged one (RocksDB's "Corruption: …") says the way out."""
        try:
            yield
        except RuntimeError as exc:
            if "corrupt" not in str(exc).lower():
                raise StoreError(f"{self.directory}: cannot read the store ({_first_line(exc)})") from None
            raise StoreDamaged(
                f"{self.directory}: the store is damaged and cannot be read ({_first_line(exc)}). Rebuild it from "
                f"the sources: orgkg build SOURCES --store {self.directory} (a build writes a new generation and "
                "never reads the damaged one), or restore the folder from a backup"
            ) from None
        except OSError as exc:
            raise StoreError(
                f"{self.directory}: the query failed while reading the store ({_first_line(exc)})"
            ) from exc

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> SelectResult:
        """Run a SELECT over the union of the named graphs; ``bindings`` bind variables (see ``with_values``)."""
        store = self._open()
        with self._reading():
            try:
                solutions = store.query(with_values(query, bindings or {}), use_default_graph_as_union=True)
            except SyntaxError as exc:
                raise StoreError(f"SPARQL syntax error: {exc}") from exc
            if not isinstance(solutions, QuerySolutions):
                raise StoreError("only SELECT queries are answered here")
            variables = tuple(v.value for v in solutions.variables)
            rows = []
            for solution in solutions:
                row = {}
                for name in variables:
                    term = solution[name]
                    if term is not None:
                        row[name] = term_to_json(term)
                rows.append(row)
        return SelectResult(variables, tuple(rows))

    def graph_names(self) -> list[str]:
        store = self._open()
        with self._reading():
            return sorted(g.value for g in store.named_graphs() if isinstance(g, NamedNode))

    def quad_count(self) -> int:
        store = self._open()
        with self._reading():
            return len(store)

    def dump(self, fmt: str) -> bytes:
        if fmt not in FORMATS:
            raise StoreError(f"format {fmt!r} is not one of {sorted(FORMATS)}")
        store = self._open()
        with self._reading():
            out = store.dump(format=FORMATS[fmt])
        assert out is not None
        return out

    def close(self) -> None:
        self._store = None
        self._generation = None

    def sparql(
        self, query: str, accept: str, *, row_limit: int | None = None, byte_limit: int | None = None
    ) -> SparqlAnswer:
        """Run a read query and serialize its result as negotiated; see ``Store.sparql`` for the contract."""
        store = self._open()
        with self._reading():
            try:
                # The union of all graphs is the default graph unless the query names its own dataset:
                # pyoxigraph's union option would otherwise override FROM.
                result = store.query(query, use_default_graph_as_union=not protocol.declares_dataset(query))
            except SyntaxError as exc:
                raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from exc
        form: protocol.QueryForm = "SELECT" if isinstance(result, QuerySolutions) else "CONSTRUCT"
        if isinstance(result, QueryBoolean):
            form = "ASK"
        media_type = protocol.negotiate(accept, protocol.offers(form))
        if media_type is None:
            raise NotAcceptable(f"a {form} result is available as {', '.join(protocol.offers(form))}, not {accept!r}")
        with self._reading():  # evaluation is lazy: reading errors surface while iterating
            if isinstance(result, QueryBoolean):
                return SparqlAnswer(protocol.serialize_boolean(bool(result), media_type), media_type)
            if isinstance(result, QuerySolutions):
                variables = [v.value for v in result.variables]
                rows = (
                    {name: term_to_json(term) for name in variables if (term := solution[name]) is not None}
                    for solution in result
                )
                body, truncated = protocol.answer_solutions(variables, rows, media_type, row_limit, byte_limit)
                return SparqlAnswer(body, media_type, truncated)
            assert isinstance(result, QueryTriples)
            body, truncated = protocol.answer_triples(result, media_type, row_limit, byte_limit)
            return SparqlAnswer(body, media_type, truncated)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the open database: a copy in another process reopens it read-only on first use."""
        return {"directory": self.directory}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["directory"])  # type: ignore[misc]

    def writing(self, wait: float | None = None) -> AbstractContextManager[None]:
        """Hold ``DIR/write.lock`` (see ``Store.writing`` and ``orgkg.stores.lock``)."""
        return self._lock.hold(wait)

    # writing ---------------------------------------------------------------------------------------
    def replace_graphs(
        self, graphs: Mapping[NamedNode, Iterable[Quad]], *, drop_others: bool = False, report: bytes | None = None
    ) -> None:
        """Write a new generation with ``graphs`` replaced (all other graphs dropped with ``drop_others``).

        ``report`` (a W3C SHACL validation report in Turtle) is kept with the new generation, in place before the
        generation becomes current; without one, the new generation has no report. Holds the writer lock.
        """
        with self.writing():
            self._replace_graphs(graphs, drop_others=drop_others, report=report)

    def _replace_graphs(
        self, graphs: Mapping[NamedNode, Iterable[Quad]], *, drop_others: bool, report: bytes | None
    ) -> None:
        generations = self.directory / "generations"
        generations.mkdir(parents=True, exist_ok=True)
        number = 1 + max((int(p.name) for p in generations.iterdir() if p.name.isdigit()), default=0)
        # A folder of this writer's own: even a writer that does not take the lock never shares it.
        staging = generations / f"{number}.staging-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        store: OxStore | None = None
        try:
            store = self._stage(staging, graphs, drop_others)
            store.bulk_extend(q for quads in graphs.values() for q in quads)
            store.flush()
            store.optimize()
            store = None  # closes the database before it is moved
            final = generations / str(number)
            os.replace(staging, final)
            if report is not None:
                self._save_report(final.name, report)
            link = self.directory / "current.new"
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(Path("generations") / str(number))
            os.replace(link, self.current)  # the atomic step: readers see the old or the new, never a mix
        except BaseException:
            store = None  # release the database's files before deleting them
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self._prune(keep={final.name})

    def _stage(self, folder: Path, graphs: Mapping[NamedNode, Iterable[Quad]], drop_others: bool) -> OxStore:
        """A new database in ``folder``: the current generation (unless ``drop_others``) without ``graphs``.

        The caller adds the graphs' quads, so that on failure it holds the only reference to the database.
        """
        if self.exists() and not drop_others:
            with self._reading():
                OxStore.read_only(str(self.current.resolve())).backup(str(folder))
            store = OxStore(str(folder))
            for g in graphs:
                store.remove_graph(g)
        else:
            store = OxStore(str(folder))
        return store

    @contextmanager
    def staged(self, graphs: Mapping[NamedNode, Iterable[Quad]]) -> Iterator[OxStore]:
        """The current generation with ``graphs`` replaced, as a throw-away database (to check a write before it).

        A hard-link checkpoint plus the changes: its cost is that of the changes, not of the store.
        """
        folder = Path(tempfile.mkdtemp(prefix="staged-", dir=self.directory))
        shutil.rmtree(folder)  # the checkpoint wants to create its folder
        store: OxStore | None = None
        try:
            store = self._stage(folder, graphs, drop_others=False)
            store.bulk_extend(q for quads in graphs.values() for q in quads)
            yield store
        finally:
            store = None
            shutil.rmtree(folder, ignore_errors=True)

    def generation(self) -> OxStore:
        """The database of the current generation, read-only (to validate it in place)."""
        return self._open()

    def validation_report(self) -> bytes | None:
        """The validation report kept with the current generation (W3C SHACL, Turtle), None if it has none."""
        if not self.exists():
            return None
        try:
            return (self.directory / "reports" / f"{self.current.resolve().name}.ttl").read_bytes()
        except OSError:
            return None

    def _save_report(self, generation: str, report: bytes) -> None:
        folder = self.directory / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".ttl")
        with os.fdopen(fd, "wb") as f:
            f.write(report)
        os.replace(tmp, folder / f"{generation}.ttl")

    def _prune(self, keep: set[str]) -> None:
        """Delete older generations (a reader holding one open keeps its files until it closes them)."""
        for p in (self.directory / "generations").iterdir():
            if p.name not in keep:
                shutil.rmtree(p, ignore_errors=True)
        for kept in ("fingerprints", "reports"):
            folder = self.directory / kept
            if folder.is_dir():
                for f in folder.iterdir():
                    if f.stem not in keep:
                        f.unlink(missing_ok=True)

    # fingerprints of stored graphs (what `orgkg add` compares with) --------------------------------------
    def _manifest(self) -> tuple[Path, dict[str, str]]:
        """The fingerprint file of the current generation and what it holds (empty when not made yet)."""
        path = self.directory / "fingerprints" / f"{self.current.resolve().name}.json"
        try:
            known = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        return path, known if isinstance(known, dict) else {}

    def _save_manifest(self, path: Path, known: Mapping[str, str]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(dict(sorted(known.items())), f)
        os.replace(tmp, path)

    def graph_fingerprints(self, graphs: Iterable[NamedNode]) -> dict[str, str]:
        """``quads_fingerprint`` of each stored graph, kept per generation so each graph is hashed once.

        A generation never changes once written, so what was computed for it stays true; a write makes a new
        generation, whose file starts empty unless the writer records the fingerprints it wrote.
        """
        store = self._open()
        path, known = self._manifest()
        missing = [g for g in graphs if g.value not in known]
        with self._reading():
            for g in missing:
                known[g.value] = quads_fingerprint(store.quads_for_pattern(None, None, None, g))
        if missing:
            self._save_manifest(path, known)
        return {g.value: known[g.value] for g in graphs}

    def record_fingerprints(self, fingerprints: Mapping[str, str]) -> None:
        """Record the fingerprints of graphs just written (``quads_fingerprint`` of the quads given)."""
        path, known = self._manifest()
        self._save_manifest(path, {**known, **fingerprints})
