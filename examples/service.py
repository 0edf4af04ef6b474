"""A small web service that returns 4+1 budgets, validating requests with propfee's models.

Run: pip install ".[service]" && uvicorn examples.service:app   (or: python examples/service.py)
POST /budget  {"compound": {...}, "plan": {...optional...}, "contributions": false}
                                                           -> the compound's 4+1 budget
POST /baseline {...compound...}                            -> its stand-alone market baseline

``contributions: true`` adds each channel's credit (its Shapley value over the five
channels), which takes the kernel over 32 copies of the compound: about one and a half
times the time of the budget alone, so a service asks for it only where it shows it.

Budget requests that arrive together are evaluated together (:class:`_Batch`): those with
the same plan and credit option go through one kernel run (``propfee.evaluate_many``,
equal to evaluating each compound alone), with no timer to wait for.

Bad input answers 422 with the path of every bad field; values are cut to 100
characters, so an error never echoes a large input back. The body is read as strict
JSON: ``NaN``, ``Infinity``, numbers beyond ``MAX_NUMBER`` in size (no field of a
compound or a plan needs one; a price of 1e300 is a typo) and text holding a lone
surrogate (``"\ud800"``, which no UTF-8 answer can carry) are refused (422) naming
their path; amounts that grow too large to round to the fen answer 422 too. Every
input a JSON parser accepts answers 200, 4xx or 413, never 500. A body over
``MAX_BODY_BYTES`` answers 413; it is read to its end first (up to
``DRAIN_LIMIT_BYTES``), so the client is never cut off mid-request.
"""

from __future__ import annotations

import asyncio
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
MAX_NUMBER = 1e12
"""Largest number in size a request may hold; compound fields stop at 1e8. [1]"""
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

    def __init__(self, status: int, message: str, loc: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.loc = loc


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
    text = str(value).encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates
    return text if len(text) <= _CUT else f"{text[:_CUT]}... ({len(text):,} characters)"


def _refused(data: Any) -> tuple[list[str], str] | None:
    """The path and reason of the first number or text a request may not hold, if any."""
    stack: list[tuple[list[str], Any]] = [(["body"], data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return path, f"text holding a lone surrogate: {_cut(value)!r}"
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int | float) and abs(value) > MAX_NUMBER:
            return path, f"a number larger than {MAX_NUMBER:g} in size: {_cut(value)}"
        elif isinstance(value, dict):
            for key, item in value.items():
                try:
                    key.encode("utf-8")
                except UnicodeEncodeError:
                    return path, f"a key holding a lone surrogate: {_cut(key)!r}"
                stack.append(([*path, key], item))
        elif isinstance(value, list):
            stack.extend(([*path, str(i)], item) for i, item in enumerate(value))
    return None


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
        data = json.loads(b"".join(chunks), parse_float=_finite, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and bad UTF-8 are ValueErrors
        raise BadRequestError(422, f"not valid JSON: {_cut(exc)}") from None
    refused = _refused(data)
    if refused is not None:
        raise BadRequestError(422, refused[1], loc=refused[0])
    return data


def _json(result: BaseModel) -> Response:
    """A result as JSON, serialised by pydantic; a non-finite float (a break-even rate
    that cannot be reached) is written as null (JSON has no NaN)."""
    return Response(result.model_dump_json(), media_type="application/json")


@app.exception_handler(BadRequestError)
async def _bad_request(request: Request, exc: BadRequestError) -> JSONResponse:
    detail: dict[str, Any] = {"msg": _cut(exc)}
    if exc.loc is not None:
        detail["loc"] = [_cut(part) for part in exc.loc]
    return JSONResponse(status_code=exc.status, content={"detail": [detail]})


@app.exception_handler(OverflowError)
@app.exception_handler(FloatingPointError)
@app.exception_handler(ValueError)
async def _too_large(request: Request, exc: Exception) -> Response:
    """Amounts a plan makes too large to round to the fen (money refuses them) are bad
    input; any other ValueError is a bug and stays a 500."""
    if isinstance(exc, ValueError) and not str(exc).startswith("cannot round"):
        return JSONResponse(status_code=500, content={"detail": "internal error"})
    return JSONResponse(status_code=422, content={"detail": [{
        "msg": f"the amounts are too large to compute to the fen: {_cut(exc)}"}]})


@app.exception_handler(InputError)
async def _input_error(request: Request, exc: InputError) -> JSONResponse:
    detail = [{"loc": ["body", *map(_cut, p.field.split("."))], "msg": _cut(p.message),
               "input": _short(p.value), "compound_id": _short(p.row)}
              for p in exc.problems[:50]]
    return JSONResponse(status_code=422, content={"detail": detail})


@app.exception_handler(ValidationError)
@app.exception_handler(RequestValidationError)
async def _validation_error(request: Request, exc: Any) -> JSONResponse:
    detail = [{"loc": ["body", *map(_cut, e["loc"])], "msg": _cut(e["msg"]),
               "input": _short(e.get("input"))} for e in exc.errors()[:50]]
    return JSONResponse(status_code=422, content={"detail": detail})


class _Batch:
    """Budget requests that arrive together, evaluated together.

    A request waits for no timer: the first one of an idle moment schedules a run at
    its event loop's next turn, and every request that reaches that loop before then
    joins it. Those with the same plan and credit option go through one kernel run
    (:func:`propfee.evaluate_many`, equal to evaluating each alone); if that run fails,
    each compound is evaluated alone, so one request's error is its own. Whatever goes
    wrong, every request of a run is answered (a result or an error), and each event
    loop (one per thread) gathers its own requests.
    """

    def __init__(self) -> None:
        self._pending: dict[asyncio.AbstractEventLoop, list[_Waiting]] = {}

    def submit(self, compound: pf.Compound, plan: pf.Plan | None,
               contributions: bool) -> asyncio.Future[pf.BudgetResult]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[pf.BudgetResult] = loop.create_future()
        waiting = self._pending.setdefault(loop, [])
        if not waiting:
            loop.call_soon(self._run, loop)
        waiting.append((plan, contributions, compound, future))
        return future

    def _run(self, loop: asyncio.AbstractEventLoop) -> None:
        pending = self._pending.pop(loop, [])
        try:
            groups: dict[tuple[str | None, bool], list[_Waiting]] = {}
            for item in pending:
                plan, contributions = item[0], item[1]
                key = None if plan is None else plan.model_dump_json()
                groups.setdefault((key, contributions), []).append(item)
            for members in groups.values():
                _evaluate_together(members)
        finally:  # nothing left waiting, whatever happened above
            for *_, future in pending:
                if not future.done():
                    future.set_exception(RuntimeError("the budget was not computed"))


_Waiting = tuple[pf.Plan | None, bool, pf.Compound, "asyncio.Future[pf.BudgetResult]"]
"""A request in a batch: its plan, credit option, compound and the answer it waits for."""


def _evaluate_together(members: list[_Waiting]) -> None:
    """Settle requests of one plan and credit option from one kernel run, or one by one
    if that run fails."""
    plan, contributions = members[0][0], members[0][1]
    try:
        results = pf.evaluate_many([m[2] for m in members], plan,
                                   contributions=contributions)
    except Exception:
        for _, _, compound, future in members:
            _alone(future, compound, plan, contributions)
        return
    for (*_, future), result in zip(members, results, strict=True):
        if not future.done():  # a client that left has cancelled its request
            future.set_result(result)


def _alone(future: asyncio.Future[pf.BudgetResult], compound: pf.Compound,
           plan: pf.Plan | None, contributions: bool) -> None:
    """Settle a request with the budget of its compound alone, or with its error."""
    if future.done():
        return
    try:
        future.set_result(pf.evaluate(compound, plan, contributions=contributions))
    except Exception as exc:
        future.set_exception(exc)


_BATCH = _Batch()


@app.post("/budget")
async def budget(request: Request) -> Response:
    """The 4+1 budget of one compound (see propfee.BudgetResult)."""
    parsed = BudgetRequest.model_validate(await _body(request))
    # About a millisecond of arithmetic alone, a fifth of that with the requests that
    # arrive with it: computed in the event loop, as a thread hand-off costs more.
    return _json(await _BATCH.submit(parsed.compound, parsed.plan, parsed.contributions))


@app.post("/baseline")
async def baseline(request: Request) -> Response:
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
