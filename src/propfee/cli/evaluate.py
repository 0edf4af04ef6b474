"""``propfee evaluate``: every compound of a file, market baseline and 4+1 budget."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

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
    fmt,
    inputs,
    params,
    plan,
    read_note,
    say,
    table,
    use_language,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SAMPLE_ROWS", "evaluate"]

SAMPLE_ROWS = 64
"""Compounds evaluated first to size the lines table, so an output that cannot hold it
is refused before the work. [compounds]"""


def evaluate(
    compounds_file: Annotated[Path, typer.Argument(
        help="Compounds table: .csv, .xlsx or .parquet; English or Chinese headers.",
        exists=True, dir_okay=False)],
    params_source: ParamsOption = "taiyuan",
    as_of: AsOfOption = SOURCE_DATE_ISO,
    plan_source: PlanOption = None,
    out: Annotated[Path | None, typer.Option(
        help="Write the budget: .xlsx (one sheet per table), .json, .csv (also writes "
             "<name>_lines.csv with the lines, at most 5,000,000), or .parquet (also "
             "<name>_lines.parquet; any size).")] = None,
    bundles: Annotated[Path | None, typer.Option(
        help="Bundle file (.csv or .xlsx, as `propfee bundle --out` writes it): its bundles "
             "are the shared-property contracts, instead of the plan's zones; compounds in "
             "no bundle are alone.", exists=True, dir_okay=False)] = None,
    labels: LabelsOption = "en",
    money: Annotated[str, typer.Option(
        "--money", help="Money on the .xlsx report's summary: wan (万元) or yuan (元).",
        case_sensitive=False)] = "wan",
    range_draws: Annotated[int, typer.Option(
        "--range", min=0, max=4096,
        help="Draws for the headline's 90% range on the .xlsx summary, and the inputs that "
             "move it most on the assumptions sheet (0: none, the quick default; 64 takes "
             "a few seconds more; needs the uncertainty extra).")]
    = 0,
    encoding: EncodingOption = None,
    column: ColumnOption = None,
    sheet: SheetOption = None,
) -> None:
    """Evaluate every compound of a file: market baseline and 4+1 budget, side by side."""
    lang = use_language(labels)
    zh = lang == "zh"
    from propfee.budget import evaluate_district
    from propfee.budget.evaluate import with_bundles
    from propfee.compound import CompoundTable, validate_compounds
    from propfee.io import budget_paths, check_budget_target, write_budget
    from propfee.labels import label_table
    from propfee.progress import phases
    from propfee.report import channel_contributions, summarise_budget

    if money.lower() not in ("wan", "yuan"):
        raise typer.BadParameter("wan or yuan" if not zh else "wan（万元）或 yuan（元）",
                                 param_hint="--money")
    unit: Literal["wan", "yuan"] = "wan" if money.lower() == "wan" else "yuan"
    sources = inputs(compounds_file, plan_source, params_source, bundles)
    if out is not None:
        check_budget_target(out, inputs=sources, lang=lang)
    p = params(params_source, as_of, lang)
    chosen = plan(plan_source, lang)
    with phases(["读取" if zh else "reading", "计算" if zh else "evaluating",
                 "写出" if zh else "writing"]) as advance:
        frame = table(compounds_file, encoding, column, sheet, lang)
        compounds: pd.DataFrame | CompoundTable = frame
        contracts = chosen
        if bundles is not None:  # checked before any work; the sample keeps the plan's own
            compounds = validate_compounds(frame)
            contracts = with_bundles(chosen, bundles, compounds.ids)
        if out is not None and out.suffix.lower() in (".xlsx", ".csv", ".json"):
            sample = evaluate_district(frame.head(SAMPLE_ROWS), chosen, p)  # sizes the lines
            per = len(sample.lines) / len(sample.compounds)
            check_budget_target(out, rows={"compounds": len(frame),
                                           "lines": round(per * len(frame))},
                                inputs=sources, lang=lang)
        advance()
        budget = evaluate_district(compounds, contracts, p, progress=advance,
                                   with_lines=out is not None)
        advance()
        headline = drivers = None
        if out is not None and range_draws and out.suffix.lower() == ".xlsx":
            from propfee.uncertainty import default_ranges, interval
            from propfee.uncertainty.interval import headline_model
            from propfee.uncertainty.sensitivity import tornado

            headline = interval(compounds, contracts, p, n=range_draws)
            drivers = tornado(default_ranges(contracts, params_source, p.as_of),
                              headline_model(compounds, contracts, p))
        if out is not None:
            from propfee.params.loader import load_parameter_file

            write_budget(budget, out, labels=lang, progress=advance, unit=unit,
                         interval=headline, tornado=drivers,
                         parameter_file=load_parameter_file(params_source))
        advance()
    if out is None:
        say(fmt(label_table(summarise_budget(budget), lang)))
        say(fmt(label_table(channel_contributions(budget), lang)))
        return
    written = (" 和 " if zh else " and ").join(str(f) for f in budget_paths(out))
    note = read_note(frame, compounds_file, lang)
    say(f"已写入 {len(budget.compounds):,} 个小区的预算{note}：{written}" if zh else
        f"wrote the budget of {len(budget.compounds):,} compounds{note} to {written}")
