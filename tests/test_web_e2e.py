"""The web pages in a real browser: headless Chromium (Debian ``chromium`` + ``chromium-driver``, ``make
web-test-deps``) driven by Selenium against ``orgkg serve`` on loopback over the seed store.

Opens the home page, runs ``tasks-by-leader`` for 曹国永 from the gallery form, sees the 8 rows, opens a task
and sees its source quote highlighted in the document text; on ``/ui/sparql`` the vendored YASGUI editor
completes a prefix and runs a SELECT into a results table. Screenshots land in ``build/screenshots/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.web.pages import VENDOR, editor_available
from orgkg.stores.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="chromium and chromium-driver are not installed (make web-test-deps installs them with apt)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(seed_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``orgkg serve`` over the seed store (opened read-only), stopped by its PID."""
    port = _free_port()
    env = {**os.environ, "ORGKG_REPORTS": str(tmp_path_factory.mktemp("reports")), "ORGKG_WORKERS": "1"}
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "orgkg.cli", "serve", "--store", str(seed_store.directory), "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"orgkg serve did not start: {log.read_text(errors='replace')[-2000:]}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def test_query_a_leader_and_trace_a_task_to_its_source(server: str, browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.ui import WebDriverWait

    assert isinstance(browser, WebDriver)
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.get(server + "/")
    assert "命名查询" in browser.page_source
    form = browser.find_element(By.ID, "query-tasks-by-leader")
    form.find_element(By.NAME, "leader").send_keys("曹国永")
    browser.save_screenshot(str(SHOTS / "1-home.png"))
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    rows = WebDriverWait(browser, 20).until(  # the click does not always wait for the next page
        lambda d: "/ui/queries/" in d.current_url and d.find_elements(By.CSS_SELECTOR, "#results tbody tr")
    )
    assert len(rows) == 8
    assert "leader=%E6%9B%B9%E5%9B%BD%E6%B0%B8" in browser.current_url  # the result page's URL is shareable
    assert "（校领导：曹国永。宣传部牵头负责）" in browser.page_source
    browser.save_screenshot(str(SHOTS / "2-tasks-by-leader.png"))

    link = next(
        a for a in browser.find_elements(By.CSS_SELECTOR, "#results tbody a") if a.text == "学习宣传党的创新理论"
    )
    link.click()
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("1. 学习宣传党的创新理论")
    highlighted = browser.find_element(By.ID, "hl")
    assert highlighted.text.startswith("1. 学习宣传党的创新理论")
    quotes = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "#source mark.quote")]
    assert quotes == ["（校领导：曹国永。宣传部牵头负责）"]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", highlighted)
    browser.save_screenshot(str(SHOTS / "3-task-source.png"))

    browser.find_element(By.ID, "lang-en").click()
    assert "Responsibilities" in browser.page_source and "supervising leader" in browser.page_source
    browser.save_screenshot(str(SHOTS / "4-task-english.png"))


def test_sparql_editor_completes_a_prefix_and_shows_a_table(server: str, browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.ui import WebDriverWait

    if not editor_available():
        pytest.skip(f"YASGUI is not vendored in {VENDOR} (run `make web-assets`; it needs the npm registry)")
    assert isinstance(browser, WebDriver)
    SHOTS.mkdir(parents=True, exist_ok=True)
    wait = WebDriverWait(browser, 20)
    browser.get(server + "/ui/sparql")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#sparql-editor[data-ready] .yasqe .CodeMirror"))
    assert not browser.find_element(By.ID, "sparql-plain").is_displayed()  # the editor replaces the plain form

    # Prefix completion offers the project's prefixes.
    editor = "document.querySelector('#sparql-editor .CodeMirror').CodeMirror"
    browser.execute_script(f"{editor}.setValue(''); {editor}.focus();")
    browser.find_element(By.CSS_SELECTOR, "#sparql-editor .CodeMirror textarea").send_keys("PREFIX ok")
    hints = wait.until(lambda d: [h.text for h in d.find_elements(By.CSS_SELECTOR, ".CodeMirror-hints li")] or None)
    assert "okg: <https://w3id.org/orgkg/ontology#>" in hints
    browser.find_element(By.CSS_SELECTOR, "#sparql-editor .CodeMirror textarea").send_keys(Keys.ESCAPE)

    query = (
        "PREFIX okg: <https://w3id.org/orgkg/ontology#>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"
        "SELECT ?task ?title WHERE { ?task a okg:Task ; dcterms:title ?title } ORDER BY ?task LIMIT 5"
    )
    browser.execute_script(f"{editor}.setValue(arguments[0])", query)
    browser.find_element(By.CSS_SELECTOR, "#sparql-editor .yasqe_queryButton").click()
    rows = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#sparql-editor .yasr table.dataTable tbody tr"))
    assert len(rows) == 5
    assert "query=PREFIX" in browser.current_url  # the address bar holds the query: shareable
    assert browser.find_elements(By.CSS_SELECTOR, "#sparql-editor .yasr_downloadIcon")  # CSV download of the table
    browser.save_screenshot(str(SHOTS / "5-sparql-editor.png"))

    # Every resource the page loaded came from this server: no CDN, no prefix.cc, no LOV.
    loaded = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert loaded and all(u.startswith(server + "/") for u in loaded), loaded

    # A shared URL opens with its query in the editor and its results.
    browser.get(browser.current_url)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#sparql-editor .yasr table.dataTable tbody tr"))
    assert "LIMIT 5" in browser.execute_script(f"return {editor}.getValue()")
