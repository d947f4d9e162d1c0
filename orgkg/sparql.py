"""SPARQL requests from the public, whatever the store: checked, negotiated, capped and serialized.

The HTTP endpoint answers the SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/) read-only.
:func:`prepare` decides whether a request may reach a store at all:

* the text is made canonical first (:func:`canonical`), and the canonical text is what every later step
  checks and what the store is given, so the check and the execution read one text. Two parsers read one
  request differently in two known ways, both closed there: code points written as ``\\uXXXX`` are expanded
  as SPARQL 1.1 §19.2 says ("processed before parsing"; pyoxigraph expands them only inside strings, rdflib
  everywhere: ``"a\\u005c" . SERVICE … #"`` was one string to rdflib and a SERVICE call to pyoxigraph), and
  a comment ends at the end of a line, which Oxigraph takes to be ``\\r`` or ``\\n`` and rdflib ``\\n`` only
  (``#x\\rFILTER(1<2)SERVICE:sparql#>\\n`` was a comment to rdflib and a SERVICE call to pyoxigraph): line
  breaks become ``\\n`` and comments are dropped, so no server's idea of a comment matters;
* the text must parse as a query (SELECT, ASK, CONSTRUCT, DESCRIBE) with rdflib's SPARQL 1.1 grammar; an
  update (INSERT, DELETE, LOAD, CLEAR, DROP …) is refused, whatever the store would do with it;
* ``SERVICE`` (federated query) is refused twice over: no ``ServiceGraphPattern`` in rdflib's parse tree, and
  no letters ``SERVICE`` anywhere in the text outside strings, variables and the local part of prefixed names
  (:func:`mentions_service`; inside an IRI they count, as ``<`` may be read as "less than"), so the server
  never makes a request on a caller's behalf. The worker processes that run queries on the embedded store
  cannot open a network socket at all (``orgkg.sandbox``), so a check that someday misses still sends nothing.

A query that passes runs on the store; results are capped at a row limit and serialized here
(:func:`serialize_solutions`, :func:`serialize_boolean`, :func:`serialize_triples`) in the format chosen by
:func:`negotiate` from the request's ``Accept`` header.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pyoxigraph import QueryResultsFormat, RdfFormat, Triple, parse_query_results, serialize

from orgkg.vocab import PREFIXES

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"

# Media types each query form can be answered in, preferred first; plain JSON/XML names are accepted as aliases.
SOLUTIONS_MEDIA_TYPES: dict[str, QueryResultsFormat] = {
    SPARQL_JSON: QueryResultsFormat.JSON,
    "application/json": QueryResultsFormat.JSON,
    SPARQL_XML: QueryResultsFormat.XML,
    "application/xml": QueryResultsFormat.XML,
    "text/xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
BOOLEAN_MEDIA_TYPES: dict[str, QueryResultsFormat] = {
    k: v for k, v in SOLUTIONS_MEDIA_TYPES.items() if v in (QueryResultsFormat.JSON, QueryResultsFormat.XML)
}
GRAPH_MEDIA_TYPES: dict[str, RdfFormat] = {
    TURTLE: RdfFormat.TURTLE,
    N_TRIPLES: RdfFormat.N_TRIPLES,
    JSON_LD: RdfFormat.JSON_LD,
    RDF_XML: RdfFormat.RDF_XML,
    "text/plain": RdfFormat.N_TRIPLES,  # N-Triples' media type before RFC registration
}
SERIALIZATION_PREFIXES = dict(PREFIXES)  # no prefix for resources: their local names hold "/", which Turtle escapes


def offers(form: QueryForm) -> tuple[str, ...]:
    """The media types a result of this query form can be serialized in, preferred first.

    >>> offers("ASK")[:3]
    ('application/sparql-results+json', 'application/json', 'application/sparql-results+xml')
    """
    if form == "SELECT":
        return tuple(SOLUTIONS_MEDIA_TYPES)
    if form == "ASK":
        return tuple(BOOLEAN_MEDIA_TYPES)
    return tuple(GRAPH_MEDIA_TYPES)


def negotiate(accept: str | None, available: Sequence[str]) -> str | None:
    """The media type of ``available`` the ``Accept`` header prefers (RFC 9110 §12.5.1), or None if none is acceptable.

    Highest quality wins; among equals, the more specific range, then the order of ``available``. A missing or
    empty header accepts the first.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", offers("SELECT"))
    'application/sparql-results+xml'
    >>> negotiate("text/*", offers("CONSTRUCT")), negotiate("image/png", offers("SELECT"))
    ('text/turtle', None)
    """
    if not available:
        return None
    if accept is None or not accept.strip():
        return available[0]
    ranges: list[tuple[str, str, float]] = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        kind, _, sub = fields[0].lower().partition("/")
        if not kind or not sub:
            continue
        q = 1.0
        for f in fields[1:]:
            name, _, value = f.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((kind, sub, q))
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for index, offer in enumerate(available):
        kind, _, sub = offer.lower().partition("/")
        match: tuple[float, int] | None = None  # (q, specificity) of the most specific range matching the offer
        for rkind, rsub, q in ranges:
            if (rkind, rsub) == (kind, sub):
                spec = 2
            elif rkind == kind and rsub == "*":
                spec = 1
            elif (rkind, rsub) == ("*", "*"):
                spec = 0
            else:
                continue
            if match is None or spec > match[1]:
                match = (q, spec)
        if match is None or match[0] <= 0:
            continue
        key = (match[0], match[1], -index)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


class QueryRejected(ValueError):
    """The request cannot be answered; ``reason`` is 'syntax', 'update' or 'service', the message says why."""

    def __init__(self, reason: Literal["syntax", "update", "service"], message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class PreparedQuery:
    """A query that may be run: its text (code points expanded) and its form."""

    text: str
    form: QueryForm


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_FORMS: dict[str, QueryForm] = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


def expand_codepoints(text: str) -> str:
    r"""``\uXXXX`` and ``\UXXXXXXXX`` replaced by the code points they name (SPARQL 1.1 §19.2).

    >>> expand_codepoints(r"SELECT * { ?s ?p '\u66f9' }")
    "SELECT * { ?s ?p '曹' }"
    """

    def repl(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryRejected("syntax", f"{m.group(0)} is not a Unicode code point")
        return chr(code)

    return _CODEPOINT.sub(repl, text)


_LINE_BREAK = re.compile(r"\r\n?")
_STACK_LOCK = threading.Lock()  # threading.stack_size is process-wide: one caller at a time


def canonical(query: str) -> str:
    r"""The one text of a query that is checked and run: code points expanded, line breaks ``\n``, no comments.

    Every parser then reads the same tokens (see the module docstring): after this, no character is a line
    end to one parser and not to another, and no comment is left for a server to read differently.

    >>> canonical("SELECT * { #x\rFILTER(1<2) # y\r\n?s ?p '#\\u0041'\n}")
    "SELECT * { \nFILTER(1<2) \n?s ?p '#A'\n}"
    """
    text = expand_codepoints(query)
    if _CODEPOINT.search(text):  # a second round would let parsers disagree on what the text says
        raise QueryRejected("syntax", "escaped code points (\\u…) may not spell further escapes")
    text = _LINE_BREAK.sub("\n", text)
    return _REGION.sub(lambda m: "" if m.lastgroup == "comment" else m.group(0), text)


def prepare(query: str) -> PreparedQuery:
    """Check a query from the public: a read-only query without SERVICE, or QueryRejected saying why not.

    The ``text`` returned is :func:`canonical`: run that, never the request as received.

    >>> prepare("ASK { ?s ?p ?o }").form
    'ASK'
    >>> prepare("DROP ALL")
    Traceback (most recent call last):
    ...
    orgkg.sparql.QueryRejected: this endpoint is read-only: SPARQL Update requests are refused
    """
    text = canonical(query)
    parsed = _on_a_deep_stack(lambda: _parse(text))
    name = getattr(parsed[1], "name", "")
    if name not in _FORMS:
        raise QueryRejected("syntax", "not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    if _has_service(parsed) or mentions_service(text):
        raise QueryRejected(
            "service",
            "SERVICE (federated query) is refused: this server makes no outbound requests "
            "(the letters SERVICE may appear in strings, comments and names, not in IRIs or as a keyword)",
        )
    return PreparedQuery(text, _FORMS[name])


STACK_BYTES = 256 * 1024 * 1024
RECURSION_LIMIT = 60_000
T = TypeVar("T")


def _on_a_deep_stack(work: Callable[[], T]) -> T:
    """``work()`` in a thread with a 256 MB stack and a high recursion limit; its result, or the error it raised.

    rdflib's grammar recurses once per triple of a group (``TriplesBlock`` → ``TriplesBlock``), so the default
    limit of 1000 frames refused a CONSTRUCT with a 100-triple template as "nested too deeply". A thread of its
    own gets a stack that deep recursion cannot overflow (address space only: the pages are used as needed).
    """
    box: list[Any] = [None, None]

    def run() -> None:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, RECURSION_LIMIT))
        try:
            box[0] = work()
        except Exception as exc:
            box[1] = exc
        finally:
            sys.setrecursionlimit(limit)

    with _STACK_LOCK:
        size = threading.stack_size(STACK_BYTES)
        try:
            thread = threading.Thread(target=run, name="orgkg-sparql-parse")
            thread.start()
        finally:
            threading.stack_size(size)
    thread.join()
    if box[1] is not None:
        raise box[1]
    result: T = box[0]
    return result


def _parse(text: str) -> Any:
    """rdflib's parse tree of a query, or QueryRejected (syntax, update, too deep)."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import Query, UpdateUnit

    try:
        parsed = Query.parse_string(text, parse_all=True)
    except ParseBaseException as exc:
        try:
            UpdateUnit.parse_string(text, parse_all=True)
        except ParseBaseException:
            raise QueryRejected("syntax", f"SPARQL syntax error: {exc}") from None
        except RecursionError:
            raise QueryRejected("syntax", "SPARQL syntax error: the query is nested too deeply") from None
        raise QueryRejected("update", "this endpoint is read-only: SPARQL Update requests are refused") from None
    except RecursionError:
        raise QueryRejected("syntax", "SPARQL syntax error: the query is nested too deeply") from None
    return parsed


def _has_service(node: Any) -> bool:
    """Whether rdflib's parse tree holds a ``ServiceGraphPattern`` anywhere."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, CompValue):
            if n.name == "ServiceGraphPattern":
                return True
            stack.extend(n.values())
        elif isinstance(n, ParseResults | list | tuple):
            stack.extend(n)
    return False


# Regions of a query that are not keywords: comments, IRIs, strings, variable names and the local part of
# prefixed names (the prefix stays in view: ``SERVICE:x`` may read as SERVICE <:x>). Character classes are the
# grammar's (SPARQL 1.1 §19.8), matched greedily as the parsers do, so a region never extends past what a
# parser reads as one token. Matched left to right, so a quote inside an IRI or a ``#`` inside a string does
# not start a region of its own. ``<`` is ambiguous (an IRI, or "less than" in an expression): a region read as
# an IRI may be code to a parser, so what an IRI holds is still searched for SERVICE (:func:`mentions_service`).
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS = _PN_CHARS_BASE + "_0-9\u00b7\u0300-\u036f\u203f-\u2040\\-"
_REGIONS = {
    "comment": r"\#[^\r\n]*",
    "iri": r"<[^<>\"{}|^`\\\x00-\x20]*>",
    "string": "|".join(
        [
            r'"""(?:[^"\\]|\\.|"(?!""))*"""',
            r"'''(?:[^'\\]|\\.|'(?!''))*'''",
            r'"(?:[^"\\\r\n]|\\.)*"',
            r"'(?:[^'\\\r\n]|\\.)*'",
        ]
    ),
    "variable": f"[?$][{_PN_CHARS}]+",
    "local": f":(?:[{_PN_CHARS}.:]|%[0-9A-Fa-f]{{2}}|\\\\[_~.!$&'()*+,;=/?#@%-])*",
}
_REGION = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _REGIONS.items()), re.DOTALL)


def mentions_service(text: str) -> bool:
    """Whether the letters SERVICE occur in the query's code or IRIs (outside strings, comments, names).

    Deliberately broader than the grammar (``1SERVICE`` counts, and so does ``<http://x/service>``): a false
    alarm costs a 403, a miss an outbound request.

    >>> mentions_service('SELECT * { ?service ex:service "SERVICE" } # SERVICE')
    False
    >>> mentions_service("SELECT * { ?s ?p 1 SeRvIcE <http://x/> { } }")
    True
    >>> mentions_service("SELECT * { FILTER(1<2)SERVICE:sparql#> { } }")
    True
    """
    code = _REGION.sub(lambda m: m.group(0) if m.lastgroup == "iri" else " ", text)
    return "service" in code.lower()


_FROM = re.compile(r"\bFROM\b", re.IGNORECASE)


def declares_dataset(text: str) -> bool:
    """Whether the query names its own dataset (FROM / FROM NAMED) in its code.

    A store then answers over that dataset instead of the union of all graphs (SPARQL 1.1 §13.2).

    >>> declares_dataset("SELECT * FROM <http://g> { ?s ?p ?o }"), declares_dataset('SELECT ?from { ?s ?p "FROM" }')
    (True, False)
    """
    return bool(_FROM.search(_REGION.sub(" ", text)))


# results --------------------------------------------------------------------------------------------------
def solutions_json(variables: Sequence[str], rows: Iterable[Mapping[str, Mapping[str, str]]]) -> bytes:
    """SPARQL 1.1 Query Results JSON for rows of SPARQL JSON terms."""
    doc = {"head": {"vars": list(variables)}, "results": {"bindings": [dict(r) for r in rows]}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def serialize_solutions(
    variables: Sequence[str], rows: Iterable[Mapping[str, Mapping[str, str]]], media_type: str
) -> bytes:
    """SELECT results (rows of SPARQL JSON terms) in one of :data:`SOLUTIONS_MEDIA_TYPES`.

    >>> serialize_solutions(["a"], [{"a": {"type": "literal", "value": "x,y"}}], "text/csv")
    b'a\\r\\n"x,y"\\r\\n'
    """
    fmt = SOLUTIONS_MEDIA_TYPES[media_type]
    body = solutions_json(variables, rows)
    if fmt == QueryResultsFormat.JSON:
        return body
    out = parse_query_results(body, format=QueryResultsFormat.JSON).serialize(format=fmt)
    assert out is not None
    return out


def capped(
    items: Iterable[T], size: Callable[[T], int], row_limit: int | None, byte_limit: int | None
) -> tuple[list[T], bool]:
    """The first items up to ``row_limit`` of them and about ``byte_limit`` bytes (by ``size``); whether any were left.

    Reads no further than it keeps (plus one), so a store's lazy results are never all held in memory.

    >>> capped(iter("abcdef"), lambda c: 10, 4, 25)
    (['a', 'b'], True)
    """
    kept: list[T] = []
    total = 0
    for item in items:
        if row_limit is not None and len(kept) >= row_limit:
            return kept, True
        total += size(item)
        if byte_limit is not None and total > byte_limit:
            return kept, True
        kept.append(item)
    return kept, False


def fitted(serialize: Callable[[list[T]], bytes], items: list[T], byte_limit: int | None) -> tuple[bytes, bool]:
    """``serialize(items)`` cut down (whole rows) to at most ``byte_limit`` bytes; whether rows were cut."""
    body = serialize(items)
    cut = False
    while byte_limit is not None and len(body) > byte_limit and items:
        items = items[: min(len(items) - 1, int(len(items) * byte_limit / len(body) * 0.9))]
        body, cut = serialize(items), True
    return body, cut


def term_size(term: Mapping[str, str]) -> int:
    """About how many bytes a SPARQL JSON term takes in an answer (the sizes ``capped`` adds up)."""
    return 24 + sum(len(v) for v in term.values())


def row_size(row: Mapping[str, Mapping[str, str]]) -> int:
    """About how many bytes a row of SPARQL JSON terms takes in an answer."""
    return 4 + sum(len(k) + term_size(t) for k, t in row.items())


def answer_solutions(
    variables: Sequence[str],
    rows: Iterable[Mapping[str, Mapping[str, str]]],
    media_type: str,
    row_limit: int | None,
    byte_limit: int | None,
) -> tuple[bytes, bool]:
    """SELECT results serialized within both caps (rows and bytes); whether any were left out."""
    kept, truncated = capped(rows, row_size, row_limit, byte_limit)
    body, cut = fitted(lambda part: serialize_solutions(variables, part, media_type), kept, byte_limit)
    return body, truncated or cut


def answer_triples(
    triples: Iterable[Triple], media_type: str, row_limit: int | None, byte_limit: int | None
) -> tuple[bytes, bool]:
    """CONSTRUCT / DESCRIBE results serialized within both caps; whether any were left out."""
    kept, truncated = capped(triples, lambda t: len(str(t)) + 4, row_limit, byte_limit)
    body, cut = fitted(lambda part: serialize_triples(part, media_type), kept, byte_limit)
    return body, truncated or cut


def serialize_boolean(value: bool, media_type: str) -> bytes:
    """An ASK result in one of :data:`BOOLEAN_MEDIA_TYPES`.

    >>> serialize_boolean(True, "application/sparql-results+json")
    b'{"head":{},"boolean":true}'
    """
    fmt = BOOLEAN_MEDIA_TYPES[media_type]
    body = json.dumps({"head": {}, "boolean": value}, separators=(",", ":")).encode()
    if fmt == QueryResultsFormat.JSON:
        return body
    out = parse_query_results(body, format=QueryResultsFormat.JSON).serialize(format=fmt)
    assert out is not None
    return out


def serialize_triples(triples: Iterable[Triple], media_type: str) -> bytes:
    """CONSTRUCT / DESCRIBE results in one of :data:`GRAPH_MEDIA_TYPES` (Turtle with the project's prefixes)."""
    fmt = GRAPH_MEDIA_TYPES[media_type]
    prefixes = SERIALIZATION_PREFIXES if fmt in (RdfFormat.TURTLE, RdfFormat.RDF_XML) else None
    out = serialize(triples, format=fmt, prefixes=prefixes)
    assert out is not None
    return out
