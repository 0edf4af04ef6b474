#!/usr/bin/env bash
# Mutation testing of the modules where money is made and split (not part of CI).
#
#   pip install -e ".[test,dev]"
#   bash scripts/mutation.sh            # run every mutant, then print the score
#   bash scripts/mutation.sh NAME...    # run only the named mutants (mutmut's names)
#
# The modules (src/propfee/money.py, baseline.py, budget.py, channels/*.py,
# bundling/allocation.py) and the fast test files that run against each mutant are set
# in [tool.mutmut] of pyproject.toml. Hypothesis runs its "mutation" profile (8 fixed
# examples a property) so that one mutant takes seconds. Results stay in mutants/
# (git-ignored); `mutmut results` lists the survivors, `mutmut show NAME` shows one.
set -euo pipefail
cd "$(dirname "$0")/.."
export PROPFEE_HYPOTHESIS_PROFILE=mutation
if [ "$#" -eq 0 ]; then
    # The functions where money is made and split, most important first (mutmut takes
    # shell-style patterns of mutant names). Left out: HTML and table display, the
    # chunking of large tables, typical compounds and the grade price curve, sampled
    # Shapley (stochastic), key ranking and the layout of GroupLayout (speed paths).
    set -- \
        "propfee.channels.*" \
        "propfee.money.x_yuan_to_fen*" "propfee.money.x_fen_to_yuan*" \
        "propfee.money.x_allocate_fen*" "propfee.money.xǁGroupLayoutǁallocate*" \
        "propfee.money.xǁGroupLayoutǁ_group_sum*" "propfee.money.xǁGroupLayoutǁ_rank*" \
        "propfee.budget.x_shapley_fen*" "propfee.budget.x__report_columns*" \
        "propfee.budget.x__pool_balance_fen*" "propfee.budget.x_budget_arrays*" \
        "propfee.budget.x__credit_fen*" \
        "propfee.baseline.x_baseline_arrays*" "propfee.baseline.x_effective_fee_inputs*" \
        "propfee.bundling.allocation.x_shapley_exact*" \
        "propfee.bundling.allocation.x_coalition_costs*" \
        "propfee.bundling.allocation.x_split_bundle*" \
        "propfee.bundling.allocation.x_least_core*"
fi
mutmut run --max-children "${MUTMUT_CHILDREN:-2}" "$@"
python scripts/mutation_score.py
