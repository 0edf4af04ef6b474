"""Bundling neighbouring compounds: contract cost, fair shares, and the partition optimiser.

- :mod:`propfee.bundling.cost`: the contract price of any set of compounds, vectorised
- :mod:`propfee.bundling.game`: a district's bundling game (the characteristic function)
- :mod:`propfee.bundling.allocation`: fair shares (keys, SCRB, Shapley, core-constrained)
- :mod:`propfee.bundling.optimise`: partition a district into bundles, with a proven gap
- :mod:`propfee.bundling.core`: the core split's one point, exact whatever the solver
- :mod:`propfee.bundling.files`: bundle files in and out (CSV, Excel)
- :mod:`propfee.bundling.report`: the bundles beside today's zones, fair shares and
  savings in whole fen, the planner's workbook

Allocation and optimisation need the ``optimise`` extra (scipy, highspy).
"""

from propfee.bundling.allocation import Split, split_bundle
from propfee.bundling.cost import ContractCosts, contract_costs, spread_m
from propfee.bundling.files import read_bundles, write_bundles
from propfee.bundling.game import BundleGame
from propfee.bundling.optimise import BundlingProblem, BundlingResult, optimise_bundles
from propfee.bundling.report import (
    BundleComparison,
    compare_bundles,
    fair_split,
    write_bundle_workbook,
)

__all__ = [
    "BundleComparison",
    "BundleGame",
    "BundlingProblem",
    "BundlingResult",
    "ContractCosts",
    "Split",
    "compare_bundles",
    "contract_costs",
    "fair_split",
    "optimise_bundles",
    "read_bundles",
    "split_bundle",
    "spread_m",
    "write_bundle_workbook",
    "write_bundles",
]
