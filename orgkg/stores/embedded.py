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
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from itertools import islice
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
    StoreError,
    Term,
    quads_fingerprint,
    term_to_json,
    with_values,
)

FORMATS = {"trig": RdfFormat.TRIG, "nquads": RdfFormat.N_QUADS}


class EmbeddedStore:
    """A pyoxigraph store on disk under ``directory``; see the module docstring for the layout."""

    keeps_reports = True  # each generation keeps its validation report (see ``validation_report``)

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._store: OxStore | None = None
        self._generation: Path | None = None

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
            try:
                self._store = OxStore.read_only(str(target))
            except OSError as exc:
                raise StoreError(f"{target}: cannot open the store ({exc})") from exc
            self._generation = target
        return self._store

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> SelectResult:
        """Run a SELECT over the union of the named graphs; ``bindings`` bind variables (see ``with_values``)."""
        store = self._open()
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
        return sorted(g.value for g in self._open().named_graphs() if isinstance(g, NamedNode))

    def quad_count(self) -> int:
        return len(self._open())

    def dump(self, fmt: str) -> bytes:
        if fmt not in FORMATS:
            raise StoreError(f"format {fmt!r} is not one of {sorted(FORMATS)}")
        out = self._open().dump(format=FORMATS[fmt])
        assert out is not None
        return out

    def close(self) -> None:
        self._store = None
        self._generation = None

    def sparql(self, query: str, accept: str, *, row_limit: int | None = None) -> SparqlAnswer:
        """Run a read query and serialize its result as negotiated; see ``Store.sparql`` for the contract."""
        store = self._open()
        try:
            # The union of all graphs is the default graph unless the query names its own dataset: pyoxigraph's
            # union option would otherwise override FROM.
            result = store.query(query, use_default_graph_as_union=not protocol.declares_dataset(query))
        except SyntaxError as exc:
            raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"{self._generation}: cannot read the store ({exc})") from exc
        form: protocol.QueryForm = "SELECT" if isinstance(result, QuerySolutions) else "CONSTRUCT"
        if isinstance(result, QueryBoolean):
            form = "ASK"
        media_type = protocol.negotiate(accept, protocol.offers(form))
        if media_type is None:
            raise NotAcceptable(f"a {form} result is available as {', '.join(protocol.offers(form))}, not {accept!r}")
        cap = None if row_limit is None else row_limit + 1
        try:
            if isinstance(result, QueryBoolean):
                return SparqlAnswer(protocol.serialize_boolean(bool(result), media_type), media_type)
            if isinstance(result, QuerySolutions):
                variables = [v.value for v in result.variables]
                rows = [
                    {name: term_to_json(term) for name in variables if (term := solution[name]) is not None}
                    for solution in islice(result, cap)
                ]
                truncated = row_limit is not None and len(rows) > row_limit
                body = protocol.serialize_solutions(variables, rows[:row_limit], media_type)
                return SparqlAnswer(body, media_type, truncated)
            assert isinstance(result, QueryTriples)
            triples = list(islice(result, cap))
            truncated = row_limit is not None and len(triples) > row_limit
            return SparqlAnswer(protocol.serialize_triples(triples[:row_limit], media_type), media_type, truncated)
        except OSError as exc:  # evaluation is lazy: reading errors surface while iterating
            raise StoreError(f"{self._generation}: cannot read the store ({exc})") from exc

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the open database: a copy in another process reopens it read-only on first use."""
        return {"directory": self.directory, "_store": None, "_generation": None}

    # writing ---------------------------------------------------------------------------------------
    def replace_graphs(
        self, graphs: Mapping[NamedNode, Iterable[Quad]], *, drop_others: bool = False, report: bytes | None = None
    ) -> None:
        """Write a new generation with ``graphs`` replaced (all other graphs dropped with ``drop_others``).

        ``report`` (a W3C SHACL validation report in Turtle) is kept with the new generation, in place before the
        generation becomes current; without one, the new generation has no report.
        """
        generations = self.directory / "generations"
        generations.mkdir(parents=True, exist_ok=True)
        number = 1 + max((int(p.name) for p in generations.iterdir() if p.name.isdigit()), default=0)
        staging = generations / f"{number}.staging"
        if staging.exists():
            shutil.rmtree(staging)
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
        for g in missing:
            known[g.value] = quads_fingerprint(store.quads_for_pattern(None, None, None, g))
        if missing:
            self._save_manifest(path, known)
        return {g.value: known[g.value] for g in graphs}

    def record_fingerprints(self, fingerprints: Mapping[str, str]) -> None:
        """Record the fingerprints of graphs just written (``quads_fingerprint`` of the quads given)."""
        path, known = self._manifest()
        self._save_manifest(path, {**known, **fingerprints})
