"""Charts, the service example, the notebook, JSON Schemas, missing extras."""

from __future__ import annotations

import importlib.util
import json
import pathlib
import sys

import pytest

import propfee as pf

ROOT = pathlib.Path(__file__).resolve().parent.parent
STREET = pf.datasets.sanqiao_like_street().head(24)


def test_charts_render_headless(tmp_path: pathlib.Path) -> None:
    from propfee.analysis import ProjectionSettings, project
    from propfee.plot import bundle_map, projection_lines, waterfall, who_pays

    budget = pf.evaluate_district(STREET)
    one = pf.evaluate(pf.Compound(**{k: v for k, v in STREET.iloc[0].to_dict().items()
                                     if v == v}))  # a row without lifts: no lift households
    figures = {
        "waterfall": waterfall(one),
        "who_pays": who_pays(budget),
        "projection": projection_lines(project(STREET, settings=ProjectionSettings(
            horizon_years=3)), compounds=["SQ001"]),
        "map": bundle_map(budget, STREET),
    }
    for name, fig in figures.items():
        path = tmp_path / f"{name}.png"
        fig.savefig(path)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert path.stat().st_size > 5000


def _service():
    spec = importlib.util.spec_from_file_location("propfee_service", ROOT / "examples" /
                                                  "service.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["propfee_service"] = module  # FastAPI resolves the models' annotations there
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_service_budget_and_422() -> None:
    from fastapi.testclient import TestClient

    client = TestClient(_service().app)
    good = {"compound": {"compound_id": "c1", "households": 100, "floor_area_m2": 10000.0,
                         "build_year": 1990}}
    reply = client.post("/budget", json=good)
    assert reply.status_code == 200
    direct = pf.evaluate(pf.Compound(**good["compound"]))
    assert reply.json()["street_subsidy_yuan"] == direct.street_subsidy_yuan
    bad = {"compound": {**good["compound"], "households": -3, "colour": "red"}}
    reply = client.post("/budget", json=bad)
    assert reply.status_code == 422
    locs = [d["loc"] for d in reply.json()["detail"]]
    assert ["body", "households"] in locs
    assert ["body", "colour"] in locs
    assert reply.json()["detail"][0]["compound_id"] == "c1"
    assert client.post("/baseline", json=good["compound"]).json()["fee_billed_yuan"] == 60000.0


DISTRICT_HTML_TAKES_A_FRAME = (
    "propfee.report.district_html (now propfee.display.district_html) takes the compound "
    "table, no longer the DistrictBudget it took before the rebuild; the example notebook "
    "calls pf.report.district_html(budget, lang='zh') and fails with AttributeError")


def test_district_html_of_a_budget() -> None:
    budget = pf.evaluate_district(STREET.head(3))
    assert pf.report.district_html(budget.compounds) == budget._repr_html_()
    assert pf.report.district_html(budget, lang="zh") == pf.report.district_html(
        budget.compounds, lang="zh")


def test_example_notebook_runs() -> None:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "examples" / "street_budget.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert any("text/html" in o.get("data", {}) for o in outputs)
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 4  # charts inline
    assert any("资金池余额" in o.get("data", {}).get("text/html", "") for o in outputs)
    assert not [o for o in outputs if o.get("output_type") == "error"]


def test_json_schemas() -> None:
    from propfee.schemas import json_schemas

    schemas = json_schemas()
    assert schemas["compound"]["properties"]["households"]["exclusiveMinimum"] == 0
    assert "self_governance" in schemas["plan"]["properties"]
    json.dumps(schemas)



def test_schema_descriptions_are_plain_text() -> None:
    """A model's description is its docstring's summary; each property takes its entry of
    the Attributes section; no Sphinx role, double backquote, doctest or section rule."""
    import re

    from propfee.schemas import _walk, json_schemas

    schemas = json_schemas()
    device = schemas["plan"]["$defs"]["Device"]
    assert device["description"] == (
        "A kind of smart device installed in every compound of the plan.")
    assert device["properties"]["units_per_basis"]["description"] == (
        "Units per basis item. [units]")
    assert device["properties"]["name"]["description"] == (
        "Device name (access_control, cameras...).")
    for name, schema in schemas.items():
        for node in _walk(schema):
            text = node.get("description")
            if isinstance(text, str):
                assert not re.search(r":\w+:`|``|>>>|\n-{3,}", text), (name, text[:80])

def test_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from propfee._optional import require
    from propfee.errors import MissingExtraError

    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'propfee\[plot\]'"):
        require("matplotlib.figure", feature="charts", extra="plot")
