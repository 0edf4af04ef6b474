"""``propfee montecarlo``: the fund pools under uncertainty."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from propfee.cli._common import (
    SOURCE_DATE_ISO,
    AsOfOption,
    ColumnOption,
    EncodingOption,
    LabelsOption,
    ParamsOption,
    PlanOption,
    SheetOption,
    check_out,
    fmt,
    params,
    plan,
    say,
    table,
    use_language,
    write,
)

__all__ = ["montecarlo"]


def montecarlo(
    compounds_file: Annotated[Path | None, typer.Argument(
        help="Compounds table (.csv, .xlsx or .parquet); default: the example street.",
        exists=True, dir_okay=False)] = None,
    params_source: ParamsOption = "taiyuan",
    as_of: AsOfOption = SOURCE_DATE_ISO,
    plan_source: PlanOption = None,
    draws: Annotated[int, typer.Option(
        help="Number of draws, 1 to 10,000,000.", min=1, max=10_000_000)] = 10000,
    years: Annotated[int, typer.Option(help="Horizon [years], 1 to 100.", min=1, max=100)] = 10,
    seed: Annotated[int, typer.Option(
        help="Seed, 0 to 2^63 - 1; the same seed gives the same numbers.", min=0,
        max=2**63 - 1)] = 0,
    out: Annotated[Path | None, typer.Option(
        help="Write the per-compound table (.csv).")] = None,
    labels: LabelsOption = "en",
    encoding: EncodingOption = None,
    column: ColumnOption = None,
    sheet: SheetOption = None,
) -> None:
    """Simulate the fund pools under uncertainty: chance of going negative, subsidy quantiles."""
    lang = use_language(labels)
    zh = lang == "zh"
    from propfee.analysis import ProjectionSettings, monte_carlo
    from propfee.progress import phases

    check_out(out, compounds_file, plan_source, params_source, lang=lang)
    p = params(params_source, as_of, lang)
    chosen = plan(plan_source, lang)
    with phases(["读取" if zh else "reading",
                 f"{draws:,} 次抽样" if zh else f"{draws:,} draws"]) as advance:
        frame = table(compounds_file, encoding, column, sheet, lang)
        advance()
        done = [0]

        def drawn(size: int) -> None:
            done[0] += size
            advance(done[0] / draws)

        result = monte_carlo(frame, chosen, p, ProjectionSettings(horizon_years=years),
                             draws=draws, seed=seed, progress=drawn)
        advance()
    say(fmt(result.district.to_frame("全区" if zh else "district")))
    if out is not None:
        write(result.compounds, out, lang)
