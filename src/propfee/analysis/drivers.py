"""Why a compound is in deficit: its pool balance split into named drivers.

Each compound is compared with a **reference compound**: the district's median compound,
per household. Per household (all [yuan/(household year)])::

    B   = fee billed / households            C = collection rate
    I   = public income / households         K_g = cash cost of group g / households
    reference: B* = median(B), C* = median(C), I* = median(I), K*_g = median(K_g)
    b*  = B* C* + I* - sum_g K*_g            (the reference balance per household)

A compound's pool balance then splits exactly into the reference balance for its
households and one term per driver (each [yuan/year], positive where it helps)::

    pool balance = households * b*
                   + households * (B - B*) * C*          flat size and fee rate
                   + households * B * (C - C*)           collection
                   + households * (I - I*)               public income
                   - households * (K_g - K*_g)           per cost group g:
                       repairs          the jobs of the catalogue (they grow with age)
                       gate_and_patrol  keeping the gates and walking the rounds
                       lifts            lift care and electricity
                       other_costs      every other cost of the pool: cleaning, greening,
                                        management, running costs, devices (fixed costs
                                        spread over few households weigh here; the
                                        reason says so only of a compound with fewer
                                        households than the median)

Every term is rounded to the fen and the reference term takes what rounding leaves, so
the terms of each compound add up to its pool balance exactly, in fen.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee.budget import DistrictBudget
from propfee.fees import annual_fee_billed_yuan, effective_fee_inputs
from propfee.labels import Language
from propfee.money import fen_to_yuan, yuan_to_fen

__all__ = ["DRIVERS", "deficit_drivers"]

FloatArray = npt.NDArray[np.float64]

DRIVERS: Final = ("flat_size_and_fee_rate", "collection", "public_income", "repairs",
                  "gate_and_patrol", "lifts", "other_costs")
"""The named drivers, in the order of the module formulas."""

_COST_GROUPS: Final = ("repairs", "gate_and_patrol", "lifts", "other_costs")

_WORDS: Final[dict[str, tuple[str, str]]] = {
    "flat_size_and_fee_rate": ("small flats or a low fee rate", "户均面积小或收费标准低"),
    "collection": ("low fee collection", "物业费收缴率低"),
    "public_income": ("little public-resource income", "公共资源收益少"),
    "repairs": ("repairs of ageing buildings", "房屋老化带来的维修"),
    "gate_and_patrol": ("the cost of keeping the gates and patrols", "门岗与巡逻成本"),
    "lifts": ("lift care", "电梯维保"),
    "other_costs": ("fixed costs spread over few households", "固定成本摊到的户数少"),
    "other_costs_large": ("higher running costs per household (cleaning, greening, "
                          "management, devices)",
                          "户均日常运行成本高（保洁、绿化、管理、设备）"),
}
"""Words of each driver; ``other_costs`` of a compound with at least the median number of
households says what it is there (its fixed costs are not spread over few households)."""


def _group(work: str, jobs: frozenset[str]) -> str:
    if work in jobs:
        return "repairs"
    if work in ("gate", "patrol"):
        return "gate_and_patrol"
    if work == "lift":
        return "lifts"
    return "other_costs"


def deficit_drivers(budget: DistrictBudget, *, lang: Language = "en") -> pd.DataFrame:
    """Each compound's pool balance split into the reference and the named drivers.

    Parameters
    ----------
    budget
        Output of :func:`propfee.evaluate_district` (with its lines).
    lang
        Language of the ``reason`` column: ``"en"`` or ``"zh"``.

    Returns
    -------
    pandas.DataFrame
        One row per compound (the budget's order): ``compound_id``, ``pool_balance_yuan``,
        ``reference_yuan`` and ``<driver>_yuan`` for each of :data:`DRIVERS` [yuan/year]
        (the reference and the drivers add up to the pool balance exactly, in fen), and
        ``reason``: the driver that weighs most against the compound and by how much, in
        words (empty where the pool is not in deficit).
    """
    table, _, params = budget._need_inputs("with_lines=True")
    c = budget.compounds
    households = c["households"].to_numpy(dtype=np.float64)
    rate, coll = effective_fee_inputs(table, params)
    billed = annual_fee_billed_yuan(table.array("floor_area_m2"), rate) / households
    income = c["public_income_yuan"].to_numpy() / households
    lines = budget.lines
    cash = lines[lines["payer"] == "fund_pool"]
    jobs = frozenset(params.jobs)
    groups = np.array([_group(str(w), jobs) for w in cash["work"].astype(str)])
    per_group = {g: np.zeros(len(c)) for g in _COST_GROUPS}
    codes = cash["compound_id"].cat.codes.to_numpy()
    amounts = cash["amount_yuan"].to_numpy()
    for g in _COST_GROUPS:
        where = groups == g
        per_group[g] = np.bincount(codes[where], weights=amounts[where],
                                   minlength=len(c)) / households
    b_ref, c_ref, i_ref = np.median(billed), np.median(coll), np.median(income)
    k_ref = {g: float(np.median(v)) for g, v in per_group.items()}
    terms: dict[str, FloatArray] = {
        "flat_size_and_fee_rate": households * (billed - b_ref) * c_ref,
        "collection": households * billed * (coll - c_ref),
        "public_income": households * (income - i_ref),
        **{g: -households * (per_group[g] - k_ref[g]) for g in _COST_GROUPS},
    }
    balance_fen = yuan_to_fen(c["pool_balance_yuan"].to_numpy())
    fen = {name: yuan_to_fen(v) for name, v in terms.items()}
    reference = balance_fen - sum(fen.values(), start=np.zeros(len(c), dtype=np.int64))
    out = pd.DataFrame({"compound_id": c["compound_id"],
                        "pool_balance_yuan": fen_to_yuan(balance_fen),
                        "reference_yuan": fen_to_yuan(reference),
                        **{f"{name}_yuan": fen_to_yuan(v) for name, v in fen.items()}})
    stack = np.stack([fen[name] for name in DRIVERS])
    worst = np.argmin(stack, axis=0)
    small = households < np.median(households)
    words = [DRIVERS[w] if DRIVERS[w] != "other_costs" or small[i] else "other_costs_large"
             for i, w in enumerate(worst)]
    out["reason"] = [_reason(int(b), int(r), words[i], int(stack[w, i]), lang)
                     for i, (b, r, w) in enumerate(zip(balance_fen, reference, worst,
                                                       strict=True))]
    return out


def _reason(balance_fen: int, reference_fen: int, driver: str, amount_fen: int,
            lang: Language) -> str:
    """A sentence: why a compound is in deficit (empty where it is not)."""
    if balance_fen >= 0:
        return ""
    en = lang == "en"
    parts = []
    if reference_fen < 0 and -reference_fen >= -amount_fen:
        ref = f"{-reference_fen / 100:,.0f}"
        parts.append(f"the district's median compound is in deficit too ({ref} yuan a year "
                     "for as many households)" if en
                     else f"全区中位小区同样亏损（按同样户数每年 {ref} 元）")
    if amount_fen < 0:
        amount = f"{-amount_fen / 100:,.0f}"
        parts.append(f"{'mostly' if not parts else 'on top of it'} {_WORDS[driver][0]}: "
                     f"{amount} yuan a year worse than the median compound" if en
                     else f"{'主要原因' if not parts else '此外'}：{_WORDS[driver][1]}，"
                     f"比中位小区每年差 {amount} 元")
    return ("; " if en else "；").join(parts)
