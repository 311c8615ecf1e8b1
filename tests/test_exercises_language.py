"""The exercise checks speak English and Chinese: every message is a pair, ``LENET_LANG``
picks the one a reader sees, and a notebook gets both as HTML with the other one hidden."""

from __future__ import annotations

import ast
import inspect
import math
import os
import re
import subprocess
import sys

import pytest

import lenet_lib.exercises as exercises
from lenet_lib import photo
from lenet_lib.exercises import Feedback, Text, Verdict, by_hand, convolution, counting, other_digits, paper
from lenet_lib.exercises import photos, training

from helpers import ROOT

MODULES = [exercises, by_hand, convolution, counting, other_digits, paper, photos, training]
CHECK_MODULES = MODULES[1:]
CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
#: Chinese typography: Chinese punctuation next to Chinese words, a space between Chinese and Latin.
TYPOGRAPHY_SLIPS = {
    "ASCII punctuation after a Chinese word": re.compile(r"[\u4e00-\u9fff][,.;:?!()]"),
    "ASCII punctuation before a Chinese word": re.compile(r"[,;:?!]\s*[\u4e00-\u9fff]"),
    "no space between Chinese and Latin or digits":
        re.compile(r"[\u4e00-\u9fff][A-Za-z0-9]|[A-Za-z0-9][\u4e00-\u9fff]"),
}


@pytest.fixture
def english(monkeypatch):
    monkeypatch.delenv("LENET_LANG", raising=False)


@pytest.fixture
def chinese(monkeypatch):
    monkeypatch.setenv("LENET_LANG", "zh_CN")


@pytest.mark.parametrize("value, expected", [
    (None, "en"), ("", "en"), ("en", "en"), ("en_US.UTF-8", "en"), ("fr", "en"),
    ("zh_CN", "zh_CN"), ("zh", "zh_CN"), ("zh-CN", "zh_CN"), ("zh_TW.UTF-8", "zh_CN"),
])
def test_language_follows_lenet_lang_at_call_time(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("LENET_LANG", raising=False)
    else:
        monkeypatch.setenv("LENET_LANG", value)
    assert exercises.language() == expected


def test_importing_the_checks_changes_nothing_global():
    code = ("import os, sys; before = dict(os.environ); "
            "import lenet_lib.exercises, lenet_lib.exercises.training; "
            "assert dict(os.environ) == before; assert 'IPython' not in sys.modules; "
            "assert lenet_lib.exercises.language() == 'en'")
    env = {k: v for k, v in os.environ.items() if k != "LENET_LANG"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT, timeout=120)


def test_the_package_docstring_documents_lenet_lang():
    assert "LENET_LANG" in exercises.__doc__ and "zh" in exercises.__doc__


# --- every message pair, read from the source: each check's branches, reached or not ----------------------


def _pairs(module) -> list[tuple[int, ast.expr, ast.expr]]:
    """(line, English, Chinese) of every ``Text(...)`` written in ``module``."""
    pairs = []
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Text":
            arguments = dict(zip(["en", "zh"], node.args)) | {k.arg: k.value for k in node.keywords}
            pairs.append((node.lineno, arguments["en"], arguments["zh"]))
    return pairs


def _literal(node: ast.expr, chinese: bool) -> tuple[str, set[str], set[str]]:
    """The text of a string or f-string node with each value replaced by a stand-in (a Chinese
    word for a ``.zh`` value, else a digit), the names its values use, and the attributes."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value, set(), set()
    assert isinstance(node, ast.JoinedStr), f"not a string: {ast.unparse(node)}"
    text, names, attributes = "", set(), set()
    for part in node.values:
        if isinstance(part, ast.Constant):
            text += part.value
            continue
        inner = list(ast.walk(part.value))
        names |= {n.id for n in inner if isinstance(n, ast.Name)}
        used = {n.attr for n in inner if isinstance(n, ast.Attribute)}
        attributes |= used
        text += "中" if chinese and "zh" in used else "0"
    return text, names, attributes


def _constant_numbers(node: ast.expr) -> set[str]:
    """The numbers written in the literal parts of a string or f-string node."""
    parts = node.values if isinstance(node, ast.JoinedStr) else [node]
    return {n for part in parts if isinstance(part, ast.Constant) for n in NUMBER.findall(part.value)}


PAIRS = [pytest.param(en, zh, id=f"{module.__name__.rsplit('.', 1)[-1]}:{line}")
         for module in MODULES for line, en, zh in _pairs(module)]


def test_every_module_writes_its_messages_as_pairs():
    for module in MODULES:
        assert _pairs(module), module.__name__
    assert len(PAIRS) > 100  # the checks have about 130 messages


@pytest.mark.parametrize("en, zh", PAIRS)
def test_every_pair_has_a_chinese_text_that_says_the_same(en, zh):
    english, english_names, english_attributes = _literal(en, chinese=False)
    chinese, chinese_names, chinese_attributes = _literal(zh, chinese=True)
    assert english.strip() and chinese.strip() and chinese != english
    assert CJK.search(chinese), chinese
    assert not CJK.search(english), english
    # the same values go into both, each in its own language, and the same numbers are written out
    assert chinese_names == english_names, (english, chinese)
    assert "en" not in chinese_attributes and "zh" not in english_attributes, (english, chinese)
    assert _constant_numbers(zh) == _constant_numbers(en), (english, chinese)
    # a sentence stays a sentence, a phrase (what an answer should be) stays a phrase
    assert english.rstrip().endswith((".", "?")) == chinese.rstrip().endswith(("。", "？")), (english, chinese)
    for slip, pattern in TYPOGRAPHY_SLIPS.items():
        assert not pattern.search(chinese), f"{slip}: {chinese}"


def test_the_checks_show_nothing_except_through_the_verdict():
    for module in CHECK_MODULES:
        calls = [n.func.id for n in ast.walk(ast.parse(inspect.getsource(module)))
                 if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
        assert "print" not in calls, module.__name__


# --- every check, right and wrong, in both languages ------------------------------------------------------

MAX, AVERAGE = [[5, 4], [0, 6]], [[2, 1.5], [-2, 3]]
SOFTMAX = [0.665, 0.245, 0.090]
STEPS = {"examples": 60_000, "batch_size": 32}
SPEED = {"batch_small": 32, "batch_large": 128, "examples": 60_000}


def _working_height() -> float:
    return round(3024 * photo.WORKING_SIZE / 4032)


#: (check, answer as positional arguments or a function giving them, keyword arguments, right?)
CASES = [
    (convolution.check_stride_output, (12,), {}, True),
    (convolution.check_stride_output, (24,), {}, False),
    (convolution.check_stride_output, ("12",), {}, False),
    (convolution.check_padded_output, (14,), {}, True),
    (convolution.check_padded_output, (13,), {}, False),
    (convolution.check_same_padding, (14, 1, 2), {}, True),
    (convolution.check_same_padding, (28, 2, 2), {}, False),
    (convolution.check_same_padding, (14, 2, 1), {}, False),
    (convolution.check_pooling, (MAX, AVERAGE), {}, True),
    (convolution.check_pooling, (MAX, [[2, 1.5], [0, 3]]), {}, False),
    (convolution.check_pooling, (7, AVERAGE), {}, False),
    (convolution.check_pooling, ("five", AVERAGE), {}, False),
    (counting.check_c1_variant, (63410,), {}, True),
    (counting.check_c1_variant, (61706,), {}, False),
    (counting.check_c1_variant, (math.inf,), {}, False),
    (counting.check_c1_connections, (156 * 28 * 28,), {}, True),
    (counting.check_c1_connections, (26 * 28 * 28,), {}, False),
    (counting.check_c3_savings, (900, 90000), {}, True),
    (counting.check_c3_savings, (900, 900), {}, False),
    (training.check_steps_per_epoch, (1875,), STEPS, True),
    (training.check_steps_per_epoch, (1874,), STEPS, False),
    (training.check_cross_entropy, (-math.log(0.9),), {"probability": 0.9}, True),
    (training.check_cross_entropy, (0.1,), {"probability": 0.9}, False),
    (training.check_sigmoid_max_slope, (0.25,), {}, True),
    (training.check_sigmoid_max_slope, (1,), {}, False),
    (training.check_momentum_step, (0.1,), {"learning_rate": 0.01, "momentum": 0.9}, True),
    (training.check_momentum_step, (0.019,), {"learning_rate": 0.01, "momentum": 0.9}, False),
    (training.check_dense_parameters, (625_500,), {"inputs": 1250, "units": 500}, True),
    (training.check_dense_parameters, (626_250,), {"inputs": 1250, "units": 500}, False),
    (training.check_speed_ratio, (1875 / 469,), SPEED, True),
    (training.check_speed_ratio, (469 / 1875,), SPEED, False),
    (by_hand.check_softmax, (SOFTMAX,), {}, True),
    (by_hand.check_softmax, ([0.5, 0.5],), {}, False),
    (by_hand.check_softmax, ([2 / 3, 1 / 3, 0.0],), {}, False),
    (by_hand.check_large_softmax, (SOFTMAX,), {}, True),
    (by_hand.check_large_softmax, ([math.nan] * 3,), {}, False),
    (other_digits.check_pixel_size, (2.5,), {}, True),
    (other_digits.check_pixel_size, (4,), {}, False),
    (other_digits.check_map_width, (19,), {}, True),
    (other_digits.check_map_width, (20,), {}, False),
    (paper.check_s2_connections, (5880,), {}, True),
    (paper.check_s2_connections, (4704,), {}, False),
    (paper.check_closest_codes, ((0, 6),), {}, True),
    (paper.check_closest_codes, ((1, 7),), {}, False),
    (paper.check_closest_codes, ("06",), {}, False),
    (photos.check_working_height, lambda: (_working_height(),), {}, True),
    (photos.check_working_height, (3024,), {}, False),
    (photos.check_weights_bytes, lambda: (4 * photos.slides_lenet5_parameters(),), {}, True),
    (photos.check_weights_bytes, lambda: (photos.slides_lenet5_parameters(),), {}, False),
]


def test_the_cases_cover_every_check_of_every_module():
    checks = {getattr(module, name) for module in CHECK_MODULES for name in dir(module)
              if name.startswith("check_") and getattr(module, name).__module__ == module.__name__}
    assert {check for check, *_ in CASES} == checks
    for check in checks:
        assert {right for c, _, _, right in CASES if c is check} == {True, False}, check.__name__


def _run(capsys, check, answer, keywords) -> tuple[Feedback, str]:
    result = check(*(answer() if callable(answer) else answer), **keywords)
    return result, capsys.readouterr().out


@pytest.mark.parametrize("check, answer, keywords, right", [
    pytest.param(*case, id=f"{case[0].__name__}-{'right' if case[3] else 'wrong'}-{i}")
    for i, case in enumerate(CASES)])
def test_each_check_speaks_the_language_asked_for(monkeypatch, capsys, check, answer, keywords, right):
    monkeypatch.delenv("LENET_LANG", raising=False)
    english_result, english = _run(capsys, check, answer, keywords)
    monkeypatch.setenv("LENET_LANG", "zh_CN")
    chinese_result, chinese = _run(capsys, check, answer, keywords)

    assert english.startswith("✓ Correct. " if right else "✗ Not yet. "), english
    assert not CJK.search(english), english
    assert chinese.startswith("✓ 正确。" if right else "✗ 还不对。"), chinese
    assert len(CJK.findall(chinese)) > 4, chinese
    assert chinese.count("\n") == english.count("\n") == 1
    # the same outcome, and the same numbers: a Chinese hint gives away no more than the English one
    assert isinstance(chinese_result, Feedback) and bool(chinese_result) is bool(english_result) is right
    assert set(NUMBER.findall(chinese)) == set(NUMBER.findall(english)), (english, chinese)


# --- how a verdict is shown -------------------------------------------------------------------------------


@pytest.fixture
def shown(monkeypatch) -> list[Verdict]:
    """The verdicts the checks show, instead of printing them."""
    verdicts: list[Verdict] = []
    monkeypatch.setattr(exercises, "show", verdicts.append)
    return verdicts


@pytest.mark.parametrize("lang, chosen, hidden", [(None, "en", "zh-CN"), ("zh_CN", "zh-CN", "en")])
def test_the_html_holds_both_languages_with_the_other_one_hidden(monkeypatch, shown, lang, chosen, hidden):
    if lang is None:
        monkeypatch.delenv("LENET_LANG", raising=False)
    else:
        monkeypatch.setenv("LENET_LANG", lang)
    assert not convolution.check_stride_output("<b>12</b>")
    (verdict,) = shown
    bundle = verdict._repr_mimebundle_()
    assert bundle["text/plain"] == str(verdict)
    assert bundle["text/plain"].startswith("✗ 还不对。" if lang else "✗ Not yet.")
    page = bundle["text/html"]
    assert page.startswith('<div class="lenet-verdict"><span lang="en"') and page.endswith("</span></div>")
    assert f'<span lang="{chosen}">' in page and f'<span lang="{hidden}" style="display:none">' in page
    assert page.count("<span") == 2 and page.count("display:none") == 1
    assert "✗ Not yet. Answer with a number" in page and "✗ 还不对。答案应是一个数字" in page
    assert "<b>" not in page and "&lt;b&gt;12&lt;/b&gt;" in page  # the learner's answer is escaped


def test_the_language_is_read_when_the_verdict_is_shown(monkeypatch):
    verdict = Verdict(Text("Yes.", "是的。"))
    monkeypatch.delenv("LENET_LANG", raising=False)
    assert str(verdict) == "Yes."
    monkeypatch.setenv("LENET_LANG", "zh_CN")
    assert str(verdict) == "是的。" and verdict._repr_mimebundle_()["text/plain"] == "是的。"


def test_a_notebook_displays_the_verdict_instead_of_printing_it(monkeypatch, capsys, chinese):
    IPython = pytest.importorskip("IPython")
    import IPython.display

    displayed = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", displayed.append)
    result = training.check_sigmoid_max_slope(0.25)
    assert result and capsys.readouterr().out == ""
    (verdict,) = displayed
    assert isinstance(verdict, Verdict) and str(verdict).startswith("✓ 正确。")


def test_without_a_running_shell_the_verdict_is_printed(capsys, english):
    pytest.importorskip("IPython")  # imported, but no shell runs under pytest
    assert training.check_sigmoid_max_slope(0.25)
    assert capsys.readouterr().out.startswith("✓ Correct. σ'(x)")


def test_the_book_styles_show_each_book_its_own_language():
    css = re.sub(r"/\*.*?\*/", "", (ROOT / "_static" / "book.css").read_text(), flags=re.S)
    display = {selector.strip(): body.strip() for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)
               for selector in selectors.split(",")}
    for page, shown, hidden in [('html[lang^="zh"]', "zh-CN", "en"), ('html:not([lang^="zh"])', "en", "zh-CN")]:
        assert display[f'{page} .lenet-verdict [lang="{shown}"]'] == "display: inline !important;"
        assert display[f'{page} .lenet-verdict [lang="{hidden}"]'] == "display: none !important;"
