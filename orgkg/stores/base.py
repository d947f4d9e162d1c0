"""The store interface that build, query, validate and serve use, whatever the backend.

Results are exchanged in the shape of SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/),
so an embedded store and a remote SPARQL server answer alike and the CLI and API can pass results through.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Variable
from pyoxigraph import Store as OxStore

Term = NamedNode | Literal
JsonTerm = dict[str, str]  # {"type": "uri"|"literal"|"bnode", "value": …, "xml:lang"?: …, "datatype"?: …}

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class StoreError(Exception):
    """The store cannot do what was asked; the message says what and where."""


class StoreDamaged(StoreError):
    """The store's files cannot be read (found corrupted); the message names the store and the way out."""


class QuerySyntaxError(StoreError):
    """The query is not valid SPARQL; the message is the parser's."""


class NotAcceptable(StoreError):
    """The result cannot be serialized in any media type the request accepts."""


def term_to_json(term: NamedNode | BlankNode | Literal) -> JsonTerm:
    """A pyoxigraph term in SPARQL JSON results form.

    >>> term_to_json(Literal("曹国永", language="zh"))
    {'type': 'literal', 'value': '曹国永', 'xml:lang': 'zh'}
    """
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def quads_fingerprint(quads: Iterable[Quad]) -> str:
    """A hash of a graph's content: SHA-256 of its triples as sorted N-Triples lines (graph names left out).

    Every backend fingerprints a stored graph with this same function, so a graph about to be written can be
    compared with the stored one without sending it. The graphs orgkg writes have no blank nodes (the
    ontology graph aside, which is compared by other means).
    """
    lines = sorted(f"{q.subject} {q.predicate} {q.object}" for q in quads)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def with_values(query: str, bindings: Mapping[str, Term]) -> str:
    """The query with a SPARQL ``VALUES`` block binding variables to RDF terms, first in its WHERE group.

    This is how bindings travel to every backend (the same as rdflib's ``initBindings``): the terms are
    serialized by pyoxigraph (N-Triples syntax, escaped), so a value can never end its literal and change
    the query. The block opens the outermost WHERE group, so FILTERs, EXISTS and aggregates all see the bound
    values; a trailing VALUES would be joined only after GROUP BY (SPARQL 1.1 §18.2.4.3). pyoxigraph 0.5's
    ``substitutions`` are not used: they require the variable in the projection and do not reach FILTER or
    EXISTS, which optional parameters need. Unbound (omitted optional) parameters stay free variables.

    >>> print(with_values("SELECT ?s WHERE { ?s ?p ?k }", {"k": Literal("曹国永")}))
    SELECT ?s WHERE { VALUES (?k) { ("曹国永") }
     ?s ?p ?k }
    """
    if not bindings:
        return query
    names = sorted(bindings)
    for n in names:
        Variable(n)  # raises ValueError on a name that is not a SPARQL variable name
    m = _first_where(query)
    head = " ".join(f"?{n}" for n in names)
    row = " ".join(str(bindings[n]) for n in names)
    return f"{query[:m]} VALUES ({head}) {{ ({row}) }}\n{query[m:]}"


def _first_where(query: str) -> int:
    """Offset just after the ``{`` of the outermost WHERE, skipping comments and IRIs/strings before it."""
    code = re.sub(r"#[^\n]*|<[^>\s]*>|\"(?:[^\"\\\n]|\\.)*\"", lambda m: " " * len(m.group(0)), query)
    m = _WHERE.search(code)
    if m is None:
        raise ValueError("the query has no WHERE { … } group to bind parameters in")
    return m.end()


@dataclass(frozen=True)
class SelectResult:
    """The rows of a SELECT query: variables in projection order, bindings as SPARQL JSON terms."""

    variables: tuple[str, ...]
    bindings: tuple[Mapping[str, JsonTerm], ...]

    def to_json(self) -> dict[str, Any]:
        """SPARQL 1.1 Query Results JSON."""
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": [dict(b) for b in self.bindings]}}

    def values(self) -> Iterator[dict[str, str | None]]:
        """Rows as plain strings (None where unbound), for tables, CSV and tests."""
        for b in self.bindings:
            yield {v: (b[v]["value"] if v in b else None) for v in self.variables}


@dataclass(frozen=True)
class SparqlAnswer:
    """A query result serialized for the wire: the bytes, their media type, and whether rows were cut off."""

    body: bytes
    media_type: str
    truncated: bool = False


class Store(Protocol):
    """What every backend offers. Graph names are IRIs; quads carry their graph."""

    #: Whether the backend itself talks over the network (a SPARQL server). When it does not, the processes
    #: that run public queries on it are refused network sockets (``orgkg.sandbox``).
    network: bool

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> SelectResult:
        """Run a SELECT query over the union of all named graphs, with variables pre-bound."""
        ...

    keeps_reports: bool
    """Whether the store keeps a validation report with each version of its data (``validation_report``)."""

    def replace_graphs(
        self, graphs: Mapping[NamedNode, Iterable[Quad]], *, drop_others: bool = False, report: bytes | None = None
    ) -> None:
        """Atomically replace the named graphs given (and, with drop_others, remove every other graph).

        ``report`` is the validation report (W3C SHACL, Turtle) of the data written, kept with it where the store
        ``keeps_reports``. Holds the store's writer lock (``writing``) while it writes.
        """
        ...

    def writing(self, wait: float | None = None) -> AbstractContextManager[None]:
        """Hold the store's writer lock for a read-modify-write, shared by every process writing to the store.

        Waits at most ``wait`` seconds (default ``ORGKG_WRITE_WAIT``, 60), then raises
        ``orgkg.stores.lock.StoreBusy``; re-entrant in the thread holding it (see ``orgkg.stores.lock``)."""
        ...

    def validation_report(self) -> bytes | None:
        """The validation report kept with the data as it is now; None if there is none (or none is kept)."""
        ...

    def staged(self, graphs: Mapping[NamedNode, Iterable[Quad]]) -> AbstractContextManager[OxStore]:
        """The data with ``graphs`` replaced, as a throw-away Oxigraph database: to check a write before making it."""
        ...

    def generation(self) -> OxStore | None:
        """The Oxigraph database holding the data as it is now, read-only, to read in place; None if remote."""
        ...

    def graph_names(self) -> list[str]:
        """The named graphs in the store."""
        ...

    def dump(self, fmt: str) -> bytes:
        """The whole dataset serialized (trig, nquads); named graphs kept."""
        ...

    def quad_count(self) -> int:
        """Number of quads in the store."""
        ...

    def close(self) -> None:
        """Release the backend."""
        ...

    def sparql(
        self, query: str, accept: str, *, row_limit: int | None = None, byte_limit: int | None = None
    ) -> SparqlAnswer:
        """Run any read query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the union of the named graphs, serialized.

        The contract every backend keeps (the HTTP ``/sparql`` endpoint and content negotiation rely on it):

        * ``query`` has been checked by ``orgkg.sparql.prepare`` (a read query, no SERVICE); the store runs it
          as given, with the default graph the union of all named graphs (as ``select`` does);
        * ``accept`` is an HTTP ``Accept`` value, usually one exact media type. The answer's ``media_type`` is
          chosen with ``orgkg.sparql.negotiate`` among ``orgkg.sparql.offers(form)`` for the query's form:
          SELECT → SPARQL JSON / XML / CSV / TSV, ASK → JSON / XML, CONSTRUCT and DESCRIBE → Turtle,
          N-Triples, JSON-LD, RDF/XML; nothing acceptable raises ``NotAcceptable``;
        * at most ``row_limit`` solutions (SELECT) or triples (CONSTRUCT, DESCRIBE) are returned, and at most
          ``byte_limit`` bytes; when more exist, ``truncated`` is True (``orgkg.sparql.answer_solutions`` and
          ``answer_triples`` apply both caps). Serialize with ``orgkg.sparql.serialize_*`` so every backend writes
          the same bytes for the same rows;
        * a query the backend cannot parse raises ``QuerySyntaxError`` with the parser's message; a backend
          that cannot be reached or read raises ``StoreError``.

        Stores are also picklable: the API runs queries in worker processes, each holding a copy of the store
        that reopens its backend on first use (so a runaway query can be stopped by ending its process).
        """
        ...
