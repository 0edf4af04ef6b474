"""Year 1 of the projection is the budget year: its net is the pool balance up to the
rounding of the budget's lines to the fen."""

from __future__ import annotations

import numpy as np

import propfee as pf
from propfee.analysis.projection import ProjectionSettings, project


def test_year_one_net_is_the_pool_balance_up_to_line_rounding() -> None:
    street = pf.datasets.sanqiao_like_street()
    budget = pf.evaluate_district(street)
    flows = project(street, settings=ProjectionSettings(horizon_years=1)).flows
    net = flows.set_index("compound_id")["net_yuan"]
    balance = budget.compounds.set_index("compound_id")["pool_balance_yuan"].reindex(net.index)
    lines = budget.lines[budget.lines["payer"] == "fund_pool"].groupby(
        "compound_id", observed=True).size().reindex(net.index)
    gap = (net - balance).abs().to_numpy()
    # Half a fen per rounded line, and a little for the float sums.
    assert (gap <= 0.005 * lines.to_numpy() + 1e-6).all()
    # Not a coincidence of zeros: no pool is balanced.
    assert np.abs(balance).min() > 40.0
