"""A SPARQL 1.1 server as the store: queries through SPARQLWrapper, loads through SPARQL Update.

Works with any server that speaks the SPARQL 1.1 Protocol and Update. Tested with Virtuoso 7 (see
``tests/test_remote_store.py``); written to the standard, so Fuseki, GraphDB or Neptune need no code of their own.

**The dataset.** Servers disagree on what a query without ``FROM`` sees: Virtuoso sees every graph, its own
system graphs included (``virtrdf#``, 2,500 triples); Fuseki sees a separate default graph unless configured
otherwise. So the store keeps a *manifest graph* listing the graphs it has loaded, and every query is sent with
``FROM <g>`` and ``FROM NAMED <g>`` for exactly those graphs: the default graph is then the union of orgkg's
named graphs, as in the embedded store, and nothing else on the server (other datasets, the staging graphs of
a load in progress) is seen.

**Replacing graphs.** ``replace_graphs`` records in the manifest the staging graphs it is about to fill, loads
each graph into its staging graph (``INSERT DATA`` in chunks), checks what arrived, and only then swaps in one
update request: ``MOVE`` staging to live for each graph (one operation per graph: SPARQL 1.1 Update §3.2.5
drops the target first), then the manifest. Until that request, queries see the previous graphs only; if the
load fails (server gone, blocked, refusing), the live graphs and the manifest are as they were, and the staging
graphs left behind are dropped at once if the server answers, or at the start of the next load. Virtuoso
commits the operations of one request one by one (a request failing half-way keeps its first operations), so a
crash inside the swap itself, a matter of milliseconds, could leave some graphs new and others old; each graph
is whole either way. One writer at a time, as with the embedded store: ``writing`` takes a lock per endpoint on
this machine; writers on several machines must be kept to one by the operator.

**Credentials** come from the caller (``open_store`` reads them from the environment) and never appear in
messages; endpoints are named without user info or query string.
"""

from __future__ import annotations

import ast
import hashlib
import http.client
import json
import os
import re
import urllib.error
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, parse, serialize
from pyoxigraph import Store as OxStore
from SPARQLWrapper import (
    ASK,
    BASIC,
    CONSTRUCT,
    DESCRIBE,
    DIGEST,
    INSERT,
    JSON,
    POST,
    POSTDIRECTLY,
    SELECT,
    TURTLE,
    URLENCODED,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from orgkg.stores.base import (
    RDF_LANG_STRING,
    XSD_STRING,
    JsonTerm,
    NotAcceptable,
    QuerySyntaxError,
    SelectResult,
    SparqlAnswer,
    StoreError,
    Term,
    with_values,
)
from orgkg.stores.lock import WriterLock

STORE_NS = "https://w3id.org/orgkg/store#"
MANIFEST_GRAPH = "https://w3id.org/orgkg/graph/store-manifest"
LIVE = f"<{STORE_NS}LiveGraph>"
STAGING = f"<{STORE_NS}StagingGraph>"
STAGING_FOR = f"<{STORE_NS}stagingFor>"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
FORMATS = {"trig": RdfFormat.TRIG, "nquads": RdfFormat.N_QUADS}
READ_FORMS = {"SELECT": SELECT, "ASK": ASK, "CONSTRUCT": CONSTRUCT, "DESCRIBE": DESCRIBE}


class StoreUnreachable(StoreError):
    """No answer from the endpoint at all: connection refused or reset, host not found."""


class StoreAuthError(StoreError):
    """The endpoint refused the credentials, or the account may not do what was asked."""


class StoreTimeout(StoreError):
    """The endpoint did not answer within the timeout."""


class StoreProtocolError(StoreError):
    """The endpoint answered, but not as a SPARQL endpoint does (HTML, not HTTP, truncated or malformed results)."""


class StoreQueryError(StoreError):
    """The endpoint failed the query or update (internal error, no endpoint at that path)."""


class RemoteSyntaxError(QuerySyntaxError):
    """The endpoint's parser rejected the query (HTTP 400); the message is the server's."""


def public_url(url: str) -> str:
    """The endpoint as it may appear in messages: no user info, no query string (either can carry secrets).

    >>> public_url("http://u:secret@127.0.0.1:8890/sparql?key=abc")
    'http://127.0.0.1:8890/sparql'
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _first_line(body: object, limit: int = 300) -> str:
    """The first meaningful line of a server's answer (Virtuoso echoes the whole query after its message)."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    for line in text.splitlines():
        line = line.strip()
        if line and not line.lower().startswith(("<!doctype", "<html", "<head", "<meta", "<title")):
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return "(empty answer)"


def _json_term(raw: Mapping[str, Any]) -> JsonTerm:
    """A binding from a server's SPARQL JSON in the standard form (Virtuoso writes ``typed-literal``)."""
    kind = raw.get("type")
    value = raw.get("value")
    if not isinstance(value, str) or kind not in ("uri", "literal", "typed-literal", "bnode"):
        raise ValueError(f"not a SPARQL JSON term: {dict(raw)!r}")
    if kind in ("uri", "bnode"):
        return {"type": kind, "value": value}
    out = {"type": "literal", "value": value}
    lang = raw.get("xml:lang")
    datatype = raw.get("datatype")
    if lang:
        out["xml:lang"] = str(lang)
    elif datatype and datatype not in (XSD_STRING, RDF_LANG_STRING):
        out["datatype"] = str(datatype)
    return out


def json_to_term(term: JsonTerm, bnodes: dict[str, BlankNode]) -> NamedNode | BlankNode | Literal:
    """A SPARQL JSON term as a pyoxigraph term; ``bnodes`` keeps one blank node per server label.

    >>> json_to_term({"type": "literal", "value": "曹国永", "xml:lang": "zh"}, {})
    <Literal value=曹国永 language=zh>
    """
    if term["type"] == "uri":
        return NamedNode(term["value"])
    if term["type"] == "bnode":
        return bnodes.setdefault(term["value"], BlankNode())  # server labels (nodeID://b1) are not N-Triples labels
    if "xml:lang" in term:
        return Literal(term["value"], language=term["xml:lang"])
    if "datatype" in term:
        return Literal(term["value"], datatype=NamedNode(term["datatype"]))
    return Literal(term["value"])


_HIDDEN = re.compile(
    r"#[^\n]*|<[^>\s]*>|'''.*?'''|\"\"\".*?\"\"\"|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'", re.DOTALL
)


def _masked(query: str) -> str:
    """The query with comments, IRIs and strings blanked out, offsets kept, so keywords can be searched."""
    return _HIDDEN.sub(lambda m: " " * len(m.group(0)), query)


def query_form(query: str) -> str:
    r"""SELECT, ASK, CONSTRUCT, DESCRIBE, or an update keyword: the first word after the prologue.

    >>> query_form("#+ summary: Tasks\nPREFIX ask: <http://ex.org/>\nSELECT * WHERE { ?s ask:p 'ASK' }")
    'SELECT'
    """
    m = re.match(r"\s*(?:(?:BASE|PREFIX\s+[\w.-]*:)\s*)*([A-Za-z]+)", _masked(query), re.IGNORECASE)
    return m.group(1).upper() if m else ""


def with_dataset(query: str, graphs: Sequence[str]) -> str:
    """The query with ``FROM`` and ``FROM NAMED`` for each graph before its WHERE (as is if it has its own).

    >>> print(with_dataset("SELECT * WHERE { ?s ?p ?o }", ["http://ex.org/g"]))
    SELECT * FROM <http://ex.org/g>
    FROM NAMED <http://ex.org/g>
    WHERE { ?s ?p ?o }
    """
    code = _masked(query)
    where = re.search(r"\bWHERE\b", code, re.IGNORECASE) or re.search(r"\{", code)
    if where is None:
        raise QuerySyntaxError("the query has no WHERE { … } group")
    if re.search(r"\bFROM\b", code[: where.start()], re.IGNORECASE):
        return query
    clauses = [f"FROM <{g}>" for g in graphs] + [f"FROM NAMED <{g}>" for g in graphs]
    return f"{query[: where.start()]}{chr(10).join(clauses)}\n{query[where.start() :]}"


_SEPARATOR = re.compile(r"""(separator\s*=\s*)("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')""", re.IGNORECASE)
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(body: str) -> str:
    r"""The value of a SPARQL string literal's body (ECHAR and \u escapes)."""
    return re.sub(
        r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))",
        lambda m: (
            chr(int(m.group(1) or m.group(2), 16)) if (m.group(1) or m.group(2)) else _ESCAPES.get(m.group(3), "")
        ),
        body,
    )


def ascii_separators(query: str) -> tuple[str, dict[str, str]]:
    r"""The query with every non-ASCII GROUP_CONCAT separator replaced by an ASCII placeholder, and the placeholders.

    Virtuoso 7.2 turns a non-ASCII separator into ``?`` (its aggregate joins with a narrow, Latin-1 string:
    ``separator="、"`` gives ``中职教学部?信息化部``), and no standard rewrite of the query survives it (``REPLACE``
    and ``CONCAT`` with a non-ASCII constant garble the same way). So the separator travels as
    ``\u001F<n>\u001F`` (U+001F is the Unicode *unit separator*, never in the documents) and the answer gets the
    real one back; on any other server the round trip changes nothing.

    >>> ascii_separators('SELECT (GROUP_CONCAT(?x; separator="、") AS ?y) WHERE { ?s ?p ?x }')
    ('SELECT (GROUP_CONCAT(?x; separator="\\u001F0\\u001F") AS ?y) WHERE { ?s ?p ?x }', {'\x1f0\x1f': '、'})
    """
    code = _masked(query)
    placeholders: dict[str, str] = {}

    def swap(m: re.Match[str]) -> str:
        if code[m.start()] == " ":  # inside a comment or string
            return m.group(0)
        value = _unescape(m.group(2)[1:-1])
        if value.isascii():
            return m.group(0)
        key = next((k for k, v in placeholders.items() if v == value), f"\x1f{len(placeholders)}\x1f")
        placeholders[key] = value
        return f'{m.group(1)}"\\u001F{key[1:-1]}\\u001F"'

    return _SEPARATOR.sub(swap, query), placeholders


def _restore(term: JsonTerm, separators: Mapping[str, str]) -> JsonTerm:
    if term["type"] != "literal" or "\x1f" not in term["value"]:
        return term
    value = term["value"]
    for placeholder, separator in separators.items():
        value = value.replace(placeholder, separator)
    return {**term, "value": value}


def _body(exc: SPARQLWrapperException) -> str:
    """The server's answer carried by a SPARQLWrapper exception (it keeps only ``repr(body)`` in its message)."""
    text = str(exc)
    marker = "Response:\n"
    if marker not in text:
        return text
    raw = text.split(marker, 1)[1]
    try:
        body = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return raw
    return body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)


class RemoteStore:
    """A SPARQL 1.1 query endpoint (and update endpoint) behind the Store interface of ``orgkg.stores.base``."""

    PAGE = 10_000  # rows per request when reading whole graphs: Virtuoso's default ResultSetMaxRows
    network = True

    def __init__(
        self,
        endpoint: str,
        update_endpoint: str | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
        auth: str = "basic",
        timeout: float = 60.0,
        chunk_size: int = 2000,
        manifest: str = MANIFEST_GRAPH,
    ) -> None:
        for url in (endpoint, update_endpoint):
            if url is not None and urlsplit(url).scheme not in ("http", "https"):
                raise StoreError(f"{public_url(url) or url!r}: a SPARQL endpoint is an http(s) URL")
        if auth not in ("basic", "digest"):
            raise StoreError(f"HTTP authentication {auth!r}: expected basic or digest")
        if (user is None) != (password is None):
            raise StoreError("give both a user and a password for the SPARQL endpoint, or neither")
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or endpoint
        self._user = user
        self._password = password
        self._auth = auth
        self.timeout = timeout
        self.chunk_size = chunk_size
        self.manifest = manifest

    def __repr__(self) -> str:
        return f"RemoteStore({public_url(self.endpoint)!r})"  # never the credentials

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the writer lock (workers only read)."""
        return {k: v for k, v in self.__dict__.items() if k != "_writer"}

    def writing(self, wait: float | None = None) -> AbstractContextManager[None]:
        """Hold the writer lock of this endpoint and manifest (see ``Store.writing``).

        SPARQL has no lock a client could take on the server, so the lock is a file on this machine, one per
        update endpoint and manifest (under ``ORGKG_LOCK_DIR``, default ``~/.cache/orgkg/locks``): writers on
        one machine take turns; writers on several machines loading into one server must be kept to one by
        the operator (see docs: one writer per endpoint).
        """
        writer: WriterLock | None = self.__dict__.get("_writer")
        if writer is None:
            key = hashlib.sha256(f"{public_url(self.update_endpoint)} {self.manifest}".encode()).hexdigest()[:24]
            folder = Path(os.environ.get("ORGKG_LOCK_DIR") or Path.home() / ".cache" / "orgkg" / "locks")
            writer = self._writer = WriterLock(folder / f"{key}.lock", public_url(self.update_endpoint))
        return writer.hold(wait)

    # talking to the server ----------------------------------------------------------------------
    keeps_reports = False  # no versions of the data to keep a report with; reports go to --reports

    def validation_report(self) -> bytes | None:
        """None: a remote store keeps no validation report."""
        return None

    def generation(self) -> None:
        """None: the data is on the server (validation reads its dump)."""
        return None

    @contextmanager
    def staged(self, graphs: Mapping[NamedNode, Iterable[Quad]]) -> Iterator[OxStore]:
        """The server's data (its dump) with ``graphs`` replaced, in an in-memory Oxigraph database."""
        store = OxStore()
        store.bulk_extend(parse(self.dump("nquads"), format=RdfFormat.N_QUADS))
        for g in graphs:
            store.remove_graph(g)
        store.bulk_extend(q for quads in graphs.values() for q in quads)
        yield store

    def _wrapper(self, text: str, kind: str) -> SPARQLWrapper:
        w = SPARQLWrapper(self.endpoint, updateEndpoint=self.update_endpoint, agent="orgkg (SPARQLWrapper)")
        w.setMethod(POST)
        w.setTimeout(max(1, round(self.timeout)))  # SPARQLWrapper takes whole seconds
        if self._user is not None and self._password is not None:
            w.setHTTPAuth(DIGEST if self._auth == "digest" else BASIC)
            w.setCredentials(self._user, self._password)
        w.setQuery(text)
        # SPARQLWrapper guesses the form from the first keyword-like word, comments included ("#+ …Tasks…"
        # reads as ASK); the caller knows it, and it decides the endpoint (query or update) the text goes to.
        w.queryType = kind
        if w.isSparqlUpdateRequest():
            w.setRequestMethod(POSTDIRECTLY)  # application/sparql-update: UTF-8, a third of url-encoded CJK
        else:
            w.setRequestMethod(URLENCODED)  # Virtuoso 7.2 never answers a direct application/sparql-query POST
            w.setReturnFormat(TURTLE if kind in (CONSTRUCT, DESCRIBE) else JSON)
        return w

    def _send(self, w: SPARQLWrapper, url: str, what: str) -> tuple[bytes, str, dict[str, str]]:
        """Body, content type and headers of the answer; every failure becomes a StoreError naming the endpoint."""
        where = public_url(url)
        try:
            response = w.query().response
            body = response.read()
            headers = {k.lower(): v for k, v in response.info().items()}
            return body, headers.get("content-type", ""), headers
        except Unauthorized:
            if self._user is None:
                raise StoreAuthError(
                    f"{where} asks for credentials ({what}, HTTP 401); set ORGKG_SPARQL_USER and "
                    "ORGKG_SPARQL_PASSWORD (and ORGKG_SPARQL_AUTH=digest for Virtuoso's /sparql-auth)"
                ) from None
            raise StoreAuthError(
                f"{where} refused the credentials of user {self._user!r} ({what}, HTTP 401, {self._auth} "
                "authentication); check ORGKG_SPARQL_USER, ORGKG_SPARQL_PASSWORD and ORGKG_SPARQL_AUTH"
            ) from None
        except EndPointNotFound:
            raise StoreQueryError(f"{where}: no SPARQL endpoint at this address ({what}, HTTP 404)") from None
        except (QueryBadFormed, URITooLong) as exc:
            raise RemoteSyntaxError(f"{where} rejected the {what}: {_first_line(_body(exc))}") from None
        except EndPointInternalError as exc:
            message = _first_line(_body(exc))
            if "SR186" in message:  # Virtuoso: "No permission to execute procedure …" (no SPARQL_UPDATE role)
                raise StoreAuthError(
                    f"{where} does not let this account do the {what} ({message}); updates need an account with "
                    "update rights (Virtuoso: --update-endpoint …/sparql-auth with ORGKG_SPARQL_* set)"
                ) from None
            raise StoreQueryError(f"{where} failed the {what} (HTTP 500): {message}") from None
        except urllib.error.HTTPError as exc:
            if exc.code == 403:
                raise StoreAuthError(f"{where} forbids the {what} to this account (HTTP 403)") from None
            raise StoreProtocolError(f"{where} answered the {what} with HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise self._timeout(where, what) from None
            raise StoreUnreachable(f"{where} is unreachable ({exc.reason}); the {what} was not done") from None
        except TimeoutError:
            raise self._timeout(where, what) from None
        except (http.client.BadStatusLine, http.client.IncompleteRead) as exc:
            raise StoreProtocolError(
                f"{where} did not answer the {what} in HTTP ({type(exc).__name__}); is it a SPARQL endpoint?"
            ) from None
        except (ConnectionError, http.client.HTTPException) as exc:
            raise StoreUnreachable(f"{where} dropped the connection during the {what} ({exc!r})") from None
        except SPARQLWrapperException as exc:
            raise StoreQueryError(f"{where}: the {what} failed: {_first_line(_body(exc))}") from None

    def _timeout(self, where: str, what: str) -> StoreTimeout:
        return StoreTimeout(f"{where} did not answer the {what} within {self.timeout:g} s (ORGKG_SPARQL_TIMEOUT)")

    def _garbage(self, what: str, problem: str, body: bytes) -> StoreProtocolError:
        return StoreProtocolError(
            f"{public_url(self.endpoint)} answered the {what} with {problem}; is it a SPARQL endpoint? "
            f"It said: {_first_line(body, 120)}"
        )

    def _json(self, query: str, kind: str, what: str) -> tuple[dict[str, Any], dict[str, str]]:
        body, content_type, headers = self._send(self._wrapper(query, kind), self.endpoint, what)
        if "json" not in content_type.lower():
            raise self._garbage(what, f"{content_type or 'no content type'}, not SPARQL JSON results", body)
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise self._garbage(what, f"malformed JSON ({exc})", body) from None
        if not isinstance(data, dict):
            raise self._garbage(what, "JSON that is not SPARQL results", body)
        return data, headers

    def _select(self, query: str, what: str = "query") -> SelectResult:
        form = query_form(query)
        if form != "SELECT":
            raise StoreError(f"only SELECT queries are answered here (got {form or 'no query form'})")
        data, headers = self._json(query, SELECT, what)
        try:
            variables = tuple(str(v) for v in data["head"]["vars"])
            rows = tuple(
                {str(k): _json_term(t) for k, t in b.items() if str(k) in variables}
                for b in data["results"]["bindings"]
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise self._garbage(what, f"malformed SPARQL JSON results ({exc})", json.dumps(data).encode()) from None
        cap = headers.get("x-sparql-maxrows")  # Virtuoso's ResultSetMaxRows cut the answer short
        if cap is not None and cap.isdigit() and len(rows) >= int(cap):
            raise StoreProtocolError(
                f"{public_url(self.endpoint)} cut the answer to the {what} at {cap} rows "
                "(Virtuoso: raise ResultSetMaxRows in [SPARQL])"
            )
        return SelectResult(variables, rows)

    def _update(self, text: str, what: str) -> None:
        self._send(self._wrapper(text, INSERT), self.update_endpoint, what)  # every update form travels alike

    # the manifest ---------------------------------------------------------------------------------
    def _manifest(self, kind: str) -> list[str]:
        rows = self._select(
            f"SELECT ?g WHERE {{ GRAPH <{self.manifest}> {{ ?g {RDF_TYPE} {kind} }} }}", "read of the manifest"
        )
        return sorted(b["g"]["value"] for b in rows.bindings if b.get("g", {}).get("type") == "uri")

    def _live(self) -> list[str]:
        graphs = self._manifest(LIVE)
        if not graphs:
            raise StoreError(
                f"{public_url(self.endpoint)}: no graph has been loaded here yet "
                f"(manifest <{self.manifest}> is empty); run `orgkg build --endpoint …` first"
            )
        return graphs

    # reading ---------------------------------------------------------------------------------------
    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> SelectResult:
        """Run a SELECT over the union of the loaded graphs; ``bindings`` bind variables (see ``with_values``)."""
        form = query_form(query)
        if form != "SELECT":  # checked before anything is sent: an update must never reach the server from here
            raise StoreError(f"only SELECT queries are answered here (got {form or 'no query form'})")
        text, separators = ascii_separators(with_values(query, bindings or {}))
        result = self._select(with_dataset(text, self._live()))
        if not separators:
            return result
        rows = tuple({k: _restore(t, separators) for k, t in row.items()} for row in result.bindings)
        return SelectResult(result.variables, rows)

    def sparql(
        self, query: str, accept: str, *, row_limit: int | None = None, byte_limit: int | None = None
    ) -> SparqlAnswer:
        """Run a read query and serialize its result as negotiated; see ``Store.sparql`` for the contract.

        The server is asked for SPARQL JSON (SELECT, ASK) or Turtle (CONSTRUCT, DESCRIBE) and the answer is
        re-serialized with ``orgkg.sparql``, so both backends write the same bytes for the same rows.
        """
        from orgkg import sparql as protocol

        form = query_form(query)
        if form not in READ_FORMS:
            raise QuerySyntaxError(f"not a SELECT, ASK, CONSTRUCT or DESCRIBE query (got {form or 'nothing'})")
        offers = protocol.offers(cast(protocol.QueryForm, form))
        media_type = protocol.negotiate(accept, offers)
        if media_type is None:
            raise NotAcceptable(f"a {form} result is available as {', '.join(offers)}, not {accept!r}")
        self._check_dataset(query)
        if form == "SELECT":
            result = self.select(query)
            body, truncated = protocol.answer_solutions(
                result.variables, result.bindings, media_type, row_limit, byte_limit
            )
            return SparqlAnswer(body, media_type, truncated)
        text = with_dataset(query, self._live())
        if form == "ASK":
            data, _ = self._json(text, ASK, "query")
            if not isinstance(data.get("boolean"), bool):
                raise self._garbage("query", "no boolean in its ASK result", json.dumps(data).encode())
            return SparqlAnswer(protocol.serialize_boolean(data["boolean"], media_type), media_type)
        body, content_type, _ = self._send(self._wrapper(text, READ_FORMS[form]), self.endpoint, "query")
        rdf = {"text/turtle": RdfFormat.TURTLE, "application/n-triples": RdfFormat.N_TRIPLES}
        fmt = rdf.get(content_type.split(";")[0].strip().lower())
        if fmt is None:
            raise self._garbage("query", f"{content_type or 'no content type'}, not Turtle", body)
        try:
            triples = [t if isinstance(t, Triple) else t.triple for t in parse(body, format=fmt)]
        except SyntaxError as exc:
            raise self._garbage("query", f"malformed Turtle ({exc})", body) from None
        body, truncated = protocol.answer_triples(triples, media_type, row_limit, byte_limit)
        return SparqlAnswer(body, media_type, truncated)

    def _check_dataset(self, query: str) -> None:
        """A query from the public may name in FROM / FROM NAMED only graphs of this store: on a shared server
        its own dataset clause would otherwise reach any graph there (system graphs, other datasets)."""
        if not re.search(r"\bFROM\b", _masked(query), re.IGNORECASE):
            return
        from pyparsing import ParseBaseException
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery

        try:
            clauses = translateQuery(parseQuery(query)).algebra.datasetClause or []
        except ParseBaseException as exc:
            raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from None
        live = set(self._live())
        for clause in clauses:
            iri = str(clause.get("default") or clause.get("named"))
            if iri not in live:
                raise QuerySyntaxError(f"FROM <{iri}>: a query here may name only the store's graphs")

    def graph_names(self) -> list[str]:
        """The graphs loaded through this store (the manifest), sorted."""
        return self._live()

    def quad_count(self) -> int:
        """Number of quads in the loaded graphs."""
        return sum(self._counts(self._live()).values())

    def _counts(self, graphs: Sequence[str]) -> dict[str, int]:
        if not graphs:
            return {}
        values = " ".join(f"<{g}>" for g in graphs)
        result = self._select(
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g",
            "count of triples",
        )
        counts = dict.fromkeys(graphs, 0)
        for b in result.bindings:
            counts[b["g"]["value"]] = int(b["n"]["value"])
        return counts

    def dump(self, fmt: str) -> bytes:
        """The loaded graphs serialized (trig, nquads), read graph by graph in pages the server will not cut."""
        if fmt not in FORMATS:
            raise StoreError(f"format {fmt!r} is not one of {sorted(FORMATS)}")
        graphs = self._live()
        counts = self._counts(graphs)
        bnodes: dict[str, BlankNode] = {}
        quads = [q for g in graphs for q in self._read_graph(g, counts[g], bnodes)]
        out = serialize(quads, format=FORMATS[fmt])
        assert out is not None
        return out

    def _read_graph(self, graph: str, expected: int, bnodes: dict[str, BlankNode]) -> Iterator[Quad]:
        name = NamedNode(graph)
        got = 0
        paged = expected > self.PAGE  # several pages need ORDER BY for LIMIT/OFFSET to be well defined
        for offset in range(0, max(expected, 1), self.PAGE):
            page = f" ORDER BY ?s ?p ?o LIMIT {self.PAGE} OFFSET {offset}" if paged else ""
            result = self._select(
                f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}{page}", f"read of <{graph}>"
            )
            for b in result.bindings:
                try:
                    s, p, o = (json_to_term(b[v], bnodes) for v in ("s", "p", "o"))
                except (KeyError, ValueError) as exc:
                    where = public_url(self.endpoint)
                    raise StoreProtocolError(f"{where}: a malformed triple in <{graph}> ({exc})") from None
                if isinstance(s, Literal) or not isinstance(p, NamedNode):
                    raise StoreProtocolError(f"{public_url(self.endpoint)}: a malformed triple in <{graph}>")
                got += 1
                yield Quad(s, p, o, name)
        if got != expected:
            raise StoreProtocolError(
                f"{public_url(self.endpoint)} returned {got} of the {expected} triples of <{graph}>; "
                "does the server cap result sizes (Virtuoso: ResultSetMaxRows)?"
            )

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""

    # writing ---------------------------------------------------------------------------------------
    def replace_graphs(
        self, graphs: Mapping[NamedNode, Iterable[Quad]], *, drop_others: bool = False, report: bytes | None = None
    ) -> None:
        """Load ``graphs`` into staging graphs, then swap them in with one update (see the module docstring).

        ``report`` is not kept (``keeps_reports`` is False): the caller writes it where it writes reports.
        """
        with self.writing():
            self._replace_graphs(graphs, drop_others=drop_others)

    def _replace_graphs(self, graphs: Mapping[NamedNode, Iterable[Quad]], *, drop_others: bool) -> None:
        self._drop_staging(self._manifest(STAGING))  # left by a load that failed while the server was away
        token = uuid.uuid4().hex[:12]
        staging = {g.value: f"{self.manifest}/staging/{token}/{i}" for i, g in enumerate(graphs)}
        if staging:
            records = " ".join(f"<{s}> {RDF_TYPE} {STAGING} ; {STAGING_FOR} <{g}> ." for g, s in staging.items())
            self._update(f"INSERT DATA {{ GRAPH <{self.manifest}> {{ {records} }} }}", "registration of staging graphs")
        try:
            sent = {g.value: self._load(staging[g.value], g, quads) for g, quads in graphs.items()}
            arrived = self._counts(list(staging.values()))
            for g, n in sent.items():
                if n and not 0 < arrived[staging[g]] <= n:
                    raise StoreProtocolError(
                        f"{public_url(self.update_endpoint)} accepted {n} triples for <{g}> but holds "
                        f"{arrived[staging[g]]}; the previous graphs were left in place"
                    )
            live = set(self._manifest(LIVE))
            self._update(self._swap(staging, sent, live, drop_others), "swap of the new graphs into place")
        except BaseException:
            try:
                self._drop_staging(list(staging.values()))
            except StoreError:
                pass  # the server is away: the manifest lists them, and the next load drops them
            raise

    def _load(self, staging: str, graph: NamedNode, quads: Iterable[Quad]) -> int:
        """INSERT DATA the quads of ``graph`` into ``staging`` in chunks; returns how many were sent.

        Triples with blank nodes all go in one request: a blank node label is scoped to its request
        (SPARQL 1.1 Update §3.1.1), so splitting them would split the node. The quads are read once, lazily.
        """
        chunk: list[str] = []
        with_bnodes: list[str] = []
        sent = 0
        for q in quads:
            if q.graph_name != graph:
                raise StoreError(f"a quad given for graph <{graph.value}> names graph {q.graph_name}")
            line = f"{q.subject} {q.predicate} {q.object} ."
            if isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode):
                with_bnodes.append(line)
            else:
                chunk.append(line)
            sent += 1
            if len(chunk) >= self.chunk_size:
                self._insert(staging, graph, chunk)
                chunk = []
        if chunk:
            self._insert(staging, graph, chunk)
        if with_bnodes:
            self._insert(staging, graph, with_bnodes, template=True)
        return sent

    def _insert(self, staging: str, graph: NamedNode, lines: list[str], *, template: bool = False) -> None:
        """INSERT DATA, or ``INSERT { … } WHERE {}`` for blank nodes, which Virtuoso 7 refuses in INSERT DATA
        (SP031 "not allowed in a constant clause"): a template over one empty solution inserts the same."""
        body = "\n".join(lines)
        if template:
            text = f"INSERT {{ GRAPH <{staging}> {{\n{body}\n}} }} WHERE {{}}"
        else:
            text = f"INSERT DATA {{ GRAPH <{staging}> {{\n{body}\n}} }}"
        self._update(text, f"load of <{graph.value}>")

    def _swap(self, staging: Mapping[str, str], sent: Mapping[str, int], live: set[str], drop_others: bool) -> str:
        """One update request: each new graph replaces its live one, others go (drop_others), then the manifest."""
        ops: list[str] = []
        for g, s in staging.items():
            ops.append(f"MOVE SILENT GRAPH <{s}> TO <{g}>" if sent[g] else f"DROP SILENT GRAPH <{g}>")
        gone = sorted(live - set(staging)) if drop_others else []
        ops += [f"DROP SILENT GRAPH <{g}>" for g in gone]
        removed = [f"<{s}> {RDF_TYPE} {STAGING} ; {STAGING_FOR} <{g}> ." for g, s in staging.items()]
        removed += [f"<{g}> {RDF_TYPE} {LIVE} ." for g in [*gone, *(g for g in staging if not sent[g])] if g in live]
        added = [f"<{g}> {RDF_TYPE} {LIVE} ." for g in staging if sent[g] and g not in live]
        ops.append(f"DELETE DATA {{ GRAPH <{self.manifest}> {{ {' '.join(removed)} }} }}")
        if added:
            ops.append(f"INSERT DATA {{ GRAPH <{self.manifest}> {{ {' '.join(added)} }} }}")
        return " ;\n".join(ops)

    def _drop_staging(self, graphs: Sequence[str]) -> None:
        if not graphs:
            return
        ops = [f"DROP SILENT GRAPH <{s}>" for s in graphs]
        ops += [f"DELETE WHERE {{ GRAPH <{self.manifest}> {{ <{s}> ?p ?o }} }}" for s in graphs]
        self._update(" ;\n".join(ops), "removal of staging graphs")
