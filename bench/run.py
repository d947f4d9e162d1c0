"""The benchmark harness: ``make bench`` → ``python -m bench.run [--large] [--repeats N]``.

For each size (≈10^4, ≈3·10^4 and ≈10^5 triples; ≈10^6 with ``--large``) a fresh subprocess generates the
synthetic corpus (bench.corpus), then, ``repeats`` times, builds the graphs end to end without SHACL
(orgkg.pipeline.build_graphs: extract + resolve + map) and loads them into a fresh embedded store
(EmbeddedStore.replace_graphs); it records the stage seconds (BuildResult.seconds), the process's peak RSS
after each stage (resource.getrusage maxrss: a high-water mark, so a stage's figure is the peak up to and
including it), and the p50/p95 latency of four named queries on the embedded store and on an rdflib
in-memory Dataset (default_union) holding the same quads, asked the same query text with the same VALUES
bindings. The parent writes ``bench/results/<date>.json``, a plot, and ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import itertools
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "benchmarks.md"
DEFAULT_TARGETS = (10_000, 30_000, 100_000)
LARGE_TARGET = 1_000_000
SHACL_LARGE_ARGS: list[str] = []  # options of bench.shacl at ≈10^6 triples
QUERIES = ("tasks-by-leader", "tasks-by-unit", "leaders", "portfolio-changes")
MIN_RUNS, MAX_RUNS = 3, 30
QUERY_BUDGET_S = 15.0  # per (query, backend): stop repeating once this is spent and MIN_RUNS are done
SINGLE_RUN_CAP_S = 60.0  # one run slower than this is not repeated (the rdflib baseline at 10^6)
PREDICTED_CAP_S = 200.0  # a query predicted slower than this at the next size is not timed there (one run above 60 s)


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": len(values),
    }


# the worker: one size, in its own process -------------------------------------------------------------
def _query_params(docs: list[Any]) -> dict[str, list[dict[str, str]]]:
    """Parameter sets that exist in the corpus, spread over organizations (deterministic)."""
    leaders: list[str] = []
    units: list[str] = []
    for d in docs:
        for t in d.tasks:
            for role, kind, name in t.responsibilities:
                if kind == "person" and role == "supervisor" and name not in leaders:
                    leaders.append(name)
                if kind == "unit" and name not in units:
                    units.append(name)
    years = sorted({d.year for d in docs})
    pairs = list(itertools.pairwise(years)) or [(years[0], years[0])]
    step = max(1, len(leaders) // 10)
    return {
        "tasks-by-leader": [{"leader": n} for n in leaders[::step][:10]],
        "tasks-by-unit": [{"unit": n} for n in units[:10]],
        "leaders": [{}],
        "portfolio-changes": [{"from": str(a), "to": str(b)} for a, b in pairs],
    }


def _time_queries(run: Any, texts: list[str]) -> list[float]:
    times: list[float] = []
    spent = 0.0
    while len(times) < MAX_RUNS:
        t0 = time.perf_counter()
        run(texts[len(times) % len(texts)])
        elapsed = time.perf_counter() - t0
        times.append(elapsed)
        spent += elapsed
        if elapsed > SINGLE_RUN_CAP_S or (len(times) >= MIN_RUNS and spent > QUERY_BUDGET_S):
            break
    return times


def worker(docs_count: int, seed: int, repeats: int, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    from pyoxigraph import RdfFormat, serialize

    from bench.corpus import document, write_corpus
    from orgkg.corpus import Cache, fill_cache
    from orgkg.pipeline import build_graphs
    from orgkg.queries import get_query
    from orgkg.stores.base import with_values
    from orgkg.stores.embedded import EmbeddedStore

    rss: dict[str, float] = {"start": _maxrss_mib()}
    tmp = Path(tempfile.mkdtemp(prefix="orgkg-bench-"))
    try:
        docs = write_corpus(tmp / "corpus", seed, docs_count)
        rss["corpus"] = _maxrss_mib()
        builds: list[dict[str, float]] = []
        loads: list[float] = []
        summary: dict[str, int] = {}
        store = EmbeddedStore(tmp / "store")
        result = None
        for i in range(repeats):
            result = None  # drop the previous repeat's graphs before building again
            t0 = time.perf_counter()
            result = build_graphs([tmp / "corpus"])
            total = time.perf_counter() - t0
            builds.append({"total": total, **result.seconds})
            if i == 0:
                rss["build"] = _maxrss_mib()
                summary = result.summary()
            shutil.rmtree(tmp / "store", ignore_errors=True)
            store = EmbeddedStore(tmp / "store")
            t0 = time.perf_counter()
            store.replace_graphs(result.graphs, drop_others=True)
            loads.append(time.perf_counter() - t0)
            if i == 0:
                rss["load"] = _maxrss_mib()
        assert result is not None
        fill_cache(Cache(tmp / "store" / "cache"), result.documents)
        quads = [q for g in result.graphs.values() for q in g]
        nquads = serialize(quads, format=RdfFormat.N_QUADS)
        assert nquads is not None
        result = None
        del quads

        import rdflib

        t0 = time.perf_counter()
        dataset = rdflib.Dataset(default_union=True)
        dataset.parse(data=nquads, format="nquads")
        rdflib_load = time.perf_counter() - t0
        del nquads
        if len(dataset) != summary["triples"]:
            raise SystemExit(f"rdflib holds {len(dataset)} quads, orgkg built {summary['triples']}")

        params = _query_params(docs)
        queries: dict[str, Any] = {}
        for name in QUERIES:
            if name in skip:
                queries[name] = {"skipped": "one run predicted to exceed the cap (superlinear at the size below)"}
                continue
            q = get_query(name)
            texts = [with_values(q.text, q.bindings(p)) for p in params[name]]
            rows_ox = [len(store.select(t).bindings) for t in texts]
            rows_rdf = [len(list(dataset.query(t))) for t in texts[:1]]  # warm-up + row check on the first
            if rows_rdf[0] != rows_ox[0]:
                raise SystemExit(f"{name}: rdflib answers {rows_rdf[0]} rows, the embedded store {rows_ox[0]}")
            ox = _time_queries(lambda t: store.select(t), texts)
            rdf = _time_queries(lambda t: list(dataset.query(t)), texts)
            queries[name] = {
                "parameter_sets": len(texts),
                "rows_mean": statistics.mean(rows_ox),
                "embedded": {"p50": _percentile(ox, 0.5), "p95": _percentile(ox, 0.95), "runs": len(ox)},
                "rdflib": {"p50": _percentile(rdf, 0.5), "p95": _percentile(rdf, 0.95), "runs": len(rdf)},
                "ratio_p50": _percentile(rdf, 0.5) / _percentile(ox, 0.5),
            }
        rss["queries"] = _maxrss_mib()
        # the incremental path: `orgkg add` of one more document (the next one the generator would write),
        # twice: the first add after a build hashes the stored graphs once (kept per store generation), the
        # second finds them recorded — the steady state of a store that grows by additions
        incremental = []
        for extra in (document(seed, docs_count), document(seed, docs_count + 1)):
            held = tmp / extra.file_name
            held.write_text(extra.text, encoding="utf-8")
            incremental.append(_add_one(store, tmp / "store" / "cache", held))
        rss["add"] = _maxrss_mib()
        stages = {k: _spread([b[k] for b in builds]) for k in builds[0]}
        return {
            "documents": docs_count,
            "summary": summary,
            "build": stages,
            "load": _spread(loads),
            "documents_per_s": {
                "build": docs_count / stages["total"]["median"],
                "load": docs_count / statistics.median(loads),
            },
            "rdflib_load_s": rdflib_load,
            "add_one": incremental,
            "peak_rss_mib": rss,
            "queries": queries,
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _add_one(store: Any, cache_dir: Path, path: Path) -> dict[str, Any]:
    """Add one document to the built store as `orgkg add` does (its validation gate included), by stage."""
    from orgkg.corpus import Cache, update
    from orgkg.validation.report import to_turtle
    from orgkg.validation.run import check_write

    verdict: dict[str, Any] = {}

    def check(result: Any, graphs: set[Any]) -> bool | bytes:  # the gate of orgkg.cli_corpus.run_update
        texts = {ctx.iri.value: ctx.doc.source.text for ctx in result.resolution.documents}
        report = check_write(store, result.graphs, graphs, texts)
        verdict["violations"] = sum(1 for r in report.results if r.severity == "Violation")
        return to_turtle(report) if report.conforms else False

    t0 = time.perf_counter()
    change = update(store, Cache(cache_dir), add=[path], check=check)
    total = time.perf_counter() - t0
    if change.added != [path.name]:
        raise SystemExit(f"adding {path.name} did not add it: {change}")
    return {
        "seconds": total,
        "stages": change.seconds,
        "graphs_written": len(change.graphs_written),
        "violations": verdict.get("violations"),
    }


# the parent ------------------------------------------------------------------------------------------
def _run_worker(docs: int, seed: int, repeats: int, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.run", "--worker", str(docs), "--seed", str(seed), "--repeats", str(repeats)]
    out = subprocess.run(
        cmd + [a for name in sorted(skip) for a in ("--skip", name)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    data: dict[str, Any] = json.loads(out.stdout.splitlines()[-1])
    return data


def _run_json(cmd: list[str], what: str) -> Any:
    """Run a measuring module in its own process; its JSON answer (the whole output, else its last line)."""
    print(f"  {what} …", flush=True)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        print(f"  {what}: failed (exit {done.returncode}); reported as not measured", flush=True)
        return {"failed": f"`{' '.join(cmd[1:])}` exited with {done.returncode}"}
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {what}: done in {time.perf_counter() - t0:.0f} s", flush=True)
    return answer


def _predicted_too_slow(done: list[dict[str, Any]], target: int) -> frozenset[str]:
    """Queries whose slower backend, extrapolated quadratically from the last size, would exceed the cap.

    Queries cannot be interrupted in-process (pyoxigraph evaluates in Rust), so a runaway query is avoided
    rather than timed out. Quadratic, because portfolio-changes grew faster than linearly in trials.
    """
    if not done:
        return frozenset()
    last = done[-1]
    factor = (target / last["summary"]["triples"]) ** 2
    slow = set()
    for name, q in last["queries"].items():
        if "skipped" in q or max(q["embedded"]["p50"], q["rdflib"]["p50"]) * factor > PREDICTED_CAP_S:
            slow.add(name)
    return frozenset(slow)


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kib = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "cpu": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "pyoxigraph": metadata.version("pyoxigraph"),
        "rdflib": metadata.version("rdflib"),
    }


def _slope(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(cost) against log(size)."""
    if len(points) < 2:
        return None
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else None


def _plot(sizes: list[dict[str, Any]], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    triples = [s["summary"]["triples"] for s in sizes]
    fig, ax = plt.subplots(figsize=(6, 4))
    for label, key in (("build (extract+resolve+map)", "build"), ("store load", "load")):
        ys = [s["build"]["total"]["median"] if key == "build" else s["load"]["median"] for s in sizes]
        ax.loglog(triples, ys, marker="o", label=label)
    ax.set_xlabel("triples")
    ax.set_ylabel("seconds (median)")
    ax.set_title("orgkg: cost vs size (synthetic corpus)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def _fmt(x: float) -> str:
    return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"


def markdown(report: dict[str, Any], plot: str | None) -> str:
    m = report["machine"]
    sizes = report["sizes"]
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`bench/run.py`); raw figures in "
        f"[`bench/results/{report['date']}.json`](../bench/results/{report['date']}.json). Re-run to refresh; "
        "`--large` adds ≈10^6 triples.",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gib']} GiB memory, {m['platform']}; "
        f"Python {m['python']}, pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}.",
        "",
        "Corpus: `bench/corpus.py`, seed "
        f"{report['seed']}: synthetic work plans in the six layouts the extractor reads (2020 field lines, 2022 "
        "校领导 tags with pairs and joint leads, Jinan 责任单位 tags, Hubei 责任部门 tags, 牵头单位/责任单位 lines, "
        "pipe tables), one national, provincial and city organizations, four yearly plans each. Before measuring, "
        "one document of each layout is read back with orgkg's extractor and must give the tasks and "
        "responsibilities it was written with.",
        "",
        f"Each size runs in its own process; build and load are repeated {report['repeats']} times (median, "
        "[min–max]). Build is `orgkg.pipeline.build_graphs` end to end **without SHACL**; load is "
        "`EmbeddedStore.replace_graphs` into an empty store (including flush and optimize). Peak RSS is "
        "`getrusage` maxrss, a high-water mark: each stage's figure is the peak up to the end of that stage.",
        "",
        "## Build and load",
        "",
        "| triples | docs | tasks | build total | extract | resolve | map | build docs/s | load | load docs/s "
        "| peak RSS MiB (corpus / build / load / queries) |",
        "|---:|---:|---:|---|---|---|---|---:|---|---:|---|",
    ]

    def cell(s: dict[str, float]) -> str:
        return f"{_fmt(s['median'])} [{_fmt(s['min'])}–{_fmt(s['max'])}]"

    for s in sizes:
        b, r = s["build"], s["peak_rss_mib"]
        lines.append(
            f"| {s['summary']['triples']:,} | {s['documents']} | {s['summary']['tasks']:,} | {cell(b['total'])} "
            f"| {_fmt(b['extract']['median'])} | {_fmt(b['resolve']['median'])} | {_fmt(b['map']['median'])} "
            f"| {s['documents_per_s']['build']:.1f} | {cell(s['load'])} | {s['documents_per_s']['load']:.1f} "
            f"| {r['corpus']:.0f} / {r['build']:.0f} / {r['load']:.0f} / {r['queries']:.0f} |"
        )
    slopes = report["slopes"]
    lines += [
        "",
        "Slope of log(cost) against log(triples), least squares over the sizes above (1 = linear): "
        + ", ".join(f"{k} {v:.2f}" if v is not None else f"{k} n/a" for k, v in slopes.items())
        + ".",
        "",
    ]
    if plot:
        lines += [f"![cost vs size, log-log](../bench/results/{plot})", ""]
    lines += [
        "## Named-query latency: embedded store vs rdflib in memory",
        "",
        "In-process, same query text with the same `VALUES` bindings (`orgkg.stores.base.with_values`), "
        "parameter sets drawn from the corpus and cycled; rdflib is a `Dataset(default_union=True)` holding the "
        "same quads. Ratio = rdflib p50 / embedded p50, both measured in the same run (higher: the embedded "
        f"store is faster). Runs per cell: at least {MIN_RUNS}, until {QUERY_BUDGET_S:.0f} s are spent (max "
        f"{MAX_RUNS}).",
        "",
        "| triples | query | rows (mean) | embedded p50 / p95 | rdflib p50 / p95 | ratio (p50) | runs (emb/rdflib) |",
        "|---:|---|---:|---|---|---:|---|",
    ]
    for s in sizes:
        for name, q in s["queries"].items():
            if "skipped" in q:
                lines.append(f"| {s['summary']['triples']:,} | {name} | – | not timed: {q['skipped']} | | | |")
                continue
            e, r = q["embedded"], q["rdflib"]
            lines.append(
                f"| {s['summary']['triples']:,} | {name} | {q['rows_mean']:.1f} | {_fmt(e['p50'])} / {_fmt(e['p95'])} "
                f"| {_fmt(r['p50'])} / {_fmt(r['p95'])} | {q['ratio_p50']:.1f}× | {e['runs']}/{r['runs']} |"
            )
    lines += [
        "",
        "## Adding one document to a built store (`orgkg add`)",
        "",
        "The next document the generator would write, added to the store of each size with "
        "`orgkg.corpus.update` and the same validation gate as `orgkg add` (its SHACL check of the changed "
        "graphs). One run per size; stages from `Change.seconds`: read (the cached records of the stored "
        "documents), extract (the new one), map (resolve and map the whole corpus again), compare (which "
        "graphs changed: fingerprints of the new quads and of the stored graphs), check (SHACL of the changed "
        "graphs), write (a new store generation). *first*: the first add after a build, which hashes every "
        "stored graph once (the fingerprints are then kept with the store generation); *next*: a second add, "
        "which finds them recorded.",
        "",
        "| triples in store | add total | read | extract | map | compare | check (SHACL) | write | graphs written |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sizes:
        for which, a in zip(("first", "next"), s.get("add_one") or [], strict=False):
            st = a["stages"]
            lines.append(
                f"| {s['summary']['triples']:,} ({which}) | {_fmt(a['seconds'])} | "
                + " | ".join(_fmt(st.get(k, 0.0)) for k in ("read", "extract", "map", "compare", "check", "write"))
                + f" | {a['graphs_written']} |"
            )
    add_slope = _slope([(s["summary"]["triples"], s["add_one"][-1]["seconds"]) for s in sizes if s.get("add_one")])
    if add_slope is not None:
        lines += ["", f"Slope of log(next-add seconds) against log(triples): {add_slope:.2f} (0 = flat).", ""]
    for module, results in (("bench.shacl", report.get("shacl") or []), ("bench.serve", report.get("serve") or [])):
        measured = [r for r in results if "failed" not in r and "skipped" not in r]
        if measured:
            lines += ["", *importlib.import_module(module).markdown(measured)]
            apart = sorted({r["measured_apart"] for r in measured if "measured_apart" in r})
            if apart:
                lines += [
                    "",
                    f"These SHACL figures come from a separate run of `python -m bench.shacl` ({', '.join(apart)}) "
                    "on the same machine, not from the `make bench` run that measured the rest; each comparison "
                    "in them (pySHACL, orgkg, pyrudof) was still made within one process on one graph.",
                ]
        for r in results:
            if "failed" in r or "skipped" in r:
                lines += ["", f"`{module}` at one size: not measured ({r.get('failed') or r.get('skipped')})."]
    lines += ["", *goal_table(report), ""]
    return "\n".join(lines)


BUILD_GOAL_S, RSS_GOAL_MIB, ADD_GOAL_S, RDFLIB_GOAL_RATIO = 120.0, 2048.0, 2.0, 10.0


def _mark(met: bool | None) -> str:
    return {True: "met", False: "**not met**", None: "not measured"}[met]


def goal_table(report: dict[str, Any]) -> list[str]:
    """Every goal of the issue, met or not, at the largest size measured (the goals are stated at 10^6)."""
    rows: list[tuple[str, str, str, str]] = []
    sizes = report["sizes"]
    big = max(sizes, key=lambda s: s["summary"]["triples"])
    at = f"{big['summary']['triples']:,}"
    shacl = [r for r in report.get("shacl") or [] if "goal" in r]
    serve = [r for r in report.get("serve") or [] if "failed" not in r and "skipped" not in r]
    sh = max(shacl, key=lambda r: r["triples"]) if shacl else None
    # build end to end = extract + resolve + map, full validation (orgkg, from bench.shacl), store load
    if sh is not None and sh["triples"] == big["summary"]["triples"]:
        total = big["build"]["total"]["median"] + sh["orgkg"]["median"] + big["load"]["median"]
        rss = max(max(big["peak_rss_mib"].get(k, 0.0) for k in ("build", "load")), sh["peak_rss_mib"].get("orgkg", 0))
        rows.append(
            (
                f"build end to end ≤ {BUILD_GOAL_S:.0f} s, peak RSS ≤ 2 GiB",
                at,
                _mark(total <= BUILD_GOAL_S and rss <= RSS_GOAL_MIB),
                f"{_fmt(total)} (build {_fmt(big['build']['total']['median'])} + SHACL "
                f"{_fmt(sh['orgkg']['median'])} + load {_fmt(big['load']['median'])}); peak RSS {rss:,.0f} MiB",
            )
        )
    else:
        rows.append(("build end to end ≤ 120 s, peak RSS ≤ 2 GiB", at, _mark(None), "SHACL not measured here"))
    adds = big.get("add_one") or []
    if adds:
        last = adds[-1]["seconds"]
        rows.append(
            (
                f"adding one document ≤ {ADD_GOAL_S:.0f} s",
                at,
                _mark(last <= ADD_GOAL_S),
                f"next add {_fmt(last)}, first add {_fmt(adds[0]['seconds'])} (stages in the table above)",
            )
        )
    if sh is not None:
        g = sh["goal"]
        rows.append(
            (
                "full validation ≤ ½ of pySHACL on the whole graph, same findings",
                f"{sh['triples']:,}",
                _mark(bool(g["half_the_time"] and g["same_findings"] and g["injected_all_found"])),
                f"orgkg/pySHACL = {sh['ratio_orgkg_to_pyshacl']:.3f} on the {sh['ratio_graph']} graph; "
                f"same findings: {'yes' if g['same_findings'] else 'no'}"
                + ("" if g["same_findings"] or not g["differences_explained"] else " (differences explained)"),
            )
        )
        rows.append(
            (
                "validating one added document ≤ 1 s",
                f"{sh['triples']:,}",
                _mark(bool(g["one_document_within_1s"])),
                _fmt(sh["one_document"]["median"]),
            )
        )
    if serve:
        from bench.serve import goals as serve_goals

        sv = max(serve, key=lambda r: r["summary"]["triples"])
        for g in serve_goals(sv):
            configs = [(k, v) for k, v in g.items() if k != "goal"]
            label = {"api": "cache on", "api_uncached": "cache off"}
            status = "; ".join(f"{label.get(k, k)}: {_mark(v['met'])}" for k, v in configs)
            figures = "; ".join(f"{label.get(k, k)}: {v['measured']}" for k, v in configs)
            rows.append((g["goal"], f"{sv['summary']['triples']:,}", status, figures))
        api = _api_p50(sv, "tasks-by-leader")
        base = big["queries"].get("tasks-by-leader", {}).get("rdflib", {}).get("p50")
        if api is not None and base is not None and sv["summary"]["triples"] == big["summary"]["triples"]:
            rows.append(
                (
                    f"tasks-by-leader through the API ≥ {RDFLIB_GOAL_RATIO:.0f}× faster than the rdflib baseline",
                    at,
                    _mark(base / api >= RDFLIB_GOAL_RATIO),
                    f"{base / api:,.0f}× (API p50 {_fmt(api)} over HTTP with the answer cache off, rdflib p50 "
                    f"{_fmt(base)} in-process)",
                )
            )
    lines = [
        "## Goals of the issue: met or not",
        "",
        "The goals are stated at 10^6 triples on this 2-core machine; each is judged at the largest size measured "
        "in this run (the column *at*). Run `make bench BENCH_ARGS=--large` for ≈10^6.",
        "",
        "| goal | at (triples) | status | measured |",
        "|---|---:|---|---|",
    ]
    lines += [f"| {g} | {a} | {st} | {f} |" for g, a, st, f in rows]
    return lines


def _api_p50(serve_result: dict[str, Any], name: str) -> float | None:
    """p50 of one client through the API, answer cache off (every request runs its query) when measured."""
    from bench.serve import API_CONFIGS

    for config in sorted(API_CONFIGS, key=lambda c: c != "api_uncached"):
        try:
            value = serve_result[config][name]["runs"]["1"]["latency_s"]["p50"]
        except (KeyError, TypeError):
            continue
        if value is not None:
            return float(value)
    return None


def render(results: Path, shacl_files: list[Path]) -> int:
    """Write the report (docs/benchmarks.md and the plot) from a results file, adding SHACL results measured apart.

    SHACL results from another run keep their own comparisons (pySHACL and orgkg are always timed in the same
    process); the report says which run each part comes from.
    """
    report = json.loads(results.read_text(encoding="utf-8"))
    for f in shacl_files:
        text = f.read_text(encoding="utf-8").strip()
        try:
            found = json.loads(text)
        except ValueError:  # one JSON document per line
            found = [json.loads(line) for line in text.splitlines() if line.strip()]
        for r in found if isinstance(found, list) else [found]:
            r["measured_apart"] = f.name
            report.setdefault("shacl", []).append(r)
    report["shacl"] = sorted(report.get("shacl") or [], key=lambda r: r.get("triples", 0))
    results.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    plot_name = f"{report['date']}-cost-vs-size.png"
    plotted = _plot(report["sizes"], RESULTS / plot_name)
    DOC.write_text(markdown(report, plot_name if plotted else None), encoding="utf-8")
    print(f"wrote {results}, {DOC}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--large", action="store_true", help="add ≈10^6 triples")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--targets", type=int, nargs="+", help="sizes in triples instead of the default ones")
    ap.add_argument("--no-shacl", action="store_true", help="skip the SHACL comparison (bench/shacl.py)")
    ap.add_argument("--no-serve", action="store_true", help="skip the HTTP load tests (bench/serve.py)")
    ap.add_argument("--no-virtuoso", action="store_true", help="skip the Virtuoso comparison")
    ap.add_argument("--serve-seconds", type=float, default=10.0, help="seconds per load-test run (default 10)")
    ap.add_argument("--render", type=Path, metavar="RESULTS_JSON", help="only write the report from a results file")
    ap.add_argument(
        "--shacl-results",
        type=Path,
        nargs="+",
        default=[],
        help="with --render: add bench.shacl results measured in another run (JSON files of `python -m bench.shacl`)",
    )
    ap.add_argument("--worker", type=int, metavar="DOCS", help=argparse.SUPPRESS)
    ap.add_argument("--skip", action="append", default=[], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker is not None:
        print(json.dumps(worker(args.worker, args.seed, args.repeats, frozenset(args.skip)), ensure_ascii=False))
        return 0

    if args.render is not None:
        return render(args.render, args.shacl_results)

    from bench.corpus import self_check

    problems = self_check(args.seed)
    if problems:
        print("self-check failed: the extractor does not read the synthetic layouts back:", *problems, sep="\n  ")
        return 1
    print("self-check: every layout reads back as written", flush=True)

    # triples per document, from a small pilot build (the ontology graph is a fixed part)
    from orgkg.pipeline import ontology_quads

    pilot_docs = 8
    pilot = _run_worker(pilot_docs, args.seed, 1)
    fixed = len(ontology_quads())
    per_doc = (pilot["summary"]["triples"] - fixed) / pilot_docs
    targets = [*(args.targets or DEFAULT_TARGETS), *((LARGE_TARGET,) if args.large else ())]
    sizes: list[dict[str, Any]] = []
    shacl: list[dict[str, Any]] = []
    serve: list[dict[str, Any]] = []
    for target in targets:
        docs = max(1, round((target - fixed) / per_doc))
        repeats = args.repeats if target < LARGE_TARGET else max(1, min(args.repeats, 2))
        print(f"≈{target:,} triples: {docs} documents, {repeats} repeats …", flush=True)
        t0 = time.perf_counter()
        skip = _predicted_too_slow(sizes, target)
        if skip:
            print(f"  not timing {', '.join(sorted(skip))}: one run predicted over {PREDICTED_CAP_S:.0f} s", flush=True)
        sizes.append(_run_worker(docs, args.seed, repeats, skip))
        print(f"  {sizes[-1]['summary']['triples']:,} triples, done in {time.perf_counter() - t0:.0f} s", flush=True)
        py = [sys.executable, "-m"]
        if not args.no_shacl:
            cmd = [*py, "bench.shacl", "--worker", "--docs", str(docs), "--seed", str(args.seed)]
            shacl.append(_run_json(cmd + SHACL_LARGE_ARGS * (target >= LARGE_TARGET), "SHACL"))
        if not args.no_serve:
            cmd = [*py, "bench.serve", "--docs", str(docs), "--seed", str(args.seed)]
            cmd += ["--seconds", str(args.serve_seconds)] + ["--no-virtuoso"] * args.no_virtuoso
            answer = _run_json(cmd, "serving")
            serve.append(answer[0] if isinstance(answer, list) else answer)

    today = dt.date.today().isoformat()
    slopes = {
        "build": _slope([(s["summary"]["triples"], s["build"]["total"]["median"]) for s in sizes]),
        "extract": _slope([(s["summary"]["triples"], s["build"]["extract"]["median"]) for s in sizes]),
        "resolve": _slope([(s["summary"]["triples"], s["build"]["resolve"]["median"]) for s in sizes]),
        "map": _slope([(s["summary"]["triples"], s["build"]["map"]["median"]) for s in sizes]),
        "load": _slope([(s["summary"]["triples"], s["load"]["median"]) for s in sizes]),
    }
    report = {
        "date": today,
        "seed": args.seed,
        "repeats": args.repeats,
        "machine": machine(),
        "sizes": sizes,
        "slopes": slopes,
        "shacl": shacl,
        "serve": serve,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{today}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    plot_name = f"{today}-cost-vs-size.png"
    plotted = _plot(sizes, RESULTS / plot_name)
    DOC.write_text(markdown(report, plot_name if plotted else None), encoding="utf-8")
    print(f"wrote {RESULTS / f'{today}.json'}, {DOC}" + (f", {RESULTS / plot_name}" if plotted else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
