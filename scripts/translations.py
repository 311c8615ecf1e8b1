"""The Chinese edition's translations: keep ``locale/zh_CN/LC_MESSAGES/*.po`` in step with the
English pages, and say which translations are missing, stale or inconsistent.

    python scripts/translations.py update   # after an English edit: new and changed texts into the .po files
    python scripts/translations.py check    # every page translated, nothing stale, numbers and links kept
    python scripts/translations.py check --po-only --page glossary   # fast, while translating

``update`` extracts every page's texts with Sphinx's gettext builder (one catalog per page, in
``_build/pot``) and merges them into the page's ``.po`` file: a new text gets an empty
translation, a changed one keeps its old translation marked *fuzzy* (the book then shows the
English text until a translator checks it and removes the flag). Texts with nothing to
translate, and the timings the notebook runner writes, are translated by rule. ``check`` lists, page by page,
what the Chinese book would show in English or get wrong; ``tests/test_book.py`` runs it.
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LANGUAGE = "zh_CN"
LOCALE_DIR = ROOT / "locale" / LANGUAGE / "LC_MESSAGES"
TERMS = ROOT / "locale" / LANGUAGE / "terms.csv"
TEMPLATES = ROOT / "_build" / "pot"

_ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
_CODE = re.compile(r"(?<![}`])`([^`]+)`(?!`)")
_URL = re.compile(r"\]\(([^)\s]+)\)")
_MATH = re.compile(r"\$\$?[^$]+\$\$?")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*", re.ASCII)  # ASCII: 第3章 has the number 3
_MILLION = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?) million", re.ASCII)


def _numbers(text: str) -> set[str]:
    """The numbers a text shows, as written (``03`` and ``3`` are one number)."""
    return {(n.lstrip("0") or "0") if n.isdigit() else n for n in _NUMBER.findall(text)}


def _millions(text: str) -> set[str]:
    """Each "X million" of an English text as Chinese writes it: X × 100 万."""
    return {f"{float(x) * 100:g} 万" for x in _MILLION.findall(text)}


@dataclass(frozen=True)
class Term:
    english: str
    chinese: str
    avoid: tuple[str, ...]

    def glossary_entry(self) -> str:
        """How the glossary names the term: the Chinese word with the English one beside it."""
        if self.chinese.lower() == self.english.lower():
            return self.english
        return f"{self.chinese}（{self.english}）"


def read_terms(path: Path = TERMS) -> list[Term]:
    """The term list: one Chinese word per concept, and the words to avoid for it."""
    with path.open(encoding="utf-8", newline="") as f:
        return [Term(row["english"], row["chinese"], tuple(w for w in row["avoid"].split("|") if w))
                for row in csv.DictReader(f)]


def make_templates(output: Path = TEMPLATES) -> Path:
    """Extract every page's texts into ``<output>/_build/gettext/<page>.pot`` (Sphinx gettext)."""
    command = Path(sys.executable).with_name("jupyter-book")  # as scripts/build_book.py finds it
    subprocess.run([str(command) if command.exists() else "jupyter-book", "build", str(ROOT),
                    "--builder", "custom", "--custom-builder", "gettext",
                    "--path-output", str(output), "--all"], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    return output / "_build" / "gettext"


def templates(pot_dir: Path) -> dict[str, Path]:
    """Page name (``chapters/03_medium_maxpool_lenet``) -> its ``.pot`` file."""
    return {p.relative_to(pot_dir).with_suffix("").as_posix(): p
            for p in sorted(pot_dir.rglob("*.pot")) if "_static" not in p.parts}


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=LANGUAGE)


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".po.tmp")
    with tmp.open("wb") as f:
        write_po(f, catalog, width=0, no_location=True, ignore_obsolete=True, omit_header=False)
    tmp.replace(path)


#: Texts that are only a format around numbers measured anew by every run of the notebooks
#: (the running page's timings, chapter 11's step times) are translated by rule, never by hand.
_BY_RULE = [
    (re.compile(r"(\**)(\d+(?:\.\d+)?) s\1"), r"\1\2 秒\1"),
    (re.compile(r"(\**)(\d+(?:\.\d+)?) min\1"), r"\1\2 分钟\1"),
    (re.compile(r"(\d+) of (\d+) runs re-used: recorded on (.+)"), lambda found: _recorded(*found.groups())),
    (re.compile(r"(\d+) runs? trained in this build"), r"本次构建中训练了 \1 次"),
    # chapter 11 times one-example steps on the machine that runs it
    (re.compile(r"One one-example step takes ([\d.]+) ms here\. One pass over the 60,000 training digits would "
                r"take ([\d.]+) min, ([\d.]+) times an Adam pass in batches of 32 above \((\d+) s\), and the "
                r"paper's 20 passes (\d+) min, before adding SDLM's curvature estimates\."),
     r"在这里，一次单样本更新耗时 \1 毫秒。遍历 60,000 个训练数字一遍需要 \2 分钟，是上文批量为 32 的 Adam "
     r"一遍（\4 秒）的 \3 倍；论文的 20 遍则需要 \5 分钟，这还没算上 SDLM 的曲率估计。"),
]


def _recorded(reused: str, runs: str, where: str) -> str | None:
    """ "2 of 3 runs re-used: recorded on <date> (CPU: <n> cores, <model>); <date> (...)" in Chinese."""
    machine = re.compile(r"(\S+) \(CPU: (\d+) cores, ([^()]+)\)")
    parts = [machine.fullmatch(part) for part in where.split("; ")]
    if not all(parts):
        return None
    return (f"共 {runs} 次运行，重用 {reused} 次：记录于 "
            + "；".join(f"{p[1]}（CPU：{p[2]} 核，{p[3]}）" for p in parts))


def translation_by_rule(english: str) -> str | None:
    """The Chinese of a text that has nothing to translate (only roles, code, numbers and
    punctuation: the same text) or that is a format around numbers; else None."""
    for pattern, chinese in _BY_RULE:
        found = pattern.fullmatch(english)
        if found:
            return chinese(found) if callable(chinese) else found.expand(chinese)
    if not re.search(r"[A-Za-z]{2,}", _NUMBER.sub(" ", _CODE.sub(" ", _ROLE.sub(" ", english)))):
        return english
    return None


def update(pot_dir: Path, locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Merge each page's template into its ``.po`` file; returns the pages written."""
    written = []
    for page, pot in templates(pot_dir).items():
        template = _read(pot)
        po_path = locale_dir / f"{page}.po"
        before = None
        if po_path.exists():
            catalog = _read(po_path)
            before = _entries(catalog)
            catalog.update(template)
        else:
            catalog = Catalog(locale=LANGUAGE, project="LeNet-5 and MNIST, reproduced")
            for message in template:
                if message.id:
                    catalog.add(message.id, "")
        for message in catalog:
            by_rule = translation_by_rule(message.id) if message.id else None
            if by_rule is not None and (message.fuzzy or not message.string):
                message.string = by_rule
                message.flags.discard("fuzzy")
        if before is not None and _entries(catalog) == before:
            continue  # nothing changed: leave the file (and its dates) alone
        catalog.language_team = "LeNet course"
        _write(po_path, catalog)
        written.append(page)
    return written


def _entries(catalog: Catalog) -> list[tuple]:
    """What a catalog says, without its header."""
    return [(m.id, m.string, sorted(m.flags)) for m in catalog if m.id]


def _roles(text: str) -> set[tuple[str, str]]:
    """Each MyST role as (role, target): the link a translation must keep."""
    found = set()
    for role, body in _ROLE.findall(text):
        target = re.search(r"<([^<>]+)>\s*$", body)
        if role in ("term", "doc", "ref", "numref"):
            body = target.group(1) if target else body
            if role == "term":
                body = body.lower()
        found.add((role, body.strip()))
    return found


def message_problems(english: str, chinese: str, terms: list[Term]) -> list[str]:
    """What a translation loses of its English text: numbers, roles, code, links, formulas,
    or a term the term list says to avoid."""
    problems = []
    without_roles = _ROLE.sub(" ", english)
    kept = {
        "number": _numbers(_MATH.sub(" ", _URL.sub(" ", without_roles))),
        "role": {f"{{{r}}}`{t}`" for r, t in _roles(english)},
        "code": set(_CODE.findall(without_roles)),
        "link": set(_URL.findall(english)),
        "formula": set(_MATH.findall(without_roles)),
    }
    have = {
        "number": _numbers(_MATH.sub(" ", _URL.sub(" ", _ROLE.sub(" ", chinese)))),
        "role": {f"{{{r}}}`{t}`" for r, t in _roles(chinese)},
        "code": set(_CODE.findall(_ROLE.sub(" ", chinese))),
        "link": set(_URL.findall(chinese)),
        "formula": set(_MATH.findall(_ROLE.sub(" ", chinese))),
    }
    for wan in _millions(english):
        if wan in chinese or wan.replace(" ", "") in chinese:
            have["number"] |= {x for x in _MILLION.findall(english) if f"{float(x) * 100:g} 万" == wan}
    if _stray_asterisks(chinese) > _stray_asterisks(english):
        problems.append("a `*` shows as text: bold or italic that ends next to Chinese punctuation "
                        "needs a space or the punctuation outside it")
    for kind in kept:
        missing = kept[kind] - have[kind]
        if missing:
            problems.append(f"{kind} missing from the translation: {', '.join(sorted(missing))}")
    for term in terms:
        for word in term.avoid:
            if word in chinese:
                problems.append(f"uses {word!r}; the term list says {term.chinese!r} for {term.english!r}")
    return problems


def _stray_asterisks(text: str) -> int:
    """How many ``*`` MyST's Markdown parser leaves as text (an emphasis that did not close)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parseInline(_CODE.sub("code", _MATH.sub("math", text)))
    return sum(child.content.count("*") for token in tokens for child in token.children or []
               if child.type == "text")


@dataclass(frozen=True)
class Problem:
    page: str
    message: str
    what: str

    def __str__(self) -> str:
        shown = self.message if len(self.message) <= 90 else self.message[:87] + "..."
        return f"{self.page}: {self.what}: {shown!r}"


def problems(pot_dir: Path | None = None, locale_dir: Path = LOCALE_DIR) -> list[Problem]:
    """Everything that would make the Chinese book show English or differ from its English twin:
    a page without translations, a text missing from or untranslated in its page's ``.po``
    (``update`` not run), a stale (fuzzy) translation, and translations that lose a number,
    a link, a role, code or a formula. Without ``pot_dir`` only the ``.po`` files are checked."""
    terms = read_terms()
    glossary = {t.english: t for t in terms}
    found: list[Problem] = []
    pages = templates(pot_dir) if pot_dir else {
        p.relative_to(locale_dir).with_suffix("").as_posix(): None for p in sorted(locale_dir.rglob("*.po"))}
    for page, pot in pages.items():
        po_path = locale_dir / f"{page}.po"
        if not po_path.exists():
            found.append(Problem(page, f"locale/{LANGUAGE}/LC_MESSAGES/{page}.po", "page has no translation"))
            continue
        catalog = _read(po_path)
        if pot is not None:
            for message in _read(pot):
                if message.id and message.id not in catalog:
                    found.append(Problem(page, message.id, "new English text, run `translations.py update`"))
        for message in catalog:
            if not message.id:
                continue
            if message.fuzzy:
                found.append(Problem(page, message.id, "English changed since translated (fuzzy)"))
            elif not message.string:
                found.append(Problem(page, message.id, "untranslated"))
                continue
            found += [Problem(page, message.id, what)
                      for what in message_problems(message.id, message.string, terms)]
            if page == "glossary" and message.id in glossary:
                expected = glossary[message.id].glossary_entry()
                if message.string != expected:
                    found.append(Problem(page, message.id, f"term list says {expected!r}"))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["update", "check"])
    parser.add_argument("--pot", type=Path, help="templates already made (a `_build/pot/_build/gettext`)")
    parser.add_argument("--po-only", action="store_true",
                        help="check the .po files only, not against the English pages (fast; misses new texts)")
    parser.add_argument("--page", help="check this page only, e.g. chapters/02_counting_parameters")
    args = parser.parse_args(argv)
    if args.command == "update":
        pot_dir = args.pot or make_templates()
        for page in update(pot_dir):
            print(f"updated locale/{LANGUAGE}/LC_MESSAGES/{page}.po")
        return 0
    pot_dir = None if args.po_only else (args.pot or make_templates())
    known = set(templates(pot_dir)) if pot_dir else {p.relative_to(LOCALE_DIR).with_suffix("").as_posix()
                                                     for p in LOCALE_DIR.rglob("*.po")}
    if args.page is not None and args.page not in known:
        parser.error(f"no page {args.page!r}; pages: {', '.join(sorted(known))}")
    found = [p for p in problems(pot_dir) if args.page in (None, p.page)]
    for problem in found:
        print(problem)
    counts = {}
    for problem in found:
        counts[problem.page] = counts.get(problem.page, 0) + 1
    print(f"{len(found)} problem(s)" + "".join(f"\n  {page}: {n}" for page, n in counts.items()))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
