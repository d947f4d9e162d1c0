"""Refuse oversized requests before any route reads them: 414 for a long URL, 413 for a large declared body."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from api.problems import problem_response


class RequestLimits:
    """ASGI middleware bounding the URL and the declared ``Content-Length`` to ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int, upload_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_bytes = upload_bytes or max_bytes  # document uploads (POST/PUT /documents) may be larger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 413/414 for an oversized request, else pass it on."""
        if scope["type"] == "http":
            raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "replace")
            if len(raw_path) + len(scope.get("query_string", b"")) > self.max_bytes:
                detail = f"URLs are limited to {self.max_bytes} bytes; POST long SPARQL queries to /sparql"
                await problem_response(None, 414, "URI Too Long", detail)(scope, receive, send)
                return
            upload = scope.get("method") in ("POST", "PUT") and scope["path"].startswith("/documents")
            limit = self.upload_bytes if upload else self.max_bytes
            for name, value in scope.get("headers", []):
                if name == b"content-length" and (not value.isdigit() or int(value) > limit):
                    detail = f"request bodies are limited to {limit} bytes"
                    await problem_response(None, 413, "Content Too Large", detail)(scope, receive, send)
                    return
        await self.app(scope, receive, send)
