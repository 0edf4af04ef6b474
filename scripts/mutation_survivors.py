"""List the mutants of the last ``mutmut run`` that survived (or that no test reached)
and are not in ``EQUIVALENT``, optionally only those matching shell-style patterns.

Usage, from the repository root::

    python scripts/mutation_survivors.py [PATTERN...]          # names, one a line
    bash scripts/mutation.sh $(python scripts/mutation_survivors.py)   # re-run them
"""

from __future__ import annotations

import fnmatch
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from mutation_score import EQUIVALENT


def main(patterns: list[str]) -> int:
    for meta in sorted(Path("mutants").rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        for name, code in sorted(codes.items()):
            if code not in (0, 5, 33) or name in EQUIVALENT:
                continue
            if not patterns or any(fnmatch.fnmatch(name, p) for p in patterns):
                print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
