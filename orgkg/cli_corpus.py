"""``orgkg add`` and ``orgkg remove``: change the documents of a built store, atomically."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pyoxigraph import NamedNode

from orgkg.corpus import Cache, CorpusError, update
from orgkg.pipeline import BuildResult
from orgkg.stores.base import Store


def cache_folder(args: argparse.Namespace) -> Path:
    """Where source bytes and records are kept: ``--cache``, else ``<store>/cache`` (beside its generations)."""
    cache: Path | None = getattr(args, "cache", None)
    return cache if cache is not None else Path(args.store) / "cache"


def add_arguments(sub: argparse._SubParsersAction[argparse.ArgumentParser], store_arg: object) -> None:
    """The two subcommands, with the store options every command has."""
    a = sub.add_parser("add", help="add or replace documents in a built store (unchanged files are skipped)")
    a.add_argument("files", nargs="+", type=Path)
    r = sub.add_parser("remove", help="remove documents (by 文号, title, source file name or IRI)")
    r.add_argument("documents", nargs="+")
    for p in (a, r):
        store_arg(p)  # type: ignore[operator]
        p.add_argument("--cache", type=Path, help="source cache (default: STORE/cache)")
        p.add_argument("--reports", type=Path, default=Path("build/reports"), help="where validation reports go")
        p.add_argument("--allow-violations", action="store_true", help="write even with SHACL violations")


def run_update(args: argparse.Namespace, store: Store, *, remove: bool) -> int:
    """Run an add or remove; exit 0 done, 1 refused for violations, 2 error."""
    from orgkg.validation.report import summary_line, to_turtle, write_reports
    from orgkg.validation.run import check_write

    def check(result: BuildResult, graphs: set[NamedNode]) -> bool | bytes:
        texts = {ctx.iri.value: ctx.doc.source.text for ctx in result.resolution.documents}
        report = check_write(store, result.graphs, graphs, texts)  # the full report of the store as it will be
        write_reports(report, args.reports)
        print(summary_line(report), file=sys.stderr)
        return to_turtle(report) if report.conforms or args.allow_violations else False

    try:
        change = update(
            store,
            Cache(cache_folder(args)),
            add=[] if remove else args.files,
            remove=args.documents if remove else [],
            check=check,
        )
    except CorpusError as exc:
        print(f"orgkg {'remove' if remove else 'add'}: {exc}", file=sys.stderr)
        return 1 if "SHACL" in str(exc) else 2
    for label, items in (
        ("added", change.added),
        ("replaced", change.replaced),
        ("removed", change.removed),
        ("unchanged (skipped)", change.unchanged),
    ):
        if items:
            print(f"{label}: {', '.join(items)}", file=sys.stderr)
    stages = ", ".join(f"{k} {v:.2f}" for k, v in change.seconds.items())
    print(
        f"wrote {len(change.graphs_written)} graph(s), dropped {len(change.graphs_dropped)} "
        f"in {sum(change.seconds.values()):.1f} s ({stages})",
        file=sys.stderr,
    )
    return 0
