#!/usr/bin/env bash
# Mutation testing of the modules where money is made and split (not part of CI).
#
#   pip install -e ".[test,dev]"
#   bash scripts/mutation.sh            # every mutant not yet run, then print the score
#   bash scripts/mutation.sh NAME...    # (re-)run only the named mutants (mutmut's names or
#                                       # shell-style patterns), then print the score
#
# The modules (src/propfee/money.py, baseline.py, budget.py, channels/*.py,
# bundling/allocation.py, bundling/cost.py, bundling/game.py) and the fast test files that
# run against each mutant are set in [tool.mutmut] of pyproject.toml. Every function of
# those modules is mutated. Hypothesis runs its "mutation" profile (fixed examples) so
# that one mutant takes seconds. Results stay in mutants/ (git-ignored): with an empty
# mutants/ the first form runs every mutant; after an interrupted run it carries on with
# the mutants not run yet; after a source change mutmut resets the changed functions'
# mutants, and the first form runs those again. `mutmut results` lists the survivors,
# `mutmut show NAME` shows one.
set -euo pipefail
cd "$(dirname "$0")/.."
export PROPFEE_HYPOTHESIS_PROFILE=mutation
mutmut run --max-children "${MUTMUT_CHILDREN:-2}" "$@"
python scripts/mutation_score.py
