"""MkDocs hooks of propfee's site.

- ``on_files``: draws the charts the pages show, from the library itself, at build time
  (``assets/charts/<name>_<lang>.png``), so a picture never drifts from the code.
- ``on_page_content``: turns the TeX that ``pymdownx.arithmatex`` marks into MathML, which
  browsers draw natively: no script, no font and nothing from another host.
- ``on_post_page``: serves the pages under ``zh/`` with ``lang="zh"``.
"""

from __future__ import annotations

import html
import io
import re
import warnings
from typing import Any

from latex2mathml.converter import convert
from mkdocs.structure.files import File, Files

_BLOCK = re.compile(r'<div class="arithmatex">\s*\\\[(?P<tex>.*?)\\\]\s*</div>', re.DOTALL)
_INLINE = re.compile(r'<span class="arithmatex">\\\((?P<tex>.*?)\\\)</span>', re.DOTALL)


def _charts() -> dict[str, bytes]:
    import propfee as pf
    from propfee import plot
    from propfee.analysis import ProjectionSettings, project

    street = pf.datasets.sanqiao_like_street()
    budget = pf.evaluate_district(street)
    one = pf.evaluate(pf.Compound(**street.iloc[0].to_dict()))
    projection = project(street.head(60), settings=ProjectionSettings(horizon_years=10))
    out: dict[str, bytes] = {}
    for lang in ("en", "zh"):
        figures = {
            "waterfall": plot.waterfall(one, lang=lang),
            "channel_credit": plot.channel_credit(budget, lang=lang),
            "payers": plot.district_payers(budget, lang=lang),
            "who_pays": plot.who_pays(budget, by="zone", lang=lang, top=20),
            "projection": plot.projection_lines(projection, compounds=["SQ001", "SQ002"],
                                                lang=lang),
            "bundle_map": plot.bundle_map(budget, street, lang=lang),
        }
        for name, fig in figures.items():
            buffer = io.BytesIO()
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # a missing glyph fails the build
                fig.savefig(buffer, format="png", dpi=110)
            out[f"assets/charts/{name}_{lang}.png"] = buffer.getvalue()
    return out


def on_files(files: Files, config: Any) -> Files:
    for path, content in _charts().items():
        files.append(File.generated(config, path, content=content))
    return files


def _math(tex: str, display: str) -> str:
    return convert(html.unescape(tex).strip(), display=display)


def on_page_content(html_text: str, page: Any, config: Any, files: Files) -> str:
    html_text = _BLOCK.sub(lambda m: _math(m.group("tex"), "block"), html_text)
    return _INLINE.sub(lambda m: _math(m.group("tex"), "inline"), html_text)


def on_post_page(output: str, page: Any, config: Any) -> str:
    if page.file.src_uri.startswith("zh/"):
        output = output.replace('<html lang="en"', '<html lang="zh"', 1)
    return output
