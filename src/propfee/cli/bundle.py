"""``propfee bundle``: bundles of neighbouring compounds that minimise subsidy or cost."""

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
    params,
    plan,
    say,
    table,
    use_language,
    write,
)

__all__ = ["bundle"]


def bundle(
    compounds_file: Annotated[Path, typer.Argument(
        help="Compounds table (.csv, .xlsx or .parquet) with x_m, y_m.", exists=True,
        dir_okay=False)],
    params_source: ParamsOption = "taiyuan",
    as_of: AsOfOption = SOURCE_DATE_ISO,
    plan_source: PlanOption = None,
    max_distance: Annotated[float, typer.Option(
        help="Largest distance between members [m], > 0 and at most 1,000,000.", min=0.0,
        max=1e6)] = 200.0,
    max_members: Annotated[int, typer.Option(
        help="Largest bundle [compounds], 1 to 50.", min=1, max=50)] = 4,
    objective: Annotated[str, typer.Option(help="subsidy, cost or viable.")] = "subsidy",
    time_limit: Annotated[float, typer.Option(
        help="Time for the search [s], > 0: the exact method's start and solve, or the "
        "heuristic's windows (and as long again for its bound); at most 86,400.", min=0.0,
        max=86_400.0)] = 30.0,
    out: Annotated[Path | None, typer.Option(help="Write the assignment (.csv).")] = None,
    labels: LabelsOption = "en",
    encoding: EncodingOption = None,
    column: ColumnOption = None,
    sheet: SheetOption = None,
) -> None:
    """Find bundles of neighbouring compounds that minimise the street's subsidy or cost."""
    lang = use_language(labels)
    zh = lang == "zh"
    from propfee.bundling import BundleGame, BundlingProblem, optimise_bundles
    from propfee.progress import phases

    if objective not in ("subsidy", "cost", "viable"):
        raise typer.BadParameter(f"{objective[:40]!r} is not subsidy, cost or viable",
                                 param_hint="--objective")
    check_out(out, compounds_file, plan_source, params_source, lang=lang)
    p = params(params_source, as_of, lang)
    chosen = plan(plan_source, lang)
    problem = BundlingProblem.model_validate({
        "max_distance_m": max_distance, "max_members": max_members, "objective": objective,
        "time_limit_s": time_limit,
    })
    frame = table(compounds_file, encoding, column, sheet, lang)
    with phases(["构建候选组合" if zh else "building candidate bundles",
                 "优化组合" if zh else "optimising bundles"]) as advance:
        game = BundleGame.from_district(frame, chosen, p)
        advance()
        result = optimise_bundles(game, problem, progress=advance)
        advance()
    multi = result.bundles[result.bundles["members"] > 1]
    alone = int((result.assignment["members"] == 1).sum())
    say(f"{len(frame):,} 个小区 -> {len(multi):,} 个组合，{alone:,} 个单独；目标值 "
        f"{result.objective:,.2f}，下界 {result.bound:,.2f}，差距 {result.gap:.2%}"
        f"（{result.method}，{result.seconds:.1f} 秒）" if zh else
        f"{len(frame):,} compounds -> {len(multi):,} bundles, {alone:,} alone; objective "
        f"{result.objective:,.2f}, bound {result.bound:,.2f}, gap {result.gap:.2%} "
        f"({result.method}, {result.seconds:.1f} s)")
    if out is not None:
        write(result.assignment, out, lang)
