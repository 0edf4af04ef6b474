"""Which inputs decide a figure: Sobol indices, a tornado, and a sentence that says so.

A model here is any vectorised function of a sample (:data:`Model`): it takes a DataFrame
of draws (one row per draw, one column per input, as :func:`propfee.uncertainty.sample`
makes) and returns one output per draw (an array), or several (a DataFrame, one column
per output). :func:`propfee.uncertainty.interval.headline_model` makes one of a district.

- :func:`sobol_indices`: first-order and total Sobol indices with SALib: Saltelli's
  scheme on a scrambled Sobol sequence (``SALib.sample.sobol``, ``N (k + 2)`` model runs
  for ``k`` factors), Jansen's and Saltelli's estimators (``SALib.analyze.sobol``) and
  bootstrap confidence intervals. The first-order index ``S1`` is the share of the
  output's variance an input explains alone; the total index ``ST`` adds every
  interaction it takes part in. The estimators assume independent inputs, so inputs are
  drawn independently here (correlations are not imposed); the members of a correlation
  group are one factor by default (SALib's groups), so the wages that move together are
  ranked as one driver.
- :func:`tornado`: one input at a time at its low and at its high, the others at their
  values: ``1 + 2k`` model runs, the quick view.
- :func:`drivers_sentence`: the ranking in one plain sentence, in English or Chinese.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee._optional import require
from propfee.errors import UsageError
from propfee.labels import Language, label
from propfee.params.ranges import UncertainInputs
from propfee.uncertainty.sampling import to_values

__all__ = [
    "Model",
    "SobolResult",
    "drivers_sentence",
    "model_outputs",
    "name_of",
    "sobol_indices",
    "tornado",
]

FloatArray = npt.NDArray[np.float64]

Model = Callable[[pd.DataFrame], Any]
"""``f(draws) -> outputs``: a DataFrame of draws (one column per input) to an array of
shape ``(n,)`` (one output), an array ``(n, k)`` or a DataFrame of ``k`` columns (several
outputs), one row per draw."""

_EDGE = 2.0**-53

_INDEX_COLUMNS = ["output", "input", "S1", "S1_conf", "ST", "ST_conf", "rank"]


def model_outputs(result: Any, n: int) -> dict[str, FloatArray]:
    """A model's result as output name -> ``(n,)`` float64 array.

    A DataFrame gives its columns; a Series its name (``"output"`` when it has none); a
    1-D array ``"output"``; a 2-D array ``"output_0"``, ``"output_1"``...

    Raises
    ------
    propfee.errors.UsageError
        If the result does not have one row per draw.
    """
    if isinstance(result, pd.DataFrame):
        outputs = {str(c): result[c].to_numpy(dtype=np.float64) for c in result.columns}
    elif isinstance(result, pd.Series):
        outputs = {str(result.name or "output"): result.to_numpy(dtype=np.float64)}
    elif isinstance(result, Mapping):
        outputs = {str(k): np.asarray(v, dtype=np.float64) for k, v in result.items()}
    else:
        array = np.asarray(result, dtype=np.float64)
        if array.ndim == 1:
            outputs = {"output": array}
        elif array.ndim == 2:
            outputs = {f"output_{k}": array[:, k] for k in range(array.shape[1])}
        else:
            raise UsageError(f"a model returns one value per draw or a column per output; "
                             f"got an array of shape {array.shape}")
    for name, values in outputs.items():
        if values.shape != (n,):
            raise UsageError(f"the model's output {name!r} has shape {values.shape}, not one "
                             f"value for each of the {n} draws")
    return outputs


def _factors(inputs: UncertainInputs, free: list[int], grouped: bool) -> list[str]:
    """The SALib factor of each free input: its correlation group, or its own name."""
    group = {p: k for k, g in inputs.correlations.items() for p in g.paths} if grouped else {}
    return [group.get(inputs.inputs[k].name, inputs.inputs[k].name) for k in free]


@dataclass(frozen=True)
class SobolResult:
    """Sobol indices of every output.

    Attributes
    ----------
    indices
        One row per output and factor: ``output``, ``input`` (an input's name, or a
        correlation group's), ``S1`` and ``ST`` with the half-widths of their confidence
        intervals (``S1_conf``, ``ST_conf``), and ``rank`` (1 = the largest ``ST`` of the
        output). All NaN for an output that does not vary.
    n_base
        ``N``, the base sample size.
    n_runs
        Rows the model evaluated: ``N (k + 2)``.
    conf_level
        Confidence level of the intervals. [1]
    """

    indices: pd.DataFrame
    n_base: int
    n_runs: int
    conf_level: float

    def ranked(self, output: str) -> pd.DataFrame:
        """The factors of one output, largest total index first."""
        rows = self.indices[self.indices["output"] == output]
        if rows.empty:
            raise KeyError(output)
        return rows.sort_values("rank", kind="stable").reset_index(drop=True)

    def sentence(self, output: str, lang: Language = "en", *, top: int = 3,
                 threshold: float = 0.05) -> str:
        """:func:`drivers_sentence` of one output."""
        return drivers_sentence(self.indices, output, lang, top=top, threshold=threshold)


def sobol_indices(
    inputs: UncertainInputs,
    model: Model,
    n: int = 1024,
    seed: int = 0,
    *,
    groups: Literal["correlations"] | None = "correlations",
    conf_level: float = 0.95,
    num_resamples: int = 200,
) -> SobolResult:
    """First-order and total Sobol indices of every output of ``model``.

    Parameters
    ----------
    inputs
        The uncertain inputs; collapsed ones stay at their value and are not factors.
    model
        A vectorised model (:data:`Model`).
    n
        Base sample size ``N``, a power of two (Sobol sequences balance on powers of two);
        the model evaluates ``N (k + 2)`` rows for ``k`` factors.
    seed
        Seed of the Sobol scrambling and of the bootstrap.
    groups
        ``"correlations"``: the members of a correlation group are one factor, named by
        the group; ``None``: every input is its own factor.
    conf_level
        Confidence level of the bootstrap intervals. [1]
    num_resamples
        Bootstrap resamples.

    Returns
    -------
    SobolResult

    Raises
    ------
    propfee.errors.UsageError
        If ``n`` is not a power of two, no input is uncertain, or the model's result does
        not have one row per draw.
    """
    sobol_sample = require("SALib.sample.sobol", feature="Sobol indices", extra="uncertainty")
    sobol_analyze = require("SALib.analyze.sobol", feature="Sobol indices",
                            extra="uncertainty")
    if isinstance(n, bool) or not isinstance(n, int) or n < 2 or n & (n - 1):
        raise UsageError(f"the base sample size of Sobol indices is a power of two (2, 4, ..., "
                         f"1024...), got {n!r}")
    free = [k for k, item in enumerate(inputs.inputs) if not item.collapsed]
    if not free:
        raise UsageError("no input is uncertain: every range is collapsed")
    factors = _factors(inputs, free, groups == "correlations")
    problem: dict[str, Any] = {"num_vars": len(free),
                               "names": [inputs.inputs[k].name for k in free],
                               "bounds": [[0.0, 1.0]] * len(free)}
    distinct = list(dict.fromkeys(factors))
    if len(distinct) < len(factors):
        problem["groups"] = factors
    free_points = np.clip(np.asarray(sobol_sample.sample(
        problem, n, calc_second_order=False, scramble=True, seed=seed), dtype=np.float64),
        _EDGE, 1.0 - _EDGE)
    points = np.full((len(free_points), len(inputs)), 0.5)
    points[:, free] = free_points
    draws = to_values(inputs, points)
    outputs = model_outputs(model(draws), len(draws))
    rows: list[tuple[Any, ...]] = []
    for name, y in outputs.items():
        if not np.isfinite(y).all():
            raise UsageError(f"the model's output {name!r} is not a finite number for every "
                             "draw")
        if float(np.var(y)) == 0.0:
            rows += [(name, f, np.nan, np.nan, np.nan, np.nan, k + 1)
                     for k, f in enumerate(distinct)]
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            si = sobol_analyze.analyze(problem, y, calc_second_order=False,
                                       num_resamples=num_resamples, conf_level=conf_level,
                                       seed=seed)
        order = np.argsort(-np.asarray(si["ST"]), kind="stable")
        rank = np.empty(len(distinct), dtype=np.int64)
        rank[order] = np.arange(1, len(distinct) + 1)
        rows += [(name, f, float(si["S1"][k]), float(si["S1_conf"][k]), float(si["ST"][k]),
                  float(si["ST_conf"][k]), int(rank[k])) for k, f in enumerate(distinct)]
    table = pd.DataFrame(rows, columns=_INDEX_COLUMNS)
    return SobolResult(table, n, len(draws), conf_level)


def tornado(inputs: UncertainInputs, model: Model) -> pd.DataFrame:
    """One input at a time at its low and at its high, the others at their values.

    One model call on ``1 + 2k`` rows (``k`` uncertain inputs): the values, then each
    input at ``low`` and at ``high`` (the range's ends as written; for a lognormal range
    its 5% and 95% quantiles).

    Parameters
    ----------
    inputs
        The uncertain inputs; collapsed ones are left out.
    model
        A vectorised model (:data:`Model`).

    Returns
    -------
    pandas.DataFrame
        One row per output and input: ``output``, ``input``, ``low``, ``high`` (the
        input's ends), ``at_low``, ``at_high`` (the output there), ``base`` (the output at
        every value), ``swing`` (``|at_high - at_low|``) and ``rank`` (1 = the largest
        swing of the output).
    """
    free = [item for item in inputs.inputs if not item.collapsed]
    base = inputs.point
    rows = [base]
    for item in free:
        rows += [{**base, item.name: item.low}, {**base, item.name: item.high}]
    draws = pd.DataFrame(rows, columns=list(inputs.names), dtype=np.float64)
    draws.index.name = "draw"
    outputs = model_outputs(model(draws), len(draws))
    records = []
    for name, y in outputs.items():
        swings = np.abs(y[2::2] - y[1::2])
        order = np.argsort(-swings, kind="stable")
        rank = np.empty(len(free), dtype=np.int64)
        rank[order] = np.arange(1, len(free) + 1)
        for k, item in enumerate(free):
            records.append((name, item.name, item.low, item.high, float(y[1 + 2 * k]),
                            float(y[2 + 2 * k]), float(y[0]), float(swings[k]), int(rank[k])))
    table = pd.DataFrame(records, columns=["output", "input", "low", "high", "at_low",
                                           "at_high", "base", "swing", "rank"])
    return table.sort_values(["output", "rank"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- sentences

_NAMES: dict[str, tuple[str, str]] = {
    "compounds_in_deficit": ("the count of compounds in deficit", "入不敷出小区数"),
    "street_subsidy_yuan": ("the street subsidy", "街道补贴"),
    "net_public_cost_yuan": ("the net public cost", "公共财政净支出"),
    "pool_balance_yuan": ("the fund pool balance", "资金池余额"),
    "wages": ("the wages", "工资水平"),
    "fees.collection_rate": ("the collection rate", "物业费收缴率"),
    "fees.rate_yuan_per_m2_month": ("the fee rate", "物业费标准"),
    "labour.social_insurance_floor_yuan_per_month": ("the social-insurance floor",
                                                     "社保缴费基数下限"),
    "staffing.social_insurance_rate": ("the social-insurance rate", "社保费率"),
    "staffing.welfare_rate": ("the welfare rate", "福利费率"),
    "gates.live_in_monthly_pay_yuan": ("a live-in gatekeeper's pay", "住门卫月工资"),
    "gates.remote_help_yuan_per_gate_year": ("remote help per gate", "每个出入口远程协助费"),
    "quantities.green_m2_per_tree": ("green area per tree", "每棵树对应的绿地面积"),
    "quantities.pipe_m_per_stairwell_unit_storey": ("pipe length per unit and storey",
                                                    "每单元每层管道长度"),
    "quantities.road_m2_per_floor_m2": ("road area per m² of floor",
                                        "每平方米建筑面积的道路面积"),
    "quantities.party_members_per_household": ("party members per household", "每户党员数"),
    "garbage.kg_per_household_day": ("household waste per day", "每户每日垃圾量"),
    "garbage.market_yuan_per_tonne": ("the market price of waste removal", "垃圾清运市场价"),
    "lifts.maintenance_yuan_per_lift_year": ("lift maintenance per lift", "每部电梯维保费"),
    "lifts.inspection_yuan_per_lift_year": ("lift inspection per lift", "每部电梯年检费"),
    "lifts.electricity_yuan_per_lift_year": ("lift electricity per lift", "每部电梯电费"),
    "grades.guidance_tolerance_rate": ("the tolerance around the guidance price",
                                       "指导价浮动幅度"),
    "labour.guard_hours_per_year": ("a guard's hours a year", "门岗每年工时"),
    "labour.overtime_pay_multiple": ("the overtime pay multiple", "加班工资倍数"),
    "labour.standard_hours_per_year": ("standard working hours a year", "每年标准工时"),
    "taxes.surcharge_rate": ("the surcharge rate on VAT", "增值税附加税率"),
    "taxes.vat_rate": ("the VAT rate", "增值税税率"),
    "wages.minimum_hourly_wage_yuan": ("the hourly minimum wage", "小时最低工资"),
    "wages.minimum_monthly_wage_yuan": ("the monthly minimum wage", "月最低工资"),
    "contracts.members_per_trip": ("the compounds one call-out trip serves",
                                   "每趟上门服务的小区数"),
    "contracts.travel_yuan_per_km": ("the crew's driving cost per km", "上门车辆每公里费用"),
    "pricing.profit_rate": ("the market company's profit rate", "物业企业利润率"),
    "pricing.commission_rate": ("the commission rate", "酬金比例"),
    "costs.upkeep_yuan_per_m2_year": ("the upkeep rate", "共用部位日常维护费"),
    "costs.common_electricity_yuan_per_stairwell_unit_year": (
        "common electricity per stairwell unit", "每单元公共用电"),
    "costs.common_water_yuan_per_household_year": ("common water per household", "每户公共用水"),
    "costs.consumables_yuan_per_m2_year": ("consumables per m²", "每平方米易耗品费"),
    "costs.cleaning_materials_yuan_per_household_year": ("cleaning materials per household",
                                                         "每户保洁材料费"),
    "costs.greening_materials_yuan_per_green_m2_year": ("greening materials per m² of green",
                                                        "每平方米绿地的绿化材料费"),
    "costs.office_yuan_per_household_year": ("office costs per household", "每户办公费"),
    "costs.insurance_yuan_per_m2_year": ("insurance per m²", "每平方米公共责任保险"),
    "costs.depreciation_yuan_per_staff_year": ("depreciation per staff member", "每名员工折旧"),
    "costs.overhead_share_rate": ("the head-office overhead share", "管理费分摊比例"),
    "costs.other_yuan_per_household_year": ("other costs per household", "每户其他费用"),
}
"""Names of outputs and inputs in the sentences; other names are built from their parts."""

_ROLE_NAMES = {"cleaning": ("cleaner", "保洁员"), "order": ("guard", "保安"),
               "patrol": ("patrol guard", "巡逻员"), "greening": ("gardener", "绿化工"),
               "management": ("manager", "管理人员")}

_ROLE_FIELDS = {
    "monthly_wage_yuan": ("the {}'s wage", "{}工资"),
    "headcount_step_fte": ("the step in which {} posts are filled", "{}岗位配备步长"),
}

_GRADE_FIELDS = {
    "cleaning_floor_m2_per_staff": ("floor area per cleaner", "每名保洁员负责面积"),
    "greening_green_m2_per_staff": ("green area per gardener", "每名绿化工负责绿地"),
    "management_households_per_staff": ("households per manager", "每名管理人员负责户数"),
    "patrol_hours_per_building_day": ("patrol hours per building and day",
                                      "每栋楼每日巡逻小时"),
    "guidance_yuan_per_m2_month": ("guidance fee rate", "指导价"),
}
_GRADE_ZH = ("", "一级", "二级", "三级", "四级", "五级")

_FIELD_NAMES = {
    "market_price_yuan_per_use": ("the market price of {}", "{}市场价"),
    "uses_per_basis_year": ("the frequency of {}", "{}频次"),
    "age_growth_per_year": ("the yearly growth with age of {}", "{}随房龄年增幅"),
    "age_factor_cap": ("the cap on the age factor of {}", "{}房龄系数上限"),
    "callout_yuan_per_visit": ("the call-out charge of {}", "{}上门费"),
    "uses_per_visit": ("the jobs of {} one visit does", "{}每次上门完成次数"),
    "occupancy_rate": ("the occupancy of {}", "{}使用率"),
    "price_yuan_per_unit_year": ("the price of {}", "{}价格"),
    "discount_rate": ("the shared company's discount on {}", "共享物业{}优惠幅度"),
    "share": ("the volunteers' share of {}", "志愿者承担{}的比例"),
    "materials_yuan_per_household_year": ("the materials of volunteer {}", "志愿{}材料费"),
    "capital_cost_yuan_per_unit": ("the price of {}", "{}购置价"),
    "running_cost_yuan_per_unit_year": ("the running cost of {}", "{}运行费"),
    "price_yuan": ("the street's price of {}", "街道{}费用"),
}
_SECTION_PREFIX = {"jobs": "job_", "shared_property": "job_", "public_income": "income_",
                   "smart_devices": "device_", "self_governance": "volunteer_",
                   "street_fallback": "street_"}


def _lower_first(text: str) -> str:
    """Lower-case a label's first letter unless the first word is an acronym (EV)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def name_of(code: str, lang: Language = "en") -> str:
    """A name for an output or input in a sentence.

    Known names first (:data:`_NAMES`), then names built from the path
    (``staffing.order.monthly_wage_yuan`` -> "the guard's wage" / "保安工资",
    ``grades.g4.cleaning_floor_m2_per_staff`` -> "grade 4: floor area per cleaner",
    ``jobs.pipe_dredging.market_price_yuan_per_use`` -> "the market price of pipe
    dredging"), then :func:`propfee.labels.label`, then the code itself.

    Examples
    --------
    >>> name_of("jobs.small_water_repairs.uses_per_basis_year")
    'the frequency of small water repairs'
    >>> name_of("street_fallback.garbage_removal.price_yuan", "zh")
    '街道垃圾清运费用'
    """
    zh = lang == "zh"
    if code in _NAMES:
        return _NAMES[code][zh]
    parts = code.split(".")
    if len(parts) == 3 and parts[0] == "staffing" and parts[1] in _ROLE_NAMES \
            and parts[2] in _ROLE_FIELDS:
        return _ROLE_FIELDS[parts[2]][zh].format(_ROLE_NAMES[parts[1]][zh])
    if len(parts) == 3 and parts[0] == "grades" and parts[2] in _GRADE_FIELDS \
            and parts[1][1:].isdigit() and 1 <= int(parts[1][1:]) <= 5:
        grade, what = int(parts[1][1:]), _GRADE_FIELDS[parts[2]]
        return f"{_GRADE_ZH[grade]}服务{what[1]}" if zh else f"grade {grade}: {what[0]}"
    if len(parts) >= 3 and parts[0] in _SECTION_PREFIX and parts[-1] in _FIELD_NAMES:
        item = parts[-2]
        shown = label(_SECTION_PREFIX[parts[0]] + item, lang)
        for sep in ("：", ": "):
            shown = shown.split(sep, 1)[-1]
        if shown == _SECTION_PREFIX[parts[0]] + item:
            shown = item.replace("_", " ")
        template = _FIELD_NAMES[parts[-1]][zh]
        return template.format(shown if zh else _lower_first(shown))
    shown = label(code, lang)
    return shown if shown != code else code


def drivers_sentence(table: pd.DataFrame, output: str, lang: Language = "en", *,
                     top: int = 3, threshold: float = 0.05) -> str:
    """One plain sentence: what an output depends on most, and what to measure first.

    Parameters
    ----------
    table
        :attr:`SobolResult.indices` (ranked by the total index ``ST``) or a
        :func:`tornado` table (ranked by ``swing``).
    output
        The output to speak of.
    lang
        ``"en"`` or ``"zh"``.
    top
        Name at most this many inputs.
    threshold
        Leave out inputs whose total index is below it (a tornado's swings: below this
        share of the largest swing). [1]

    Examples
    --------
    >>> import textwrap
    >>> t = pd.DataFrame({"output": ["compounds_in_deficit"] * 2, "input": [
    ...     "fees.collection_rate", "staffing.order.monthly_wage_yuan"], "ST": [0.62, 0.21],
    ...     "rank": [1, 2]})
    >>> print(textwrap.fill(drivers_sentence(t, "compounds_in_deficit"), 80))
    The count of compounds in deficit depends most on the collection rate (total
    index 0.62), then the guard's wage (0.21): measure these first.
    >>> drivers_sentence(t, "compounds_in_deficit", "zh", top=1)
    '入不敷出小区数最取决于物业费收缴率（总效应指数0.62）：应先把这一项测准。'
    """
    zh = lang == "zh"
    rows = table[table["output"] == output].sort_values("rank", kind="stable")
    if rows.empty:
        raise KeyError(output)
    what = name_of(output, lang)
    sobol = "ST" in rows.columns
    scores = rows["ST" if sobol else "swing"].to_numpy(dtype=np.float64)
    if np.isnan(scores).all() or (not sobol and float(np.nanmax(scores)) == 0.0):
        return f"在这些范围内，{what}不变。" if zh else (
            f"{_capital(what)} does not change over the ranges.")
    cut = threshold if sobol else threshold * float(np.nanmax(scores))
    keep = rows[scores >= cut].head(top)
    if keep.empty:
        return (f"没有哪一项单独决定{what}：各项总效应指数都低于{threshold:g}。" if zh else
                f"No single input decides {what}: every total index is below {threshold:g}.")
    money = not sobol and output.endswith("_yuan")
    unit = (" 元" if zh else " yuan") if money else (
        " 个" if zh and not sobol and output == "compounds_in_deficit" else "")
    shown = [f"{x:.2f}" if sobol else f"{x:,.0f}{unit}"
             for x in keep["ST" if sobol else "swing"].to_numpy(dtype=np.float64)]
    names = [name_of(str(c), lang) for c in keep["input"]]
    if zh:
        head = f"{names[0]}（{'总效应指数' if sobol else '变动 '}{shown[0]}）"
        rest = [f"{n}（{s}）" for n, s in zip(names[1:], shown[1:], strict=True)]
        then = "" if not rest else "，其次是" + ("和".join(rest) if len(rest) <= 2
                                                  else "、".join(rest[:-1]) + "和" + rest[-1])
        end = "应先把这几项测准。" if rest else "应先把这一项测准。"
        return f"{what}最取决于{head}{then}：{end}"
    head = f"{names[0]} ({'total index' if sobol else 'swing'} {shown[0]})"
    rest = [f"{n} ({s})" for n, s in zip(names[1:], shown[1:], strict=True)]
    then = "" if not rest else ", then " + (" and ".join(rest) if len(rest) <= 2
                                           else ", ".join(rest[:-1]) + " and " + rest[-1])
    end = "measure these first." if rest else "measure it first."
    return f"{_capital(what)} depends most on {head}{then}: {end}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
