"""End to end: the built book's "Draw a digit" page in headless Chromium, by mouse, pen and touch.

The drawing the page holds is read back and run through the Python pipeline and Keras,
so the bars the page shows are checked against Keras' probabilities for the same drawing.
"""

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

import keras
import numpy as np
import pytest

from lenet_lib import models, reading, saving
from lenet_lib.photo import center_digit

from helpers import ROOT

JS = ROOT / "tests" / "js"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NODE = shutil.which("node")
SCREENSHOTS = ROOT / "_build" / "screenshots"
WEIGHTS = ROOT / "data" / "slides_lenet5.weights.h5"
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and NODE and (JS / "node_modules" / "playwright-core").is_dir()),
    reason="needs node, chromium and `npm ci` in tests/js (.ci/run installs them)")

# strokes on the 280x280 canvas
SEVEN = [[[70, 60], [140, 58], [215, 62]], [[215, 62], [180, 130], [150, 190], [125, 240]]]
ZERO = [[[140 + 55 * math.sin(t / 24 * 2 * math.pi), 140 - 95 * math.cos(t / 24 * 2 * math.pi)]
         for t in range(25)]]
DOT = [[[150, 150], [151, 151]]]  # a 2-pixel stroke: a dot as wide as the pen
STAR = [[[140 + 110 * math.sin(math.radians(144 * k)), 145 - 110 * math.cos(math.radians(144 * k))]
         for k in range(6)]]  # a five-pointed star in one stroke
HASH = [[[105, 40], [95, 240]], [[185, 40], [175, 240]], [[50, 105], [235, 105]], [[45, 175], [230, 175]]]
PHONE = {"width": 390, "height": 844}  # an iPhone 12-15's viewport in CSS pixels


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


@pytest.fixture(scope="module")
def server(built_book):
    returncode, log, html = built_book
    assert returncode == 0, log
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(html)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", html
    httpd.shutdown()


@pytest.fixture(scope="module")
def keras_model() -> keras.Model:
    """The page's network in Keras, giving every layer's output."""
    model = saving.load_weights(models.build_slides_lenet5(), WEIGHTS)
    return keras.Model(model.inputs, [layer.output for layer in model.layers])


def run_page(url: str, scenario: dict, tmp_path: Path) -> dict:
    """Run tests/js/draw_e2e.js; fails on any console error or warning, page error or failed request."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (tmp_path / "scenario.json").write_text(json.dumps(scenario))
    result = subprocess.run([NODE, str(JS / "draw_e2e.js"), url, str(tmp_path / "scenario.json")],
                            capture_output=True, text=True, timeout=240, env=dict(os.environ, CHROMIUM=CHROMIUM))
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout)
    assert answer["console"] == [], answer["console"]
    return answer


def keras_outputs(keras_model: keras.Model, ink: list) -> list[np.ndarray]:
    """Every layer's output for the drawing the page holds, prepared by the Python pipeline."""
    digit = center_digit(np.array(ink, dtype=np.float64))
    return [output[0] for output in keras_model.predict(digit[None, ..., None], verbose=0)]


def is_maps(shape: tuple) -> bool:
    """Feature maps, as opposed to a vector (C5's 1x1x120 is a vector of 120, as in the slides)."""
    return len(shape) == 3 and shape[:2] != (1, 1)


def shape_label(shape: tuple) -> str:
    return f"{shape[-1]}@{shape[0]}×{shape[1]}" if is_maps(shape) else f"{shape[-1]}"


def check_bars_are_keras(state: dict, probabilities: np.ndarray) -> None:
    shown = np.array([float(bar["probability"]) for bar in state["bars"]])
    np.testing.assert_allclose(shown, probabilities, atol=1e-5, rtol=0)
    for bar, p in zip(state["bars"], shown):
        assert bar["text"] == f"{100 * p:.1f} %", bar
        assert abs(bar["fraction"] - p) < 0.01, bar  # the bar's length is the probability


def check_layers(state: dict, keras_model: keras.Model, outputs: list[np.ndarray] | None) -> None:
    """Every layer but the flatten step shown by default, named and shaped as in Keras;
    with a drawing, its grey scale runs from the layer's lowest to its highest value."""
    expected = [(layer, index) for index, layer in enumerate(keras_model.layers[1:])
                if not isinstance(layer, keras.layers.Flatten)]
    assert [layer["name"] for layer in state["layers"]] == [layer.name for layer, _ in expected]
    for shown, (layer, index) in zip(state["layers"], expected):
        shape = tuple(layer.output.shape[1:])
        assert shown["title"].startswith(f"{layer.name} {shape_label(shape)} · "), shown["title"]
        assert shown["visible"] and shown["maps"] == (shape[-1] if is_maps(shape) else 1), shown
        if outputs is None:
            assert shown["min"] is None and shown["scale"] == ["–", "–"], shown
        else:
            values = outputs[index]
            assert float(shown["min"]) == pytest.approx(float(values.min()), abs=1e-5), shown
            assert float(shown["max"]) == pytest.approx(float(values.max()), abs=1e-5), shown


def check_nothing_shown(state: dict) -> None:
    assert state["verdict"] == "empty" and state["guess"].startswith("Not sure"), state["guess"]
    assert all(bar["probability"] is None and bar["text"] == "–" and bar["fraction"] == 0 for bar in state["bars"])


def test_page_shows_layers_and_bars_as_keras_does(server, tmp_path, keras_model):
    base, _ = server
    steps = [{"snapshot": "loaded"},
             {"draw": SEVEN}, {"snapshot": "seven", "ink": True},
             {"clear": True}, {"snapshot": "cleared"},
             {"draw": DOT}, {"snapshot": "dot", "ink": True},
             {"clear": True}, {"draw": ZERO}, {"snapshot": "zero", "ink": True},
             {"clear": True}, {"draw": STAR}, {"snapshot": "star", "ink": True},
             {"clear": True}, {"draw": HASH}, {"snapshot": "hash", "ink": True}]
    answer = run_page(f"{base}/draw.html", {"viewport": {"width": 1280, "height": 900}, "steps": steps,
                                            "screenshot": str(SCREENSHOTS / "draw_1280.png"), "fullPage": True},
                      tmp_path)
    assert answer["external"] == []  # nothing fetched from the internet
    states = answer["snapshots"]
    assert "40 of its 280 drawing pixels" in states["loaded"]["rule"] and "50 %" in states["loaded"]["rule"]
    assert "marks that are not digits" in states["loaded"]["rule"]
    assert states["loaded"]["outputTitle"] == "output · 10 · probabilities"

    for name in ("loaded", "cleared"):  # an empty canvas: not sure, nothing on the bars or the maps
        check_nothing_shown(states[name])
        check_layers(states[name], keras_model, None)
    assert states["cleared"]["layers"] == states["loaded"]["layers"]

    for name, digit in (("seven", 7), ("zero", 0)):
        outputs = keras_outputs(keras_model, states[name]["ink"])
        probabilities = outputs[-1]
        assert probabilities.argmax() == digit and probabilities.max() >= 0.5
        assert states[name]["verdict"] == "sure"
        said = reading.Verdict(True, "sure", digit, float(probabilities.max()))  # Python's sentence, the page's
        assert states[name]["guess"] == str(said) == f"It is a {digit} ({100 * probabilities.max():.1f} %).", states[name]["guess"]
        check_bars_are_keras(states[name], probabilities)
        assert [bar["best"] for bar in states[name]["bars"]] == [d == digit for d in range(10)]
        check_layers(states[name], keras_model, outputs)
    for name in ("star", "hash"):  # marks that are not digits: the digit check speaks, no bar is named best
        assert states[name]["verdict"] == "not a digit", (name, states[name]["guess"])
        assert states[name]["guess"] == str(reading.Verdict(False, "not a digit", None, None)), states[name]["guess"]
        assert not any(bar["best"] for bar in states[name]["bars"])
        check_bars_are_keras(states[name], keras_outputs(keras_model, states[name]["ink"])[-1])
    # every layer's maps change from one drawing to the next, and from the empty canvas
    for loaded, seven, zero in zip(*(states[name]["layers"] for name in ("loaded", "seven", "zero"))):
        assert len({loaded["signature"], seven["signature"], zero["signature"]}) == 3, seven["name"]

    dot = states["dot"]  # the network still computes, the page does not name a digit
    ink = np.array(dot["ink"])
    rows, columns = np.flatnonzero(ink.max(axis=1)), np.flatnonzero(ink.max(axis=0))
    assert 0 < rows.size < 40 and 0 < columns.size < 40
    assert dot["verdict"] == "small" and dot["guess"] == str(reading.Verdict(False, "small", None, None)), dot["guess"]
    check_bars_are_keras(dot, keras_outputs(keras_model, dot["ink"])[-1])
    assert not any(bar["best"] for bar in dot["bars"])


def test_chinese_draw_page_speaks_chinese_with_the_same_numbers(server, tmp_path, keras_model):
    """The Chinese edition's drawing page: its rule, labels and verdicts in Chinese, its numbers
    the network's (page.js picks the texts by the page's language)."""
    base, _ = server
    steps = [{"snapshot": "loaded"}, {"draw": SEVEN}, {"snapshot": "seven", "ink": True},
             {"clear": True}, {"draw": STAR}, {"snapshot": "star", "ink": True}]
    answer = run_page(f"{base}/zh/draw.html", {"viewport": {"width": 1280, "height": 900}, "steps": steps,
                                               "screenshot": str(SCREENSHOTS / "draw_zh_1280.png"), "fullPage": True},
                      tmp_path)
    assert answer["external"] == []
    states = answer["snapshots"]
    assert "画布 280 像素中的 40 像素" in states["loaded"]["rule"] and "50%" in states["loaded"]["rule"]
    assert "不确定" in states["loaded"]["rule"] and "第 9 章" in states["loaded"]["rule"]
    assert states["loaded"]["outputTitle"] == "output · 10 · 概率"
    assert states["loaded"]["guess"] == "不确定：还什么都没有画。"
    outputs = keras_outputs(keras_model, states["seven"]["ink"])
    assert states["seven"]["guess"] == f"这是 7（{100 * outputs[-1].max():.1f}%）。", states["seven"]["guess"]
    shown = [float(bar["probability"]) for bar in states["seven"]["bars"]]
    np.testing.assert_allclose(shown, outputs[-1], atol=1e-5, rtol=0)
    assert [bar["text"] for bar in states["seven"]["bars"]] == [f"{100 * p:.1f}%" for p in shown]
    check_layers(states["seven"], keras_model, outputs)
    assert all("卷积" in layer["title"] or "池化" in layer["title"] or "全连接" in layer["title"]
               for layer in states["seven"]["layers"]), [layer["title"] for layer in states["seven"]["layers"]]
    assert states["star"]["guess"] == "不确定：这看起来不像一个数字。", states["star"]["guess"]


def test_phone_width_touch_keeps_canvas_and_guess_in_view(server, tmp_path):
    base, _ = server
    steps = [{"scrollTo": "#lenet-canvas"}, {"snapshot": "before"},
             {"draw": SEVEN, "input": "touch"}, {"snapshot": "seven"}]
    answer = run_page(f"{base}/draw.html", {"viewport": PHONE, "mobile": True, "steps": steps,
                                            "screenshot": str(SCREENSHOTS / "draw_390.png")}, tmp_path)
    before, seven = answer["snapshots"]["before"], answer["snapshots"]["seven"]
    assert seven["guess"].startswith("It is a 7 "), seven["guess"]
    geometry = seven["geometry"]
    assert geometry["scrollY"] == before["geometry"]["scrollY"] > 0  # drawing by touch does not scroll the page
    assert geometry["scrollWidth"] <= PHONE["width"]                   # nor sideways
    # all in view together, inside the window and not under the theme's sticky header
    assert geometry["inView"] == {"canvas": True, "guess": True, "bars": True}, geometry
    assert before["geometry"]["inView"]["canvas"], before["geometry"]


def test_page_from_disk_drawn_with_a_pen(server, tmp_path):
    _, html = server
    steps = [{"draw": ZERO, "input": "pen"}, {"snapshot": "zero"}]
    answer = run_page((html / "draw.html").as_uri(), {"steps": steps}, tmp_path)
    assert answer["snapshots"]["zero"]["guess"].startswith("It is a 0 "), answer
    assert answer["external"] == []


def test_chapter_page_console_is_clean(server, tmp_path):
    """No errors or warnings on a chapter page either.  Offline, the one request that
    leaves the book is MathJax from its CDN (answered empty by the driver)."""
    base, _ = server
    answer = run_page(f"{base}/chapters/12_lenet_by_hand.html", {"steps": []}, tmp_path)
    assert all(url.startswith("https://cdn.jsdelivr.net/npm/mathjax@") for url in answer["external"]), answer


@pytest.mark.parametrize("page", ["chapters/01_convolution_arithmetic.html", "chapters/11_paper_lenet5.html"])
def test_formulas_are_typeset_with_no_network(server, page):
    """MathJax comes with the book (sphinx-mathjax-offline), not from a CDN: with every request
    that leaves the book aborted, the formulas are still typeset and no TeX is left raw."""
    url, _ = server
    result = subprocess.run([NODE, str(JS / "math_offline.js"), f"{url}/{page}"], capture_output=True,
                            text=True, timeout=120, env=dict(os.environ, CHROMIUM=CHROMIUM))
    assert result.returncode == 0, result.stderr[-2000:]
    answer = json.loads(result.stdout)
    assert not [asked for asked in answer["external"] if "mathjax" in asked.lower()], answer["external"]
    assert answer["typeset"] >= 5 and answer["raw"] == 0, answer


@pytest.mark.parametrize("edition, lang, opening", [("", "en", "✓ Correct."), ("zh/", "zh-CN", "✓ 正确。")])
def test_exercise_verdicts_show_the_books_language(server, edition, lang, opening):
    """A check's stored verdict carries both languages; each book's CSS shows its own."""
    url, _ = server
    result = subprocess.run([NODE, str(JS / "verdict_language.js"), f"{url}/{edition}chapters/03_medium_maxpool_lenet.html"],
                            capture_output=True, text=True, timeout=120, env=dict(os.environ, CHROMIUM=CHROMIUM))
    assert result.returncode == 0, result.stderr[-2000:]
    verdicts = json.loads(result.stdout)
    assert len(verdicts) >= 2
    for verdict in verdicts:
        assert verdict["shown"] == [lang] and verdict["text"].startswith(opening), verdict


#: Violations that come from the theme or Sphinx's HTML, not from the book's content: (axe rule,
#: a piece of the element's HTML) -> why it is left.  Everything else must pass.
NOT_OURS: dict[tuple[str, str], str] = {
    ("label-content-name-mismatch", "search-button"):
        "pydata-sphinx-theme's search button: its aria-label 'Search' differs from its visible text "
        "'Search Ctrl+K' (the keyboard hint)",
    ("label-content-name-mismatch", "theme-switch-button"):
        "pydata-sphinx-theme's colour-mode button: aria-label 'Color mode', its visible text an icon",
    ("label-content-name-mismatch", 'aria-label="Toggle hidden content"'):
        "MyST-NB's fold for a hide-input cell: aria-label 'Toggle hidden content', visible text "
        "'Show code cell source'",
    ("aria-required-children", 'class="citation-list"'):
        "docutils' HTML for a bibliography: a role=list whose children carry the deprecated "
        "role=doc-biblioentry, written by Sphinx for sphinxcontrib-bibtex",
}


def ours(rule: str, html: str) -> bool:
    return not any(rule == id_ and part in html for (id_, part) in NOT_OURS)


def axe_report(base: str, html: Path, width: int) -> dict[str, list[dict]]:
    pages = sorted(str(p.relative_to(html)) for p in html.rglob("*.html")
                   if not {"_static", "_sources", "lenet-draw"} & set(p.relative_to(html).parts)
                   and p.name not in {"genindex.html", "search.html"})
    result = subprocess.run([NODE, str(JS / "axe_pages.js"), str(width), *(f"{base}/{p}" for p in pages)],
                            capture_output=True, text=True, timeout=1200, env=dict(os.environ, CHROMIUM=CHROMIUM))
    assert result.returncode == 0, result.stderr[-3000:]
    return {url.removeprefix(base + "/"): found for url, found in json.loads(result.stdout).items()}


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_passes_axe_with_no_serious_violation(server, width):
    """axe-core (WCAG 2.1 A and AA) over every page of the book, at desktop and phone width: no
    serious or critical violation caused by the book's content."""
    base, html = server
    report = axe_report(base, html, width)
    assert "chapters/09_saving_and_photos.html" in report and "draw.html" in report
    (SCREENSHOTS.parent / f"axe_{width}.json").write_text(json.dumps(report, indent=1))
    serious = {page: [f"{v['id']} ({v['impact']}): {v['help']} — {node['target']}: {node['html'][:80]}"
                      for v in found if v["impact"] in {"serious", "critical"}
                      for node in v["nodes"] if ours(v["id"], node["html"])]
               for page, found in report.items()}
    assert not any(serious.values()), {page: found for page, found in serious.items() if found}
