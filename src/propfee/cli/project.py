"""``propfee project``: every compound's fund pool year by year."""

from __future__ import annotations

from typing import Annotated

import typer

from propfee.cli._common import (
    SOURCE_DATE_ISO,
    AsOfOption,
    ColumnOption,
    CompoundsArgument,
    EncodingOption,
    LabelsOption,
    ParamsOption,
    PlanOption,
    SheetOption,
    TableOutOption,
    check_out,
    fmt,
    names,
    params,
    plan,
    say,
    table,
    use_language,
    write,
)

__all__ = ["project"]


def project(
    compounds_file: CompoundsArgument = None,
    params_source: ParamsOption = "taiyuan",
    as_of: AsOfOption = SOURCE_DATE_ISO,
    plan_source: PlanOption = None,
    years: Annotated[int, typer.Option(help="Horizon [years], 1 to 100.", min=1, max=100)] = 10,
    wage_growth: Annotated[float, typer.Option(help="Wage growth [1/year].")] = 0.05,
    inflation: Annotated[float, typer.Option(help="Price inflation [1/year].")] = 0.02,
    interest: Annotated[float, typer.Option(
        help="Interest on the pool [1/year], 0 to 0.5.", min=0.0, max=0.5)] = 0.015,
    out: TableOutOption = None,
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

    check_out(out, compounds_file, plan_source, params_source, suffix=(".csv", ".xlsx"),
              lang=lang)
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
    from propfee.excel.projection import conclusion, contribution_total

    total = contribution_total(result)
    say(f"使每个资金池不为负的每年稳定补充：{total:,.2f} 元/年" if zh else
        f"steady yearly contribution to keep every pool >= 0: {total:,.2f} yuan/year")
    say(conclusion(result, settings, lang))
    if out is None:
        return
    if out.suffix.lower() == ".csv":
        write(result.funding, out, lang)
        return
    from propfee._atomic import atomic_path
    from propfee.excel.projection import write_projection_workbook

    with atomic_path(out) as temp:  # checked above; a stop leaves no file behind
        write_projection_workbook(result, temp, settings=settings, labels=lang,
                                  names=names(frame))
    say(f"已写入 {len(result.funding):,} 个小区的资金池预测：{out}" if zh else
        f"wrote the projection of {len(result.funding):,} compounds to {out}")
