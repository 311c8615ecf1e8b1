"""The Chinese edition's translations: complete, current, and faithful to the English numbers,
links and terms (scripts/translations.py; README "The Chinese edition")."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from helpers import ROOT, script

translations = script("translations")


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    """Every page's English texts, extracted now by Sphinx's gettext builder."""
    return translations.make_templates(tmp_path_factory.mktemp("pot"))


def test_every_page_is_translated_and_no_translation_is_stale(templates):
    """Fails, naming the page and the text, when an English text changed since its translation
    (fuzzy), is new or untranslated, or a page has no translation: run
    `python scripts/translations.py update`, translate, and remove the fuzzy flags."""
    pages = translations.templates(templates)
    assert {"intro", "glossary", "draw", "chapters/09_saving_and_photos"} <= set(pages)
    found = translations.problems(templates)
    assert not found, "\n".join(map(str, found))


def write_catalog(path, entries: dict[str, tuple[str, bool]]) -> None:
    catalog = Catalog(locale="zh_CN")
    for english, (chinese, fuzzy) in entries.items():
        catalog.add(english, chinese, flags=["fuzzy"] if fuzzy else [])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog)


def test_stale_missing_and_untranslated_texts_are_named(tmp_path):
    pot, locale = tmp_path / "pot", tmp_path / "locale"
    write_catalog(pot / "chapters" / "01_x.pot", {"Old text": ("", False), "New text": ("", False),
                                                  "Empty": ("", False)})
    write_catalog(pot / "glossary.pot", {"Stride": ("", False)})
    write_catalog(locale / "chapters" / "01_x.po", {"Old text": ("旧文本", True), "Empty": ("", False)})
    found = {(p.page, p.message, p.what.split(",")[0]) for p in translations.problems(pot, locale)}
    assert found == {
        ("chapters/01_x", "Old text", "English changed since translated (fuzzy)"),
        ("chapters/01_x", "New text", "new English text"),
        ("chapters/01_x", "Empty", "untranslated"),
        ("glossary", "locale/zh_CN/LC_MESSAGES/glossary.po", "page has no translation"),
    }


@pytest.mark.parametrize("english, chinese, lost", [
    ("LeNet-5 has **61,706** parameters.", "LeNet-5 有 **61706** 个参数。", "number"),
    ("in all 98.69 % of them", "共 98.96%", "number"),
    ("see {term}`padding <Padding>` and {doc}`01_convolution_arithmetic`", "见填充和 {doc}`01_convolution_arithmetic`", "role"),
    ("as {cite:p}`lecun1998` shows", "如 {cite:p}`lecun1989` 所示", "role"),
    ("call `model.fit` once", "调用一次 `fit`", "code"),
    ("the [MNIST page](http://yann.lecun.com/exdb/mnist/)", "[MNIST 页面](http://example.com)", "link"),
    ("the size $n - k + 1$", "大小 $n-k+1$", "formula"),
    ("**What you need.** Python", "**预备知识。**Python", "`*`"),
    ("the stride", "步长", "term list"),
])
def test_a_translation_that_loses_something_is_named(english, chinese, lost):
    found = translations.message_problems(english, chinese, translations.read_terms())
    assert len(found) == 1 and lost in found[0], found


@pytest.mark.parametrize("english, chinese", [
    ("LeNet-5 has **61,706** parameters.", "LeNet-5 有 **61,706** 个参数。"),
    ("in all 98.69 % of them", "共 98.69%"),
    ("see {term}`padding <Padding>`, the {term}`epoch` and {doc}`01_convolution_arithmetic`",
     "见{term}`填充 <Padding>`、{term}`轮 <epoch>`和 {doc}`01_convolution_arithmetic`"),
    ("Of the 1.26 million parameters", "在 126 万个参数中"),
    ("compare chapter 03", "与第 3 章比较"),
    ("**What you need.** Python", "**预备知识。** Python"),
])
def test_a_faithful_translation_passes(english, chinese):
    assert translations.message_problems(english, chinese, translations.read_terms()) == []


def test_the_glossary_uses_the_term_list():
    """Every glossary term is in the term list, and the Chinese glossary names it as the list
    does (the chapters' {term} links then all lead to one Chinese word)."""
    terms = {t.english: t for t in translations.read_terms()}
    glossary = (ROOT / "glossary.md").read_text(encoding="utf-8")
    block = glossary.split("```{glossary}", 1)[1].split("```", 1)[0]
    entries = [line for line in block.splitlines() if line and not line.startswith(" ")]
    assert len(entries) >= 40
    missing = [e for e in entries if e not in terms]
    assert not missing, f"glossary terms missing from locale/zh_CN/terms.csv: {missing}"
    with (translations.LOCALE_DIR / "glossary.po").open("rb") as f:
        catalog = translations.read_po(f)
    for entry in entries:
        assert catalog.get(entry) is not None and catalog.get(entry).string == terms[entry].glossary_entry(), entry
