"""One writer at a time on a store, whichever process writes: ``orgkg build``, ``orgkg add``, ``POST /documents``.

A write reads the store, works out the change and writes a new generation; two writers interleaving would each
start from the same generation and the later one would undo the earlier one's change. So every write holds an
exclusive ``flock(2)`` on a lock file for its whole read-modify-write. The kernel releases it when the holder
exits, however it exits (kill -9 included), so a crashed writer never leaves the store locked. Within a
process the lock is re-entrant for the thread holding it (``update`` holds it, and the ``replace_graphs`` it
calls takes it again) and exclusive between threads.

A second writer waits up to ``wait`` seconds (``ORGKG_WRITE_WAIT``, default 60), then gets :class:`StoreBusy`
naming the store and the holder (its process id and command, written into the lock file).
"""

from __future__ import annotations

import fcntl
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from orgkg.stores.base import StoreError

ENV_WAIT = "ORGKG_WRITE_WAIT"
DEFAULT_WAIT = 60.0


class StoreBusy(StoreError):
    """Another writer held the store for as long as this one would wait; the message names both."""


def default_wait() -> float:
    """Seconds a writer waits for the store: ``ORGKG_WRITE_WAIT``, else 60."""
    raw = os.environ.get(ENV_WAIT, "")
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_WAIT
    except ValueError:
        raise StoreError(f"{ENV_WAIT}={raw!r}: expected a number of seconds") from None


class WriterLock:
    """An exclusive lock on ``path`` (created if missing) shared by every process that opens the same file."""

    def __init__(self, path: Path, store: str) -> None:
        self.path = path
        self.store = store  # how messages name the store
        self._threads = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextmanager
    def hold(self, wait: float | None = None) -> Iterator[None]:
        """Hold the lock for the block, waiting at most ``wait`` seconds (default: ``default_wait()``)."""
        wait = default_wait() if wait is None else wait
        deadline = time.monotonic() + wait
        if not self._threads.acquire(timeout=wait):
            raise self._busy(wait)
        try:
            if self._depth == 0:
                self._fd = self._acquire(deadline, wait)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    os.close(self._fd)  # closing the descriptor releases the flock
                    self._fd = None
        finally:
            self._threads.release()

    def _acquire(self, deadline: float, wait: float) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        delay = 0.01
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise self._busy(wait) from None
                time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
                delay = min(delay * 2, 0.2)
        holder = f"{os.getpid()} {' '.join(sys.argv[:3])}"[:200]
        os.ftruncate(fd, 0)
        os.pwrite(fd, holder.encode("utf-8", "replace"), 0)
        return fd

    def _busy(self, wait: float) -> StoreBusy:
        try:
            holder = self.path.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            holder = ""
        pid, _, command = holder.partition(" ")
        who = f"process {pid} ({command.strip() or 'a writer'})" if pid.isdigit() else "another writer"
        return StoreBusy(
            f"{self.store}: store busy: {who} is writing to it; waited {wait:g} s "
            f"(try again when it is done, or wait longer with {ENV_WAIT})"
        )
