"""End to end: draw a digit on the built book's page in headless Chromium, read the guess."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from helpers import ROOT

JS = ROOT / "tests" / "js"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NODE = shutil.which("node")
SCREENSHOTS = ROOT / "_build" / "screenshots"
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and NODE and (JS / "node_modules" / "playwright-core").is_dir()),
    reason="needs node, chromium and `npm ci` in tests/js (.ci/run installs them)")

SEVEN = [[[70, 60], [140, 58], [215, 62]], [[215, 62], [180, 130], [150, 190], [125, 240]]]
ZERO = [[[140 + 55 * math.sin(t / 24 * 2 * math.pi), 140 - 95 * math.cos(t / 24 * 2 * math.pi)]
         for t in range(25)]]


@pytest.fixture(scope="module")
def server(built_book):
    returncode, log, html = built_book
    assert returncode == 0, log
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(html)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", html
    httpd.shutdown()


def draw(url: str, strokes, name: str, tmp_path: Path) -> dict:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (tmp_path / "strokes.json").write_text(json.dumps(strokes))
    result = subprocess.run([NODE, str(JS / "draw_e2e.js"), url, str(SCREENSHOTS / f"{name}.png"),
                             str(tmp_path / "strokes.json")],
                            capture_output=True, text=True, timeout=180, env=dict(os.environ, CHROMIUM=CHROMIUM))
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout)
    # Jupyter Book 1.0.4 writes sphinx-thebe's inline config twice on every page; that
    # SyntaxError is the theme's, not the page's. Any other error fails the test.
    errors = [e for e in answer["errors"] if "THEBE_JS_URL" not in e]
    assert errors == [], errors
    return answer


def test_drawn_seven_over_http(server, tmp_path):
    base, _ = server
    answer = draw(f"{base}/draw.html", SEVEN, "draw_seven", tmp_path)
    assert answer["first"].startswith("7 "), answer
    assert (SCREENSHOTS / "draw_seven.png").stat().st_size > 10000


def test_drawn_zero_from_disk(server, tmp_path):
    _, html = server
    answer = draw((html / "draw.html").as_uri(), ZERO, "draw_zero", tmp_path)
    assert answer["first"].startswith("0 "), answer
