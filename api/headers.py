"""Security headers on every response: what the browser may load, sniff and frame.

* ``Content-Security-Policy``: scripts, styles, images and connections from this server only; no plugins, no
  ``<base>``, forms post here, no framing. The pages have no inline script (the SPARQL editor's settings travel
  as a JSON data block, which is not executed); styles allow ``'unsafe-inline'`` because the vendored YASGUI
  (CodeMirror, DataTables) writes ``style`` attributes into the markup it builds, and style is not script.
  ``/docs`` and ``/redoc`` (FastAPI's pages, which load Swagger UI / ReDoc from a CDN with an inline script)
  get no CSP, only the other headers.
* ``X-Content-Type-Options: nosniff``: a response is read as the type it declares (a CSV of query results
  holding ``<script>`` is never taken for HTML).
* ``X-Frame-Options: DENY`` and ``frame-ancestors 'none'``: no page of this site inside another's frame.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
NO_CSP = ("/docs", "/redoc")


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP response (errors included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with_csp = not str(scope.get("path", "")).startswith(NO_CSP)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "same-origin")
                if with_csp:
                    headers.setdefault("Content-Security-Policy", CSP)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """ASGI middleware answering HEAD as GET without the body (RFC 9110 §9.3.2): FastAPI routes list GET only.

    The headers (``Content-Length``, ``Content-Type`` …) are those GET would send; the work is the same.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run a HEAD request as GET and drop the body from the response."""
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)
