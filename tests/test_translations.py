"""The Chinese edition's translations: complete, current, and faithful to the English numbers,
links and terms (scripts/translations.py; README "The Chinese edition")."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from helpers import ROOT, script

translations = script("translations")


@pytest.fixture(scope="module")
def pot_dir(tmp_path_factory):
    """Every page's English texts, extracted now by Sphinx's gettext builder."""
    return translations.make_templates(tmp_path_factory.mktemp("pot"))


def test_every_page_is_translated_and_no_translation_is_stale(pot_dir):
    """Fails, naming the page and the text, when an English text changed since its translation
    (fuzzy), is new or untranslated, or a page has no translation: run
    `python scripts/translations.py update`, translate, and remove the fuzzy flags."""
    pages = translations.templates(pot_dir)
    assert {"intro", "glossary", "draw", "chapters/09_saving_and_photos"} <= set(pages)
    found = translations.problems(pot_dir)
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
    ("all 12,000 digits of chapter 3", "第3章的全部12,000个数字"),
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


@pytest.mark.parametrize("english, chinese", [
    ("12 s", "12 秒"),
    ("**93.5 min**", "**93.5 分钟**"),
    ("3 of 3 runs re-used: recorded on 2026-12-06 (CPU: 2 cores, AMD EPYC)",
     "共 3 次运行，重用 3 次：记录于 2026-12-06（CPU：2 核，AMD EPYC）"),
    ("{doc}`chapters/08_results`", "{doc}`chapters/08_results`"),
    ("51,902", "51,902"),
    ("2 of 3 runs re-used: recorded on 2026-12-06 (CPU: 2 cores, AMD EPYC); 2026-12-07 (CPU: 16 cores, Intel Xeon)",
     "共 3 次运行，重用 2 次：记录于 2026-12-06（CPU：2 核，AMD EPYC）；2026-12-07（CPU：16 核，Intel Xeon）"),
    ("1 run trained in this build", "本次构建中训练了 1 次"),
    ("One one-example step takes 0.95 ms here. One pass over the 60,000 training digits would take 0.9 min, "
     "3.0 times an Adam pass in batches of 32 above (19 s), and the paper's 20 passes 19 min, before adding "
     "SDLM's curvature estimates.",
     "在这里，一次单样本更新耗时 0.95 毫秒。遍历 60,000 个训练数字一遍需要 0.9 分钟，是上文批量为 32 的 Adam "
     "一遍（19 秒）的 3.0 倍；论文的 20 遍则需要 19 分钟，这还没算上 SDLM 的曲率估计。"),
])
def test_texts_with_nothing_to_translate_are_translated_by_rule(english, chinese):
    assert translations.translation_by_rule(english) == chinese
    assert translations.message_problems(english, chinese, translations.read_terms()) == []


def test_a_sentence_is_never_translated_by_rule():
    assert translations.translation_by_rule("Quick mode runs the whole book in about 2 minutes.") is None
    assert translations.translation_by_rule("none") is None


def test_update_keeps_old_translations_as_fuzzy_and_leaves_unchanged_pages_alone(tmp_path):
    pot, locale = tmp_path / "pot", tmp_path / "locale"
    write_catalog(pot / "running.pot", {"The network reads digits well.": ("", False), "12 s": ("", False)})
    write_catalog(locale / "running.po", {"The network reads digits.": ("网络读数字。", False),
                                          "11 s": ("11 秒", False)})
    assert translations.update(pot, locale) == ["running"]
    with (locale / "running.po").open("rb") as f:
        catalog = translations.read_po(f)
    changed, timing = catalog.get("The network reads digits well."), catalog.get("12 s")
    assert changed.fuzzy and changed.string == "网络读数字。"  # shown in English until checked
    assert not timing.fuzzy and timing.string == "12 秒"         # by rule
    assert catalog.get("The network reads digits.") is None      # the old text is gone
    found = {(p.message, p.what) for p in translations.problems(pot, locale)}
    assert found == {("The network reads digits well.", "English changed since translated (fuzzy)")}
    written = (locale / "running.po").read_bytes()
    assert translations.update(pot, locale) == [] and (locale / "running.po").read_bytes() == written
