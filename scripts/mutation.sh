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
mutmut run --max-children "${MUTMUT_CHILDREN:-2}" "$@"
python scripts/mutation_score.py
