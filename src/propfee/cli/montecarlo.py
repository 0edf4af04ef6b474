"""``propfee montecarlo``: the fund pools under uncertainty."""

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
    names,
    params,
    plan,
    say,
    table,
    use_language,
    write,
)

__all__ = ["montecarlo"]


def montecarlo(
    compounds_file: CompoundsArgument = None,
    params_source: ParamsOption = "taiyuan",
    as_of: AsOfOption = SOURCE_DATE_ISO,
    plan_source: PlanOption = None,
    draws: Annotated[int, typer.Option(
        help="Number of draws, 1 to 10,000,000.", min=1, max=10_000_000)] = 10000,
    years: Annotated[int, typer.Option(help="Horizon [years], 1 to 100.", min=1, max=100)] = 10,
    seed: Annotated[int, typer.Option(
        help="Seed, 0 to 2^63 - 1; the same seed gives the same numbers.", min=0,
        max=2**63 - 1)] = 0,
    out: TableOutOption = None,
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

    check_out(out, compounds_file, plan_source, params_source, suffix=(".csv", ".xlsx"),
              lang=lang)
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

        settings = ProjectionSettings(horizon_years=years)
        result = monte_carlo(frame, chosen, p, settings, draws=draws, seed=seed,
                             progress=drawn)
        advance()
    from propfee.excel.montecarlo import conclusion, district_figures, figure_text

    for figure in district_figures(result, settings, lang):
        say(f"{figure.what}：{figure_text(figure)} {figure.unit}".rstrip() if zh
            else f"{figure.what}: {figure_text(figure)} {figure.unit}".rstrip())
    say(conclusion(result, settings, lang))
    if out is None:
        return
    if out.suffix.lower() == ".csv":
        write(result.compounds, out, lang)
        return
    from propfee._atomic import atomic_path
    from propfee.excel.montecarlo import write_montecarlo_workbook

    with atomic_path(out) as temp:  # checked above; a stop leaves no file behind
        write_montecarlo_workbook(result, temp, settings=settings, seed=seed, labels=lang,
                                  names=names(frame))
    say(f"已写入 {len(result.compounds):,} 个小区的风险测算：{out}" if zh else
        f"wrote the simulation of {len(result.compounds):,} compounds to {out}")
