"""The ``propfee`` command line.

Exit codes: 0 success, 1 bad input (the problems are listed), 2 usage error.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from propfee.baseline import market_baseline, market_baseline_district
from propfee.budget import evaluate_district
from propfee.cli_reserve import reserve
from propfee.compound import Compound
from propfee.datasets import sanqiao_like_street
from propfee.errors import InputError, ParameterError
from propfee.labels import Language
from propfee.params import SOURCE_DATE, ParameterSet, load_parameters
from propfee.plan import default_plan, named_plan
from propfee.report import channel_contributions, summarise_baseline, summarise_budget

__all__ = ["app", "main"]

app = typer.Typer(
    name="propfee",
    help="Budgets of old residential compounds: market baseline and the 4+1 model.",
    no_args_is_help=True,
    add_completion=False,
)

ParamsOption = Annotated[
    str, typer.Option("--params", help="Parameter file (TOML) or built-in region name.")
]
AsOfOption = Annotated[
    str, typer.Option("--as-of", help="Evaluation date, YYYY-MM-DD.")
]


_SOURCE_DATE_ISO = SOURCE_DATE.isoformat()


def _params(params: str, as_of: str) -> ParameterSet:
    try:
        when = dt.date.fromisoformat(as_of)
    except ValueError:
        raise typer.BadParameter(f"not a date: {as_of!r}", param_hint="--as-of") from None
    return load_parameters(params, when)


def _fmt(df: pd.DataFrame) -> str:
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        return df.to_string(float_format=lambda v: f"{v:,.2f}")


@app.command()
def demo(
    params: ParamsOption = "taiyuan",
    as_of: AsOfOption = _SOURCE_DATE_ISO,
    seed: Annotated[int, typer.Option(help="Seed of the example street.")] = 20240709,
) -> None:
    """Evaluate the built-in Sanqiao-like street and the source's 60,000-yuan compound."""
    p = _params(params, as_of)
    one = Compound(
        compound_id="source-example", name="100 households x 100 m2", households=100,
        floor_area_m2_per_household=100.0, build_year=1990, green_area_m2=1000.0,
    )
    r = market_baseline(one, p)
    typer.echo("The source's compound: 100 households x 100 m2 at "
               f"{p.fees.rate_yuan_per_m2_month} yuan/m2/month, built 1990, one staffed gate")
    lines = pd.DataFrame(
        {
            "fee billed [yuan/year]": [r.fee_billed_yuan],
            "fee collected [yuan/year]": [r.fee_collected_yuan],
            "market cost [yuan/year]": [r.total_annual_cost_yuan],
            "balance [yuan/year]": [r.balance_yuan],
            "break-even rate [yuan/m2/month]": [r.break_even_rate_yuan_per_m2_month],
        }
    ).T.rename(columns={0: "value"})
    typer.echo(_fmt(lines))
    street = sanqiao_like_street(seed)
    baseline = market_baseline_district(street, p)
    typer.echo("")
    typer.echo(f"Sanqiao-like street, {len(street)} compounds, "
               f"{int((street['households'] < 100).sum())} under 100 households: "
               "stand-alone market baseline by size class [yuan/year]")
    typer.echo(_fmt(summarise_baseline(baseline)))
    from propfee.compare import compare_plans

    typer.echo("")
    typer.echo("The market baseline and every built-in plan on the street [yuan/year]")
    typer.echo(_fmt(compare_plans(street, params=p)))
    budget = evaluate_district(street, default_plan(), p)
    typer.echo("")
    typer.echo("Market baseline and 4+1 (四管一补, the xinghualing plan, compounds bundled "
               "by zone) side by side [yuan/year]")
    typer.echo(_fmt(summarise_budget(budget)))
    typer.echo("")
    typer.echo("What each channel contributed to the street's pool balance (Shapley value "
               "over the five channels) [yuan/year]")
    typer.echo(_fmt(channel_contributions(budget)))


@app.command()
def plans() -> None:
    """List the built-in 4+1 plans (use a name, or a plan JSON file, with --plan)."""
    from propfee.plan import named_plan, plan_names

    for name in plan_names():
        typer.echo(f"{name}: {named_plan(name).description}")


@app.command()
def evaluate(
    compounds_file: Annotated[Path, typer.Argument(
        help="Compounds table: .csv, .xlsx or .parquet; English or Chinese headers.")],
    params: ParamsOption = "taiyuan",
    as_of: AsOfOption = _SOURCE_DATE_ISO,
    plan: Annotated[Path | None, typer.Option(help="4+1 plan (JSON).")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Write the budget: .xlsx (one sheet per table), .csv or .json.")] = None,
    labels: Annotated[str, typer.Option(help="Report language: en or zh.")] = "en",
) -> None:
    """Evaluate every compound of a file: market baseline and 4+1 budget, side by side."""
    from propfee.io import read_compounds, write_budget
    from propfee.labels import label_table

    if labels not in ("en", "zh"):
        raise typer.BadParameter(f"{labels!r} is not en or zh", param_hint="--labels")
    from propfee.progress import phases

    p = _params(params, as_of)
    lang: Language = "zh" if labels == "zh" else "en"
    with phases(["reading", "evaluating", "writing"]) as advance:
        frame = read_compounds(compounds_file)
        chosen = default_plan() if plan is None else named_plan(str(plan))
        advance()
        budget = evaluate_district(frame, chosen, p)
        advance()
        if out is not None:
            write_budget(budget, out, labels=lang)
        advance()
    if out is None:
        typer.echo(_fmt(label_table(summarise_budget(budget), lang)))
        typer.echo(_fmt(label_table(channel_contributions(budget), lang)))
    else:
        typer.echo(f"wrote the budget of {len(budget.compounds)} compounds to {out}")


@app.command()
def bundle(
    compounds_file: Annotated[Path, typer.Argument(help="Compounds table (CSV) with x_m, y_m.")],
    params: ParamsOption = "taiyuan",
    as_of: AsOfOption = _SOURCE_DATE_ISO,
    plan: Annotated[Path | None, typer.Option(help="4+1 plan (JSON).")] = None,
    max_distance: Annotated[float, typer.Option(help="Largest distance between members [m].")]
    = 200.0,
    max_members: Annotated[int, typer.Option(help="Largest bundle [compounds].")] = 4,
    objective: Annotated[str, typer.Option(help="subsidy, cost or viable.")] = "subsidy",
    time_limit: Annotated[float, typer.Option(help="Time limit of a solve [s].")] = 30.0,
    out: Annotated[Path | None, typer.Option(help="Write the assignment (CSV).")] = None,
) -> None:
    """Find bundles of neighbouring compounds that minimise the street's subsidy or cost."""
    from propfee.bundling import BundleGame, BundlingProblem, optimise_bundles

    p = _params(params, as_of)
    frame = _table(compounds_file)
    chosen = default_plan() if plan is None else named_plan(str(plan))
    if objective not in ("subsidy", "cost", "viable"):
        raise typer.BadParameter(f"{objective!r} is not subsidy, cost or viable",
                                 param_hint="--objective")
    problem = BundlingProblem.model_validate({
        "max_distance_m": max_distance, "max_members": max_members, "objective": objective,
        "time_limit_s": time_limit,
    })
    from propfee.progress import phases

    with phases(["building candidate bundles", "optimising bundles"]) as advance:
        game = BundleGame.from_district(frame, chosen, p)
        advance()
        result = optimise_bundles(game, problem)
        advance()
    multi = result.bundles[result.bundles["members"] > 1]
    typer.echo(f"{len(frame)} compounds -> {len(multi)} bundles, "
               f"{int((result.assignment['members'] == 1).sum())} alone; objective "
               f"{result.objective:,.2f}, bound {result.bound:,.2f}, gap {result.gap:.2%} "
               f"({result.method}, {result.seconds:.1f} s)")
    if out is not None:
        result.assignment.to_csv(out, index=False)
        typer.echo(f"wrote {len(result.assignment)} rows to {out}")


def _table(compounds_file: Path | None) -> pd.DataFrame:
    from propfee.io import read_compounds

    if compounds_file is None:
        return sanqiao_like_street()
    return read_compounds(compounds_file)


@app.command()
def project(
    compounds_file: Annotated[Path | None, typer.Argument(
        help="Compounds table (CSV); default: the example street.")] = None,
    params: ParamsOption = "taiyuan",
    as_of: AsOfOption = _SOURCE_DATE_ISO,
    plan: Annotated[Path | None, typer.Option(help="4+1 plan (JSON).")] = None,
    years: Annotated[int, typer.Option(help="Horizon [years].")] = 10,
    wage_growth: Annotated[float, typer.Option(help="Wage growth [1/year].")] = 0.05,
    inflation: Annotated[float, typer.Option(help="Price inflation [1/year].")] = 0.02,
    interest: Annotated[float, typer.Option(help="Interest on the pool [1/year].")] = 0.015,
    out: Annotated[Path | None, typer.Option(help="Write the funding table (CSV).")] = None,
) -> None:
    """Project every compound's fund pool year by year and the contribution that keeps it >= 0."""
    from propfee.analysis import ProjectionSettings
    from propfee.analysis import project as run_projection

    p = _params(params, as_of)
    chosen = default_plan() if plan is None else named_plan(str(plan))
    settings = ProjectionSettings.model_validate({
        "horizon_years": years, "wage_growth_rate": wage_growth,
        "price_inflation_rate": inflation, "interest_rate": interest})
    from propfee.progress import phases

    with phases(["reading", "projecting"]) as advance:
        table = _table(compounds_file)
        advance()
        result = run_projection(table, chosen, p, settings)
        advance()
    district = result.district()[["fee_income_yuan", "net_yuan", "balance_yuan"]]
    typer.echo(_fmt(district))
    typer.echo(f"steady yearly contribution to keep every pool >= 0: "
               f"{result.funding['baseline_contribution_yuan'].sum():,.2f} yuan/year")
    if out is not None:
        result.funding.to_csv(out, index=False)
        typer.echo(f"wrote {len(result.funding)} rows to {out}")


@app.command()
def montecarlo(
    compounds_file: Annotated[Path | None, typer.Argument(
        help="Compounds table (CSV); default: the example street.")] = None,
    params: ParamsOption = "taiyuan",
    as_of: AsOfOption = _SOURCE_DATE_ISO,
    plan: Annotated[Path | None, typer.Option(help="4+1 plan (JSON).")] = None,
    draws: Annotated[int, typer.Option(help="Number of draws.")] = 10000,
    years: Annotated[int, typer.Option(help="Horizon [years].")] = 10,
    seed: Annotated[int, typer.Option(help="Seed; the same seed gives the same numbers.")] = 0,
    out: Annotated[Path | None, typer.Option(help="Write the per-compound table (CSV).")] = None,
) -> None:
    """Simulate the fund pools under uncertainty: chance of going negative, subsidy quantiles."""
    from propfee.analysis import ProjectionSettings, monte_carlo

    p = _params(params, as_of)
    chosen = default_plan() if plan is None else named_plan(str(plan))
    from propfee.progress import phases

    with phases(["reading", f"{draws:,} draws"]) as advance:
        table = _table(compounds_file)
        advance()
        done = [0]

        def drawn(size: int) -> None:
            done[0] += size
            advance(done[0] / draws)

        result = monte_carlo(table, chosen, p, ProjectionSettings(horizon_years=years),
                             draws=draws, seed=seed, progress=drawn)
        advance()
    typer.echo(_fmt(result.district.to_frame("district")))
    if out is not None:
        result.compounds.to_csv(out, index=False)
        typer.echo(f"wrote {len(result.compounds)} rows to {out}")


@app.command()
def schema(
    model: Annotated[str, typer.Argument(
        help="compound, plan, params, projection, bundling, baseline-result, budget-result "
             "or all.")] = "all",
) -> None:
    """Print the JSON Schema of propfee's input and result models."""
    import json

    from propfee.schemas import json_schemas

    schemas = json_schemas()
    if model != "all" and model not in schemas:
        raise typer.BadParameter(f"{model!r}: one of {', '.join(schemas)} or all",
                                 param_hint="MODEL")
    chosen = schemas if model == "all" else schemas[model]
    typer.echo(json.dumps(chosen, indent=2, ensure_ascii=False))


@app.command()
def template(
    out: Annotated[Path, typer.Argument(help="The empty sheet to write: .xlsx or .csv.")],
    labels: Annotated[str, typer.Option(help="Header language: en or zh.")] = "en",
) -> None:
    """Write an empty compounds sheet with the right columns and units."""
    from propfee.io import write_template

    if labels not in ("en", "zh"):
        raise typer.BadParameter(f"{labels!r} is not en or zh", param_hint="--labels")
    write_template(out, labels="zh" if labels == "zh" else "en")
    typer.echo(f"wrote {out}")


app.command()(reserve)


def main() -> None:
    """Run the command line; bad input exits with status 1 and lists every problem."""
    try:
        app()
    except (InputError, ParameterError) as exc:
        typer.echo(str(exc), err=True)
        raise SystemExit(1) from None
