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
    out: Annotated[Path | None, typer.Option(
        help="Write the bundles: .xlsx (members with their fair shares and savings, "
             "bundles, a summary in words) or .csv (the members); either is a bundle file "
             "for `propfee evaluate --bundles`.")] = None,
    keep_zones: Annotated[bool, typer.Option(
        "--keep-zones", help="Keep today's zones wherever the proposed bundles are worse, "
        "in total or for any member: choose again among bundles that charge no member more "
        "than its zone, and the zones.")] = False,
    labels: LabelsOption = "en",
    encoding: EncodingOption = None,
    column: ColumnOption = None,
    sheet: SheetOption = None,
) -> None:
    """Find bundles of neighbouring compounds that minimise the street's subsidy or cost."""
    lang = use_language(labels)
    zh = lang == "zh"
    from propfee.bundling import BundleGame, BundlingProblem, optimise_bundles
    from propfee.bundling.report import compare_bundles, summary_rows, write_bundle_workbook
    from propfee.compound import validate_compounds
    from propfee.progress import phases

    if objective not in ("subsidy", "cost", "viable"):
        raise typer.BadParameter(
            f"{objective[:40]!r} 应为 subsidy（街道补贴）、cost（成本）或 viable（可持续）" if zh
            else f"{objective[:40]!r} is not subsidy, cost or viable", param_hint="--objective")
    if out is not None and out.suffix.lower() not in (".csv", ".xlsx"):
        raise typer.BadParameter(
            f"{out}：请写 .xlsx 或 .csv 文件" if zh else f"{out}: write a .xlsx or .csv file",
            param_hint="--out")
    check_out(out, compounds_file, plan_source, params_source, suffix=(
        out.suffix.lower() if out is not None else ".csv"), lang=lang)
    p = params(params_source, as_of, lang)
    chosen = plan(plan_source, lang)
    problem = BundlingProblem.model_validate({
        "max_distance_m": max_distance, "max_members": max_members, "objective": objective,
        "time_limit_s": time_limit,
    })
    compounds = validate_compounds(table(compounds_file, encoding, column, sheet, lang))
    with phases(["构建候选组合" if zh else "building candidate bundles",
                 "优化组合" if zh else "optimising bundles",
                 "公平分摊，与现片区比较" if zh else "fair shares, against today's zones"
                 ]) as advance:
        game = BundleGame.from_district(compounds, chosen, p)
        advance()
        result = optimise_bundles(game, problem, progress=advance)
        advance()
        comparison = compare_bundles(game, compounds, result, problem, keep=keep_zones)
        advance()
    for item, text in summary_rows(comparison, lang):
        say(f"{item}：{text}" if zh else f"{item}: {text}")
    if out is not None:
        write_bundle_workbook(out, comparison, labels=lang)
        say(f"已写入 {len(comparison.members):,} 个小区的组合：{out}" if zh
            else f"wrote the bundles of {len(comparison.members):,} compounds to {out}")
