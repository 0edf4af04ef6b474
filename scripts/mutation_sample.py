"""Print mutant names for a time-boxed ``mutmut run``: every survivor of the last run
(to re-check it against new tests) and every k-th mutant of the functions not run yet.

Usage, from the repository root after a (possibly interrupted) scripts/mutation.sh::

    bash scripts/mutation.sh $(python scripts/mutation_sample.py)

Sampling one mutant in ``k`` of a function, in mutmut's numbering, estimates its score
without bias; the rates are set in ``EVERY`` (pattern -> k, first match wins).
"""

from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path

EVERY: list[tuple[str, int]] = [
    ("propfee.money.*", 1),
    ("propfee.channels.devices.x_apply*", 2),
    ("propfee.channels.self_governance.x_apply*", 2),
    ("propfee.channels.shared_property.x_apply*", 3),
    ("propfee.channels.*", 8),
    ("propfee.budget.*", 8),
    ("propfee.baseline.*", 8),
]
IN_SCOPE = [
    "propfee.channels.*", "propfee.money.x_yuan_to_fen*", "propfee.money.x_fen_to_yuan*",
    "propfee.money.x_allocate_fen*", "propfee.money.xǁGroupLayoutǁallocate*",
    "propfee.money.xǁGroupLayoutǁ_group_sum*", "propfee.money.xǁGroupLayoutǁ_rank*",
    "propfee.budget.x_shapley_fen*", "propfee.budget.x__report_columns*",
    "propfee.budget.x__pool_balance_fen*", "propfee.budget.x_budget_arrays*",
    "propfee.budget.x__credit_fen*", "propfee.baseline.x_baseline_arrays*",
    "propfee.baseline.x_effective_fee_inputs*", "propfee.bundling.allocation.x_shapley_exact*",
    "propfee.bundling.allocation.x_coalition_costs*",
    "propfee.bundling.allocation.x_split_bundle*", "propfee.bundling.allocation.x_least_core*",
]


def main() -> None:
    names = []
    for meta in sorted(Path("mutants").rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        for name, code in codes.items():
            if not any(fnmatch.fnmatch(name, p) for p in IN_SCOPE):
                continue
            if code in (0, 33):  # survived, or no test reached it
                names.append(name)
            elif code is None:
                k = next(k for p, k in EVERY if fnmatch.fnmatch(name, p))
                number = int(re.sub(r".*__mutmut_", "", name))
                if number % k == 0 or k == 1:
                    names.append(name)
    print("\n".join(names))


if __name__ == "__main__":
    main()
