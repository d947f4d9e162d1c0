"""``orgkg validate``: a store or an RDF file against ``shapes/``; exit 0 conforms, 1 violations, 2 error."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import rdflib

from orgkg.checks import summary_line, to_json, to_junit, validate_dataset
from orgkg.stores import Store, open_store
from orgkg.stores.base import StoreError
from orgkg.validate import format_text

FILE_FORMATS = {".trig": "trig", ".nq": "nquads", ".nquads": "nquads", ".ttl": "turtle", ".nt": "nt"}


def load_file(path: Path) -> rdflib.Dataset:
    """An RDF file as a Dataset; the error names the file and the formats expected."""
    fmt = FILE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"{path}: unknown RDF format; expected one of {', '.join(sorted(FILE_FORMATS))}")
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    ds = rdflib.Dataset()
    try:
        ds.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many parser-specific types
        raise ValueError(f"{path}: not valid {fmt} ({exc})") from exc
    return ds


def load_store(store: Store | Path) -> rdflib.Dataset:
    """A store's whole dataset (any backend, through the store interface's dump); a Path is an embedded store."""
    source = open_store(store) if isinstance(store, Path) else store
    ds = rdflib.Dataset()
    ds.parse(data=source.dump("nquads"), format="nquads")
    return ds


def run_validate(args: argparse.Namespace) -> int:
    try:
        data = (
            load_file(args.file)
            if args.file
            else load_store(open_store(args.store, args.endpoint, args.update_endpoint))
        )
    except (ValueError, StoreError) as exc:
        print(f"orgkg validate: {exc}", file=sys.stderr)
        return 2
    report = validate_dataset(data)
    if args.format == "turtle":
        sys.stdout.write(report.report_graph.serialize(format="turtle"))
    elif args.format == "json":
        print(to_json(report, args.lang))
    elif args.format == "junit":
        sys.stdout.write(to_junit(report, args.lang))
    else:
        print(format_text(report, lang="en" if args.lang == "en" else "zh"))
    print(summary_line(report), file=sys.stderr)
    return 0 if report.conforms else 1
