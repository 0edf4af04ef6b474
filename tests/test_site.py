"""The built docs site: math rendered, roles resolved, Chinese pages in Chinese (under zh/,
with a language switcher that works from a file), charts and figures from the library, every
relative link resolving, and nothing loaded from another host."""

from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

pytest.importorskip("mkdocs")
pytest.importorskip("latex2mathml")


class _Loads(HTMLParser):
    """Every URL a page loads (script, stylesheet, image, frame, media), not links."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.html_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        keys = {"script": "src", "img": "src", "iframe": "src", "source": "src",
                "video": "src", "audio": "src", "embed": "src", "link": "href"}
        if tag in keys and a.get(keys[tag]):
            if tag == "link" and (a.get("rel") or "") in ("canonical", "alternate"):
                return
            self.urls.append(str(a[keys[tag]]))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
                           str(out)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    yield out
    shutil.rmtree(out, ignore_errors=True)


def _pages(site: pathlib.Path) -> list[pathlib.Path]:
    return sorted(site.rglob("*.html"))


def test_no_raw_tex_or_roles(site: pathlib.Path) -> None:
    bad = {}
    for page in _pages(site):
        text = page.read_text(encoding="utf-8")
        found = [s for s in (":func:", ":class:", ":data:", ":meth:", ":attr:", "\\[", "\\(")
                 if s in text]
        if found:
            bad[str(page.relative_to(site))] = found
    assert not bad


def test_math_is_mathml(site: pathlib.Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in home
    assert "<mtext>60,000</mtext>" in home
    assert "<math" in (site / "concepts" / "bundling" / "index.html").read_text(encoding="utf-8")


def test_roles_became_links(site: pathlib.Path) -> None:
    budget = (site / "reference" / "budget" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="autorefs[^"]*"[^>]*href="[^"]*#propfee\.[\w.]+"><code>', budget)


def test_nothing_loaded_from_another_host(site: pathlib.Path) -> None:
    outside = {}
    for page in _pages(site):
        parser = _Loads()
        parser.feed(page.read_text(encoding="utf-8"))
        urls = [u for u in parser.urls if re.match(r"^(https?:)?//", u)]
        if urls:
            outside[str(page.relative_to(site))] = urls
    assert not outside
    css = " ".join(p.read_text(encoding="utf-8") for p in site.rglob("*.css"))
    assert "fonts.googleapis.com" not in css
    assert "@import url(http" not in css


def test_chinese_pages_in_chinese(site: pathlib.Path) -> None:
    for page in ("zh/getting-started", "zh/concepts/four-plus-one", "zh/commands/evaluate"):
        parser = _Loads()
        parser.feed((site / page / "index.html").read_text(encoding="utf-8"))
        assert parser.html_lang == "zh", page
    parser = _Loads()
    parser.feed((site / "index.html").read_text(encoding="utf-8"))
    assert parser.html_lang == "en"
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "zh" in index["config"]["lang"]
    assert any("快速入门" in doc["title"].replace("\u200b", "")
               and doc["location"].startswith("zh/") for doc in index["docs"])
    # Chinese text is cut into words for the index (zero-width spaces between them).
    assert any("\u200b小区\u200b" in doc["text"] for doc in index["docs"])


def test_charts_built_from_the_library(site: pathlib.Path) -> None:
    charts = site / "assets" / "charts"
    for name in ("waterfall", "channel_credit", "payers", "who_pays", "projection",
                 "bundle_map", "grade_curve", "headline", "drivers", "reserve_fund"):
        for lang in ("en", "zh"):
            assert (charts / f"{name}_{lang}.png").read_bytes()[:4] == b"\x89PNG"
    pages = {"concepts/four-plus-one": ["channel_credit_en.png", "headline_en.png",
                                        "drivers_en.png"],
             "concepts/bundling": ["bundle_map_en.png"],
             "concepts/planning": ["projection_en.png"],
             "concepts/service-grades": ["grade_curve_en.png"],
             "how-to/bundle-a-street": ["who_pays_en.png"],
             "how-to/defend-the-headline": ["headline_en.png", "drivers_en.png"],
             "zh/getting-started": ["channel_credit_zh.png"],
             "zh/concepts/four-plus-one": ["headline_zh.png", "drivers_zh.png"],
             "zh/how-to/defend-the-headline": ["headline_zh.png"]}
    for page, charts in pages.items():
        text = (site / page / "index.html").read_text(encoding="utf-8")
        for chart in charts:
            assert chart in text, (page, chart)


def test_excel_route_on_home_and_chinese_quick_start(site: pathlib.Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    zh = (site / "zh" / "getting-started" / "index.html").read_text(encoding="utf-8")
    assert "propfee evaluate 小区.xlsx --out 预算.xlsx --labels zh" in home
    assert "propfee evaluate 小区.xlsx --out 预算.xlsx --labels zh" in zh
    assert "propfee template" in zh


class _Links(HTMLParser):
    """Every relative link (``a href``) and source (``img src``) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("href", "src"):
            value = a.get(key) if tag in ("a", "img", "link", "script") else None
            if value and not re.match(r"^([a-z]+:|//|#|/)", value):
                self.targets.append(value)


def test_every_relative_link_resolves(site: pathlib.Path) -> None:
    # The Chinese pages link to English ones across the two sites: a wrong number of "../"
    # is only visible here.
    broken = {}
    for page in _pages(site):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        missing = []
        for target in parser.targets:
            path = target.split("#", 1)[0].split("?", 1)[0]
            if not path:
                continue
            resolved = (page.parent / path).resolve()
            if not (resolved.is_file() or (resolved / "index.html").is_file()):
                missing.append(target)
        if missing:
            broken[str(page.relative_to(site))] = sorted(set(missing))[:5]
    assert not broken


def test_language_switcher_is_relative(site: pathlib.Path) -> None:
    for page in ("index.html", "concepts/bundling/index.html", "zh/index.html",
                 "zh/how-to/dask/index.html"):
        text = (site / page).read_text(encoding="utf-8")
        assert 'hreflang="zh"' in text, page
        assert 'hreflang="en"' in text, page
        assert not re.search(r'href="/[^"]*" hreflang=', text), page


def test_every_how_to_and_command_has_a_chinese_page(site: pathlib.Path) -> None:
    how_to = sorted(p.stem for p in (ROOT / "docs" / "how-to").glob("*.md")
                    if not p.stem.endswith(".zh"))
    commands = ["demo", "evaluate", "template", "bundle", "project", "montecarlo", "reserve",
                "plans", "schema"]
    pages = [f"how-to/{h}" for h in how_to] + [f"commands/{c}" for c in commands]
    missing = [p for p in pages if not (site / "zh" / p / "index.html").is_file()]
    assert not missing
    for command in commands:  # each command page shows the command run at build time
        text = (site / "zh" / "commands" / command / "index.html").read_text(encoding="utf-8")
        assert f"$ propfee {command}" in re.sub(r"<[^>]+>", "", text), command


def test_figures_filled_in(site: pathlib.Path) -> None:
    left = {}
    for page in _pages(site):
        text = page.read_text(encoding="utf-8")
        found = [s for s in ("[[pf:", "pf:output") if s in text]
        if found:
            left[str(page.relative_to(site))] = found
    assert not left
    head = (site / "concepts" / "four-plus-one" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"\d+ \(90%: \d+–\d+\)", head)          # point (90%: low–high)
    assert "depends most on" in head
    assert "measure these first" in head
    zh = (site / "zh" / "concepts" / "four-plus-one" / "index.html").read_text(encoding="utf-8")
    assert "90% 区间" in zh
    assert "万元" in zh
