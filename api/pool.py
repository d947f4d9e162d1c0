"""Queries run in worker processes, so a runaway query is stopped by ending its process.

pyoxigraph cannot cancel a running query from Python, and a thread running one holds its CPU until the query
ends (a cross product over the graph never does). Each worker is a process holding its own copy of the store
(opened read-only on first use); a request takes an idle worker, sends it one job over a pipe and waits at
most ``timeout`` seconds. A worker that overruns is killed and replaced in the background, so the query stops
burning CPU and the other workers keep serving. Processes come from a ``forkserver`` (a clean, single-threaded
parent with the query modules preloaded), never forked from the threaded server. ``run`` waits in the calling
thread; ``arun`` (named queries, ``/sparql``) awaits the worker's pipe on the event loop instead.

Jobs are tuples, so they cross the pipe cheaply: ``("select", text)`` → ``SelectResult``, ``("selects",
[text, …])`` → a list of them;
``("sparql", text, accept, row_limit, check)`` → ``SparqlAnswer`` (with ``check``, the text comes from the
public and goes through ``orgkg.sparql.prepare`` in the worker first); ``("stats",)`` → counts.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import multiprocessing
import os
import queue
import signal
import sys
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from starlette.concurrency import run_in_threadpool

from orgkg.sandbox import SandboxError, deny_network
from orgkg.sparql import QueryRejected, negotiate, offers, prepare
from orgkg.stores.base import NotAcceptable, QuerySyntaxError, Store, StoreError

Job = tuple[Any, ...]
_PRELOAD = ["api.pool", "orgkg.stores.embedded", "orgkg.sparql", "orgkg.sandbox", "rdflib.plugins.sparql.parser"]


class PoolError(Exception):
    """The pool could not run a job; the message says why (the HTTP layer answers 503)."""


class QueryTimeout(PoolError):
    """The job ran past the time limit; its worker was stopped."""


class PoolBusy(PoolError):
    """No worker became free within the time limit."""


class _Worker:
    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn


class WorkerPool:
    """A fixed number of worker processes answering jobs on ``store``, each job bounded by ``timeout`` seconds."""

    def __init__(self, store: Store, *, size: int, timeout: float) -> None:
        self.store = store
        self.size = size
        self.timeout = timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._ctx = multiprocessing.get_context("forkserver")

    # lifecycle -------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the workers (once; later calls return at once)."""
        with self._lock:
            if self._started or self._closed:
                return
            self._started = True
            self._ctx.set_forkserver_preload(_PRELOAD)
            atexit.register(self.close)
        for _ in range(self.size):
            self._add_worker()

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        for w in workers:
            _stop(w)

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        with self._lock:
            return sorted(w.process.pid for w in self._workers if w.process.pid is not None and w.process.is_alive())

    def _add_worker(self) -> None:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=serve, args=(child, self.store), daemon=True, name="orgkg-query-worker")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        try:
            hello = parent.recv() if parent.poll(60) else None
        except (EOFError, OSError):
            hello = None
        if hello != "ready":
            _stop(worker)
            why = hello[1] if isinstance(hello, tuple) else "a query worker did not start"
            raise PoolError(why)
        with self._lock:
            if self._closed:
                _stop(worker)
                return
            self._workers.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
            closed = self._closed
        _stop(worker)
        if not closed:
            threading.Thread(target=self._add_worker, name="orgkg-worker-spawn", daemon=True).start()

    # running ---------------------------------------------------------------------------------------
    def run(self, job: Job) -> Any:
        """The result of ``job`` from a worker; PoolError on timeout, a busy pool or a dead worker.

        Errors the job raises in the worker (QueryRejected, QuerySyntaxError, NotAcceptable, StoreError)
        are raised here again.
        """
        self.start()
        worker = self._take()
        reply: tuple[Any, ...] | None = None
        try:
            worker.conn.send(job)
            if worker.conn.poll(self.timeout):
                reply = worker.conn.recv()
        except (EOFError, OSError):
            reply = None
        finally:
            if reply is None:
                self._replace(worker)
            else:
                self._idle.put(worker)
        return self._answer(worker, reply)

    async def arun(self, job: Job) -> Any:
        """``run`` for the event loop: the same answer, errors, time limit and killing, without holding a thread.

        The reply is awaited on the worker's pipe (``loop.add_reader``), so a request costs no thread hop: under
        load, thread-pool threads and the event loop contend for the GIL, which cost more than the queries
        (bench/serve.py). Only when every worker is busy does the wait for one go to a thread. A call cancelled
        while its worker runs the job stops that worker (its reply would otherwise reach the next job).
        """
        if not self._started:
            await run_in_threadpool(self.start)
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            worker = await run_in_threadpool(self._take)
        reply: tuple[Any, ...] | None = None
        try:
            worker.conn.send(job)
            if worker.conn.poll(0) or await self._readable(worker.conn):
                reply = worker.conn.recv()
        except (EOFError, OSError):
            reply = None
        except BaseException:  # cancelled while the worker runs the job: it cannot be trusted again
            threading.Thread(target=self._replace, args=(worker,), name="orgkg-worker-stop", daemon=True).start()
            raise
        if reply is None:
            await run_in_threadpool(self._replace, worker)
        else:
            self._idle.put(worker)
        return self._answer(worker, reply)

    async def _readable(self, conn: Connection) -> bool:
        """Whether ``conn`` has something to read (a reply, or EOF) within the time limit."""
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[bool] = loop.create_future()

        def settle(value: bool) -> None:
            if not ready.done():
                ready.set_result(value)

        fd = conn.fileno()
        loop.add_reader(fd, settle, True)
        timer = loop.call_later(self.timeout, settle, False)
        try:
            return await ready
        finally:
            loop.remove_reader(fd)
            timer.cancel()

    def _take(self) -> _Worker:
        """An idle worker, waiting at most the time limit for one."""
        try:
            return self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise PoolBusy(f"every query worker stayed busy for {self.timeout:g} s; try again later") from None

    def _answer(self, worker: _Worker, reply: tuple[Any, ...] | None) -> Any:
        """The job's result from ``reply``; no reply: the worker died or overran (it has been stopped)."""
        if reply is None:
            if not worker.process.is_alive() and worker.process.exitcode not in (None, -signal.SIGKILL):
                raise PoolError(f"the query worker ended unexpectedly (exit code {worker.process.exitcode})")
            raise QueryTimeout(
                f"the query ran longer than the {self.timeout:g} s limit and was stopped; "
                "narrow it (more specific patterns, LIMIT) and try again"
            )
        return _unwrap(reply)


def _stop(worker: _Worker) -> None:
    with contextlib.suppress(Exception):
        worker.conn.close()
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join(timeout=5)


def _unwrap(reply: tuple[Any, ...]) -> Any:
    status = reply[0]
    if status == "ok":
        return reply[1]
    if status == "rejected":
        raise QueryRejected(reply[1], reply[2])
    if status == "syntax":
        raise QuerySyntaxError(reply[1])
    if status == "not-acceptable":
        raise NotAcceptable(reply[1])
    if status == "store":
        raise StoreError(reply[1])
    raise RuntimeError(reply[1])


# the worker side ---------------------------------------------------------------------------------------
def serve(conn: Connection, store: Store) -> None:
    """A worker's loop: answer jobs from ``conn`` until the server closes it.

    Before the first job, a worker of a store that needs no network is refused network sockets for good
    (``orgkg.sandbox.deny_network``): SERVICE in a query would otherwise make pyoxigraph send a request. If
    that cannot be done, the worker says why instead of "ready" and the pool does not start.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops its workers
    _die_with_parent()
    if not store.network:
        try:
            deny_network()
        except SandboxError as exc:
            conn.send(("failed", f"query workers cannot be started without network access: {exc}"))
            return
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[Any, ...] = ("ok", execute(store, job))
        except QueryRejected as exc:
            reply = ("rejected", exc.reason, str(exc))
        except QuerySyntaxError as exc:
            reply = ("syntax", str(exc))
        except NotAcceptable as exc:
            reply = ("not-acceptable", str(exc))
        except StoreError as exc:
            reply = ("store", str(exc))
        except ValueError as exc:  # e.g. a string pyoxigraph cannot take (lone surrogates)
            reply = ("rejected", "syntax", f"the query cannot be read: {exc}")
        except Exception as exc:
            reply = ("internal", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return


def execute(store: Store, job: Job) -> Any:
    """Run one job on ``store`` (in the worker; also usable in-process)."""
    kind = job[0]
    if kind == "select":
        return store.select(job[1])
    if kind == "selects":
        return [store.select(text) for text in job[1]]
    if kind == "sparql":
        _, text, accept, row_limit, check = job
        if check:
            prepared = prepare(text)
            media_type = negotiate(accept, offers(prepared.form))
            if media_type is None:
                raise NotAcceptable(
                    f"a {prepared.form} result is available as {', '.join(offers(prepared.form))}; "
                    f"the request accepts {accept!r}"
                )
            text, accept = prepared.text, media_type
        return store.sparql(text, accept, row_limit=row_limit)
    if kind == "stats":
        return {"quads": store.quad_count(), "graphs": len(store.graph_names())}
    raise ValueError(f"unknown job {kind!r}")


def _die_with_parent() -> None:
    """Ask Linux to kill this worker if its parent (the forkserver, which ends with the server) goes away."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:
            os._exit(0)
