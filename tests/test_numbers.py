"""No measured number is typed into the book's prose: it is published by a source, or the run prints it.

The rule, kept simple on purpose.  In the Markdown cells of every chapter and in
``intro.md`` these count as *measured numbers*:

- a number with a percent sign or a percentage unit (``98.5 %``, ``98.5%``, ``0.3 points``);
- a number with a unit of time (``ms``, ``s``, ``min``, ``h``, ``seconds``, ``minutes``,
  ``hours``; the one-letter units only after a space, so "the 1990s" is a decade);
- a count of right or wrong answers (``4 of 21 right``, ``19 of the 21 ... correctly``,
  ``7/30 correct``, ``98 mistakes``).

Ranges count number by number (``7–8 s`` is 7 s and 8 s).  Such a number may be typed
only if it equals a figure a source publishes, as listed in ``lenet_lib.sources``
(``98.40 %`` and ``98.4 %`` are both the slides' figure; ``98 %`` is not).  Everything
else is left alone: sizes and arithmetic (``28×28``, ``5×5``, ``61,706 parameters``),
years, and whatever stands in code (```` `...` ````, fenced blocks), math (``$...$``),
links and HTML comments.

A measured number belongs in a code cell's output: a hidden-input cell that
displays Markdown built from the run's variables, or a line the computing cell
prints.  This test reads only Markdown sources, so those are never flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from helpers import CHAPTERS, ROOT
from lenet_lib.sources import published_figures

NUMBER = r"\d[\d,]*(?:\.\d+)?"
MEASURED = re.compile(
    rf"(?<![\w.,/-])(?P<first>{NUMBER})"
    rf"(?:\s*(?:–|—|-|to|and)\s*(?P<second>{NUMBER}))?"
    r"(?:\s?(?P<unit>%|per\s?cent\b|percentage points?\b|points?\b|ms\b|milliseconds?\b"
    r"|seconds?\b|secs?\b|minutes?\b|hours?\b)|\s(?P<short>s|min|h)\b)")
COUNT = re.compile(
    rf"(?<![\w.,/-])(?P<first>{NUMBER})\s*(?:of|out of|/)\s*(?:the\s+)?(?P<second>{NUMBER})\b"
    r"(?=(?:[^.\n]{0,40}?)\b(?:right|correct(?:ly)?|wrong(?:ly)?|misread|misclassified|mistaken"
    r"|recogni[sz]ed)\b)"
    rf"|(?<![\w.,/-])(?P<single>{NUMBER})\s+(?:\w+\s+)?(?:mistakes|errors|misclassifications)\b")
#: What is not prose: fenced code, inline code, math, HTML comments, link targets, bare URLs.
NOT_PROSE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`|\$\$.*?\$\$|\$[^$\n]+\$|<!--.*?-->"
                       r"|\]\([^)]*\)|<https?://[^>]*>|https?://\S+", re.S)
SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


@dataclass(frozen=True)
class Typed:
    """A measured number typed into prose, and the sentence around it."""

    number: str
    unit: str
    sentence: str


def canonical_unit(spelled: str) -> str:
    """``per cent`` -> ``%``, ``seconds`` -> ``s``, ``minutes`` -> ``min``: the units of ``sources``."""
    spelled = spelled.lower()
    for prefix, unit in (("percentage", "points"), ("point", "points"), ("%", "%"), ("per", "%"),
                         ("ms", "ms"), ("milli", "ms"), ("s", "s"), ("min", "min"), ("h", "h")):
        if spelled.startswith(prefix):
            return unit
    raise ValueError(f"unknown unit {spelled!r}")


def _sentence(text: str, start: int, end: int) -> str:
    before = [m.end() for m in SENTENCE_END.finditer(text, 0, start)]
    after = SENTENCE_END.search(text, end)
    return text[before[-1] if before else 0: after.end() if after else len(text)].strip()


def typed_measurements(markdown: str) -> list[Typed]:
    """Every measured number (see the module docstring) typed in ``markdown``."""
    prose = NOT_PROSE.sub(lambda m: " " * len(m.group()), markdown)  # keeps the positions
    found = []
    for match in MEASURED.finditer(prose):
        unit = canonical_unit(match["unit"] or match["short"])
        for number in (match["first"], match["second"]):
            if number:
                found.append(Typed(number, unit, _sentence(markdown, match.start(), match.end())))
    for match in COUNT.finditer(prose):
        sentence = _sentence(markdown, match.start(), match.end())
        for number in (match["first"], match["second"], match["single"]):
            if number:
                found.append(Typed(number, "count", sentence))
    return found


PUBLISHED = {(figure.number, figure.unit) for _, figure in published_figures()}


def is_published(typed: Typed) -> bool:
    """True if a source publishes this very number in this unit (trailing zeros aside)."""
    return (float(typed.number.replace(",", "")), typed.unit) in PUBLISHED


def unpublished(markdown: str) -> list[Typed]:
    return [typed for typed in typed_measurements(markdown) if not is_published(typed)]


def markdown_of(path: Path) -> str:
    if path.suffix == ".md":
        return path.read_text(encoding="utf-8")
    notebook = nbformat.read(path, as_version=4)
    return "\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


PAGES = sorted(CHAPTERS.glob("*.ipynb")) + [ROOT / "intro.md"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_measured_number_is_typed_into_the_prose(page):
    offending = unpublished(markdown_of(page))
    by_sentence: dict[str, list[str]] = {}
    for typed in offending:
        by_sentence.setdefault(typed.sentence, []).append(f"{typed.number} {typed.unit}")
    assert not offending, (
        f"{page.relative_to(ROOT)}: {len(by_sentence)} sentence(s) type a measured number that no "
        "source in lenet_lib/sources.py publishes; let the run insert it (an output), or quote the "
        "published figure exactly:\n"
        + "\n".join(f"  - [{', '.join(numbers)}] {sentence}" for sentence, numbers in by_sentence.items()))


# --- the scanner itself ---

ALLOWED = """# The slides' LeNet-5: 98.40 %

The slides train 10 epochs with Adam and report **98.40 %**; the Medium article 98.69%,
PyImageSearch 98.49 % (98.90 % on the training data, about 3 s per epoch on a Titan X).
The paper: 0.95 % test error, 0.8 % with distortions. The slides' C3 uses 5×5 kernels on
14×14 maps, 61,706 parameters in all; MNIST's digits fit a 20×20 box in a 28×28 field.
Networks of the 1990s ran on 2 cores? No: LeNet-5 was trained 20 passes.
Run `LENET_QUICK=1` (2 epochs, `0.3` points, `50 %`), see $p = 97.5\\%$ and
[the run](https://example.com/98.5%25) or <!-- 99 % --> {glue:text}`accuracy`.

```python
print(f"{accuracy:.2%} in 7.5 s")
```
| source | accuracy |
|---|---|
| 003 | 98.51 % |
"""


def test_published_and_non_measured_numbers_pass():
    assert unpublished(ALLOWED) == []
    assert {t.number for t in typed_measurements(ALLOWED)} == {
        "98.40", "98.69", "98.49", "98.90", "3", "0.95", "0.8", "98.51"}


@pytest.mark.parametrize("sentence, numbers", [
    ("Our network reaches 98.5 % on the test set.", ["98.5 %"]),
    ("Our network reaches 98.5% on the test set.", ["98.5 %"]),
    ("It ends at 98.3–98.5 % and 98.6–98.7 %.", ["98.3 %", "98.5 %", "98.6 %", "98.7 %"]),
    ("The slides' network takes 7–8 s per epoch.", ["7 s", "8 s"]),
    ("One step takes 0.87 ms.", ["0.87 ms"]),
    ("The passes take 17 to 20 minutes, the book 25 min, a script 2 h.",
     ["17 min", "20 min", "25 min", "2 h"]),
    ("It took 1.5 seconds.", ["1.5 s"]),
    ("The gap is 0.75 points.", ["0.75 points"]),
    ("The photos: 20 of 21 right, then 7/30 correct.", ["20 count", "21 count", "7 count", "30 count"]),
    ("It reads 19 of the 21 photos correctly.", ["19 count", "21 count"]),
    ("The network makes 98 mistakes.", ["98 count"]),
    ("A test error of 1.08 % lies between them.", ["1.08 %"]),
    ("It gets 98 % (the article: 98.69 %).", ["98 %"]),
    ("Bars of 54 % are not the article's 53.90 %.", ["54 %"]),
])
def test_typed_measurements_are_found(sentence, numbers):
    found = unpublished(f"Some text before.\n\n{sentence} And text after.")
    assert [f"{t.number} {t.unit}" for t in found] == numbers
    assert all(t.sentence == sentence for t in found)


def test_the_failure_names_every_offending_sentence():
    page = "# A page\n\nWe measured 97.7 % here. The tutorial says 98.51 %.\n\nIt took 12 s and 3 of 4 were right."
    assert [t.sentence for t in unpublished(page)] == [
        "We measured 97.7 % here.", "It took 12 s and 3 of 4 were right.",
        "It took 12 s and 3 of 4 were right.", "It took 12 s and 3 of 4 were right."]
