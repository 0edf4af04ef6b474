"""``propfee reserve``: a reserve study of a district, to the screen or Excel."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from propfee.cli._common import (
    SOURCE_DATE_ISO,
    ColumnOption,
    EncodingOption,
    LabelsOption,
    SheetOption,
    as_of_date,
    check_out,
    say,
    table,
    use_language,
)

if TYPE_CHECKING:
    import pandas as pd

    from propfee.reserve.current_state import CurrentState

__all__ = ["reserve"]


def _names(frame: pd.DataFrame) -> dict[str, str] | None:
    """Compound id -> name, when the table has names."""
    if "name" not in frame.columns:
        return None
    return dict(zip(frame["compound_id"].astype(str), frame["name"].fillna("").astype(str),
                    strict=True))


def _state_note(state: CurrentState, compounds: int, zh: bool) -> str:
    """What the 现状 (current state) sheet gave the study, in a line."""
    sheet = state.sheet or ""
    if zh:
        return (f"已读取“{sheet}”表：{state.compounds_used:,} 个小区（共 {compounds:,} 个）"
                "按填写的维修资金余额或改造年份测算，其余按默认假设；收入、人员、合同仅作记录，"
                "本测算不使用")
    return (f"read sheet {sheet!r}: the fund balance or renewal years entered there were "
            f"used for {state.compounds_used:,} of {compounds:,} compounds, the defaults for "
            "the rest; income, staff and contract are kept for the record, not used here")


def reserve(
    compounds_file: Annotated[Path | None, typer.Argument(
        help="Compounds table (.csv, .xlsx or .parquet); default: the example street.",
        exists=True, dir_okay=False)] = None,
    catalogue: Annotated[str, typer.Option(
        help="Component catalogue (TOML) or built-in region name.")] = "taiyuan",
    as_of: Annotated[str, typer.Option(
        "--as-of", help="Catalogue date, YYYY-MM-DD, from 1949-10-01 to 2100-12-31.")]
    = SOURCE_DATE_ISO,
    years: Annotated[int, typer.Option(help="Horizon [years], 1 to 30.", min=1, max=30)] = 30,
    inflation: Annotated[float, typer.Option(help="Cost inflation [1/year].")] = 0.02,
    overrides: Annotated[Path | None, typer.Option(
        help="Per-compound component overrides (CSV, long or wide; any encoding).",
        exists=True, dir_okay=False)] = None,
    renovate: Annotated[str, typer.Option(
        help="Compound ids the renovation programme takes, comma-separated.")] = "",
    renovate_year: Annotated[int, typer.Option(
        help="Year of the renovation, 1 = first.", min=1)] = 1,
    top: Annotated[int, typer.Option(help="Rows of the priority table to print.", min=0)] = 10,
    out: Annotated[Path | None, typer.Option(
        help="Write schedule, fund path, funding plans and priorities (.xlsx).")] = None,
    labels: LabelsOption = "en",
    encoding: EncodingOption = None,
    column: ColumnOption = None,
    sheet: SheetOption = None,
) -> None:
    """Reserve study: component work, special maintenance fund, priorities for renovation.

    A workbook with a 现状 (current state) sheet, as the template has, is read with it:
    the fund starts at the balance entered and components start from the renewal years
    entered. A value given both there and in --overrides is an error.
    """
    lang = use_language(labels)
    zh = lang == "zh"
    import pandas as pd

    from propfee._atomic import atomic_path
    from propfee.io import read_table
    from propfee.reserve import RenovationEvent, ReserveSettings, load_catalogue, reserve_study
    from propfee.reserve.current_state import combine_overrides, read_current_state
    from propfee.reserve.priorities import priority_table
    from propfee.reserve.report import label_reserve_table, write_reserve

    when = as_of_date(as_of, lang)
    check_out(out, compounds_file, overrides, catalogue, suffix=".xlsx", lang=lang)
    frame = table(compounds_file, encoding, column, sheet, lang)
    chosen = load_catalogue(catalogue, when)
    events: tuple[RenovationEvent, ...] = ()
    ids = tuple(i.strip() for i in renovate.split(",") if i.strip())
    if ids:
        events = (RenovationEvent(year=renovate_year, compound_ids=ids),)
    settings = ReserveSettings.model_validate({
        "horizon_years": years, "cost_inflation_rate": inflation, "renovations": events})
    extra: pd.DataFrame | None = None
    if overrides is not None:
        extra = read_table(overrides, encoding=encoding, lang=lang)
    state = None if compounds_file is None else read_current_state(
        compounds_file, frame, chosen, lang=lang)
    if state is not None:
        extra = combine_overrides(state, extra, source=str(overrides), lang=lang)
        say(_state_note(state, len(frame), zh))
    study = reserve_study(frame, chosen, settings, overrides=extra)
    ranking = priority_table(study)
    district = study.district()[["fund_work_yuan", "topup_yuan", "closing_yuan",
                                 "programme_work_yuan"]]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        say(label_reserve_table(district.reset_index(), lang, chosen)
            .to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
        say("")
        say(label_reserve_table(ranking.head(top), lang, chosen)
            .to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
    if out is not None:
        with atomic_path(out) as temp:  # checked above; a stop leaves no file behind
            write_reserve(study, temp, priorities=ranking, labels=lang, catalogue=chosen,
                          names=_names(frame))
        say(f"已写入 {len(study.ids):,} 个小区的维修资金测算：{out}" if zh else
            f"wrote the reserve study of {len(study.ids):,} compounds to {out}")
