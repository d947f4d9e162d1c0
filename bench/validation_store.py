"""Validation on the store (issue 15): full validation of a store generation in place, and one added document.

``python -m bench.validation_store --docs 320`` builds the synthetic corpus (``bench.corpus``) of that many
documents but the last into an embedded store (with its report), then times, wall-clock:

* **full**: ``orgkg validate --store``'s check (:func:`orgkg.validation.run.check_data` on the generation in place);
* **build check**: what ``orgkg build`` runs: the built graphs loaded once into memory, then the same check with the
  documents' texts (quote check included);
* **one document**: the gate of ``orgkg add`` for the last document (:func:`orgkg.validation.run.check_write`: the
  staged generation, its nodes checked, merged into the kept report), and the whole ``orgkg.corpus.update``.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any


def measure(docs: int) -> dict[str, Any]:
    """Figures for a corpus of ``docs`` documents."""
    from bench.corpus import write_corpus
    from orgkg.corpus import Cache, fill_cache, update
    from orgkg.pipeline import build_graphs
    from orgkg.stores.embedded import EmbeddedStore
    from orgkg.validation.data import Data, from_graphs
    from orgkg.validation.report import to_turtle
    from orgkg.validation.run import check_data, check_write

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        written = write_corpus(folder / "corpus", 0, docs)
        files = sorted(folder / "corpus" / d.file_name for d in written)
        last = folder / "corpus" / written[-1].file_name
        result = build_graphs([f for f in files if f != last])
        texts = {ctx.iri.value: ctx.doc.source.text for ctx in result.resolution.documents}
        triples = sum(len(q) for q in result.graphs.values())
        t0 = time.perf_counter()
        built = check_data(from_graphs(result.graphs), texts)
        build_check = time.perf_counter() - t0
        store = EmbeddedStore(folder / "store")
        store.replace_graphs(result.graphs, drop_others=True, report=to_turtle(built))
        fill_cache(Cache(folder / "store" / "cache"), result.documents)
        t0 = time.perf_counter()
        full = check_data(Data(store.generation(), union=True))
        full_s = time.perf_counter() - t0
        gate: dict[str, Any] = {}

        def check(new: Any, graphs: set[Any]) -> bool | bytes:
            new_texts = {ctx.iri.value: ctx.doc.source.text for ctx in new.resolution.documents}
            started = time.perf_counter()
            report = check_write(store, new.graphs, graphs, new_texts)
            gate["seconds"] = time.perf_counter() - started
            gate["results"] = len(report.results)
            return to_turtle(report) if report.conforms else False

        t0 = time.perf_counter()
        change = update(store, Cache(folder / "store" / "cache"), add=[last], check=check)
        add_s = time.perf_counter() - t0
        return {
            "docs": docs,
            "triples": triples,
            "build_check_s": round(build_check, 2),
            "full_on_store_s": round(full_s, 2),
            "full_results": len(full.results),
            "one_document_check_s": round(gate["seconds"], 3),
            "add_total_s": round(add_s, 2),
            "add_stages_s": {k: round(v, 3) for k, v in change.seconds.items()},
            "results_after_add": gate["results"],
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=32)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.docs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
