"""Limits a process puts on itself before it runs what the public sends: no network, bounded memory.

``deny_network`` installs a seccomp filter (Linux; libseccomp through the ``pyseccomp`` package) under which
``socket()`` fails with EACCES for every address family but AF_UNIX, and io_uring (which can open sockets
without ``socket()``) cannot be set up. The filter holds for every thread of the process and for whatever it
starts, and cannot be lifted. Query workers of an embedded store run under it: pyoxigraph evaluates SERVICE by
making an HTTP request, and a worker that cannot open a socket cannot make one, whatever the query check missed.

``limit_memory`` sets RLIMIT_AS, so a runaway allocation ends this process (Rust aborts; Python raises
MemoryError) and not the machine's memory.
"""

from __future__ import annotations

import errno
import resource
import socket


class SandboxError(Exception):
    """The limit cannot be put in place here; the message says why and what to install."""


def deny_network() -> None:
    """From now on this process (all its threads) cannot open network sockets; SandboxError if that cannot be done."""
    try:
        import pyseccomp as seccomp
    except Exception as exc:  # the package, or libseccomp.so.2 it loads, is missing
        raise SandboxError(
            f"cannot load seccomp ({exc}); install libseccomp2 (apt-get install libseccomp2) and pyseccomp"
        ) from exc
    try:
        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        rules.set_attr(seccomp.Attr.CTL_TSYNC, 1)  # every thread, not only the calling one
        denied = seccomp.ERRNO(errno.EACCES)
        rules.add_rule(denied, "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        rules.add_rule(denied, "io_uring_setup")
        rules.load()
    except Exception as exc:
        raise SandboxError(f"cannot install the seccomp filter ({type(exc).__name__}: {exc})") from exc


def network_denied() -> bool:
    """Whether this process is refused network sockets (a probe: opens and closes nothing if so)."""
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except PermissionError:
        return True
    return False


def limit_memory(max_bytes: int) -> None:
    """Cap this process's address space at ``max_bytes`` (RLIMIT_AS; never raised above the hard limit)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        max_bytes = min(max_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (max_bytes, hard))
