"""``orgkg validate``: a store or an RDF file against ``shapes/``; exit 0 conforms, 1 violations, 2 error.

An embedded store is validated in place, on the generation being served (no copy); a remote store is read through
its dump once; a file is parsed by rdflib and loaded once into an in-memory store. ``--reasoner`` adds the
ontology consistency check (HermiT, :mod:`orgkg.validation.reasoner`): inconsistent data exits 1 like a violation.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyoxigraph as ox
import rdflib

from orgkg.stores import Store, open_store
from orgkg.stores.base import StoreError
from orgkg.validation.data import Data, from_dataset, in_memory
from orgkg.validation.report import ValidationReport, format_text, summary_line, to_json, to_junit, to_turtle
from orgkg.validation.run import check_data

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


def store_data(store: Store) -> Data:
    """The data of a store: an embedded store's current generation in place, else its dump once in memory."""
    generation = store.generation()
    if generation is not None:
        return Data(generation, union=True)
    return in_memory(ox.parse(store.dump("nquads"), format=ox.RdfFormat.N_QUADS))


def run_validate(args: argparse.Namespace) -> int:
    try:
        if args.file:
            data = from_dataset(load_file(args.file))
        else:
            data = store_data(open_store(args.store, args.endpoint, args.update_endpoint))
    except (ValueError, StoreError) as exc:
        print(f"orgkg validate: {exc}", file=sys.stderr)
        return 2
    report = check_data(data)
    _print(report, args.format, args.lang)
    print(summary_line(report), file=sys.stderr)
    code = 0 if report.conforms else 1
    if getattr(args, "reasoner", False):
        code = max(code, _reason(data))
    return code


def _print(report: ValidationReport, fmt: str, lang: str) -> None:
    if fmt == "turtle":
        sys.stdout.buffer.write(to_turtle(report))
    elif fmt == "json":
        print(to_json(report, lang))
    elif fmt == "junit":
        sys.stdout.write(to_junit(report, lang))
    else:
        print(format_text(report, lang="en" if lang == "en" else "zh"))


def _reason(data: Data) -> int:
    """HermiT on the ontology plus the data: 0 consistent, 1 inconsistent, 2 could not run."""
    from orgkg.iris import ONTOLOGY_GRAPH
    from orgkg.pipeline import ONTOLOGY_FILE
    from orgkg.validation.reasoner import ReasonerError, check_consistency

    try:  # the ontology comes from its file; its copy in the store would only repeat it
        result = check_consistency(ONTOLOGY_FILE, data.rdflib_graph(skip=[ONTOLOGY_GRAPH]))
    except ReasonerError as exc:
        print(f"orgkg validate: {exc}", file=sys.stderr)
        return 2
    print(result.explanation, file=sys.stderr)
    return 0 if result.consistent and not result.unsatisfiable_classes else 1
