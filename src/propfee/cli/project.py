"""``propfee project``: every compound's fund pool year by year."""

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

__all__ = ["project"]


def project(
    compounds_file: Annotated[Path | None, typer.Argument(
        help="Compounds table (.csv, .xlsx or .parquet); default: the example street.",
        exists=True, dir_okay=False)] = None,
    params_source: ParamsOption = "taiyuan",
    as_of: AsOfOption = SOURCE_DATE_ISO,
    plan_source: PlanOption = None,
    years: Annotated[int, typer.Option(help="Horizon [years], 1 to 100.", min=1, max=100)] = 10,
    wage_growth: Annotated[float, typer.Option(help="Wage growth [1/year].")] = 0.05,
    inflation: Annotated[float, typer.Option(help="Price inflation [1/year].")] = 0.02,
    interest: Annotated[float, typer.Option(
        help="Interest on the pool [1/year], 0 to 0.5.", min=0.0, max=0.5)] = 0.015,
    out: Annotated[Path | None, typer.Option(help="Write the funding table (.csv).")] = None,
    labels: LabelsOption = "en",
    encoding: EncodingOption = None,
    column: ColumnOption = None,
    sheet: SheetOption = None,
) -> None:
    """Project every compound's fund pool year by year and the contribution that keeps it >= 0."""
    lang = use_language(labels)
    zh = lang == "zh"
    from propfee.analysis import ProjectionSettings
    from propfee.analysis import project as run_projection
    from propfee.labels import label_table
    from propfee.progress import phases

    check_out(out, compounds_file, plan_source, params_source, lang=lang)
    p = params(params_source, as_of, lang)
    chosen = plan(plan_source, lang)
    settings = ProjectionSettings.model_validate({
        "horizon_years": years, "wage_growth_rate": wage_growth,
        "price_inflation_rate": inflation, "interest_rate": interest})
    with phases(["读取" if zh else "reading", "预测" if zh else "projecting"]) as advance:
        frame = table(compounds_file, encoding, column, sheet, lang)
        advance()
        result = run_projection(frame, chosen, p, settings, progress=advance)
        advance()
    district = result.district()[["fee_income_yuan", "net_yuan", "balance_yuan"]]
    say(fmt(label_table(district, lang) if zh else district))
    total = result.funding["baseline_contribution_yuan"].sum()
    say(f"使每个资金池不为负的每年稳定补充：{total:,.2f} 元/年" if zh else
        f"steady yearly contribution to keep every pool >= 0: {total:,.2f} yuan/year")
    if out is not None:
        write(result.funding, out, lang)
