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
    "CostItemParams",
    "FeeParams",
    "ParameterSet",
    "PricingParams",
    "RoleParams",
    "StaffingParams",
    "TaxParams",
    "WageParams",
]

Rate = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
NonNeg = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0.0, allow_inf_nan=False)]

NormKind = Literal["per_households", "per_floor_m2", "per_green_m2", "per_gate_post"]
"""How a role's staff demand is derived from a compound.

- ``per_households``: demand = households / ``units_per_staff`` [households/staff]
- ``per_floor_m2``: demand = floor area / ``units_per_staff`` [m2/staff]
- ``per_green_m2``: demand = green area / ``units_per_staff`` [m2/staff]
- ``per_gate_post``: demand = gates x ``post_hours_per_day`` x 365 /
  ``productive_hours_per_staff_year``
"""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class RoleParams(_Frozen):
    """Staffing norm and pay of one role.

    Attributes
    ----------
    norm
        Which compound quantity drives the demand (see ``NormKind``).
    units_per_staff
        Households, m2 of floor area or m2 of green area one staff member serves;
        unused for ``per_gate_post``. [households/staff] or [m2/staff]
    post_hours_per_day
        Hours a staffed gate post is open each day (``per_gate_post`` only). [h/day]
    productive_hours_per_staff_year
        Hours one full-time staff member works at a post in a year (``per_gate_post``
        only): 2,920 = 8 h x 365 d is three guards on three shifts (三班倒). [h/year]
    monthly_wage_yuan
        Gross monthly wage of one full-time staff member. [yuan/month]
    headcount_step_fte
        Headcount granularity: demand is rounded *up* to a multiple of this step
        (1.0 = whole posts, 0.5 = half-time posts allowed, 0 = no rounding, i.e.
        fractional staff as when a post is shared across compounds). [FTE]
    """

    norm: NormKind
    units_per_staff: Positive = 1.0
    post_hours_per_day: Annotated[float, Field(ge=0.0, le=24.0, allow_inf_nan=False)] = 24.0
    productive_hours_per_staff_year: Positive = 2920.0
    monthly_wage_yuan: NonNeg
    headcount_step_fte: NonNeg = 1.0


class StaffingParams(_Frozen):
    """The five staff roles of a property service and their on-costs.

    Attributes
    ----------
    cleaning, order, maintenance, greening, management
        Per-role norm and wage (清洁, 秩序维护, 维修, 绿化, 管理/客服).
    social_insurance_rate
        Employer social insurance and housing fund, as a share of wages. [1]
    welfare_rate
        Employee welfare (福利费), as a share of wages. [1]
    """

    cleaning: RoleParams
    order: RoleParams
    maintenance: RoleParams
    greening: RoleParams
    management: RoleParams
    social_insurance_rate: Rate
    welfare_rate: Rate


class CostItemParams(_Frozen):
    """Unit prices of the non-staff official cost items (2003 rules art. 11, 2007 audit rules).

    Attributes
    ----------
    upkeep_yuan_per_m2_year
        Day-to-day running and upkeep of shared parts and equipment of a new
        compound, per m2 of floor area. [yuan/(m2 year)]
    age_factor_slope_per_year
        Growth of upkeep with building age: factor = min(1 + slope x age, cap). [1/year]
    age_factor_cap
        Upper limit of the age factor. [1]
    cleaning_materials_yuan_per_household_year
        Cleaning materials and garbage bags. [yuan/(household year)]
    greening_materials_yuan_per_green_m2_year
        Plants, fertiliser, water for green area. [yuan/(m2 year)]
    office_yuan_per_household_year
        Office costs (办公费用). [yuan/(household year)]
    insurance_yuan_per_m2_year
        Insurance of shared parts and public liability, per m2 of floor area. [yuan/(m2 year)]
    depreciation_yuan_per_staff_year
        Depreciation of the company's fixed assets (tools, uniforms, equipment)
        per staff member. [yuan/(staff year)]
    overhead_share_rate
        Head-office overhead share (管理费分摊) on all other cost items. [1]
    other_yuan_per_household_year
        Other costs approved by the owners. [yuan/(household year)]
    """

    upkeep_yuan_per_m2_year: NonNeg
    age_factor_slope_per_year: NonNeg
    age_factor_cap: Annotated[float, Field(ge=1.0, allow_inf_nan=False)]
    cleaning_materials_yuan_per_household_year: NonNeg
    greening_materials_yuan_per_green_m2_year: NonNeg
    office_yuan_per_household_year: NonNeg
    insurance_yuan_per_m2_year: NonNeg
    depreciation_yuan_per_staff_year: NonNeg
    overhead_share_rate: Rate
    other_yuan_per_household_year: NonNeg


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

    rate_yuan_per_m2_month: NonNeg
    collection_rate: Rate


class WageParams(_Frozen):
    """Wage floor of the region.

    Attributes
    ----------
    minimum_monthly_wage_yuan
        Statutory monthly minimum wage; role wages below it are refused. [yuan/month]
    """

    minimum_monthly_wage_yuan: NonNeg


class ParameterSet(_Frozen):
    """All parameter values in force for one region on one date.

    Attributes
    ----------
    region
        Region name.
    as_of
        The date the values are in force; building ages are counted to this year.
    staffing, costs, pricing, taxes, fees, wages
        The parameter groups.
    """

    region: str
    as_of: dt.date
    staffing: StaffingParams
    costs: CostItemParams
    pricing: PricingParams
    taxes: TaxParams
    fees: FeeParams
    wages: WageParams

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
    problems = [
        f"staffing.{role}.monthly_wage_yuan: {getattr(params.staffing, role).monthly_wage_yuan} "
        f"is below the minimum wage {params.wages.minimum_monthly_wage_yuan} yuan/month"
        for role in ("cleaning", "order", "maintenance", "greening", "management")
        if getattr(params.staffing, role).monthly_wage_yuan
        < params.wages.minimum_monthly_wage_yuan
    ]
    if problems:
        raise ParameterError(problems)
    return params


def _ints_to_floats(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _ints_to_floats(v) for k, v in node.items()}
    if isinstance(node, int) and not isinstance(node, bool):
        return float(node)
    return node
