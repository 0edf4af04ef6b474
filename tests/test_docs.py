"""Every Python code block of the README and the docs runs.

Blocks of one page share a namespace, as in a notebook.
"""

from __future__ import annotations

import pathlib

import pytest
from mktestdocs import check_md_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_code_blocks_run(page: pathlib.Path) -> None:
    check_md_file(fpath=page, memory=True)


def test_glossary_names_every_compound_column_and_plan_field() -> None:
    from propfee.compound import COMPOUND_COLUMNS
    from propfee.plan import default_plan, override_paths

    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    missing = [c.name for c in COMPOUND_COLUMNS if f"`{c.name}`" not in glossary]
    fields = {path.rsplit(".", 1)[1] for path in override_paths(default_plan())}
    missing += [f for f in sorted(fields) if f"`{f}`" not in glossary]
    assert not missing, f"add to docs/glossary.md: {missing}"


def test_every_module_has_a_reference_page() -> None:
    import pkgutil

    import propfee

    reference = "".join(p.read_text(encoding="utf-8")
                        for p in (ROOT / "docs" / "reference").glob("*.md"))
    modules = [m.name for m in pkgutil.walk_packages(propfee.__path__, "propfee.")
               if not m.ispkg and m.name != "propfee.cli" and "._" not in m.name]
    missing = [m for m in modules if f"::: {m}" not in reference]
    assert not missing, f"add to docs/reference: {missing}"
