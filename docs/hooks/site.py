"""MkDocs hooks of propfee's site.

- ``on_files``: draws the charts the pages show, from the library itself, at build time
  (``assets/charts/<name>_<lang>.png``), so a picture never drifts from the code. The site
  is built once per language (mkdocs-static-i18n); the charts are drawn once.
- ``on_page_markdown``: replaces the figures a page asks for (``[[pf:NAME ...]]``, see
  ``figures.py``) by what the library computes, in the page's language, runs the page's
  examples where it shows their output (``<!-- pf:output -->``) and the command lines of
  the command pages (``[[pf:cli ...]]``).
- ``on_page_content``: turns the TeX that ``pymdownx.arithmatex`` marks into MathML, which
  browsers draw natively: no script, no font and nothing from another host.
- ``on_post_page``: a page keeps the language it is written in (an English page shown in
  the Chinese site, where no translation exists, says ``lang="en"``).
"""

from __future__ import annotations

import functools
import html
import io
import re
import sys
import warnings
from pathlib import Path
from typing import Any

from latex2mathml.converter import convert
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figures

_BLOCK = re.compile(r'<div class="arithmatex">\s*\\\[(?P<tex>.*?)\\\]\s*</div>', re.DOTALL)
_INLINE = re.compile(r'<span class="arithmatex">\\\((?P<tex>.*?)\\\)</span>', re.DOTALL)


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph fails the build
        fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def _tick(digits: int, scale: float) -> Any:
    """Tick labels of ``value / scale``, never ``-0``."""
    from matplotlib.ticker import FuncFormatter

    def fmt(v: float, _pos: int) -> str:
        x = round(v / scale, digits)
        return f"{(0.0 if x == 0 else x):,.{digits}f}"

    return FuncFormatter(fmt)


def _fonts(lang: str) -> list[str]:
    from propfee.plot import find_cjk_font

    if lang != "zh":
        return ["DejaVu Sans"]
    font = find_cjk_font()
    if font is None:
        raise RuntimeError("no CJK font for the Chinese charts: install fonts-noto-cjk")
    return ["DejaVu Sans", font]


def headline_chart(lang: str) -> Any:
    """The headline of both named plans: each figure's point, median and 90% interval."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    zh = lang == "zh"
    with mpl.rc_context({"font.family": _fonts(lang)}):
        fig = Figure(figsize=(10.0, 3.4), layout="constrained")
        axes = fig.subplots(1, 3)
        titles = {"compounds_in_deficit": ("Compounds in deficit", "资金池赤字的小区数"),
                  "street_subsidy_yuan": ("Street subsidy [million yuan/year]",
                                          "街道补贴（万元/年）"),
                  "net_public_cost_yuan": ("Net public cost [million yuan/year]",
                                           "公共财政净支出（万元/年）")}
        for ax, figure in zip(axes, figures.FIGURES, strict=True):
            scale = 1.0 if figure == "compounds_in_deficit" else (1e4 if zh else 1e6)
            for y, plan in enumerate(figures.PLANS):
                r = figures._figure_row(figures.headline(plan), figure)
                ax.plot([r["low"], r["high"]], [y, y], color="#1f77b4", lw=6, alpha=0.35,
                        solid_capstyle="butt", label="90%" if y == 0 else None)
                ax.plot([r["point"]], [y], "o", color="#1f77b4",
                        label=("点估计" if zh else "point") if y == 0 else None)
                ax.plot([r["median"]], [y], "|", color="#d62728", ms=16, mew=2,
                        label=("中位数" if zh else "median") if y == 0 else None)
            ax.set_yticks(range(len(figures.PLANS)), list(figures.PLANS))
            ax.set_ylim(-0.6, len(figures.PLANS) - 0.4)
            ax.invert_yaxis()
            ax.set_title(titles[figure][zh], fontsize=10)
            ax.xaxis.set_major_formatter(_tick(0 if figure == "compounds_in_deficit" or zh else 1,
                                               scale))
            ax.set_xlim(left=0)
            if figure == "compounds_in_deficit":
                ax.set_xlim(0, len(figures.street()) * 1.05)
            ax.grid(axis="x", alpha=0.3)
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=8,
                   frameon=False)
        fig.suptitle("两个内置方案下示例街道的关键指标：点估计、中位数与 90% 区间" if zh else
                     "The example street under both named plans: point, median and 90% interval",
                     fontsize=11)
    return fig


def drivers_chart(lang: str) -> Any:
    """A tornado per named plan: the inputs that move its driver figure most."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    zh = lang == "zh"
    with mpl.rc_context({"font.family": _fonts(lang)}):
        fig = Figure(figsize=(10.0, 4.6), layout="constrained")
        axes = fig.subplots(1, 2)
        for ax, plan in zip(axes, figures.PLANS, strict=True):
            output = figures.driver_output(plan)
            t = figures.drivers(plan)
            t = t[(t["output"] == output) & (t["swing"] > 0)].head(8).iloc[::-1]
            money = output != "compounds_in_deficit"
            scale = (1e4 if zh else 1e6) if money else 1.0
            base = float(t["base"].iloc[0])
            for y, r in enumerate(t.itertuples()):
                for end, colour in ((r.at_low, "#1f77b4"), (r.at_high, "#ff7f0e")):
                    ax.barh(y, (end - base) / scale, left=base / scale, color=colour, height=0.6)
            ax.axvline(base / scale, color="black", lw=1)
            ax.set_yticks(range(len(t)), [figures.input_name(p, lang).strip("`")
                                          for p in t["input"]], fontsize=8)
            ax.xaxis.set_major_formatter(_tick(0 if (zh or not money) else 1, 1.0))
            name = figures.figure_name(output, lang)
            unit = ("（万元/年）" if zh else " [million yuan/year]") if money else ""
            name = re.sub(r"（每年）| \[yuan/year\]", "", name) + unit
            ax.set_title(f"{plan}\n{name}", fontsize=10)
            ax.grid(axis="x", alpha=0.3)
        from matplotlib.patches import Patch

        low = "取范围低值" if zh else "input at its low"
        high = "取范围高值" if zh else "input at its high"
        fig.legend(handles=[Patch(color="#1f77b4", label=low), Patch(color="#ff7f0e", label=high)],
                   loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    return fig


@functools.cache
def _charts() -> dict[str, bytes]:
    import propfee as pf
    from propfee import plot
    from propfee.analysis import ProjectionSettings, project
    from propfee.reserve.report import fund_chart

    street = figures.street()
    budget = figures.budget()
    one = pf.evaluate(pf.Compound(**{k: v for k, v in street.iloc[0].to_dict().items()
                                     if v == v}))
    projection = project(street.head(60), settings=ProjectionSettings(horizon_years=10))
    out: dict[str, bytes] = {}
    for lang in ("en", "zh"):
        drawn = {
            "waterfall": plot.waterfall(one, lang=lang),
            "channel_credit": plot.channel_credit(budget, lang=lang),
            "payers": plot.district_payers(budget, lang=lang),
            "who_pays": plot.who_pays(budget, by="zone", lang=lang, top=20),
            "projection": plot.projection_lines(projection, compounds=["SQ001", "SQ002"],
                                                lang=lang),
            "bundle_map": plot.bundle_map(budget, street, lang=lang),
            "grade_curve": plot.grade_curve(figures.grade_curve(), lang=lang),
            "headline": headline_chart(lang),
            "drivers": drivers_chart(lang),
            "reserve_fund": fund_chart(figures.reserve()[1], figures.reserve()[0], lang=lang),
        }
        for name, fig in drawn.items():
            out[f"assets/charts/{name}_{lang}.png"] = _png(fig)
    return out


@event_priority(-200)  # after mkdocs-static-i18n has chosen the language's files
def on_files(files: Files, config: Any) -> Files:
    for path, content in _charts().items():
        files.append(File.generated(config, path, content=content))
    # Screenshots (img/) serve every language: the Chinese build keeps only its own pages.
    docs = Path(config["docs_dir"])
    for image in sorted((docs / "img").glob("*.png")):
        path = image.relative_to(docs).as_posix()
        if files.get_file_from_path(path) is None:
            files.append(File.generated(config, path, content=image.read_bytes()))
    return files


def _language(page: Any) -> str:
    return "zh" if str(page.file.abs_src_path or "").endswith(".zh.md") else "en"


_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])\n[ \t]*(?=[{_CJK}])")
_FENCED = re.compile(r"^```.*?^```$", re.DOTALL | re.MULTILINE)


def _join_chinese_lines(markdown: str) -> str:
    """A line break between two Chinese characters is no space in Chinese: Markdown would
    show one, so such lines are joined (outside code blocks)."""
    out, pos = [], 0
    for m in _FENCED.finditer(markdown):
        out.append(_CJK_BREAK.sub("", markdown[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_CJK_BREAK.sub("", markdown[pos:]))
    return "".join(out)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    lang = _language(page)
    if lang == "zh":
        markdown = _join_chinese_lines(markdown)
    markdown = figures.render(markdown, lang, cli=figures.cli_block)
    return figures.run_examples(markdown, page.file.src_uri)


def _math(tex: str, display: str) -> str:
    return convert(html.unescape(tex).strip(), display=display)


def on_page_content(html_text: str, page: Any, config: Any, files: Files) -> str:
    html_text = _BLOCK.sub(lambda m: _math(m.group("tex"), "block"), html_text)
    return _INLINE.sub(lambda m: _math(m.group("tex"), "inline"), html_text)


_ROOT = re.compile(r'href="(?P<root>(?:\.\./)*)assets/stylesheets/main\.')


def on_post_page(output: str, page: Any, config: Any) -> str:
    lang = _language(page)
    output = re.sub(r'<html lang="[\w-]+"', f'<html lang="{lang}"', output, count=1)
    # The language switcher links a page without a translation to the other language's
    # home as "/" or "/zh/": relative links work from a file and under any path.
    found = _ROOT.search(output)
    root = found.group("root") if found else ""
    return re.sub(r'href="/(zh/)?" hreflang="(en|zh)"',
                  lambda m: f'href="{root or "./"}{m.group(1) or ""}" hreflang="{m.group(2)}"',
                  output)
