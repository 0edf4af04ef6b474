"""The typed parameter set: every number the kernels need, with its unit.

A :class:`ParameterSet` is the values in force on one date for one region. It is
frozen; a scenario is a modified copy (``params.replace({"fees.collection_rate":
0.9})`` or pydantic's ``model_copy``), never a global switch.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "BASES",
    "ContractParams",
    "CostItemParams",
    "FeeParams",
    "GarbageParams",
    "GateParams",
    "GateRegime",
    "GradeNorms",
    "GradeParams",
    "HiringMode",
    "JobParams",
    "LabourParams",
    "LiftParams",
    "ParameterSet",
    "PricingParams",
    "QuantityParams",
    "RoleParams",
    "StaffingParams",
    "TaxParams",
    "WageParams",
    "WorkBasis",
]

Rate = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
NonNeg = Annotated[float, Field(ge=0.0, le=1e7, allow_inf_nan=False)]
"""A non-negative value of at most 10 million in its unit (a parameter beyond it is a typo)."""
Positive = Annotated[float, Field(gt=0.0, le=1e7, allow_inf_nan=False)]
Money = Annotated[float, Field(ge=0.0, le=1e6, allow_inf_nan=False)]
"""A price or wage: at most a million yuan per unit (per month, per m2, per use...)."""
Hours = Annotated[float, Field(gt=0.0, le=8784.0, allow_inf_nan=False)]
"""Hours in a year: at most 8,784 (366 days)."""

GateRegime = Literal["staffed_24h", "staffed_16h", "live_in", "device_only"]
"""How a gate (出入口) is kept.

- ``staffed_24h``: guards on a post open 24 hours a day;
- ``staffed_16h``: guards on a post open 16 hours a day (closed or device-run at night);
- ``live_in``: one gatekeeper per gate who lives on site (门卫), on a service agreement;
  the gate counts as kept 24 hours a day;
- ``device_only``: access control and cameras, with remote help from a service centre.

A grade's regime (:class:`GradeNorms`) says how many hours a day its gates are kept and
how a market company keeps them: ``staffed_24h``, ``staffed_16h`` or ``live_in``.
"""

WorkBasis = Literal[
    "compound", "household", "gate", "building", "stairwell_unit", "parking_space", "lift",
    "water_tank", "parking_gate", "floor_10000_m2", "green_m2", "tree", "pipe_m", "roof_m2",
    "road_m2",
]
"""What a per-unit quantity is counted against (see :func:`propfee.quantities.basis_quantity`)."""

BASES: tuple[str, ...] = (
    "compound", "household", "gate", "building", "stairwell_unit", "parking_space", "lift",
    "water_tank", "parking_gate", "floor_10000_m2", "green_m2", "tree", "pipe_m", "roof_m2",
    "road_m2",
)
"""Every :data:`WorkBasis`, in declaration order."""

HiringMode = Literal["formal", "informal"]
"""How staff are hired.

- ``formal``: an employment contract: social insurance on the larger of the wage and the
  contribution floor, welfare, overtime paid at the legal multiple;
- ``informal``: retired workers on a service agreement (劳务协议): the agreed pay only,
  no social insurance, paid by the hour worked (no rounding to posts).
"""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class RoleParams(_Frozen):
    """Pay and post size of one staff role.

    Attributes
    ----------
    monthly_wage_yuan
        Gross monthly wage of one full-time staff member for standard hours. [yuan/month]
    headcount_step_fte
        Headcount granularity of formal hiring: demand is rounded *up* to a multiple of
        this step (1.0 = whole posts, 0.5 = half-time posts, 0 = no rounding). [FTE]
    """

    monthly_wage_yuan: Money
    headcount_step_fte: Annotated[float, Field(ge=0.0, le=100.0, allow_inf_nan=False)] = 1.0


class StaffingParams(_Frozen):
    """The five staff roles of a property service and their on-costs.

    Repairs are not a staff role: they are the per-use jobs of :attr:`ParameterSet.jobs`,
    which a market company, the shared company or volunteers supply by the use.

    Attributes
    ----------
    cleaning, order, patrol, greening, management
        Per-role pay (清洁, 门岗, 巡逻, 绿化, 管理/客服). ``order`` keeps the gates,
        ``patrol`` walks the rounds; both work a guard's hours.
    social_insurance_rate
        Employer social insurance and housing fund, as a share of the contribution
        base (the larger of the wage and the contribution floor). [1]
    welfare_rate
        Employee welfare (福利费), as a share of pay. [1]
    """

    cleaning: RoleParams
    order: RoleParams
    patrol: RoleParams
    greening: RoleParams
    management: RoleParams
    social_insurance_rate: Rate
    welfare_rate: Rate


class LabourParams(_Frozen):
    """Working hours and the labour law's terms.

    Attributes
    ----------
    standard_hours_per_year
        Standard hours of one full-time post: 40 h a week, 20.83 days a month,
        8 h a day, 12 months = 2,000 h. [h/year]
    guard_hours_per_year
        Hours one guard works in a year. 2,920 (8 h x 365 days, three guards per 24 h
        gate, no rest days) is the common practice; 2,000 is the legal standard. [h/year]
    overtime_pay_multiple
        Pay of an hour beyond the standard hours, as a multiple of the hourly wage
        (150% on working days). [1]
    social_insurance_floor_yuan_per_month
        Lowest contribution base of employer social insurance. [yuan/month]
    market_hiring
        How a market company hires (the baseline and standing contract posts).
    """

    standard_hours_per_year: Hours
    guard_hours_per_year: Hours
    overtime_pay_multiple: Annotated[float, Field(ge=1.0, allow_inf_nan=False)]
    social_insurance_floor_yuan_per_month: Money
    market_hiring: HiringMode


class GateParams(_Frozen):
    """Costs of the gate regimes other than guards on posts.

    Attributes
    ----------
    live_in_monthly_pay_yuan
        Pay of a live-in gatekeeper on a service agreement (no social insurance); never
        below the monthly minimum wage (checked). [yuan/month]
    remote_help_yuan_per_gate_year
        Remote help of a device-only gate (an intercom answered by a service centre).
        [yuan/(gate year)]
    """

    live_in_monthly_pay_yuan: Money
    remote_help_yuan_per_gate_year: Money


class GradeNorms(_Frozen):
    """Work norms and guidance price of one service grade (一级 to 五级).

    Attributes
    ----------
    cleaning_floor_m2_per_staff
        Floor area one cleaner serves. [m2/staff]
    greening_green_m2_per_staff
        Green area one gardener serves. [m2/staff]
    management_households_per_staff
        Households one manager or clerk serves. [households/staff]
    patrol_hours_per_building_day
        Patrol rounds a building needs a day. [h/(building day)]
    gate_regime
        How many hours a day the gates are kept at this grade, and how a market company
        keeps them: ``staffed_24h``, ``staffed_16h`` or ``live_in`` (24 hours).
    guidance_yuan_per_m2_month
        Centre of the published guidance price band of the grade; the band is
        +- ``guidance_tolerance_rate`` around it. [yuan/(m2 month)]
    """

    cleaning_floor_m2_per_staff: Positive
    greening_green_m2_per_staff: Positive
    management_households_per_staff: Positive
    patrol_hours_per_building_day: Annotated[float, Field(ge=0.0, le=24.0, allow_inf_nan=False)]
    gate_regime: Literal["staffed_24h", "staffed_16h", "live_in"]
    guidance_yuan_per_m2_month: Annotated[float, Field(ge=0.0, le=100.0, allow_inf_nan=False)]


class GradeParams(_Frozen):
    """The five-grade residential service standard.

    Attributes
    ----------
    g1, g2, g3, g4, g5
        Norms of grades 1 (highest) to 5.
    guidance_tolerance_rate
        Allowed deviation around the guidance price. [1]
    """

    g1: GradeNorms
    g2: GradeNorms
    g3: GradeNorms
    g4: GradeNorms
    g5: GradeNorms
    guidance_tolerance_rate: Rate

    def grade(self, k: int) -> GradeNorms:
        """Norms of grade ``k`` (1 to 5)."""
        if k not in (1, 2, 3, 4, 5):
            raise ValueError(f"service grade must be 1 to 5, got {k!r}")
        norms: GradeNorms = getattr(self, f"g{k}")
        return norms


class QuantityParams(_Frozen):
    """How physical quantities of a compound are derived from its fields.

    Attributes
    ----------
    green_m2_per_tree
        Green area per tree. [m2/tree]
    pipe_m_per_stairwell_unit_storey
        Drain and supply pipe per stairwell unit and storey (risers, branches and the
        share of yard mains). [m/(unit storey)]
    road_m2_per_floor_m2
        Roads and paving per m2 of floor area. [1]
    party_members_per_household
        Registered party members per household where a compound does not give its own
        count. [persons/household]
    """

    green_m2_per_tree: Positive
    pipe_m_per_stairwell_unit_storey: Positive
    road_m2_per_floor_m2: NonNeg
    party_members_per_household: NonNeg


class CostItemParams(_Frozen):
    """Running costs of a compound and the market company's own cost items.

    The compound's running costs (common electricity and water, consumables, materials,
    insurance, office, other) are charged at cost in every plan and in the market
    baseline: they are not work any channel supplies. Repairs are the per-use jobs of
    :attr:`ParameterSet.jobs`, never an allowance here. Depreciation and the head-office
    overhead share are costs of a market company's own staff (2003 rules art. 11,
    2007 audit rules).

    Attributes
    ----------
    common_electricity_yuan_per_stairwell_unit_year
        Electricity of stairwell lighting and common sockets. [yuan/(unit year)]
    common_water_yuan_per_household_year
        Water for cleaning common parts. [yuan/(household year)]
    consumables_yuan_per_m2_year
        Bulbs, locks, small parts no per-use job covers, per m2 of floor area.
        [yuan/(m2 year)]
    cleaning_materials_yuan_per_household_year
        Cleaning materials and garbage bags. [yuan/(household year)]
    greening_materials_yuan_per_green_m2_year
        Plants, fertiliser, water for green area. [yuan/(m2 year)]
    office_yuan_per_household_year
        Office costs (办公费用): accounts, notices, printing. [yuan/(household year)]
    insurance_yuan_per_m2_year
        Insurance of shared parts and public liability, per m2 of floor area. [yuan/(m2 year)]
    depreciation_yuan_per_staff_year
        Depreciation of a market company's fixed assets (tools, uniforms, equipment)
        per staff member it employs. [yuan/(staff year)]
    overhead_share_rate
        Head-office overhead share (管理费分摊) on a market company's staff and
        depreciation. [1]
    other_yuan_per_household_year
        Other costs approved by the owners. [yuan/(household year)]
    """

    common_electricity_yuan_per_stairwell_unit_year: Money
    common_water_yuan_per_household_year: Money
    consumables_yuan_per_m2_year: Money
    cleaning_materials_yuan_per_household_year: Money
    greening_materials_yuan_per_green_m2_year: Money
    office_yuan_per_household_year: Money
    insurance_yuan_per_m2_year: Money
    depreciation_yuan_per_staff_year: Money
    overhead_share_rate: Rate
    other_yuan_per_household_year: Money


class JobParams(_Frozen):
    """A kind of repair or professional job in the catalogue, at market prices.

    Attributes
    ----------
    basis
        What uses are counted against (``building``, ``pipe_m``, ``water_tank``...).
    uses_per_basis_year
        Expected uses per unit of the basis a year in a new compound. [uses/(unit year)]
    age_growth_per_year
        Growth of the use rate per year of building age. [1/year]
    age_factor_cap
        Upper limit of the age factor ``1 + age_growth_per_year * age``. [1]
    market_price_yuan_per_use
        What a market contractor charges for one use, call-out excluded (its profit and
        taxes included). [yuan/use]
    callout_yuan_per_visit
        Market call-out fee of one visit (travel, mobilisation). [yuan/visit]
    uses_per_visit
        Uses one visit does in one compound (20 trees pruned in one visit). [uses/visit]
    """

    basis: WorkBasis
    uses_per_basis_year: Annotated[float, Field(ge=0.0, le=1e4, allow_inf_nan=False)]
    age_growth_per_year: Annotated[float, Field(ge=0.0, le=10.0, allow_inf_nan=False)] = 0.0
    age_factor_cap: Annotated[float, Field(ge=1.0, le=100.0, allow_inf_nan=False)] = 3.0
    market_price_yuan_per_use: Money
    callout_yuan_per_visit: Money = 0.0
    uses_per_visit: Positive = 1.0


class GarbageParams(_Frozen):
    """Household waste and its removal.

    Attributes
    ----------
    kg_per_household_day
        Household waste a day. [kg/(household day)]
    market_yuan_per_tonne
        What a sanitation contractor charges a compound to collect and carry it away,
        where the street does not. [yuan/t]
    """

    kg_per_household_day: Annotated[float, Field(ge=0.0, le=1000.0, allow_inf_nan=False)]
    market_yuan_per_tonne: Money


class LiftParams(_Frozen):
    """Lifts (电梯): the legal care of a passenger lift, bought from licensed firms.

    Attributes
    ----------
    maintenance_yuan_per_lift_year
        Maintenance contract with a licensed unit (at least every 15 days). [yuan/(lift year)]
    inspection_yuan_per_lift_year
        Statutory periodic inspection, yearly. [yuan/(lift year)]
    electricity_yuan_per_lift_year
        Electricity of one lift. [yuan/(lift year)]
    """

    maintenance_yuan_per_lift_year: Money
    inspection_yuan_per_lift_year: Money
    electricity_yuan_per_lift_year: Money


class ContractParams(_Frozen):
    """Terms of a contractor's call-outs.

    Attributes
    ----------
    members_per_trip
        Compounds one call-out trip of a shared company can serve: a bundle of ``n``
        pays ``ceil(n / members_per_trip)`` trips per round of visits. [compounds/trip]
    travel_yuan_per_km
        Driving cost of a shared company's crew between the members of a bundle
        (vehicle, fuel, the crew's time on the road): a round of call-out visits drives
        the shortest closed tour through the members (:func:`propfee.channels.contract.
        callout_travel_yuan`). Illustrative. [yuan/km]
    """

    members_per_trip: Annotated[float, Field(ge=1.0, le=1000.0, allow_inf_nan=False)]
    travel_yuan_per_km: Annotated[float, Field(ge=0.0, le=1000.0, allow_inf_nan=False)] = 0.0


class PricingParams(_Frozen):
    """How a market company prices its service (2003 rules art. 9).

    Attributes
    ----------
    model
        ``"lump_sum"`` (包干制: price = cost + profit + taxes) or ``"commission"``
        (酬金制: prepaid fund = spending + commission + taxes).
    profit_rate
        Company profit as a share of cost (lump-sum model). [1]
    commission_rate
        Company commission as a share of spending (commission model). [1]
    """

    model: Literal["lump_sum", "commission"]
    profit_rate: Rate
    commission_rate: Rate


class TaxParams(_Frozen):
    """Statutory taxes on property service revenue.

    Attributes
    ----------
    vat_rate
        VAT on (cost + profit) or (spending + commission). [1]
    surcharge_rate
        Urban maintenance and construction tax plus education surcharges, as a
        share of the VAT. [1]
    """

    vat_rate: Rate
    surcharge_rate: Rate


class FeeParams(_Frozen):
    """The default fee schedule, used where a compound does not give its own.

    Attributes
    ----------
    rate_yuan_per_m2_month
        Property fee rate. [yuan/(m2 month)]
    collection_rate
        Expected share of the billed fee actually collected. [1]
    """

    rate_yuan_per_m2_month: Annotated[float, Field(ge=0.0, le=100.0, allow_inf_nan=False)]
    collection_rate: Rate


class WageParams(_Frozen):
    """Wage floors of the region.

    Attributes
    ----------
    minimum_monthly_wage_yuan
        Statutory monthly minimum wage; role wages below it are refused. [yuan/month]
    minimum_hourly_wage_yuan
        Statutory hourly minimum wage of part-time work. [yuan/h]
    """

    minimum_monthly_wage_yuan: Money
    minimum_hourly_wage_yuan: Money


class ParameterSet(_Frozen):
    """All parameter values in force for one region on one date.

    Attributes
    ----------
    region
        Region name.
    as_of
        The date the values are in force; building ages are counted to this year.
    staffing, labour, gates, grades, quantities, costs, pricing, taxes, fees, wages
        The parameter groups.
    jobs
        The job catalogue: job name -> its use rate and market prices.
    garbage, lifts, contracts
        Household waste, lifts, and contractors' call-outs.
    """

    region: str
    as_of: dt.date
    staffing: StaffingParams
    labour: LabourParams
    gates: GateParams
    grades: GradeParams
    quantities: QuantityParams
    costs: CostItemParams
    pricing: PricingParams
    taxes: TaxParams
    fees: FeeParams
    wages: WageParams
    jobs: Annotated[dict[str, JobParams], Field(min_length=1, max_length=200)]
    garbage: GarbageParams
    lifts: LiftParams
    contracts: ContractParams

    def replace(self, updates: dict[str, Any]) -> ParameterSet:
        """Return a validated copy with some values changed: a scenario.

        Parameters
        ----------
        updates
            Dotted parameter paths and their new values, e.g.
            ``{"fees.collection_rate": 0.9, "staffing.order.monthly_wage_yuan": 2100.0}``.

        Returns
        -------
        ParameterSet
            The modified copy; the original is unchanged.

        Raises
        ------
        propfee.errors.ParameterError
            If a path does not exist or a value is out of range.
        """
        from propfee.errors import ParameterError

        data = self.model_dump()
        problems: list[str] = []
        for path, value in updates.items():
            node: Any = data
            parts = path.split(".")
            for part in parts[:-1]:
                if not isinstance(node, dict) or part not in node:
                    problems.append(f"{path}: no such parameter")
                    break
                node = node[part]
            else:
                if not isinstance(node, dict) or parts[-1] not in node:
                    problems.append(f"{path}: no such parameter")
                else:
                    node[parts[-1]] = value
        if problems:
            raise ParameterError(problems)
        return validate_parameter_set(data)


def validate_parameter_set(data: dict[str, Any]) -> ParameterSet:
    """Validate a nested dict into a :class:`ParameterSet`, with propfee's error type.

    Parameters
    ----------
    data
        Nested parameter values (as produced by ``ParameterSet.model_dump()``).

    Returns
    -------
    ParameterSet

    Raises
    ------
    propfee.errors.ParameterError
        Naming every bad or missing parameter path and its value.
    """
    from pydantic import ValidationError

    from propfee.errors import ParameterError

    try:
        # Python-mode validation is strict; dates and floats may come from TOML/JSON
        # as their natural Python types, and ints are accepted where floats are due.
        params = ParameterSet.model_validate(_ints_to_floats(data))
    except ValidationError as exc:
        raise ParameterError(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']} (got {e.get('input')!r})"
            for e in exc.errors()
        ) from None
    floor = params.wages.minimum_monthly_wage_yuan
    problems = [
        f"staffing.{role}.monthly_wage_yuan: {getattr(params.staffing, role).monthly_wage_yuan} "
        f"is below the minimum wage {floor} yuan/month"
        for role in ("cleaning", "order", "patrol", "greening", "management")
        if getattr(params.staffing, role).monthly_wage_yuan < floor
    ]
    if params.gates.live_in_monthly_pay_yuan < floor:
        problems.append(f"gates.live_in_monthly_pay_yuan: {params.gates.live_in_monthly_pay_yuan} "
                        f"is below the minimum wage {floor} yuan/month")
    problems += [f"jobs.{name}: job names are letters, digits and underscores"
                 for name in params.jobs if not name.replace("_", "").isalnum()
                 or not name.isascii()]
    if problems:
        raise ParameterError(problems)
    return params


def _ints_to_floats(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _ints_to_floats(v) for k, v in node.items()}
    if isinstance(node, int) and not isinstance(node, bool):
        return float(node)
    return node
