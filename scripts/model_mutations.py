"""Apply hand-written model mutations, one at a time, to a copy of the sources and
check that the given tests fail on each.

Usage (from the repository root, in the project's environment)::

    python scripts/model_mutations.py [pytest test paths...]

Each mutation is a literal text replacement in one file of ``src/propfee``; the script
copies ``src`` to a temporary folder, edits the copy, and runs pytest with that copy
first on ``PYTHONPATH``. The working tree is never changed. Exit status 1 if any
mutation survives (every selected test passes) or does not apply.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MUTATIONS: list[tuple[str, str, str, str]] = [
    (
        "device running costs paid by the renovation programme instead of the fund pool",
        "channels/devices.py",
        '"upkeep", "fund_pool",\n                         "running")',
        '"upkeep", "renovation_programme",\n                         "running")',
    ),
    (
        "crews = floor(households / households_per_crew) + 1 instead of ceil(...)",
        "channels/contract.py",
        "np.ceil(hh / shared.households_per_crew - 1e-9)",
        "np.floor(hh / shared.households_per_crew) + 1",
    ),
    (
        "contract margin split by floor area instead of by staff share",
        "channels/shared_property.py",
        "np.stack([staff_share, floor, floor])",
        "np.stack([floor, floor, floor])",
    ),
    (
        "volunteer guard hours converted with the standard hours instead of guard hours",
        "channels/self_governance.py",
        'per_post = (lab.guard_hours_per_year if task.role == "order"\n'
        "                    else lab.standard_hours_per_year)",
        "per_post = lab.standard_hours_per_year",
    ),
]

DEFAULT_TESTS = ["tests/test_pinned.py", "tests/test_boundaries.py"]


def main(argv: list[str]) -> int:
    tests = argv or DEFAULT_TESTS
    survived = 0
    for title, rel, old, new in MUTATIONS:
        with tempfile.TemporaryDirectory(prefix="propfee-mut-") as tmp:
            src = Path(tmp) / "src"
            shutil.copytree(ROOT / "src", src)
            path = src / "propfee" / rel
            text = path.read_text(encoding="utf-8")
            if text.count(old) != 1:
                print(f"NOT APPLIED  {title}: pattern not found once in {rel}")
                survived += 1
                continue
            path.write_text(text.replace(old, new), encoding="utf-8")
            env = {**os.environ, "PYTHONPATH": str(src)}
            run = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf",
                 "-p", "no:randomly", *tests],
                cwd=ROOT, env=env, capture_output=True, text=True, check=False,
            )
            failed = sorted({ln.split()[1].split("[")[0] for ln in run.stdout.splitlines()
                             if ln.startswith("FAILED")})
            if run.returncode == 0:
                print(f"SURVIVED     {title}")
                survived += 1
            else:
                print(f"KILLED       {title}, by:")
                for name in failed or [run.stdout[-300:]]:
                    print(f"                 {name}")
    return 1 if survived else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
