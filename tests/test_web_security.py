"""One-click XSS (issue 13, item 6): query results link only http(s) IRIs, and every response tells the browser
what it may run, sniff and frame."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.headers import CSP
from api.main import create_app
from api.settings import Settings
from orgkg.stores.embedded import EmbeddedStore


@pytest.fixture(scope="module")
def client(seed_store: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(seed_store, Settings(workers=1))) as c:
        yield c


@pytest.mark.parametrize(
    "iri", ["javascript:alert(1)", "JaVaScRiPt:alert(document.domain)", "data:text/html,x", "vbscript:x", "file:///etc"]
)
def test_results_never_link_other_schemes(client: TestClient, iri: str) -> None:
    query = f'SELECT ?x {{ BIND(IRI("{iri}") AS ?x) }}'
    r = client.get("/ui/sparql", params={"query": query})
    assert r.status_code == 200
    hrefs = re.findall(r'href="([^"]*)"', r.text)
    assert not [h for h in hrefs if h.lower().startswith(iri.split(":")[0].lower() + ":")], hrefs
    assert iri.replace("&", "&amp;") in r.text  # still shown, as text


def test_web_iris_are_still_links(client: TestClient) -> None:
    r = client.get("/ui/sparql", params={"query": 'SELECT ?x { BIND(IRI("https://example.org/a") AS ?x) }'})
    assert '<a href="https://example.org/a">' in r.text


@pytest.mark.parametrize("path", ["/", "/ui/sparql", "/health", "/sparql?query=ASK%7B%7D", "/nowhere"])
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["content-security-policy"] == CSP
    assert "default-src 'self'" in CSP and "frame-ancestors 'none'" in CSP and "script-src 'self'" in CSP


def test_pages_have_no_inline_script(client: TestClient) -> None:
    """What the CSP forbids must not be needed: every <script> is a file of this server or a JSON data block."""
    for path in ("/", "/ui/sparql", "/ui/sparql?query=ASK%7B%7D"):
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", client.get(path).text, re.DOTALL):
            assert 'src="/ui/static/' in attributes or 'type="application/json"' in attributes, attributes
            assert 'type="application/json"' in attributes or not body.strip()
        assert not re.search(r"\son[a-z]+=", client.get(path).text)  # no inline event handlers
