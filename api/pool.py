"""Queries run in worker processes, so a runaway query is stopped by ending its process.

pyoxigraph cannot cancel a running query from Python, and a thread running one holds its CPU until the query
ends (a cross product over the graph never does). Each worker is a process holding its own copy of the store
(opened read-only on first use); a request takes an idle worker, sends it one job over a pipe and waits at
most ``timeout`` seconds. A worker that overruns, or dies (its memory limit: ``api.worker``), is replaced in
the background, so the query stops burning CPU and the other workers keep serving. Processes come from a
``forkserver`` (a clean, single-threaded parent with the query modules preloaded), never forked from the
threaded server. ``run`` waits in the calling thread; ``arun`` awaits the worker's pipe on the event loop.

A pool is one *lane*: the app keeps one for public SPARQL and one for everything else (lookups, named
queries, pictures), so a flood of public queries can fill its own lane only. Requests waiting for a worker
wait without a thread (``arun``) and at most ``queue_limit`` of them: the next is answered "busy" at once
instead of piling up.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import multiprocessing
import signal
import threading
from collections import deque
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from starlette.concurrency import run_in_threadpool

from api.worker import Job, Limits, serve
from orgkg.sparql import QueryRejected
from orgkg.stores.base import NotAcceptable, QuerySyntaxError, Store, StoreDamaged, StoreError

_PRELOAD = ["api.worker", "orgkg.stores.embedded", "orgkg.sparql", "orgkg.sandbox", "rdflib.plugins.sparql.parser"]


class PoolError(Exception):
    """The pool could not run a job; the message says why (the HTTP layer answers 503)."""


class QueryTimeout(PoolError):
    """The job ran past the time limit; its worker was stopped."""


class PoolBusy(PoolError):
    """No worker became free within the time limit, or too many requests were already waiting."""


class WorkerOutOfMemory(PoolError):
    """The job needed more memory than a worker may have; its worker was stopped."""


class _Worker:
    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn


class _Waiter:
    """A request waiting for a worker: handed one under the pool's lock, woken in its own thread or loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None) -> None:
        self.worker: _Worker | None = None
        self.gone = False
        self._loop = loop
        self._event = threading.Event()
        self.future: asyncio.Future[None] | None = loop.create_future() if loop is not None else None

    def give(self, worker: _Worker) -> bool:
        """Hand ``worker`` over (called with the pool's lock held); False if the waiter has given up."""
        if self.gone:
            return False
        self.worker = worker
        if self._loop is None:
            self._event.set()
        else:
            self._loop.call_soon_threadsafe(self._wake)
        return True

    def _wake(self) -> None:
        if self.future is not None and not self.future.done():
            self.future.set_result(None)

    def wait(self, timeout: float) -> None:
        self._event.wait(timeout)


class WorkerPool:
    """A fixed number of worker processes answering jobs on ``store``, each job bounded by ``timeout`` seconds."""

    def __init__(
        self,
        store: Store,
        *,
        size: int,
        timeout: float,
        memory: int = 0,
        queue_limit: int | None = None,
        name: str = "query",
    ) -> None:
        self.store = store
        self.size = size
        self.timeout = timeout
        self.limits = Limits(memory=memory)
        self.queue_limit = queue_limit
        self.name = name
        self._idle: deque[_Worker] = deque()
        self._waiters: deque[_Waiter] = deque()
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
            self._idle.clear()
        for w in workers:
            _stop(w)

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        with self._lock:
            return sorted(w.process.pid for w in self._workers if w.process.pid is not None and w.process.is_alive())

    def _add_worker(self) -> None:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=serve, args=(child, self.store, self.limits), daemon=True, name=f"orgkg-{self.name}-worker"
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        try:
            hello = parent.recv() if parent.poll(60) else None
        except (EOFError, OSError):
            hello = None
        if hello != "ready":
            _stop(worker)
            raise PoolError(hello[1] if isinstance(hello, tuple) else "a query worker did not start")
        with self._lock:
            if self._closed:
                _stop(worker)
                return
            self._workers.add(worker)
        self._release(worker)

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
            closed = self._closed
        _stop(worker)
        if not closed:
            threading.Thread(target=self._add_worker, name="orgkg-worker-spawn", daemon=True).start()

    # idle workers and waiters ------------------------------------------------------------------------
    def _release(self, worker: _Worker) -> None:
        """Give ``worker`` to the longest-waiting request, or keep it idle."""
        with self._lock:
            if self._closed:
                return
            while self._waiters:
                if self._waiters.popleft().give(worker):
                    return
            self._idle.append(worker)

    def _enqueue(self, loop: asyncio.AbstractEventLoop | None) -> _Worker | _Waiter:
        """An idle worker at once, or a place in the queue (PoolBusy when the queue is full)."""
        with self._lock:
            if self._idle:
                return self._idle.popleft()
            if self.queue_limit is not None and len(self._waiters) >= self.queue_limit:
                raise PoolBusy(
                    f"every {self.name} worker is busy and {len(self._waiters)} requests are waiting; try again later"
                )
            waiter = _Waiter(loop)
            self._waiters.append(waiter)
            return waiter

    def _give_up(self, waiter: _Waiter) -> _Worker | None:
        """Leave the queue; the worker handed over meanwhile, if any."""
        with self._lock:
            waiter.gone = True
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)
            return waiter.worker

    def _busy(self) -> PoolBusy:
        return PoolBusy(f"every {self.name} worker stayed busy for {self.timeout:g} s; try again later")

    def _take(self) -> _Worker:
        """An idle worker, waiting in this thread at most the time limit for one."""
        got = self._enqueue(None)
        if isinstance(got, _Worker):
            return got
        got.wait(self.timeout)
        worker = self._give_up(got)
        if worker is None:
            raise self._busy()
        return worker

    async def _atake(self) -> _Worker:
        """An idle worker, awaited on the event loop (no thread) at most the time limit."""
        got = self._enqueue(asyncio.get_running_loop())
        if isinstance(got, _Worker):
            return got
        assert got.future is not None
        try:
            await asyncio.wait({got.future}, timeout=self.timeout)
        except BaseException:  # the request was cancelled: a worker handed over meanwhile goes back
            handed = self._give_up(got)
            if handed is not None:
                self._release(handed)
            raise
        worker = self._give_up(got)
        if worker is None:
            raise self._busy()
        return worker

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
            if reply is None or reply[0] == "memory":
                self._replace(worker)
            else:
                self._release(worker)
        return self._answer(worker, reply)

    async def arun(self, job: Job) -> Any:
        """``run`` for the event loop: the same answer, errors, time limit and killing, without holding a thread.

        The reply is awaited on the worker's pipe (``loop.add_reader``), and so is a free worker, so a request
        costs no thread: under load, thread-pool threads and the event loop contend for the GIL, which cost
        more than the queries (bench/serve.py), and waiting requests holding threads would starve the routes
        that need one. A call cancelled while its worker runs the job stops that worker (its reply would
        otherwise reach the next job).
        """
        if not self._started:
            await run_in_threadpool(self.start)
        worker = await self._atake()
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
        if reply is None or reply[0] == "memory":
            await run_in_threadpool(self._replace, worker)
        else:
            self._release(worker)
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

    def _answer(self, worker: _Worker, reply: tuple[Any, ...] | None) -> Any:
        """The job's result from ``reply``; no reply: the worker died or overran (it has been stopped)."""
        memory = f"{self.limits.memory // 2**20} MB" if self.limits.memory else "its"
        out_of_memory = WorkerOutOfMemory(
            f"the query needed more than the {memory} memory a query worker may use and was stopped; "
            "narrow it (more specific patterns, LIMIT, no ORDER BY over large results) and try again"
        )
        if reply is None:
            code = worker.process.exitcode
            if not worker.process.is_alive() and code not in (None, -signal.SIGKILL):
                if self.limits.memory and code in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS):
                    raise out_of_memory  # Rust aborts when an allocation fails under RLIMIT_AS
                raise PoolError(f"the query worker ended unexpectedly (exit code {code})")
            raise QueryTimeout(
                f"the query ran longer than the {self.timeout:g} s limit and was stopped; "
                "narrow it (more specific patterns, LIMIT) and try again"
            )
        if reply[0] == "memory":
            raise out_of_memory
        return unwrap(reply)


def _stop(worker: _Worker) -> None:
    with contextlib.suppress(Exception):
        worker.conn.close()
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join(timeout=5)


def unwrap(reply: tuple[Any, ...]) -> Any:
    """The result a worker's reply carries, or the error it reports raised again."""
    status = reply[0]
    if status == "ok":
        return reply[1]
    if status == "rejected":
        raise QueryRejected(reply[1], reply[2])
    if status == "syntax":
        raise QuerySyntaxError(reply[1])
    if status == "not-acceptable":
        raise NotAcceptable(reply[1])
    if status == "damaged":
        raise StoreDamaged(reply[1])
    if status == "store":
        raise StoreError(reply[1])
    raise RuntimeError(reply[1])
