"""Shared fixtures: the sample archive and the real corpus (skipped when absent)."""

from __future__ import annotations

import re
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from cablegram.archive import Archive
from cablegram.cli import main
from cablegram.pipeline import collect_files
from cablegram.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CORPUS = ROOT.parent / "shared" / "corpus"
ARTIFACTS = ROOT / "tests" / "artifacts"  # browser screenshots (ignored by git)
CHROMIUM = Path("/usr/bin/chromium")  # Debian's, installed by `make test`
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def corpus_file(*parts: str) -> Path:
    """Path of a file of the shared corpus; skip the test when the corpus is absent."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared corpus not found at {path}")
    return path


def build_archive(root: Path, paths: list[Path]) -> Archive:
    """Create an archive at `root` and ingest `paths` into it."""
    archive = Archive.create(root)
    for f, collection in collect_files(paths):
        archive.ingest_file(f, collection)
    return archive


@pytest.fixture(scope="session")
def sample_archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """An archive of every file in samples/ (read-only: do not ingest into it)."""
    return build_archive(tmp_path_factory.mktemp("samples") / "archive", [SAMPLES])


@pytest.fixture()
def empty_archive(tmp_path: Path) -> Archive:
    """A fresh, empty archive for tests that write."""
    return Archive.create(tmp_path / "archive")


def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
            *args: str) -> tuple[int, str, str]:
    """Run `cablegram ARGS` on a wide terminal; return exit code, stdout and stderr."""
    monkeypatch.setattr(sys, "argv", ["cablegram", *args])
    monkeypatch.setenv("COLUMNS", "200")
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The reading room on a fresh archive of samples/, served by uvicorn on a free local
    port in a background thread; yields its base URL."""
    import uvicorn


    root = tmp_path_factory.mktemp("live") / "archive"
    build_archive(root, [SAMPLES]).close()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(root), log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the reading room did not start within 10 s")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's chromium, headless, driven by Playwright (skipped when either is missing)."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}; "
                    "`make test` installs it (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="browser tests need playwright: make install")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Browsing:
    """One browser tab on the live reading room, with what went wrong on its pages."""

    page: Any
    base: str
    errors: list[str] = field(default_factory=list)  # script errors, console errors
    outside: list[str] = field(default_factory=list)  # requests to other hosts (blocked)

    def go(self, path: str) -> Any:
        """Open `path` (root-relative) and return the response."""
        return self.page.goto(self.base + path)

    def shot(self, name: str) -> Path:
        """Save a full-page screenshot as tests/artifacts/NAME.png and return its path."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True, scale="css")
        return path


def open_tab(browser: Any, base: str, **context_args: Any) -> Browsing:
    """A new tab in its own browser context, with requests to other hosts blocked and
    script or console errors recorded."""
    context = browser.new_context(**context_args)
    context.set_default_timeout(5000)
    tab = Browsing(context.new_page(), base)

    def only_local(route: Any) -> None:
        """Let requests to the reading room through; record and abort any other."""
        if route.request.url.startswith(base + "/"):
            route.continue_()
        else:
            tab.outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    tab.page.on("pageerror", lambda exc: tab.errors.append(f"script error: {exc}"))
    tab.page.on("console", lambda msg: tab.errors.append(f"console: {msg.text}")
                if msg.type == "error" else None)
    return tab


@pytest.fixture()
def desktop(chromium: Any, live_server: str) -> Iterator[Browsing]:
    """A desktop-size tab (1280×800) on the live reading room."""
    tab = open_tab(chromium, live_server, viewport={"width": 1280, "height": 800})
    yield tab
    tab.page.context.close()


@pytest.fixture()
def phone(chromium: Any, live_server: str) -> Iterator[Browsing]:
    """A phone-size tab (375×740, touch, mobile viewport) on the live reading room."""
    tab = open_tab(chromium, live_server, viewport={"width": 375, "height": 740},
                   is_mobile=True, has_touch=True, device_scale_factor=2)
    yield tab
    tab.page.context.close()


@pytest.fixture(scope="module")
def client(sample_archive: Archive) -> TestClient:
    """A reading room (and its API) over the sample archive, one per test module."""
    return TestClient(create_app(sample_archive.root))


def get_json(client: TestClient, url: str, status: int = 200) -> dict[str, Any]:
    """The JSON body at `url`, checking the status and the media type."""
    r = client.get(url)
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = r.json()
    return body


def e(text: str) -> str:
    """Text as the templates escape it."""
    return str(escape(text))


def section(page: str, section_id: str) -> str:
    """The HTML of one <section> of a page, by its id."""
    found = re.search(rf'<section id="{section_id}">(.*?)</section>', page, re.S)
    assert found, f"no section {section_id}"
    return found.group(1)


@pytest.fixture(scope="module")
def documents(sample_archive: Archive) -> list[dict[str, Any]]:
    """Every document of the sample archive, as stored (with relations)."""
    return list(sample_archive.records())
