"""The ``orgkg`` command line: build, query, validate, export, serve (see the CLI contract in the README)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from orgkg.cli_corpus import add_arguments, cache_folder, run_update
from orgkg.corpus import Cache, fill_cache
from orgkg.queries import QueryError, get_query, load_queries
from orgkg.source import SourceError
from orgkg.stores import Store, open_store
from orgkg.stores.base import SelectResult, StoreError

DEFAULT_STORE = Path(os.environ.get("ORGKG_STORE", "build/store"))
EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2


def _store_arg(p: argparse.ArgumentParser) -> None:
    where = p.add_mutually_exclusive_group()
    where.add_argument("--store", type=Path, default=DEFAULT_STORE, help=f"store folder (default {DEFAULT_STORE})")
    where.add_argument(
        "--endpoint",
        metavar="URL",
        help="a SPARQL 1.1 query endpoint instead of --store; credentials from ORGKG_SPARQL_USER and "
        "ORGKG_SPARQL_PASSWORD (ORGKG_SPARQL_AUTH=basic|digest, ORGKG_SPARQL_TIMEOUT=seconds)",
    )
    p.add_argument("--update-endpoint", metavar="URL", help="where loads go, with --endpoint (default: the endpoint)")


def _open(args: argparse.Namespace) -> Store:
    """The store the command line names: ``--endpoint`` (+ ``--update-endpoint``) or ``--store``."""
    return open_store(args.store, args.endpoint, args.update_endpoint)


def _where(args: argparse.Namespace) -> str:
    """The store as messages name it: the folder, or the endpoint without credentials or query string."""
    if args.endpoint:
        from orgkg.stores.remote import public_url

        return public_url(args.endpoint)
    return str(args.store)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="orgkg", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the graph from source files/folders (default data/), atomically")
    b.add_argument("sources", nargs="*", type=Path, default=[Path("data")])
    _store_arg(b)
    going = b.add_mutually_exclusive_group()
    going.add_argument(
        "--keep-going",
        action="store_true",
        help="go past unusable files named as files too (files found in a folder are always gone past and listed)",
    )
    going.add_argument(
        "--strict",
        action="store_true",
        help="for CI: fail (exit 2, store untouched) on any unusable file and on any header field a fallback inferred",
    )
    b.add_argument("--allow-violations", action="store_true", help="store the graph even with SHACL violations")
    b.add_argument("--reports", type=Path, default=Path("build/reports"), help="where validation reports go")
    b.add_argument("--quiet", action="store_true")

    q = sub.add_parser("query", help="run a named query (queries/NAME.rq) or --sparql")
    q.add_argument("name", nargs="?")
    q.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    q.add_argument("--sparql", help="a SELECT query to run instead of a named one")
    q.add_argument("--format", choices=["json", "csv", "table"], default="table")
    _store_arg(q)

    sub.add_parser("queries", help="list the named queries with their parameters")
    add_arguments(sub, _store_arg)

    v = sub.add_parser("validate", help="validate a store or an RDF file against shapes/")
    _store_arg(v)
    v.add_argument("--file", type=Path, help="an RDF file (TriG, N-Quads, Turtle) instead of the store")
    v.add_argument("--format", choices=["text", "turtle", "json", "junit"], default="text")
    v.add_argument("--lang", choices=["zh", "en"], default="zh")
    v.add_argument(
        "--reasoner", action="store_true", help="also check consistency with the ontology (HermiT; needs Java)"
    )

    e = sub.add_parser("export", help="write the whole graph, named graphs kept")
    _store_arg(e)
    e.add_argument("--format", choices=["trig", "nquads", "turtle", "jsonld"], default="trig")

    s = sub.add_parser("serve", help="serve the named queries and SPARQL over HTTP")
    _store_arg(s)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    return parser


def _params(pairs: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise QueryError(f"--param {pair!r}: expected KEY=VALUE")
        out[key] = value
    return out


def format_result(result: SelectResult, fmt: str) -> str:
    """A SELECT result as SPARQL JSON, CSV (SPARQL 1.1 CSV: plain values) or an aligned text table."""
    if fmt == "json":
        return json.dumps(result.to_json(), ensure_ascii=False, indent=2)
    rows = list(result.values())
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(result.variables)
        for r in rows:
            writer.writerow(["" if r[v] is None else r[v] for v in result.variables])
        return buf.getvalue()
    cells = [[("" if r[v] is None else _short(str(r[v]))) for v in result.variables] for r in rows]
    widths = [max([_width(v)] + [_width(c[i]) for c in cells]) for i, v in enumerate(result.variables)]
    lines = [" | ".join(_pad(v, w) for v, w in zip(result.variables, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines)


def _short(value: str, limit: int = 60) -> str:
    value = value.replace("\n", "⏎")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)  # CJK takes two columns in a terminal


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


def cmd_build(args: argparse.Namespace) -> int:
    from orgkg.pipeline import build_graphs, stderr_progress
    from orgkg.validation.data import from_graphs
    from orgkg.validation.report import summary_line, to_turtle, write_reports
    from orgkg.validation.run import check_data

    started = time.perf_counter()
    store = _open(args)  # a misconfigured store fails now, not after the build
    result = build_graphs(
        args.sources, keep_going=args.keep_going, strict=args.strict, progress=None if args.quiet else stderr_progress
    )
    texts = {ctx.iri.value: ctx.doc.source.text for ctx in result.resolution.documents}
    report = check_data(from_graphs(result.graphs), texts)
    reports = write_reports(report, args.reports)
    print(f"{summary_line(report)} (report: {reports[0]})", file=sys.stderr)
    if not report.conforms and not args.allow_violations:
        print(
            f"orgkg build: the graph has SHACL violations; the store at {_where(args)} was left as it was "
            "(see the report, or use --allow-violations to store it anyway)",
            file=sys.stderr,
        )
        return EXIT_VIOLATIONS
    with store.writing():
        store.replace_graphs(result.graphs, drop_others=True, report=to_turtle(report))
        cache = Cache(cache_folder(args))
        fill_cache(cache, result.documents)
        cache.prune({doc.source.sha256 for doc in result.documents})
    summary_text = ", ".join(f"{v} {k}" for k, v in result.summary().items())
    print(f"built {_where(args)}: {summary_text} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if result.warnings:
        print(f"{len(result.warnings)} header field(s) inferred:", *result.warnings, sep="\n  ", file=sys.stderr)
    if result.skipped:
        print(f"skipped {len(result.skipped)} file(s):", *result.skipped, sep="\n  ", file=sys.stderr)
    return EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    store = _open(args)
    if args.sparql:
        if args.name or args.param:
            raise QueryError("give either a query NAME with --param, or --sparql, not both")
        result = store.select(_checked_select(args.sparql))
    else:
        if not args.name:
            raise QueryError("give a named query (see `orgkg queries`) or --sparql")
        nq = get_query(args.name)
        result = store.select(nq.text, nq.bindings(_params(args.param)))
    out = format_result(result, args.format)
    print(out, end="" if out.endswith("\n") else "\n")
    return EXIT_OK


def _checked_select(text: str) -> str:
    """The text of a ``--sparql`` query to run: checked as a public query is (no update, no SERVICE), canonical.

    The embedded store would evaluate SERVICE by fetching from the address named, and a SPARQL server given
    by ``--endpoint`` would do the same on its side; the text sent is the one checked.
    """
    from orgkg.sparql import QueryRejected, prepare

    try:
        prepared = prepare(text)
    except QueryRejected as exc:
        raise QueryError(f"--sparql: {exc}") from None
    if prepared.form != "SELECT":
        raise QueryError(f"--sparql: a SELECT query is expected here, not {prepared.form}")
    return prepared.text


def cmd_queries(_args: argparse.Namespace) -> int:
    for nq in load_queries().values():
        params = ", ".join(f"{p.name}{'' if p.required else '?'}:{p.type}" for p in nq.parameters)
        print(f"{nq.name}({params})\n    {nq.summary}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    store = _open(args)
    fmt = args.format
    if fmt in ("trig", "nquads"):
        sys.stdout.buffer.write(store.dump(fmt))
        return EXIT_OK
    import rdflib

    ds = rdflib.Dataset()
    ds.parse(data=store.dump("nquads"), format="nquads")
    out = ds.serialize(format="json-ld" if fmt == "jsonld" else "trig")
    if fmt == "turtle":  # Turtle has no graphs: the union of all graphs
        g = rdflib.Graph()
        for s, p, o, _g in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        out = g.serialize(format="turtle")
    sys.stdout.write(out)
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from orgkg.validation.cli import run_validate

    code: int = run_validate(args)
    return code


def cmd_serve(args: argparse.Namespace) -> int:
    from api.main import create_app
    from api.server import run
    from api.settings import Settings

    settings = Settings()  # ORGKG_QUERY_TIMEOUT, ORGKG_ROW_LIMIT, ORGKG_WORKERS, ORGKG_CORS_ORIGINS …
    run(create_app(_open(args), settings), host=args.host, port=args.port, settings=settings)
    return EXIT_OK


def cmd_add(args: argparse.Namespace) -> int:
    return run_update(args, _open(args), remove=False)


def cmd_remove(args: argparse.Namespace) -> int:
    return run_update(args, _open(args), remove=True)


COMMANDS = {
    "build": cmd_build,
    "add": cmd_add,
    "remove": cmd_remove,
    "query": cmd_query,
    "queries": cmd_queries,
    "validate": cmd_validate,
    "export": cmd_export,
    "serve": cmd_serve,
}


ENV_MEMORY = "ORGKG_CLI_MEMORY_BYTES"


def _bound_memory(command: str) -> int:
    """Cap the address space of a reading command (a damaged store once made `orgkg query` grow to 23 GB)."""
    if command not in ("query", "export") or not sys.platform.startswith("linux"):
        return 0
    from orgkg.sandbox import limit_memory

    raw = os.environ.get(ENV_MEMORY) or str(8 * 1024**3)
    if not raw.isdigit():
        raise QueryError(f"{ENV_MEMORY}={raw!r}: expected a number of bytes (0: no limit)")
    if int(raw):
        limit_memory(int(raw))
    return int(raw)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; exit 0 on success, 1 on violations, 2 on errors (with a message naming the culprit)."""
    args = _parser().parse_args(argv)
    limit = 0
    try:
        if argv is None:  # the command line, not a caller in this process (tests) whose memory it would cap
            limit = _bound_memory(args.command)
        return COMMANDS[args.command](args)
    except (SourceError, QueryError, StoreError, ValueError) as exc:
        print(f"orgkg {args.command}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except MemoryError:
        where = f" (the limit is {limit // 2**20} MB: {ENV_MEMORY})" if limit else ""
        print(f"orgkg {args.command}: out of memory{where}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader went away (`orgkg query … | head`): it has what it wanted. Point stdout at /dev/null so
        # the interpreter's last flush does not fail again (https://docs.python.org/3/library/signal.html#note-on-sigpipe).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
