"""Reading an untrusted document in a child process with time and memory limits.

A PDF is a program for a page: a 1 MB file can hold a stream that inflates to gigabytes, or 300,000 text
operators that keep pdfminer busy for twenty seconds. Read in the server, such a file held the server's memory
(160 MB → 1.6 GB, never given back) and, inside the write lock, every other writer. So an upload is read and
its records extracted in a child process (from the ``forkserver``, never forked from the threaded server) under
RLIMIT_AS and RLIMIT_CPU, without network, and waited for at most ``seconds``: when a limit is hit the child
ends, its memory goes with it, and the caller gets :class:`ConversionLimit` (a ``SourceError``: HTTP 422).
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import resource
import signal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from orgkg.records import ExtractedDocument
from orgkg.source import SourceError


class ConversionLimit(SourceError):
    """Reading the document needed more time or memory than allowed; the message names the file and the limit."""


def extract_isolated(path: Path, *, seconds: float, memory: int, name: str | None = None) -> ExtractedDocument:
    """``extract_document_from(read_source(path))`` in a child process within ``seconds`` and ``memory`` bytes.

    ``name`` is how messages call the file (default: its name, never the folder it was saved in). Raises
    ``SourceError`` for an unusable document and ``ConversionLimit`` when a limit was hit.
    """
    label = name or path.name
    ctx = multiprocessing.get_context("forkserver")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(sender, str(path), memory, seconds), daemon=True, name="orgkg-convert")
    child.start()
    sender.close()
    reply: tuple[Any, ...] | None = None
    try:
        if receiver.poll(seconds):
            reply = receiver.recv()
    except (EOFError, OSError):
        reply = None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(timeout=5)
    mb = memory // 2**20
    if reply is None:
        if child.exitcode in (-signal.SIGKILL, -signal.SIGXCPU, None):
            raise ConversionLimit(f"{label}: reading it took longer than {seconds:g} s; refused")
        if child.exitcode in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS):  # an allocation failed
            raise ConversionLimit(f"{label}: reading it needed more than {mb} MB of memory; refused")
        raise SourceError(f"{label}: the reader stopped unexpectedly (exit code {child.exitcode})")
    status = reply[0]
    if status == "ok":
        doc: ExtractedDocument = reply[1]
        return doc
    if status == "memory":
        raise ConversionLimit(f"{label}: reading it needed more than {mb} MB of memory; refused")
    raise SourceError(reply[1].replace(str(path), label))


def _child(conn: Connection, path: str, memory: int, seconds: float) -> None:
    """In the child: set the limits, read and extract, send the records (or what went wrong) back."""
    from orgkg.pipeline import extract_document_from
    from orgkg.sandbox import SandboxError, deny_network, limit_memory
    from orgkg.source import read_source

    with contextlib.suppress(SandboxError):  # reading needs no network; where seccomp is missing, go on
        deny_network()
    if memory:
        limit_memory(memory)
    cpu = math.ceil(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        reply: tuple[Any, ...] = ("ok", extract_document_from(read_source(Path(path))))
    except MemoryError:
        reply = ("memory",)
    except SourceError as exc:
        reply = ("source", str(exc))
    except Exception as exc:  # a converter's own failure on malformed input: still the document's fault
        reply = ("source", f"{path}: cannot be read ({type(exc).__name__}: {str(exc)[:200]})")
    try:
        conn.send(reply)
    except MemoryError:
        conn.send(("memory",))
