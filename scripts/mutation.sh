#!/usr/bin/env bash
# Mutation testing of every module that computes money, counts work or splits a cost (not part of CI).
#
#   pip install -e ".[test,dev]"
#   bash scripts/mutation.sh            # every mutant not yet run, then print the score
#   bash scripts/mutation.sh NAME...    # (re-)run only the named mutants (mutmut's names or
#                                       # shell-style patterns), then print the score
#
# The modules (money, baseline, payers, compare, fees, staffing, budget/, work/,
# channels/, analysis/, reserve/ and the bundling splits) and the fast test files that
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
