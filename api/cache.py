"""Answers of named queries kept per store generation: the same question on the same data gets the same bytes.

An embedded store never changes in place: every write builds a new generation and swaps the ``current`` symlink
(``orgkg.stores.embedded``). So an answer is keyed by the generation it was computed on (the symlink's target)
together with the query text, media type and row limit, and is valid exactly as long as that generation is
current: after a build, ``orgkg add`` or ``POST /documents`` the key changes and the old entries are never hit
again (they age out). The generation is read before and after the query runs; an answer is kept only when both
agree, so an answer computed across a swap is never filed under either generation.

Other stores (a remote SPARQL server, whose data can change behind the service's back) are not cached. The
memory is bounded (least recently used entries go first; an answer larger than an eighth of the budget is not
kept). Only successful answers are kept: errors, timeouts and rejected queries are asked again every time.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Hashable

from orgkg.stores.base import SparqlAnswer, Store
from orgkg.stores.embedded import EmbeddedStore


def store_generation(store: Store) -> Hashable | None:
    """The generation an embedded store serves now (see ``AnswerCache.generation``); None if it cannot be told."""
    if not isinstance(store, EmbeddedStore):
        return None
    try:
        target = os.readlink(store.current)
        st = os.stat(store.current)
    except OSError:  # no store built yet, or not a symlink
        return None
    return (target, st.st_dev, st.st_ino, st.st_mtime_ns)


class AnswerCache:
    """At most ``max_bytes`` of serialized answers, keyed by store generation and question; 0 turns it off."""

    def __init__(self, store: Store, max_bytes: int) -> None:
        self.store = store
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, SparqlAnswer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def generation(self) -> Hashable | None:
        """The store generation answers are valid for now, or None when nothing may be cached.

        The symlink's target names the generation; its directory's inode and modification time tell a store
        deleted and built again from scratch (numbered from 1 again) from the one it replaced.
        """
        if self.max_bytes <= 0:
            return None
        return store_generation(self.store)

    def get(self, key: Hashable) -> SparqlAnswer | None:
        """The answer kept under ``key``, or None."""
        with self._lock:
            answer = self._entries.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return answer

    def put(self, key: Hashable, answer: SparqlAnswer) -> None:
        """Keep ``answer`` under ``key`` (unless it is too large), dropping the least recently used to make room.

        >>> cache = AnswerCache(store=None, max_bytes=80)
        >>> for key in "abc":
        ...     cache.put(key, SparqlAnswer(b"0123456789", "text/csv"))
        >>> cache.put("big", SparqlAnswer(b"x" * 11, "text/csv"))  # over an eighth of the budget: not kept
        >>> cache.get("a") is not None, cache.get("big"), len(cache)
        (True, None, 3)
        >>> for key in "defghij":
        ...     cache.put(key, SparqlAnswer(b"0123456789", "text/csv"))
        >>> sorted(k for k in "abcdefghij" if cache.get(k) is not None)  # "a" was used, so "b" and "c" went
        ['a', 'd', 'e', 'f', 'g', 'h', 'i', 'j']
        """
        size = len(answer.body)
        if size > self.max_bytes // 8:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = answer
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._entries)
