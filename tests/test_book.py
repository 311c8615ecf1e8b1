"""The book builds warning-free from the stored outputs, with a Colab button per chapter, in English
and in Chinese (same outputs, translated prose, each page linked to its twin)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from helpers import CHAPTERS, ROOT


def test_book_builds_without_warnings(built_book):
    returncode, log, html = built_book
    assert returncode == 0, log
    repository = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    github_path = repository.removeprefix("https://github.com/")
    for notebook in CHAPTERS.glob("*.ipynb"):
        page = (html / "chapters" / f"{notebook.stem}.html").read_text()
        colab = f"https://colab.research.google.com/github/{github_path}/blob/main/chapters/{notebook.name}"
        assert colab in page, f"{notebook.name}: no Colab button"
        assert "google.colab" not in page, f"{notebook.name}: the set-up cell is shown"


def test_draw_page_and_its_scripts_are_in_the_book(built_book):
    returncode, log, html = built_book
    assert returncode == 0, log
    page = (html / "draw.html").read_text()
    for script in ("lenet_model.js", "lenet.js", "page.js"):
        assert f'src="lenet-draw/{script}"' in page
        assert (html / "lenet-draw" / script).is_file()
        assert "http" not in (html / "lenet-draw" / script).read_text()[:2000].replace("lenet_lib", "")
    intro = (html / "intro.html").read_text()
    assert "lenet-draw/" not in intro and "lenet_model" not in intro  # only the drawing page loads them


# ---- the Chinese edition (scripts/build_book.py; translations in locale/zh_CN) ----

CJK = re.compile(r"[\u4e00-\u9fff]")


def book_pages(html: Path) -> list[str]:
    """The book's own pages, as paths relative to an edition's root."""
    return sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                  if not {"_static", "_sources", "lenet-draw", "zh"} & set(p.relative_to(html).parts)
                  and p.name not in {"genindex.html", "search.html", "index.html"})


def twin_link(page: Path) -> Path:
    """Where a page's link to its other-language twin leads."""
    found = re.search(r'<p class="edition-link"><a href="([^"]+)" hreflang="[^"]+"', page.read_text(encoding="utf-8"))
    assert found, f"{page}: no link to the other edition"
    return (page.parent / found.group(1)).resolve()


def prose(page: Path) -> str:
    """The text a reader reads in the article, without code, outputs, formulas and scripts."""
    text = page.read_text(encoding="utf-8")
    text = text[text.index('<article class="bd-article">'):text.index("</article>")]
    text = re.sub(r"(?s)<(pre|script|style|code|math)\b.*?</\1>", " ", text)
    text = re.sub(r"(?s)<div class=\"(?:cell_output|output)[^\"]*\".*?</div>", " ", text)
    text = re.sub(r"\\\(.*?\\\)|\\\[.*?\\\]|\$\$.*?\$\$", " ", text, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


def test_every_page_has_a_chinese_twin_linked_both_ways(built_book):
    returncode, log, html = built_book
    assert returncode == 0, log
    pages = book_pages(html)
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    listed = {toc["root"]} | {chapter["file"] for part in toc["parts"] for chapter in part["chapters"]}
    assert {page.removesuffix(".html") for page in pages} == listed
    for page in pages:
        english, chinese = html / page, html / "zh" / page
        assert chinese.is_file(), f"{page}: no Chinese twin"
        assert '<html lang="zh-CN"' in chinese.read_text(encoding="utf-8"), page
        assert twin_link(english) == chinese.resolve(), page
        assert twin_link(chinese) == english.resolve(), page


def test_chinese_pages_read_in_chinese_with_the_english_figures_and_code(built_book):
    """Each Chinese page's prose is Chinese (Latin letters only in names, code and titles), and it
    shows the same figures and the same code cells as its English twin: one run, two languages."""
    returncode, log, html = built_book
    assert returncode == 0, log
    for page in book_pages(html):
        if page == "references.html":  # the bibliography lists the works as they were published
            continue
        english, chinese = (html / page).read_text(encoding="utf-8"), (html / "zh" / page).read_text(encoding="utf-8")
        text = prose(html / "zh" / page)
        cjk, latin_words = len(CJK.findall(text)), len(re.findall(r"[A-Za-z]{3,}", text))
        assert cjk >= 2 * latin_words, f"{page}: {cjk} Chinese characters, {latin_words} English words"
        assert len(CJK.findall(prose(html / page))) < 0.02 * len(re.findall(r"[A-Za-z]{3,}", prose(html / page))) + 40, page
        images = re.compile(r'<img[^>]+src="([^"]+)"')
        assert [Path(s).name for s in images.findall(chinese)] == [Path(s).name for s in images.findall(english)], page
        assert chinese.count('class="cell docutils container"') == english.count('class="cell docutils container"'), page


def test_chinese_search_finds_chinese_words(built_book):
    """Sphinx indexes Chinese words only with jieba installed (requirements.txt); without it
    only Latin words and titles would be found."""
    returncode, log, html = built_book
    assert returncode == 0, log
    index = (html / "zh" / "searchindex.js").read_text(encoding="utf-8")
    data = json.loads(index[index.index("(") + 1:index.rindex(")")])
    pages = {i: name for i, name in enumerate(data["docnames"])}

    def found(word: str) -> set[str]:
        """The pages a search for ``word`` finds (in their text, or in a title)."""
        hits = [data[kind].get(word, []) for kind in ("terms", "titleterms")]
        return {pages[i] for hit in hits for i in ([hit] if isinstance(hit, int) else hit)}

    for word, page in (("卷积", "chapters/01_convolution_arithmetic"), ("池化", "chapters/02_counting_parameters"),
                       ("卷积层", "chapters/02_counting_parameters"), ("过拟合", "glossary"),
                       ("感受野", "chapters/11_paper_lenet5"), ("数据增强", "chapters/10_other_digits")):
        assert page in found(word), (word, sorted(found(word)))
