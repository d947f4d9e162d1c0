"""Running the app: uvicorn on HTTP/1.1, with request lines in raw UTF-8 accepted (as curl sends them)."""

from __future__ import annotations

import re

import h11
import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol

from api.settings import Settings

_HIGH = re.compile(rb"[\x80-\xff]")


def percent_encode_high_bytes(line: bytes) -> bytes:
    """Bytes outside ASCII as %XX, the rest unchanged.

    >>> percent_encode_high_bytes("GET /q?leader=曹 HTTP/1.1".encode())
    b'GET /q?leader=%E6%9B%B9 HTTP/1.1'
    """
    return _HIGH.sub(lambda m: b"%%%02X" % m.group(0)[0], line)


class Http11(H11Protocol):
    """uvicorn's h11 protocol, taking ``GET /queries/tasks-by-leader?leader=曹国永`` as curl sends it.

    h11 (like httptools) refuses a request target with bytes outside ASCII, which is what curl, wget and
    many scripts send for a Chinese name typed into a URL; browsers and SPARQL clients percent-encode. Such
    bytes in the request line are percent-encoded before h11 parses it, which is what they mean (RFC 3987
    §3.1: an IRI maps to a URI by percent-encoding its UTF-8). Headers and bodies are passed on untouched.
    """

    _in_request_line = False

    def data_received(self, data: bytes) -> None:
        """Encode the request line of a new request, then parse as usual."""
        if self._in_request_line or self.conn.their_state is h11.IDLE:
            end = data.find(b"\n")
            head, rest = (data, b"") if end < 0 else (data[:end], data[end:])
            self._in_request_line = end < 0
            data = percent_encode_high_bytes(head) + rest
        super().data_received(data)


def run(app: FastAPI, host: str, port: int, settings: Settings) -> None:
    """Serve ``app`` until interrupted."""
    uvicorn.run(
        app,
        host=host,
        port=port,
        http=Http11,
        log_level="info",
        # h11 answers a bare 400 to request heads past this size; leave room for the app's own 414 limit
        h11_max_incomplete_event_size=settings.max_request_bytes + 16_384,
        timeout_graceful_shutdown=int(settings.query_timeout) + 2,
    )
