"""Write the review of a full mutation run as markdown: the score table and one line per
mutant that survived the full run (killed since by a test, equivalent, or surviving).

Usage, from the repository root, after a full ``bash scripts/mutation.sh`` whose
survivors were saved with ``python scripts/mutation_survivors.py > SURVIVORS`` (before
any were reviewed, with ``EQUIVALENT`` as it was) and re-run by name after the review::

    python scripts/mutation_report.py SURVIVORS > scripts/MUTATION.md

The test that kills a mutant is the first test, of the test files given in
``KILLERS``, that fails with the mutant switched on (pytest ``-x`` in ``mutants/``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import mutation_score

KILLERS = [
    "tests/test_bundling_splits.py", "tests/test_bundling_game.py",
    "tests/test_results_rebuilt.py", "tests/test_channel_context.py",
    "tests/test_bundling.py", "tests/test_money.py", "tests/test_kernels.py",
    "tests/test_baseline.py", "tests/test_budget.py", "tests/test_jobs.py",
    "tests/test_pinned.py", "tests/test_boundaries.py", "tests/test_break_even.py",
    "tests/test_credit_stack.py",
]
"""Test files tried, in order, for the test that kills a reviewed mutant."""


def _codes() -> dict[str, int | None]:
    codes: dict[str, int | None] = {}
    for meta in Path("mutants").rglob("*.py.meta"):
        codes.update(json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {}))
    return codes


def _killer(name: str) -> str:
    env = {**os.environ, "MUTANT_UNDER_TEST": name, "PYTHONPATH": "src",
           "PROPFEE_HYPOTHESIS_PROFILE": "mutation"}
    for path in KILLERS:
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
             "-o", "addopts=", "-rf", path],
            cwd="mutants", env=env, capture_output=True, text=True, check=False)
        for line in run.stdout.splitlines():
            if line.startswith("FAILED "):
                return line.split()[1]
        if run.returncode not in (0, 5):
            return f"{path} (error)"
    return "the selected tests"


def main(survivors_file: str) -> int:
    names = [n.strip() for n in Path(survivors_file).read_text().splitlines() if n.strip()]
    codes = _codes()
    table = io.StringIO()
    with contextlib.redirect_stdout(table):
        mutation_score.main()
    print("# Mutation testing of the money modules\n")
    print("Per-module score of the last run (`python scripts/mutation_score.py`):\n")
    print("```text")
    print(table.getvalue().rstrip())
    print("```\n")
    print(f"## The {len(names)} survivors of the full run\n")
    print("Each one: killed since by a test (the first test that fails with the mutant on), "
          "equivalent (the reason it cannot change any result), or still surviving.\n")
    for name in names:
        if name in mutation_score.EQUIVALENT:
            verdict = f"equivalent: {mutation_score.EQUIVALENT[name]}"
        elif mutation_score._status(codes.get(name)) in mutation_score.KILLED:
            verdict = f"killed by `{_killer(name)}`"
        else:
            verdict = f"survives ({mutation_score._status(codes.get(name))})"
        print(f"- `{name}`: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
