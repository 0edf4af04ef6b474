"""Which compounds need the renovation programme first, and what renovating them changes.

:func:`priority_table` ranks a district's compounds by need from one reserve study:

1. fewest years to the fund's first shortfall (never: ``horizon + 1``),
2. then lowest percent funded at the start,
3. then highest cost of fund-eligible work per household over the horizon,
4. then compound id (a stable tie-break).

:func:`renovation_what_if` runs the same study twice, without and with the renovation
programme renewing the chosen compounds' components in a chosen year, and returns the
district's spending by payer and fund balance year by year for both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from propfee.compound import CompoundTable, validate_compounds
from propfee.money import fen_to_yuan
from propfee.reserve.components import Catalogue
from propfee.reserve.study import (
    PAYERS,
    RenovationEvent,
    ReserveSettings,
    ReserveStudy,
    _int_or_na,
    reserve_study,
)

__all__ = ["WhatIf", "priority_table", "renovation_what_if"]


def priority_table(study: ReserveStudy) -> pd.DataFrame:
    """Rank the compounds of a study by need (rules in the module doc).

    Parameters
    ----------
    study
        A reserve study of the district.

    Returns
    -------
    pandas.DataFrame
        One row per compound, most in need first: ``rank``, ``compound_id``,
        ``households``, ``floor_area_m2``, ``build_year``, ``percent_funded_start`` [1],
        ``first_shortfall_year`` [year], ``years_to_first_shortfall`` [year] (``<NA>``
        if never), ``fund_work_yuan`` (fund-eligible work over the horizon) [yuan],
        ``fund_work_per_household_yuan`` [yuan/household], ``deepest_balance_yuan``
        (lowest closing balance) [yuan] and ``baseline_yuan_per_m2_month``
        [yuan/(m2 month)].
    """
    parts = study.components
    t_count = len(study.years)
    short = study.ledger.closing < 0
    years_to = np.where(short.any(axis=0), np.argmax(short, axis=0) + 1, t_count + 1)
    work = fen_to_yuan(study.work_fen["special_maintenance_fund"].sum(axis=(0, 2)))
    per_household = work / parts.households
    pf_start = np.nan_to_num(study.percent_funded_start, nan=np.inf)
    order = np.lexsort((study.ids, -per_household, pf_start, years_to))
    table = pd.DataFrame({
        "compound_id": study.ids,
        "households": parts.households.astype(np.int64),
        "floor_area_m2": parts.floor_area_m2,
        "build_year": parts.build_year.astype(np.int64),
        "percent_funded_start": study.percent_funded_start,
        "first_shortfall_year": _int_or_na(study.first_shortfall_year),
        "years_to_first_shortfall": _int_or_na(
            np.where(years_to <= t_count, years_to, np.nan)),
        "fund_work_yuan": work,
        "fund_work_per_household_yuan": per_household,
        "deepest_balance_yuan": fen_to_yuan(study.ledger.closing.min(axis=0)),
        "baseline_yuan_per_m2_month": study.funding_rate_yuan_per_m2_month("baseline"),
    }).iloc[order].reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table


@dataclass(frozen=True)
class WhatIf:
    """A district without and with renovating some compounds.

    Attributes
    ----------
    base, renovated
        The two reserve studies.
    paths
        One row per year: for each scenario (``base_``, ``renovated_``) the district's
        work paid by each payer (``<scenario>_<payer>_yuan``) and the fund's total
        closing balance (``<scenario>_fund_balance_yuan``). [yuan]
    """

    base: ReserveStudy
    renovated: ReserveStudy
    paths: pd.DataFrame


def renovation_what_if(
    compounds: pd.DataFrame | CompoundTable,
    compound_ids: Sequence[str],
    *,
    year: int = 1,
    components: Sequence[str] | None = None,
    catalogue: Catalogue | None = None,
    settings: ReserveSettings | None = None,
    overrides: pd.DataFrame | None = None,
) -> WhatIf:
    """Renovate these compounds in ``year`` and compare the district's paths.

    Parameters
    ----------
    compounds
        The district's compound table.
    compound_ids
        The compounds the renovation programme takes.
    year
        Year of the horizon of the renovation, 1 = the first. [year]
    components
        The components renewed; ``None``: every component of common parts and shared
        facilities.
    catalogue
        Component catalogue and fund rules.
    settings
        Study settings (their own renovation events apply to both scenarios).
    overrides
        Per-compound overrides.

    Returns
    -------
    WhatIf
    """
    table = compounds if isinstance(compounds, CompoundTable) else validate_compounds(compounds)
    settings = settings or ReserveSettings()
    event = RenovationEvent(year=year, compound_ids=tuple(compound_ids),
                            components=None if components is None else tuple(components))
    changed = settings.model_copy(update={"renovations": (*settings.renovations, event)})
    base = reserve_study(table, catalogue, settings, overrides=overrides)
    renovated = reserve_study(table, catalogue, changed, overrides=overrides)
    columns: dict[str, object] = {"year": base.years}
    for name, study in (("base", base), ("renovated", renovated)):
        for payer in PAYERS:
            columns[f"{name}_{payer}_yuan"] = fen_to_yuan(
                study.work_fen[payer].sum(axis=(1, 2)))
        columns[f"{name}_fund_balance_yuan"] = fen_to_yuan(study.ledger.closing.sum(axis=1))
    return WhatIf(base, renovated, pd.DataFrame(columns))
