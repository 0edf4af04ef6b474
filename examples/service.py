"""A small web service that returns 4+1 budgets, validating requests with propfee's models.

Run: pip install ".[service]" && uvicorn examples.service:app   (or: python examples/service.py)
POST /budget  {"compound": {...}, "plan": {...optional...}, "contributions": false}
                                                           -> the compound's 4+1 budget
POST /baseline {...compound...}                            -> its stand-alone market baseline

``contributions: true`` adds each channel's credit (its Shapley value over the five
channels), which takes the kernel over 32 copies of the compound: about twice the time of
the budget alone, so a service asks for it only where it shows it.

Bad input answers 422 with the path of every bad field; values are cut to 100
characters, so an error never echoes a large input back. The body is read as strict
JSON: ``NaN``, ``Infinity`` and numbers beyond the float range are refused (422). A
body over ``MAX_BODY_BYTES`` answers 413; it is read to its end first (up to
``DRAIN_LIMIT_BYTES``), so the client is never cut off mid-request.
"""

from __future__ import annotations

import gc
import json
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, ValidationError

import propfee as pf
from propfee.errors import InputError

MAX_BODY_BYTES = 256 * 1024
"""Largest request body accepted [bytes]; one compound and a plan take a few kB."""
DRAIN_LIMIT_BYTES = 64 * 1024 * 1024
"""A larger declared body is refused at once, without reading it [bytes]."""
_CUT = 100

app = FastAPI(title="propfee", description="Budgets of old residential compounds (四管一补).")


class BudgetRequest(BaseModel):
    """A compound, optionally the plan to evaluate it under, and whether to add the
    channel credit."""

    model_config = ConfigDict(extra="forbid")

    compound: pf.Compound
    plan: pf.Plan | None = None
    contributions: bool = False


class BadRequestError(Exception):
    """A request refused before validation (size, JSON syntax)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _short(value: Any) -> Any:
    """A value safe to send back: scalars cut to 100 characters, containers described."""
    if value is None or isinstance(value, bool | int):
        return value if not isinstance(value, int) or abs(value) < 10**15 else _cut(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict | list | tuple):
        return f"<{type(value).__name__} of {len(value)} items>"
    return _cut(value)


def _cut(value: Any) -> str:
    text = str(value)
    return text if len(text) <= _CUT else f"{text[:_CUT]}... ({len(text):,} characters)"


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {_cut(text)}")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


async def _body(request: Request) -> Any:
    """The request body as strict JSON, within the size limit."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > DRAIN_LIMIT_BYTES:
        raise BadRequestError(413, f"request body over {MAX_BODY_BYTES:,} bytes")
    size, chunks = 0, []
    async for chunk in request.stream():
        size += len(chunk)
        if size <= MAX_BODY_BYTES:
            chunks.append(chunk)
        elif size > DRAIN_LIMIT_BYTES:
            break
    if size > MAX_BODY_BYTES:
        raise BadRequestError(413, f"request body over {MAX_BODY_BYTES:,} bytes")
    try:
        return json.loads(b"".join(chunks), parse_float=_finite, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and bad UTF-8 are ValueErrors
        raise BadRequestError(422, f"not valid JSON: {_cut(exc)}") from None


def _json(result: BaseModel) -> Response:
    """A result as JSON, serialised by pydantic; a non-finite float (a break-even rate
    that cannot be reached) is written as null (JSON has no NaN)."""
    return Response(result.model_dump_json(), media_type="application/json")


@app.exception_handler(BadRequestError)
async def _bad_request(request: Request, exc: BadRequestError) -> JSONResponse:
    return JSONResponse(status_code=exc.status, content={"detail": [{"msg": str(exc)}]})


@app.exception_handler(InputError)
async def _input_error(request: Request, exc: InputError) -> JSONResponse:
    detail = [{"loc": ["body", *p.field.split(".")], "msg": p.message,
               "input": _short(p.value), "compound_id": _short(p.row)}
              for p in exc.problems[:50]]
    return JSONResponse(status_code=422, content={"detail": detail})


@app.exception_handler(ValidationError)
@app.exception_handler(RequestValidationError)
async def _validation_error(request: Request, exc: Any) -> JSONResponse:
    detail = [{"loc": ["body", *map(str, e["loc"])], "msg": e["msg"],
               "input": _short(e.get("input"))} for e in exc.errors()[:50]]
    return JSONResponse(status_code=422, content={"detail": detail})


@app.post("/budget")
async def budget(request: Request) -> JSONResponse:
    """The 4+1 budget of one compound (see propfee.BudgetResult)."""
    parsed = BudgetRequest.model_validate(await _body(request))
    # About a millisecond of arithmetic: run in the event loop, as handing it to a thread
    # would cost more than it takes.
    return _json(pf.evaluate(parsed.compound, parsed.plan,
                             contributions=parsed.contributions))


@app.post("/baseline")
async def baseline(request: Request) -> JSONResponse:
    """The stand-alone market baseline of one compound (see propfee.BaselineResult)."""
    compound = pf.Compound.model_validate(await _body(request))
    return _json(pf.market_baseline(compound))


# Everything made at start-up (modules, models, the default plan) lives as long as the
# service: moved out of the collector's view, a full collection no longer walks it, which
# keeps the slowest answers close to the typical ones.
gc.freeze()


if __name__ == "__main__":
    from fastapi.testclient import TestClient

    client = TestClient(app)
    reply = client.post("/budget", json={"compound": {
        "compound_id": "c1", "households": 100, "floor_area_m2": 10000.0, "build_year": 1990}})
    print(reply.status_code, {k: reply.json()[k] for k in ("street_subsidy_yuan", "by_payer")})
