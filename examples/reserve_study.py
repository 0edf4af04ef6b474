"""Reserve study of the example street: who needs the renovation programme first?

Run ``python examples/reserve_study.py --charts docs/img`` to also draw the fund chart of the
compound most in need (English and Chinese) into that folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

import propfee as pf
from propfee.reserve import reserve_study
from propfee.reserve.priorities import priority_table, renovation_what_if

street = pf.datasets.sanqiao_like_street()
study = reserve_study(street)                       # 30 years, built-in Taiyuan catalogue
ranking = priority_table(study)
columns = ["rank", "compound_id", "households", "build_year", "years_to_first_shortfall",
           "fund_work_per_household_yuan", "baseline_yuan_per_m2_month"]
with pd.option_context("display.width", 160, "display.max_columns", 10):
    print(ranking[columns].head(10).to_string(index=False, float_format=lambda v: f"{v:,.2f}"))

# The renovation programme takes the ten compounds most in need in year 1.
chosen = ranking["compound_id"].head(10).tolist()
what = renovation_what_if(street, chosen, year=1)
print(what.paths.set_index("year").filter(like="balance").head(5))

renovated = what.renovated
first = renovated.funding().set_index("compound_id").loc[chosen[0]]
print(f"{chosen[0]} after renovation: fund first short in {first['first_shortfall_year']}, "
      f"baseline plan {first['baseline_yuan_per_m2_month']:.2f} yuan/m2/month")

if "--charts" in sys.argv[:-1]:
    from propfee.reserve.report import fund_chart

    folder = Path(sys.argv[sys.argv.index("--charts") + 1])
    for lang in ("en", "zh"):
        fig = fund_chart(renovated, chosen[0], lang=lang)
        fig.savefig(folder / f"reserve-fund-{lang}.png", dpi=110)
        print(f"wrote {folder / f'reserve-fund-{lang}.png'}")
