"""Print the mutation score of the last ``mutmut run``, per module and overall.

Score = killed / (killed + survived); mutants listed in ``EQUIVALENT`` (name -> reason)
are left out of both, timeouts count as killed, mutants no selected test reaches
("no tests") count as survived. Run from the repository root after scripts/mutation.sh.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

EQUIVALENT: dict[str, str] = {}
"""Mutant name -> why it cannot change any result (reviewed by hand)."""

KILLED = {"killed", "timeout"}
SURVIVED = {"survived", "no tests"}


def main() -> int:
    root = Path("mutants")
    statuses: dict[str, str] = {}
    for meta in root.rglob("*.py.meta"):
        data = json.loads(meta.read_text(encoding="utf-8"))
        for name, code in data.get("exit_code_by_key", {}).items():
            statuses[name] = _status(code)
    per_module: dict[str, Counter[str]] = {}
    for name, status in statuses.items():
        module = name.split(".x_")[0].split(".xǁ")[0]
        per_module.setdefault(module, Counter())[
            "equivalent" if name in EQUIVALENT else status] += 1
    total: Counter[str] = Counter()
    head = ("module", "killed", "survived", "equiv", "other", "score")
    print(f"{head[0]:40s} {head[1]:>7s} {head[2]:>9s} {head[3]:>6s} {head[4]:>6s} {head[5]:>7s}")
    for module in sorted(per_module):
        c = per_module[module]
        total.update(c)
        _row(module, c)
    _row("overall", total)
    return 0


def _row(label: str, c: Counter[str]) -> None:
    killed = sum(c[s] for s in KILLED)
    survived = sum(c[s] for s in SURVIVED)
    other = sum(v for s, v in c.items() if s not in KILLED | SURVIVED | {"equivalent"})
    score = killed / (killed + survived) if killed + survived else float("nan")
    print(f"{label:40s} {killed:7d} {survived:9d} {c['equivalent']:6d} {other:6d} {score:7.1%}")


def _status(code: int | None) -> str:
    if code is None:
        return "not checked"
    return {0: "survived", 1: "killed", 3: "killed", -24: "timeout", 33: "no tests",
            34: "skipped", 35: "suspicious", 36: "timeout", 37: "caught by type check",
            152: "timeout", 255: "timeout", 5: "no tests"}.get(code, "suspicious")


if __name__ == "__main__":
    sys.exit(main())
