"""The contract cost of a bundle, the characteristic function of the bundling game.

The function lives with the shared-property channel (:mod:`propfee.channels.contract`),
so the 4+1 budget and the bundling game price a contract by the same code without the
budget importing the bundling package; it is re-exported here.
"""

from propfee.channels.contract import ContractCosts, contract_costs, spread_m, trip_share

__all__ = ["ContractCosts", "contract_costs", "spread_m", "trip_share"]
