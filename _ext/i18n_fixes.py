"""What the Chinese edition needs that Jupyter Book 1 (Sphinx 7.4, sphinx-exercise 1.2.1,
sphinx-external-toc 1.1.0) lacks; the English build is unchanged but for the link to its twin.

1. sphinx-exercise builds the exercise subtitle without node.source, and its post-transform
   rebuilds the title from the subtitle's *children*, so gettext never sees the title.
   Wrap the children in one translatable inline with a source, before Locale (priority 20).
2. sphinx-external-toc inserts the _toc.yml toctrees (captions) at priority 100, after
   Sphinx's Locale transform (20): gettext extracts the captions (into the root page's .pot)
   but the build never applies them. Translate them here, right after the insertion.
3. sphinx-exercise's zh_CN catalog lacks "Solution" (used by solution_follow_exercise):
   register _ext/locale/<lang>/LC_MESSAGES/exercise.po (compiled here) as a fallback.
4. `i18n_search_bar_text`: the theme's search box text (JB1 hard-codes it in English).
5. Exercise titles in Chinese take full-width brackets.
6. `i18n_twin`: every page links to the same page in the other edition (English at the book's
   root, Chinese in its `zh/` folder), in the page and as `<link rel="alternate" hreflang>`.
"""
import html
import os
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.i18n import docname_to_domain
from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node, exercise_subtitle, solution_node


class TranslatableExerciseTitles(SphinxTransform):
    default_priority = 15  # before sphinx.transforms.i18n.Locale (20)

    def apply(self, **kwargs):
        for sub in self.document.findall(exercise_subtitle):
            if len(sub.children) == 1 and isinstance(sub[0], nodes.inline) and sub[0].get("translatable"):
                continue
            holder = sub.parent
            while holder is not None and not holder.source:
                holder = holder.parent
            wrapper = nodes.inline(sub.astext(), "", *sub.children, translatable=True)
            wrapper.source = holder.source if holder is not None else self.document["source"]
            wrapper.line = holder.line if holder is not None else 0
            sub.children = []
            sub += wrapper


class TranslateTocCaptions(SphinxTransform):
    default_priority = 101  # after sphinx_external_toc's InsertToctrees (100)

    def apply(self, **kwargs):
        if not self.config.language or self.config.language == "en":
            return
        dirs = [os.path.join(self.env.srcdir, d) for d in self.config.locale_dirs]
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        catalog, has_catalog = init_locale(dirs, self.config.language, domain)
        if not has_catalog:
            return
        for toctree in self.document.findall(addnodes.toctree):
            caption = toctree.get("caption")
            if caption and catalog.gettext(caption) != caption:
                toctree["caption"] = toctree["rawcaption"] = catalog.gettext(caption)


class ChineseExerciseBrackets(SphinxPostTransform):
    """sphinx-exercise writes "Exercise 1.2 (title)" and "Solution to Exercise 1.2 (title)" with
    ASCII brackets; Chinese text takes full-width ones: 练习 1.2（标题）."""

    default_priority = 25  # after sphinx-exercise's titles (20-22)

    def run(self, **kwargs):
        if not (self.config.language or "").startswith("zh"):
            return
        titled = (exercise_node, exercise_enumerable_node, solution_node)
        for title in self.document.findall(nodes.title):
            if not isinstance(title.parent, titled):
                continue
            for text in list(title.findall(nodes.Text)):
                if str(text) in (" (", ")"):
                    text.parent.replace(text, nodes.Text("（" if str(text) == " (" else "）"))


def _add_exercise_catalog(app):
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    locale_dir = Path(__file__).parent / "locale"
    for po_path in locale_dir.glob("*/LC_MESSAGES/exercise.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            with po_path.open("rb") as f_po, mo_path.open("wb") as f_mo:
                write_mo(f_mo, read_po(f_po))
    app.add_message_catalog("exercise", str(locale_dir))


def _search_bar_text(app, config):
    """JB1 hard-codes html_theme_options.search_bar_text; setting html_theme_options in
    _config.yml's sphinx.config would replace the whole dict (repository buttons etc.)."""
    if config.i18n_search_bar_text:
        config.html_theme_options = {**config.html_theme_options,
                                     "search_bar_text": config.i18n_search_bar_text}


def _link_to_twin(app, pagename, templatename, context, doctree):
    """Put a link to this page's twin in the other language at the top of the page."""
    twin = app.config.i18n_twin
    if not twin or "body" not in context:
        return
    up = "../" * pagename.count("/")
    href = html.escape(f"{up}{twin['path']}{pagename}.html")
    lang = html.escape(twin["lang"])
    label = html.escape(twin["label"])
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{lang}" href="{href}">')
    context["body"] = (f'<p class="edition-link"><a href="{href}" hreflang="{lang}" lang="{lang}">'
                       f'{label}</a></p>\n') + context["body"]


def setup(app):
    app.add_config_value("i18n_search_bar_text", "", "html")
    # {"path": "zh/", "lang": "zh-CN", "label": "中文版"}: where the other edition's pages are,
    # relative to this edition's root
    app.add_config_value("i18n_twin", {}, "html")
    app.connect("config-inited", _search_bar_text)
    app.connect("html-page-context", _link_to_twin)
    app.setup_extension("sphinx_exercise")  # its catalog first, ours as the fallback
    app.add_transform(TranslatableExerciseTitles)
    app.add_transform(TranslateTocCaptions)
    app.add_post_transform(ChineseExerciseBrackets)
    _add_exercise_catalog(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
