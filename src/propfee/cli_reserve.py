"""The ``propfee reserve`` command: a reserve study of a district, to the screen or Excel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from propfee.labels import Language

_SOURCE_DATE_ISO = "2024-07-09"
"""``propfee.params.SOURCE_DATE`` (kept as text so the help needs no import)."""

__all__ = ["reserve"]


def reserve(
    compounds_file: Annotated[Path | None, typer.Argument(
        help="Compounds table (.csv, .xlsx or .parquet); default: the example street.")] = None,
    catalogue: Annotated[str, typer.Option(
        help="Component catalogue (TOML) or built-in region name.")] = "taiyuan",
    as_of: Annotated[str, typer.Option("--as-of", help="Catalogue date, YYYY-MM-DD.")]
    = _SOURCE_DATE_ISO,
    years: Annotated[int, typer.Option(help="Horizon [years], at most 30.")] = 30,
    inflation: Annotated[float, typer.Option(help="Cost inflation [1/year].")] = 0.02,
    overrides: Annotated[Path | None, typer.Option(
        help="Per-compound component overrides (CSV, long or wide).")] = None,
    renovate: Annotated[str, typer.Option(
        help="Compound ids the renovation programme takes, comma-separated.")] = "",
    renovate_year: Annotated[int, typer.Option(help="Year of the renovation, 1 = first.")] = 1,
    top: Annotated[int, typer.Option(help="Rows of the priority table to print.")] = 10,
    out: Annotated[Path | None, typer.Option(
        help="Write schedule, fund path, funding plans and priorities (.xlsx).")] = None,
    labels: Annotated[str, typer.Option(help="Header language: en or zh.")] = "en",
) -> None:
    """Reserve study: component work, special maintenance fund, priorities for renovation."""
    import pandas as pd

    from propfee.io import read_compounds
    from propfee.reserve import RenovationEvent, ReserveSettings, load_catalogue, reserve_study
    from propfee.reserve.priorities import priority_table
    from propfee.reserve.report import label_reserve_table, write_reserve

    if labels not in ("en", "zh"):
        raise typer.BadParameter(f"{labels!r} is not en or zh", param_hint="--labels")
    try:
        when = dt.date.fromisoformat(as_of)
    except ValueError:
        raise typer.BadParameter(f"not a date: {as_of!r}", param_hint="--as-of") from None
    lang: Language = "zh" if labels == "zh" else "en"
    if out is not None and compounds_file is not None and out.resolve() == \
            compounds_file.resolve():
        raise typer.BadParameter("would overwrite the compounds file", param_hint="--out")
    if compounds_file is None:
        from propfee.datasets import sanqiao_like_street

        frame = sanqiao_like_street()
    else:
        frame = read_compounds(compounds_file)
    chosen = load_catalogue(catalogue, when)
    events: tuple[RenovationEvent, ...] = ()
    ids = tuple(i.strip() for i in renovate.split(",") if i.strip())
    if ids:
        events = (RenovationEvent(year=renovate_year, compound_ids=ids),)
    settings = ReserveSettings.model_validate({
        "horizon_years": years, "cost_inflation_rate": inflation, "renovations": events})
    table = None if overrides is None else pd.read_csv(overrides, encoding="utf-8-sig")
    study = reserve_study(frame, chosen, settings, overrides=table)
    ranking = priority_table(study)
    district = study.district()[["fund_work_yuan", "topup_yuan", "closing_yuan",
                                 "programme_work_yuan"]]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        typer.echo(label_reserve_table(district.reset_index(), lang, chosen)
                   .to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
        typer.echo("")
        typer.echo(label_reserve_table(ranking.head(top), lang, chosen)
                   .to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
    if out is not None:
        write_reserve(study, out, priorities=ranking, labels=lang, catalogue=chosen)
        typer.echo(f"wrote the reserve study of {len(study.ids)} compounds to {out}")
