"""The worker side of ``api.pool``: a process that answers jobs on the store, inside its limits.

Jobs are tuples, so they cross the pipe cheaply: ``("select", text)`` → ``SelectResult``, ``("selects",
[text, …])`` → a list of them; ``("sparql", text, accept, row_limit, check, byte_limit)`` → ``SparqlAnswer``
(with ``check``, the text comes from the public and goes through ``orgkg.sparql.prepare`` in the worker first,
and what runs is the text it returns); ``("stats",)`` → counts.

Replies are ``(status, …)`` tuples: ``ok`` with the result, or the error's kind and message, which the pool
raises again in the server (``api.pool.unwrap``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from orgkg.sandbox import SandboxError, deny_network, limit_memory
from orgkg.sparql import QueryRejected, negotiate, offers, prepare
from orgkg.stores.base import NotAcceptable, QuerySyntaxError, Store, StoreDamaged, StoreError

Job = tuple[Any, ...]


@dataclass(frozen=True)
class Limits:
    """What a worker may use: ``memory`` bytes of address space (0: no limit)."""

    memory: int = 0


def serve(conn: Connection, store: Store, limits: Limits) -> None:
    """A worker's loop: answer jobs from ``conn`` until the server closes it.

    Before the first job, a worker of a store that needs no network is refused network sockets for good
    (``orgkg.sandbox.deny_network``): SERVICE in a query would otherwise make pyoxigraph send a request. If
    that cannot be done, the worker says why instead of "ready" and the pool does not start. Its address
    space is capped (RLIMIT_AS), so a query that needs too much memory ends this process only.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops its workers
    _die_with_parent()
    try:
        if not store.network:
            deny_network()
        if limits.memory:
            limit_memory(limits.memory)
    except (SandboxError, OSError, ValueError) as exc:
        conn.send(("failed", f"query workers cannot be started inside their limits: {exc}"))
        return
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[Any, ...] = ("ok", execute(store, job))
        except MemoryError:
            reply = ("memory", "")
        except QueryRejected as exc:
            reply = ("rejected", exc.reason, str(exc))
        except QuerySyntaxError as exc:
            reply = ("syntax", str(exc))
        except NotAcceptable as exc:
            reply = ("not-acceptable", str(exc))
        except StoreDamaged as exc:
            reply = ("damaged", str(exc))
        except StoreError as exc:
            reply = ("store", str(exc))
        except ValueError as exc:  # e.g. a string pyoxigraph cannot take (lone surrogates)
            reply = ("rejected", "syntax", f"the query cannot be read: {exc}")
        except Exception as exc:
            reply = ("internal", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except (EOFError, OSError, MemoryError):
            return


def execute(store: Store, job: Job) -> Any:
    """Run one job on ``store`` (in the worker; also usable in-process)."""
    kind = job[0]
    if kind == "select":
        return store.select(job[1])
    if kind == "selects":
        return [store.select(text) for text in job[1]]
    if kind == "sparql":
        _, text, accept, row_limit, check, *rest = job
        byte_limit = rest[0] if rest else None
        if check:
            prepared = prepare(text)
            media_type = negotiate(accept, offers(prepared.form))
            if media_type is None:
                raise NotAcceptable(
                    f"a {prepared.form} result is available as {', '.join(offers(prepared.form))}; "
                    f"the request accepts {accept!r}"
                )
            text, accept = prepared.text, media_type
        return store.sparql(text, accept, row_limit=row_limit, byte_limit=byte_limit)
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
