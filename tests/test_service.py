"""The service example under hostile requests and a bounded mixed load on 127.0.0.1."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
uvicorn = pytest.importorskip("uvicorn")

import runpy  # noqa: E402

SERVICE = runpy.run_path(str(Path(__file__).resolve().parent.parent / "examples" / "service.py"))
app = SERVICE["app"]
MAX_BODY = SERVICE["MAX_BODY_BYTES"]

COMPOUND = {"compound_id": "c1", "households": 100, "floor_area_m2": 10000.0,
            "build_year": 1990}


def _body(compound: dict[str, Any] | str) -> bytes:
    text = compound if isinstance(compound, str) else json.dumps({"compound": compound})
    return text.encode()


HOSTILE: list[tuple[str, bytes]] = [
    ("/budget", b'{"compound": {"compound_id": "c", "households": NaN, "floor_area_m2": 1e4, '
                b'"build_year": 1990}}'),
    ("/budget", b'{"compound": {"compound_id": "c", "households": 100, '
                b'"floor_area_m2": Infinity, "build_year": 1990}}'),
    ("/budget", b'{"compound": {"compound_id": "c", "households": 100, '
                b'"floor_area_m2": -Infinity, "build_year": 1990}}'),
    ("/budget", _body({**COMPOUND, "floor_area_m2": 1e308})),
    ("/budget", _body('{"compound": {"compound_id": "c", "households": 100, '
                      '"floor_area_m2": 1e999, "build_year": 1990}}')),
    ("/budget", _body({**COMPOUND, "households": 10**15})),
    ("/budget", _body({**COMPOUND, "households": 10**400})),
    ("/budget", _body({**COMPOUND, "fee_rate_yuan_per_m2_month": 1e300})),
    ("/budget", _body({**COMPOUND, "name": "x" * 100_000})),
    ("/budget", _body({**COMPOUND, "name": "\x00"})),
    ("/budget", _body({**COMPOUND, "compound_id": "   "})),
    ("/budget", b"{"),
    ("/budget", b"[]"),
    ("/budget", b"null"),
    ("/budget", b"\xff\xfe\x00"),
    ("/budget", b"[" * 100_000),
    ("/budget", json.dumps({"compound": COMPOUND, "plan": {"nonsense": 1}}).encode()),
    ("/budget", json.dumps({"compound": COMPOUND, "extra": 1}).encode()),
    ("/baseline", json.dumps({**COMPOUND, "collection_rate": 2}).encode()),
    ("/baseline", json.dumps({**COMPOUND, "households": "many"}).encode()),
    ("/baseline", b'{"compound_id": "c", "households": 100, "floor_area_m2": NaN, '
                  b'"build_year": 1990}'),
]


@pytest.mark.parametrize(("path", "body"), HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_requests_answer_422_and_do_not_echo(path: str, body: bytes) -> None:
    from fastapi.testclient import TestClient

    reply = TestClient(app).post(path, content=body,
                                 headers={"content-type": "application/json"})
    assert reply.status_code == 422, reply.text[:300]
    assert len(reply.content) < 5000  # a 100 kB input is not sent back


def test_size_limit() -> None:
    from fastapi.testclient import TestClient

    big = json.dumps({"compound": {**COMPOUND, "name": "x" * MAX_BODY}}).encode()
    reply = TestClient(app).post("/budget", content=big)
    assert reply.status_code == 413
    assert len(reply.content) < 500


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="error", lifespan="off", backlog=256)
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    yield port
    instance.should_exit = True
    thread.join(timeout=10)
    sock.close()


def _post(port: int, path: str, body: bytes) -> int | str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", path, body=body, headers={"content-type": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.status
    except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected) as exc:
        return type(exc).__name__
    finally:
        connection.close()


def test_mixed_load_has_no_500_and_no_reset(server: int) -> None:
    """240 requests, 8 at a time: valid bodies get 200, hostile ones 422/413; none fail."""
    valid = [("/budget", _body({**COMPOUND, "compound_id": f"c{i}", "households": 50 + i}))
             for i in range(10)]
    oversized = [("/budget", b'{"compound": "' + b"x" * (MAX_BODY + 10) + b'"}')]
    requests = [(valid + HOSTILE + oversized)[i % (len(valid) + len(HOSTILE) + 1)]
                for i in range(240)]
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda r: _post(server, *r), requests))
    counts = Counter(statuses)
    assert set(counts) <= {200, 413, 422}, counts
    expected_ok = sum(1 for r in requests if r in valid)
    assert counts[200] == expected_ok


def test_budget_with_and_without_channel_credit() -> None:
    """The budget is the same either way; ``contributions: true`` adds the five channel
    credits, which add up to the pool balance minus the market baseline's balance (the
    balance with no channel on)."""
    from fastapi.testclient import TestClient

    import propfee as pf

    client = TestClient(app)
    plain = client.post("/budget", json={"compound": COMPOUND}).json()
    credit = client.post("/budget", json={"compound": COMPOUND, "contributions": True}).json()
    expected = pf.evaluate(pf.Compound(**COMPOUND), contributions=True)
    assert plain["contributions"] == {}
    assert credit["contributions"] == expected.contributions
    assert set(credit["contributions"]) == set(pf.budget.CREDIT_CHANNELS)
    assert {k: v for k, v in credit.items() if k != "contributions"} == {
        k: v for k, v in plain.items() if k != "contributions"}
    assert plain["street_subsidy_yuan"] == expected.street_subsidy_yuan
    base = pf.evaluate_district(pf.validate_compounds(pf.Compound(**COMPOUND)),
                                contributions=True).compounds.iloc[0]
    total_fen = sum(round(v * 100) for v in credit["contributions"].values())
    assert total_fen == round((base["pool_balance_yuan"]
                               - base["market_baseline_balance_yuan"]) * 100)


def test_requests_that_arrive_together_are_evaluated_together(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Twelve requests sent at once: those with the same plan and credit option go through
    one kernel run each, and every answer equals its compound evaluated alone. A request
    whose plan names a compound it does not send fails alone (422); the others in its
    turn of the loop are answered."""
    import asyncio

    import httpx2 as httpx

    import propfee as pf

    runs: list[int] = []
    many = pf.evaluate_many

    def counted(compounds, *args, **kwargs):  # type: ignore[no-untyped-def]
        runs.append(len(compounds))
        return many(compounds, *args, **kwargs)

    monkeypatch.setattr(pf, "evaluate_many", counted)
    staffed = pf.named_plan("shared_staffed")
    default = pf.default_plan()
    explicit = default.model_copy(update={"shared_property": default.shared_property.model_copy(
        update={"bundle_by": "explicit",
                "bundles": (pf.channels.Bundle(bundle_id="B", members=("nobody",)),)})})
    compounds = [{**COMPOUND, "compound_id": f"c{i}", "households": 40 + 10 * i}
                 for i in range(12)]
    bodies = [{"compound": c} for c in compounds[:6]]
    bodies += [{"compound": c, "plan": staffed.model_dump(mode="json")} for c in compounds[6:9]]
    bodies += [{"compound": c, "contributions": True} for c in compounds[9:11]]
    bodies += [{"compound": compounds[11], "plan": explicit.model_dump(mode="json")}]

    async def send_all() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await asyncio.gather(*(client.post("/budget", json=b) for b in bodies))

    replies = asyncio.run(send_all())
    assert [r.status_code for r in replies] == [200] * 11 + [422]
    assert "bundle member is not in the compound table" in replies[11].text
    assert sorted(runs) == [1, 2, 3, 6]  # one run per plan and option; the bad one alone
    for body, reply in zip(bodies[:11], replies[:11], strict=True):
        plan = staffed if "plan" in body else None
        expected = pf.evaluate(pf.Compound(**body["compound"]), plan,
                               contributions=body.get("contributions", False))
        assert reply.json() == json.loads(expected.model_dump_json())


def _send_together(bodies: list[dict[str, Any]]) -> list[Any]:
    import asyncio

    import httpx2 as httpx

    async def send_all() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await asyncio.wait_for(  # a request left waiting fails, not hangs
                asyncio.gather(*(client.post("/budget", json=b) for b in bodies)), 60)

    return asyncio.run(send_all())


def test_a_failing_group_of_several_answers_each_and_spares_the_others() -> None:
    """Three requests under a plan naming a compound none of them sends fail together,
    then one by one: each answers 422; the two default requests beside them answer 200."""
    import propfee as pf

    default = pf.default_plan()
    explicit = default.model_copy(update={"shared_property": default.shared_property.model_copy(
        update={"bundle_by": "explicit",
                "bundles": (pf.channels.Bundle(bundle_id="B", members=("nobody",)),)})})
    bodies = [{"compound": {**COMPOUND, "compound_id": f"c{i}"},
               **({"plan": explicit.model_dump(mode="json")} if i % 2 else {})}
              for i in range(5)]  # c1 and c3 under the bad plan... and c0, c2, c4 not
    bodies.append({"compound": {**COMPOUND, "compound_id": "c5"},
                   "plan": explicit.model_dump(mode="json")})
    replies = _send_together(bodies)
    assert [r.status_code for r in replies] == [200, 422, 200, 422, 200, 422]
    assert all("nobody" in r.text for r in replies if r.status_code == 422)


def test_no_request_is_left_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the batch itself breaks, every request of it is answered (500), none hangs."""
    def broken(members: list[Any]) -> None:
        raise KeyError("broken")

    monkeypatch.setitem(SERVICE["_Batch"]._run.__globals__, "_evaluate_together", broken)
    replies = _send_together([{"compound": {**COMPOUND, "compound_id": f"c{i}"}}
                              for i in range(4)])
    assert [r.status_code for r in replies] == [500] * 4


# --- Generated requests: never a 500 ---------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_LEAVES = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([10**400, -(10**400), 2**63, 2**64, -(2**63) - 1, 0, -1, 1]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e308, -1e308, 5e-324, 1e-310, 1e17, 1e300, 1e12, 1e12 + 1, -0.0]),
    st.text(max_size=12),
    st.sampled_from(["\ud800", "a\udfff", "\x00", "=1+1", "x" * 5000, "１２０", "120户", ""]),
)
_JSON = st.recursive(_LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _paths(item, (*prefix, i))
    return out


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, *rest = path
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _replaced(value[head], tuple(rest), new)
    return copy


@st.composite
def _requests(draw: st.DrawFn) -> tuple[str, Any]:
    """A valid request (with or without a plan) with one part replaced by anything JSON
    can hold, or a schema-shaped compound of arbitrary values, or any JSON at all."""
    import propfee as pf

    kind = draw(st.sampled_from(["mutate", "mutate", "fields", "any"]))
    if kind == "any":
        return draw(st.sampled_from(["/budget", "/baseline"])), draw(_JSON)
    if kind == "fields":  # every property of the compound schema, any value
        properties = pf.Compound.model_json_schema()["properties"]
        compound = {name: draw(_LEAVES) for name in properties if draw(st.booleans())}
        return "/baseline", compound
    body: dict[str, Any] = {"compound": dict(COMPOUND)}
    if draw(st.booleans()):
        body["plan"] = _PLAN
    if draw(st.booleans()):
        body["contributions"] = True
    path = draw(st.sampled_from(_paths(body)))
    return "/budget", _replaced(body, path, draw(_JSON))


def _plan_json() -> dict[str, Any]:
    import propfee as pf

    return pf.default_plan().model_dump(mode="json")


_PLAN = _plan_json()


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(request=_requests())
def test_generated_requests_never_answer_500(request: tuple[str, Any]) -> None:
    """Anything a JSON parser accepts (generated from the compound's schema, from a valid
    request with one part replaced, or at random) answers 200, 4xx or 413, never 500."""
    import warnings

    from fastapi.testclient import TestClient

    path, body = request
    content = json.dumps(body, allow_nan=False).encode("utf-8", "surrogatepass")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no NumPy overflow warning leaks from a request
        reply = TestClient(app, raise_server_exceptions=False).post(
            path, content=content, headers={"content-type": "application/json"})
    assert reply.status_code in (200, 413, 422), (reply.status_code, reply.text[:300])
    if reply.status_code == 422:
        assert len(reply.content) < 20_000
        reply.json()  # the answer is valid JSON, whatever the request held


@pytest.mark.parametrize(("body", "loc", "fragment"), [
    (json.dumps({"compound": {**COMPOUND, "compound_id": "\ud800"}}).encode(),
     ["body", "compound", "compound_id"], "lone surrogate"),
    (b'{"compound": {"compound_id": "c", "households": 100, "floor_area_m2": 1e4, '
     b'"build_year": 1990, "name": "\\udfff"}}', ["body", "compound", "name"], "lone surrogate"),
    (json.dumps({"compound": COMPOUND, "plan": {**_PLAN, "shared_property": {
        **_PLAN["shared_property"], "fixed_fee_yuan_per_bundle_year": 1e300}}}).encode(),
     ["body", "plan", "shared_property", "fixed_fee_yuan_per_bundle_year"], "larger than 1e+12"),
    (json.dumps({"compound": {**COMPOUND, "households": 10**400}}).encode(),
     ["body", "compound", "households"], "larger than 1e+12"),
])
def test_surrogates_and_huge_numbers_answer_422_naming_the_path(body: bytes, loc: list[str],
                                                                fragment: str) -> None:
    from fastapi.testclient import TestClient

    reply = TestClient(app, raise_server_exceptions=False).post(
        "/budget", content=body, headers={"content-type": "application/json"})
    assert reply.status_code == 422, reply.text[:300]
    (detail,) = reply.json()["detail"]
    assert detail["loc"] == loc
    assert fragment in detail["msg"]
