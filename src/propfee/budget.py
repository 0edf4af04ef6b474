"""The 4+1 budget: every compound's services, yuan by yuan, by channel and payer.

One kernel, :func:`budget_arrays`, computes every cost line for an array of
compounds under a resolved plan. :func:`evaluate_district` wraps it for a table
(returns a :class:`DistrictBudget` of DataFrames); :func:`evaluate` wraps it for one
:class:`~propfee.compound.Compound` (returns a :class:`BudgetResult`) by evaluating a
one-row table: there is no second code path.

How demand is met, per compound and staff role (all in [FTE])::

    demand           = the role's norm (propfee.staffing), unrounded
    street takes     replaced_share x demand            (channel 3)
    devices replace  units x replaced_fte_per_unit      (channel 4), capped by what is left
    volunteers take  delivered hours / hours per FTE    (channel 1), capped by what is left
    residual         = what is left; the shared-property company staffs it, pooled over
                       the bundle and rounded up to whole posts there  (channel 2)

Money (per compound, [yuan/year]); every line has one channel, one official category
and one payer::

    compound cash cost   = lines paid by residents' fees + lines paid by the fund pool
    pool balance         = fee collected + public income - compound cash cost
    street subsidy       = max(-pool balance, 0)   (keeps the pool from going negative)
    street total         = street fallback lines + street subsidy
    comparison baseline  = market price (propfee.baseline) + per-use jobs at market price
    baseline balance     = fee collected - comparison baseline
    saving               = comparison baseline - compound cash cost
    deficit reduction    = max(-baseline balance, 0) - street subsidy

Channel contributions are a waterfall of the same kernel: starting from the baseline
balance, shared property replaces the market company, then self-governance, street
fallback, smart devices and public income are switched on in that order; each
channel's contribution is the change of the pool balance it brings, so the
contributions add up exactly to ``pool balance - baseline balance``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict

from propfee._arrays import compact, sum_arrays
from propfee.baseline import BASELINE_COST_LINES, baseline_arrays, effective_fee_inputs
from propfee.bundling.cost import contract_costs
from propfee.channels.common import CHANNELS, PAYERS, Category, Channel, Payer, basis_quantity
from propfee.channels.devices import capital_recovery_factor
from propfee.channels.self_governance import ROLE_MATERIAL_CATEGORY, delivered_hours_year
from propfee.channels.shared_property import expected_uses_per_year
from propfee.compound import Compound, CompoundTable, validate_compounds
from propfee.costs import age_factor, age_years
from propfee.fees import annual_fee_billed_yuan
from propfee.money import GroupLayout, fen_to_yuan, yuan_to_fen
from propfee.params import ParameterSet, default_parameters
from propfee.plan import Plan, PlanArrays, default_plan, resolve_plan
from propfee.staffing import DAYS_PER_YEAR, ROLES
from propfee.staffing import staff_demand_fte as _demand

__all__ = [
    "OPTIONAL_CHANNELS",
    "BudgetLine",
    "BudgetResult",
    "DistrictBudget",
    "LineSpec",
    "budget_arrays",
    "evaluate",
    "evaluate_district",
]

FloatArray = npt.NDArray[np.float64]

OPTIONAL_CHANNELS: Final[tuple[Channel, ...]] = (
    "self_governance", "street_fallback", "smart_devices", "public_income"
)
"""The channels switched on one by one in the waterfall, in this order."""


@dataclass(frozen=True, slots=True)
class LineSpec:
    """What a budget line is: its code, channel, official category and payer."""

    code: str
    channel: Channel
    category: Category
    payer: Payer


@dataclass(frozen=True, slots=True)
class KernelOutput:
    """Raw output of :func:`budget_arrays`.

    Attributes
    ----------
    lines
        Line spec -> annual amount per compound. [yuan/year]
    public_income_yuan
        Net public-resource income per compound. [yuan/year]
    jobs_at_market_yuan
        The plan's per-use jobs priced at market price (for the comparison baseline).
        [yuan/year]
    replaced_fte
        ``(channel, role) -> FTE`` of demand each channel took over. [FTE]
    residual_fte
        Role -> demand left for the shared-property company. [FTE]
    job_uses
        Per-use job -> expected uses. [uses/year]
    income_by_source
        Income source -> net income. [yuan/year]
    device_capital_yuan
        Device -> capital of all its units, undiscounted. [yuan]
    device_life_years
        Device -> service life. [year]
    lines_fen
        The lines that are whole fen by construction (the contract's shares, split in
        fen): line spec -> amount per compound. [fen/year]
    """

    lines: dict[LineSpec, FloatArray]
    public_income_yuan: FloatArray
    jobs_at_market_yuan: FloatArray
    replaced_fte: dict[tuple[str, str], FloatArray]
    residual_fte: dict[str, FloatArray]
    job_uses: dict[str, FloatArray]
    income_by_source: dict[str, FloatArray]
    device_capital_yuan: dict[str, FloatArray]
    device_life_years: dict[str, FloatArray]
    lines_fen: dict[LineSpec, npt.NDArray[np.int64]]

    def fen(self, spec: LineSpec) -> npt.NDArray[np.int64]:
        """One line rounded to the fen (half away from zero). [fen/year]"""
        exact = self.lines_fen.get(spec)
        return yuan_to_fen(self.lines[spec]) if exact is None else exact


def budget_arrays(
    table: CompoundTable,
    plan: PlanArrays,
    params: ParameterSet,
    channels: Iterable[Channel] = OPTIONAL_CHANNELS,
) -> KernelOutput:
    """The 4+1 kernel: every cost line of every compound, unrounded.

    Parameters
    ----------
    table
        Validated compounds.
    plan
        The plan resolved against ``table`` (:func:`propfee.plan.resolve_plan`).
    params
        Parameter set (wages, norms, unit prices, fee defaults).
    channels
        Which of :data:`OPTIONAL_CHANNELS` are switched on; shared property and the
        compound's direct costs always are.

    Returns
    -------
    KernelOutput
    """
    on = set(channels)
    p = plan.plan
    n = len(table)
    households = table.array("households")
    floor = table.array("floor_area_m2")
    green = table.array("green_area_m2")
    age = age_years(table.array("build_year"), params.as_of.year)
    lines: dict[LineSpec, FloatArray] = {}
    replaced: dict[tuple[str, str], FloatArray] = {}

    staffing = params.staffing
    remaining = {
        role: _demand(getattr(staffing, role), households, floor, green, table.array("gates"))
        for role in ROLES
    }

    def take(channel: str, role: str, offered: FloatArray) -> FloatArray:
        got = np.minimum(offered, remaining[role])
        remaining[role] = remaining[role] - got
        key = (channel, role)
        replaced[key] = replaced.get(key, np.zeros(n)) + got
        return got

    # Channel 3: street and community fallback.
    if "street_fallback" in on:
        for item in p.street_fallback.items:
            price = plan.value("street_fallback", item.name, "price_yuan")
            if item.pricing == "per_household":
                cost = price * households
            elif item.pricing == "per_tonne":
                kg = plan.value("street_fallback", item.name, "kg_per_household_day")
                cost = price * households * kg * DAYS_PER_YEAR / 1000.0
            else:
                cost = price.copy()
            lines[LineSpec(f"street_{item.name}", "street_fallback", item.category,
                           "street_office")] = cost
            if item.replaces_role is not None:
                share = plan.value("street_fallback", item.name, "replaced_share")
                demand = _demand(getattr(staffing, item.replaces_role), households, floor, green,
                                 table.array("gates"))
                take("street_fallback", item.replaces_role, share * demand)

    job_uses: dict[str, FloatArray] = {}
    income_by_source: dict[str, FloatArray] = {}
    device_capital: dict[str, FloatArray] = {}
    device_life: dict[str, FloatArray] = {}

    # Channel 4: smart devices.
    if "smart_devices" in on:
        rate = p.smart_devices.discount_rate
        for dev in p.smart_devices.devices:
            v = plan.item("smart_devices", dev.name)
            units = v["units_per_basis"] * basis_quantity(table, dev.basis)
            crf = capital_recovery_factor(rate, compact(v["service_life_years"]))
            device_capital[dev.name] = units * v["capital_cost_yuan_per_unit"]
            device_life[dev.name] = v["service_life_years"]
            lines[LineSpec(f"device_{dev.name}_capital", "smart_devices", "depreciation",
                           dev.capital_funder)] = units * v["capital_cost_yuan_per_unit"] * crf
            lines[LineSpec(f"device_{dev.name}_running", "smart_devices", "upkeep",
                           "fund_pool")] = units * v["running_cost_yuan_per_unit_year"]
            if dev.replaces_role is not None:
                take("smart_devices", dev.replaces_role, units * v["replaced_fte_per_unit"])

    # Channel 1: residents' self-governance.
    if "self_governance" in on:
        sg = p.self_governance
        hours: dict[str, FloatArray] = {}
        offered: dict[str, FloatArray] = {role: np.zeros(n) for role in ROLES}
        for task in sg.tasks:
            h = delivered_hours_year(
                plan.value("self_governance", task.name, "hours_per_week"),
                plan.value("self_governance", task.name, "coverage_rate"),
            )
            hours[task.name] = h
            role = getattr(staffing, task.role)
            per_fte = (role.productive_hours_per_staff_year if role.norm == "per_gate_post"
                       else sg.staff_hours_per_fte_year)
            offered[task.role] = offered[task.role] + h / per_fte
        scale = {}
        for role in ROLES:
            got = take("self_governance", role, offered[role])
            with np.errstate(divide="ignore", invalid="ignore"):
                scale[role] = np.where(offered[role] > 0, got / offered[role], 0.0)
        for task in sg.tasks:
            lines[LineSpec(f"volunteer_{task.name}_time", "self_governance", "staff",
                           "volunteers_in_kind")] = (
                hours[task.name] * scale[task.role] * sg.shadow_wage_yuan_per_hour
            )
            lines[LineSpec(f"volunteer_{task.name}_materials", "self_governance",
                           ROLE_MATERIAL_CATEGORY[task.role], "fund_pool")] = plan.value(
                "self_governance", task.name, "materials_yuan_per_year")

    # Channel 2: shared property, priced per bundle by the contract cost function.
    sp = p.shared_property
    code = plan.bundle_code
    n_bundles = len(plan.bundle_ids)
    jobs_market = np.zeros(n)
    jobs_discounted = np.zeros(n)
    for job in sp.jobs:
        v = plan.item("shared_property", job.name)
        uses = expected_uses_per_year(v["uses_per_10000_m2_year"], floor, age,
                                      v["age_growth_per_year"])
        market = uses * v["market_price_yuan_per_use"]
        job_uses[job.name] = uses
        jobs_market = jobs_market + market
        discounted = market * (1.0 - v["discount_rate"])
        lines[LineSpec(f"job_{job.name}", "shared_property", "upkeep", "fund_pool")] = discounted
        jobs_discounted = jobs_discounted + discounted
    contract = contract_costs(
        code, np.arange(n), n_bundles, residual_fte=remaining, households=households,
        x_m=table.array("x_m"), y_m=table.array("y_m"), jobs_yuan=jobs_discounted,
        fixed_fee_yuan=plan.bundle_fixed_fee_yuan, shared=sp, staffing=staffing,
    )
    layout = GroupLayout(code, table.frame["compound_id"], n_bundles)
    lines_fen: dict[LineSpec, npt.NDArray[np.int64]] = {}
    staff_fen = layout.allocate(
        np.stack([yuan_to_fen(contract.staff_by_role_yuan[role]) for role in ROLES]),
        np.stack([remaining[role] for role in ROLES]),
    )
    for role, share in zip(ROLES, staff_fen, strict=True):
        lines_fen[LineSpec(f"contract_staff_{role}", "shared_property", "staff",
                           "residents_fees")] = share
    staff_share = sum_arrays(fen_to_yuan(staff_fen), like=floor)
    other_fen = layout.allocate(
        yuan_to_fen(np.stack([contract.margin_yuan, contract.fixed_yuan, contract.travel_yuan])),
        np.stack([staff_share, floor, floor]),
    )
    for spec, share in zip((
        LineSpec("contract_margin", "shared_property", "margin", "residents_fees"),
        LineSpec("contract_fixed_fee", "shared_property", "overhead", "residents_fees"),
        LineSpec("contract_travel", "shared_property", "other", "residents_fees"),
    ), other_fen, strict=True):
        lines_fen[spec] = share
    lines.update({spec: fen_to_yuan(share) for spec, share in lines_fen.items()})

    # What the compound buys itself: running of shared parts, materials, insurance.
    c = params.costs
    lines[LineSpec("upkeep", "direct", "upkeep", "fund_pool")] = (
        c.upkeep_yuan_per_m2_year * floor * age_factor(age, c.age_factor_slope_per_year,
                                                       c.age_factor_cap)
    )
    lines[LineSpec("cleaning_materials", "direct", "cleaning", "residents_fees")] = (
        c.cleaning_materials_yuan_per_household_year * households
    )
    lines[LineSpec("greening_materials", "direct", "greening", "residents_fees")] = (
        c.greening_materials_yuan_per_green_m2_year * green
    )
    lines[LineSpec("insurance", "direct", "insurance", "residents_fees")] = (
        c.insurance_yuan_per_m2_year * floor
    )
    lines[LineSpec("other", "direct", "other", "residents_fees")] = (
        c.other_yuan_per_household_year * households
    )

    # The one subsidy: public-resource income into the fund pool.
    income = np.zeros(n)
    if "public_income" in on:
        for src in p.public_income.sources:
            v = plan.item("public_income", src.name)
            income_by_source[src.name] = (
                v["units_per_basis"] * basis_quantity(table, src.basis)
                * v["price_yuan_per_unit_year"] * v["occupancy_rate"]
                * (1.0 - v["cost_share_rate"])
            )
            income = income + income_by_source[src.name]
    return KernelOutput(lines, income, jobs_market, replaced, remaining, job_uses,
                        income_by_source, device_capital, device_life, lines_fen)


def _pool_balance_fen(out: KernelOutput, fee_collected_fen: npt.NDArray[np.int64]
                      ) -> npt.NDArray[np.int64]:
    cash = sum_arrays((out.fen(s) for s in out.lines if s.payer in ("residents_fees", "fund_pool")),
                      like=fee_collected_fen)
    result: npt.NDArray[np.int64] = fee_collected_fen + yuan_to_fen(out.public_income_yuan) - cash
    return result


@dataclass(frozen=True)
class DistrictBudget:
    """The 4+1 budget of a district.

    Attributes
    ----------
    compounds
        One row per compound (input order): identity, cost by channel
        (``cost_<channel>_yuan``), by payer (``paid_by_<payer>_yuan``), totals, fee and
        public income, pool balance, street subsidy, the comparison baseline, saving,
        deficit reduction, channel contributions (``contribution_<channel>_yuan``) and
        staff taken over by each channel (``replaced_fte_<channel>``). Money in
        [yuan/year], rounded to the fen; every total is the sum of its rounded lines.
    lines
        Long format: one row per compound and line, with ``compound_id``, ``line``,
        ``channel``, ``category``, ``payer`` and ``amount_yuan`` [yuan/year].
    """

    compounds: pd.DataFrame
    lines: pd.DataFrame

    def totals_by(self, column: str) -> pd.DataFrame:
        """Sum every money and count column of :attr:`compounds` by ``street`` or ``zone``.

        Parameters
        ----------
        column
            ``"street"``, ``"zone"`` or ``"bundle_id"``.

        Returns
        -------
        pandas.DataFrame
            One row per group; ``compounds`` counts them; money sums exactly (fen). [yuan/year]
        """
        df = self.compounds
        money = [c for c in df.columns if c.endswith("_yuan") and "per_household" not in c]
        fen = pd.DataFrame({c: yuan_to_fen(df[c].to_numpy()) for c in money})
        fen[column] = df[column].to_numpy()
        grouped = fen.groupby(column, sort=True)
        out = grouped.sum() / 100.0
        out.insert(0, "households", df.groupby(column, sort=True)["households"].sum())
        out.insert(0, "compounds", grouped.size())
        return out

    def district_totals(self) -> pd.Series:
        """Every money column summed over the district (exact to the fen). [yuan/year]"""
        df = self.compounds
        money = [c for c in df.columns if c.endswith("_yuan") and "per_household" not in c]
        return pd.Series({c: int(yuan_to_fen(df[c].to_numpy()).sum()) / 100.0 for c in money})

    def _repr_html_(self) -> str:
        head = self.compounds.head(20)
        return f"<p>4+1 budget of {len(self.compounds)} compounds</p>" + head.to_html()


def _report_columns(
    table: CompoundTable,
    params: ParameterSet,
    out: KernelOutput,
    steps: list[KernelOutput] | None,
) -> tuple[dict[str, npt.NDArray[Any]], dict[LineSpec, npt.NDArray[np.int64]]]:
    """The numeric columns of the compound table and every line in fen, for one chunk."""
    f = table.frame
    n = len(table)
    rate, coll = effective_fee_inputs(table, params)
    fee_collected_fen = yuan_to_fen(annual_fee_billed_yuan(f["floor_area_m2"].to_numpy(), rate)
                                    * coll)
    specs = list(out.lines)
    fen = {s: out.fen(s) for s in specs}
    zero = np.zeros(n, dtype=np.int64)
    by_channel = {ch: sum_arrays((fen[s] for s in specs if s.channel == ch), like=zero)
                  for ch in CHANNELS if ch != "public_income"}
    by_payer = {py: sum_arrays((fen[s] for s in specs if s.payer == py), like=zero)
                for py in PAYERS}
    total = sum_arrays(by_payer.values(), like=zero)
    cash = by_payer["residents_fees"] + by_payer["fund_pool"]
    income_fen = yuan_to_fen(out.public_income_yuan)
    balance = fee_collected_fen + income_fen - cash
    subsidy = np.maximum(-balance, 0)

    base = baseline_arrays(table, params)
    base_fen = sum_arrays((yuan_to_fen(base[f"{c}_yuan"])
                           for c in (*BASELINE_COST_LINES, "margin", "vat", "surcharges")),
                          like=fee_collected_fen)
    jobs_market_fen = yuan_to_fen(out.jobs_at_market_yuan)
    comparison = base_fen + jobs_market_fen
    base_balance = fee_collected_fen - comparison

    y = fen_to_yuan
    households = f["households"].to_numpy(dtype=np.float64)
    cols: dict[str, npt.NDArray[Any]] = {}
    cols.update({f"cost_{ch}_yuan": y(v) for ch, v in by_channel.items()})
    cols.update({f"paid_by_{py}_yuan": y(v) for py, v in by_payer.items()})
    cols["total_cost_yuan"] = y(total)
    cols["compound_cash_cost_yuan"] = y(cash)
    cols["fee_collected_yuan"] = y(fee_collected_fen)
    cols["public_income_yuan"] = y(income_fen)
    cols["pool_balance_yuan"] = y(balance)
    cols["street_subsidy_yuan"] = y(subsidy)
    cols["street_total_yuan"] = y(by_payer["street_office"] + subsidy)
    cols["pool_non_negative"] = balance >= 0
    cols["cost_per_household_month_yuan"] = y(total) / households / 12.0
    cols["cash_cost_per_household_month_yuan"] = y(cash) / households / 12.0
    cols["baseline_market_price_yuan"] = y(base_fen)
    cols["baseline_jobs_at_market_yuan"] = y(jobs_market_fen)
    cols["baseline_total_yuan"] = y(comparison)
    cols["baseline_balance_yuan"] = y(base_balance)
    cols["saving_vs_baseline_yuan"] = y(comparison - cash)
    cols["deficit_reduction_yuan"] = y(np.maximum(-base_balance, 0) - subsidy)
    if steps is not None:
        # The last step is the full plan: its balance is the one computed above.
        balances = [base_balance, *(_pool_balance_fen(s, fee_collected_fen) for s in steps[:-1]),
                    balance]
        names = ["shared_property", *OPTIONAL_CHANNELS]
        for k, name in enumerate(names):
            cols[f"contribution_{name}_yuan"] = y(balances[k + 1] - balances[k])
    for ch in ("street_fallback", "smart_devices", "self_governance"):
        cols[f"replaced_fte_{ch}"] = sum_arrays(
            (v for (c, _), v in out.replaced_fte.items() if c == ch), like=households
        )
    cols["residual_fte"] = sum_arrays(out.residual_fte.values(), like=households)
    return cols, fen


def _chunks(
    code: npt.NDArray[np.int64], n_bundles: int, max_rows: int
) -> list[tuple[slice | npt.NDArray[np.int64], slice]]:
    """Cut a table into pieces of about ``max_rows`` rows that keep every bundle whole.

    Returns ``(rows, bundles)`` pairs: the rows of a piece (a slice where they are
    contiguous) and the contiguous range of bundle numbers they make up. Bundle
    numbers follow first appearance, so a table sorted by bundle is cut into slices.
    """
    n = len(code)
    if n <= max_rows:
        return [(slice(0, n), slice(0, n_bundles))]
    sorted_already = bool(np.all(code[1:] >= code[:-1]))
    order = np.arange(n) if sorted_already else np.argsort(code, kind="stable")
    ends = np.cumsum(np.bincount(code, minlength=n_bundles))  # end of each bundle in order
    pieces: list[tuple[slice | npt.NDArray[np.int64], slice]] = []
    first = 0
    while first < n_bundles:
        start = int(ends[first - 1]) if first else 0
        last = max(int(np.searchsorted(ends, start + max_rows, side="right")) - 1, first)
        stop = int(ends[last])
        rows: slice | npt.NDArray[np.int64] = (
            slice(start, stop) if sorted_already else order[start:stop]
        )
        pieces.append((rows, slice(first, last + 1)))
        first = last + 1
    return pieces


CHUNK_ROWS: Final = 32_768
"""Compounds evaluated together: small enough for the CPU cache, large enough to vectorise."""


def _district_budget(
    table: CompoundTable,
    params: ParameterSet,
    resolved: PlanArrays,
    contributions: bool,
    with_lines: bool,
    chunk_rows: int = CHUNK_ROWS,
) -> DistrictBudget:
    """Run the kernel chunk by chunk (whole bundles per chunk) and assemble the tables."""
    n = len(table)
    columns: dict[str, npt.NDArray[Any]] = {}
    line_fen: dict[LineSpec, npt.NDArray[np.int64]] = {}
    for rows, bundles in _chunks(resolved.bundle_code, len(resolved.bundle_ids), chunk_rows):
        part = table.take(rows)
        plan = resolved.take(rows, bundles)
        if contributions:
            steps = [budget_arrays(part, plan, params, OPTIONAL_CHANNELS[:k])
                     for k in range(len(OPTIONAL_CHANNELS) + 1)]
            out = steps[-1]
        else:
            steps, out = None, budget_arrays(part, plan, params)
        cols, fen = _report_columns(part, params, out, steps)
        for name, v in cols.items():
            columns.setdefault(name, np.empty(n, dtype=v.dtype))[rows] = v
        if with_lines:
            for spec, v in fen.items():
                line_fen.setdefault(spec, np.empty(n, dtype=np.int64))[rows] = v

    f = table.frame
    identity = {
        "compound_id": f["compound_id"],
        "name": f["name"],
        "street": f["street"],
        "zone": f["zone"],
        "bundle_id": resolved.bundle_ids.take(resolved.bundle_code),
        "households": f["households"].to_numpy(),
        "floor_area_m2": f["floor_area_m2"].to_numpy(),
    }
    df = pd.DataFrame({**identity, **columns}, index=pd.RangeIndex(n), copy=False)
    if with_lines:
        specs = list(line_fen)
        k = len(specs)
        lines = pd.DataFrame({
            "compound_id": np.tile(table.ids, k),
            "line": np.repeat([s.code for s in specs], n),
            "channel": np.repeat([s.channel for s in specs], n),
            "category": np.repeat([s.category for s in specs], n),
            "payer": np.repeat([s.payer for s in specs], n),
            "amount_yuan": fen_to_yuan(np.concatenate([line_fen[s] for s in specs]))
            if k else [],
        })
    else:
        lines = pd.DataFrame(columns=["compound_id", "line", "channel", "category", "payer",
                                      "amount_yuan"])
    return DistrictBudget(df, lines)


def evaluate_district(
    compounds: pd.DataFrame | CompoundTable,
    plan: Plan | None = None,
    params: ParameterSet | None = None,
    *,
    overrides: pd.DataFrame | None = None,
    contributions: bool = True,
    with_lines: bool = True,
) -> DistrictBudget:
    """The 4+1 budget of every compound of a table.

    The table is validated and the plan resolved once; the kernel then runs on pieces
    of about :data:`CHUNK_ROWS` compounds that keep every bundle whole, so a million
    compounds need little more memory than their result.

    Parameters
    ----------
    compounds
        A compound table or a validated :class:`~propfee.compound.CompoundTable`.
    plan
        The 4+1 plan; defaults to :func:`propfee.plan.default_plan`.
    params
        Parameter set; defaults to :func:`propfee.params.default_parameters`.
    overrides
        Per-compound plan overrides (see :func:`propfee.plan.resolve_plan`).
    contributions
        Compute the channel waterfall (runs the kernel once per channel).
    with_lines
        Build the long table of lines.

    Returns
    -------
    DistrictBudget

    Raises
    ------
    propfee.errors.InputError
        For bad compounds, a plan naming unknown compounds, or bad overrides; nothing
        is computed.
    """
    plan = plan or default_plan()
    params = params or default_parameters()
    table = compounds if isinstance(compounds, CompoundTable) else validate_compounds(compounds)
    resolved = resolve_plan(plan, table, overrides)
    return _district_budget(table, params, resolved, contributions, with_lines)


class BudgetLine(BaseModel):
    """One line of a 4+1 budget.

    Attributes
    ----------
    line
        Line code (``contract_staff_order``, ``device_access_control_capital``...).
    channel, category, payer
        How the service is delivered, its official cost category, who bears it.
    amount_yuan
        Annual amount, rounded to the fen. [yuan/year]
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    line: str
    channel: str
    category: str
    payer: str
    amount_yuan: float


class BudgetResult(BaseModel):
    """The 4+1 budget of one compound: its row of :attr:`DistrictBudget.compounds` and lines.

    Attributes
    ----------
    compound_id
        The compound.
    bundle_id
        The shared-property contract it belongs to.
    lines
        Every line, with channel, category and payer. [yuan/year]
    by_channel
        Cost by channel. [yuan/year]
    by_payer
        Cost by payer. [yuan/year]
    contributions
        Change of the pool balance each channel brings, in waterfall order (empty if
        not computed). [yuan/year]
    total_cost_yuan
        All lines, every payer. [yuan/year]
    compound_cash_cost_yuan
        Lines paid by residents' fees and the fund pool. [yuan/year]
    fee_collected_yuan, public_income_yuan
        Income of the compound. [yuan/year]
    pool_balance_yuan
        Fee + public income - compound cash cost. [yuan/year]
    street_subsidy_yuan
        What the street adds to keep the pool from going negative. [yuan/year]
    street_total_yuan
        Street fallback lines + street subsidy. [yuan/year]
    cost_per_household_month_yuan
        Total cost per household per month. [yuan/(household month)]
    baseline_total_yuan
        Market price + per-use jobs at market price. [yuan/year]
    baseline_balance_yuan
        Fee collected - comparison baseline. [yuan/year]
    saving_vs_baseline_yuan
        Comparison baseline - compound cash cost. [yuan/year]
    deficit_reduction_yuan
        Baseline deficit - street subsidy. [yuan/year]
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    compound_id: str
    bundle_id: str
    lines: tuple[BudgetLine, ...]
    by_channel: dict[str, float]
    by_payer: dict[str, float]
    contributions: dict[str, float]
    total_cost_yuan: float
    compound_cash_cost_yuan: float
    fee_collected_yuan: float
    public_income_yuan: float
    pool_balance_yuan: float
    street_subsidy_yuan: float
    street_total_yuan: float
    cost_per_household_month_yuan: float
    baseline_total_yuan: float
    baseline_balance_yuan: float
    saving_vs_baseline_yuan: float
    deficit_reduction_yuan: float

    @classmethod
    def from_tables(cls, row: pd.Series, lines: pd.DataFrame) -> BudgetResult:
        """Build the result from a row of :attr:`DistrictBudget.compounds` and its lines."""

        def pick(prefix: str, names: Iterable[str]) -> dict[str, float]:
            return {name: float(row[f"{prefix}{name}_yuan"]) for name in names
                    if f"{prefix}{name}_yuan" in row.index}

        scalars = {name: float(row[name]) for name, info in cls.model_fields.items()
                   if info.annotation is float}
        return cls(
            compound_id=str(row["compound_id"]),
            bundle_id=str(row["bundle_id"]),
            lines=tuple(
                BudgetLine(line=str(r["line"]), channel=str(r["channel"]),
                           category=str(r["category"]), payer=str(r["payer"]),
                           amount_yuan=float(r["amount_yuan"]))
                for r in lines.to_dict("records")
            ),
            by_channel=pick("cost_", (c for c in CHANNELS if c != "public_income")),
            by_payer=pick("paid_by_", PAYERS),
            contributions=pick("contribution_", ("shared_property", *OPTIONAL_CHANNELS)),
            **scalars,
        )

    def _repr_html_(self) -> str:
        table = pd.DataFrame([line.model_dump() for line in self.lines])
        return f"<p>4+1 budget of compound {self.compound_id}</p>" + table.to_html(index=False)


def evaluate(
    compound: Compound,
    plan: Plan | None = None,
    params: ParameterSet | None = None,
) -> BudgetResult:
    """The 4+1 budget of one compound, by the same kernel as :func:`evaluate_district`.

    The compound is its own bundle unless the plan's explicit bundles say otherwise
    (a one-row table cannot pool posts with neighbours that are not in it).

    Parameters
    ----------
    compound
        The compound.
    plan
        The 4+1 plan; defaults to :func:`propfee.plan.default_plan`.
    params
        Parameter set; defaults to :func:`propfee.params.default_parameters`.

    Returns
    -------
    BudgetResult
    """
    result = evaluate_district(validate_compounds(compound), plan, params)
    return BudgetResult.from_tables(result.compounds.iloc[0], result.lines)
