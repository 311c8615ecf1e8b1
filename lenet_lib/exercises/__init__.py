"""Self-checking exercises: a learner runs ``check_...(answer)`` and reads the verdict.

Each chapter's checks live in a module named after its topic (``exercises.convolution``,
``exercises.counting``, ...).  A check shows ``✓`` and a one-line confirmation when the
answer is right, or ``✗`` and a hint about what is wrong without giving the answer away,
and returns a ``Feedback`` that is true when the answer was right (so the tests, and a
curious reader, can use it) and that a notebook does not echo below the verdict.

Every message exists in English and in Chinese (Simplified), written side by side as a
``Text`` where it is said.  The environment variable ``LENET_LANG`` picks the language a
reader sees: a value starting with ``zh`` (``zh_CN``, ``zh``) shows Chinese, anything else
or nothing shows English.  It is read each time a verdict is shown, so setting
``os.environ["LENET_LANG"] = "zh_CN"`` in a notebook takes effect at the next check.
In a notebook the verdict also carries both languages as HTML, the other one hidden, so
the English and the Chinese book can each show their own with CSS (``_static/book.css``).
"""

from __future__ import annotations

import html
import math
import numbers
import os
import sys
from dataclasses import dataclass
from typing import Callable, NamedTuple, Sequence, Union

import numpy as np

#: The environment variable that picks the language of the verdicts.
LANGUAGE_ENV = "LENET_LANG"
#: language() -> the ``lang`` attribute of its span in a verdict's HTML.
HTML_LANG = {"en": "en", "zh_CN": "zh-CN"}


def language() -> str:
    """``"zh_CN"`` when ``LENET_LANG`` starts with ``zh``, else ``"en"`` (read at each call)."""
    return "zh_CN" if os.environ.get(LANGUAGE_ENV, "").strip().lower().startswith("zh") else "en"


class Text(NamedTuple):
    """One message in English and in Chinese (Simplified), written as a pair where it is said
    so that a translation cannot drift from its English or go missing."""

    en: str
    zh: str

    def in_language(self, lang: str) -> str:
        """The message in ``lang`` (a value of ``language()``)."""
        return self.zh if lang == "zh_CN" else self.en


#: The openings of a verdict.
CORRECT = Text("✓ Correct.", "✓ 正确。")
NOT_YET = Text("✗ Not yet.", "✗ 还不对。")


@dataclass(frozen=True)
class Verdict:
    """A verdict as a reader sees it: plain text in ``language()``, and HTML holding both
    languages with the other one hidden (``display:none``), which the books' CSS can undo."""

    text: Text

    def __str__(self) -> str:
        return self.text.in_language(language())

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        chosen, hidden = language(), ' style="display:none"'
        spans = "".join(
            f'<span lang="{HTML_LANG[lang]}"{"" if lang == chosen else hidden}>'
            f"{html.escape(self.text.in_language(lang))}</span>" for lang in HTML_LANG)
        return {"text/plain": str(self), "text/html": f'<div class="lenet-verdict">{spans}</div>'}


def show(message: Verdict) -> None:
    """Display ``message`` in a running IPython shell (a notebook gets its HTML), else print it
    (plain Python and pytest's capsys see the text)."""
    ipython = sys.modules.get("IPython")  # never imported here: a script stays light
    if ipython is not None and ipython.get_ipython() is not None:
        from IPython.display import display

        display(message)
    else:
        print(message)


def say(correct: bool, message: Text) -> None:
    """Show ``message`` after ``✓ Correct.`` or ``✗ Not yet.`` in both languages."""
    opening = CORRECT if correct else NOT_YET
    show(Verdict(Text(f"{opening.en} {message.en}", f"{opening.zh}{message.zh}")))


class Feedback:
    """The outcome of a check: true when the answer was right.

    It compares equal to that bool, and shows nothing of its own in a notebook (the
    check has already shown its verdict), so a check can be a cell's last line.
    """

    def __init__(self, correct: bool):
        self.correct = bool(correct)

    def __bool__(self) -> bool:
        return self.correct

    def __eq__(self, other: object) -> bool:
        return self.correct == bool(other) if isinstance(other, (bool, Feedback)) else NotImplemented

    __hash__ = None  # mutable-looking value object: not meant as a dict key

    def __repr__(self) -> str:
        return f"Feedback(correct={self.correct})"

    def _ipython_display_(self) -> None:
        """Nothing to add below the verdict."""


def verdict(correct: bool, praise: Text | None = None, hint: Text | None = None) -> Feedback:
    """Show ``praise`` when ``correct``, else ``hint``, and return the outcome as a ``Feedback``."""
    if (praise if correct else hint) is None:
        raise TypeError("verdict() needs praise when correct and a hint when not")
    say(correct, praise if correct else hint)
    return Feedback(correct)


def as_number(answer: object, what: Text) -> float | None:
    """``answer`` as a float, or ``None`` after telling the learner that ``what`` was expected."""
    if isinstance(answer, bool) or not isinstance(answer, (numbers.Real, np.number)):
        say(False, Text(f"Answer with a number ({what.en}), not {type(answer).__name__} {answer!r}.",
                        f"答案应是一个数字（{what.zh}），而不是 {type(answer).__name__} {answer!r}。"))
        return None
    if not math.isfinite(float(answer)):
        say(False, Text(f"Answer with a finite number ({what.en}), not {float(answer)!r}.",
                        f"答案应是一个有限的数字（{what.zh}），而不是 {float(answer)!r}。"))
        return None
    return float(answer)


#: A typical wrong answer: the wrong value itself, or a test of the learner's value, and its hint.
Slip = tuple[Union[float, Callable[[float], bool]], Text]


def check_number(answer: object, what: Text, right: float, praise: Text, slips: Sequence[Slip],
                 otherwise: Text, *, rel_tol: float = 0.0, abs_tol: float = 1e-9) -> Feedback:
    """The shape most checks share: read ``answer`` as a number (else say that ``what`` is
    expected), accept it when it is ``right`` within the tolerances, and otherwise give the
    hint of the first slip it matches, in order, or ``otherwise``."""
    value = as_number(answer, what)
    if value is None:
        return Feedback(False)

    def near(target: float) -> bool:
        return math.isclose(value, target, rel_tol=rel_tol, abs_tol=abs_tol)

    if near(right):
        return verdict(True, praise)
    for slip, hint in slips:
        if slip(value) if callable(slip) else near(slip):
            return verdict(False, hint=hint)
    return verdict(False, hint=otherwise)
