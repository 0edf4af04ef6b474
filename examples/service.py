"""A small web service that returns 4+1 budgets, validating requests with propfee's models.

Run: pip install ".[service]" && uvicorn examples.service:app   (or: python examples/service.py)
POST /budget  {"compound": {...}, "plan": {...optional...}}  -> the compound's 4+1 budget
POST /baseline {...compound...}                            -> its stand-alone market baseline
Bad input answers 422 with the path of every bad field.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

import propfee as pf
from propfee.errors import InputError

app = FastAPI(title="propfee", description="Budgets of old residential compounds (四管一补).")


class BudgetRequest(BaseModel):
    """A compound and, optionally, the plan to evaluate it under."""

    model_config = ConfigDict(extra="forbid")

    compound: pf.Compound
    plan: pf.Plan | None = None


@app.exception_handler(InputError)
async def _input_error(request: Request, exc: InputError) -> JSONResponse:
    detail = [{"loc": ["body", *p.field.split(".")], "msg": p.message,
               "input": p.value if isinstance(p.value, str | int | float | None) else str(p.value),
               "compound_id": p.row} for p in exc.problems]
    return JSONResponse(status_code=422, content={"detail": detail})


@app.post("/budget")
def budget(request: BudgetRequest) -> dict[str, Any]:
    """The 4+1 budget of one compound (see propfee.BudgetResult)."""
    return pf.evaluate(request.compound, request.plan).model_dump()


@app.post("/baseline")
def baseline(compound: pf.Compound) -> dict[str, Any]:
    """The stand-alone market baseline of one compound (see propfee.BaselineResult)."""
    return pf.market_baseline(compound).model_dump()


if __name__ == "__main__":
    from fastapi.testclient import TestClient

    client = TestClient(app)
    reply = client.post("/budget", json={"compound": {
        "compound_id": "c1", "households": 100, "floor_area_m2": 10000.0, "build_year": 1990}})
    print(reply.status_code, {k: reply.json()[k] for k in ("street_subsidy_yuan", "by_payer")})
