"""The ``propfee`` command line.

Exit codes: 0 success, 1 bad input (the problems are listed), 2 usage error (a bad
option, or an output that cannot be written; the message says what to do), 3 an
internal error (set ``PROPFEE_DEBUG=1`` for the traceback). No command prints a
traceback otherwise.

The module imports only typer at start; pandas, the kernels and optional packages
are imported by the command that needs them, so ``propfee --help`` and usage errors
appear at once.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from propfee.cli_reserve import reserve

if TYPE_CHECKING:
    import pandas as pd

    from propfee.params import ParameterSet
    from propfee.plan import Plan

__all__ = ["app", "main"]


def _exit_code(exc: Exception) -> int:
    """Print an error as a message (never a traceback) and return its exit status."""
    from propfee.errors import InputError, MissingExtraError, ParameterError, UsageError

    if isinstance(exc, UsageError):
        typer.echo(f"Error: {exc}", err=True)
        return 2
    if isinstance(exc, InputError | ParameterError | MissingExtraError):
        typer.echo(str(exc), err=True)
        return 1
    if type(exc).__name__ == "ValidationError":  # pydantic: settings built from options
        errors = exc.errors()  # type: ignore[attr-defined]
        typer.echo("Error: bad option values:", err=True)
        for e in errors:
            typer.echo(f"  - {'.'.join(str(p) for p in e['loc'])}: {e['msg']} "
                       f"(got {e.get('input')!r})", err=True)
        return 2
    if isinstance(exc, BrokenPipeError):  # the reader went away (| head): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        typer.echo(f"Error: cannot access{where}: {exc.strerror or exc}", err=True)
        return 1
    if os.environ.get("PROPFEE_DEBUG"):
        raise exc
    typer.echo(f"internal error ({type(exc).__name__}: {exc}); this is a bug in propfee, "
               "please report it with the command; PROPFEE_DEBUG=1 shows the traceback",
               err=True)
    return 3


class _Commands(TyperGroup):
    """The command group: every command's errors become a message and an exit status."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.TyperException, typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            raise typer.Exit(_exit_code(exc)) from None


app = typer.Typer(
    name="propfee",
    help="Budgets of old residential compounds: market baseline and the 4+1 model.",
    no_args_is_help=True,
    add_completion=False,
    cls=_Commands,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

ParamsOption = Annotated[
    str, typer.Option("--params", help="Parameter file (TOML) or built-in region name.")
]
AsOfOption = Annotated[
    str, typer.Option("--as-of", help="Evaluation date, YYYY-MM-DD.")
]
PlanOption = Annotated[str | None, typer.Option(
    help="4+1 plan: a built-in name (see `propfee plans`) or a plan JSON file.")]
EncodingOption = Annotated[str | None, typer.Option(
    help="Text encoding of a CSV file (utf-8, gbk, gb18030, utf-16...); default: detected.")]
ColumnOption = Annotated[list[str] | None, typer.Option(
    "--column", help="Map a header to a column, HEADER=COLUMN (e.g. 住户=households); "
                     "repeat for several.")]

_SOURCE_DATE_ISO = "2024-07-09"
"""``propfee.params.SOURCE_DATE`` (kept as text so the help needs no import)."""


def _params(params: str, as_of: str) -> ParameterSet:
    from propfee.params import load_parameters

    try:
        when = dt.date.fromisoformat(as_of)
    except ValueError:
        raise typer.BadParameter(f"not a date: {as_of!r}", param_hint="--as-of") from None
    return load_parameters(params, when)


def _plan(plan: str | None) -> Plan:
    """The plan a --plan option names: a built-in plan or a plan JSON file."""
    from propfee.errors import InputError
    from propfee.plan import Plan, default_plan, named_plan, plan_names

    if plan is None:
        return default_plan()
    if plan in plan_names():
        return named_plan(plan)
    path = Path(plan)
    if not path.is_file():
        raise typer.BadParameter(
            f"{plan!r} is neither a built-in plan ({', '.join(plan_names())}) nor a file",
            param_hint="--plan")
    try:
        return Plan.from_json(path.read_bytes())
    except InputError as exc:
        raise InputError(exc.problems, what=f"plan file {plan}") from None


def _mapping(columns: list[str] | None) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in columns or []:
        header, sep, column = item.partition("=")
        if not sep or not header.strip() or not column.strip():
            raise typer.BadParameter(f"{item!r} is not HEADER=COLUMN", param_hint="--column")
        mapping[header.strip()] = column.strip()
    return mapping


def _inputs(*paths: Path | str | None) -> tuple[Path, ...]:
    return tuple(Path(p) for p in paths if p is not None and Path(p).exists())


def _fmt(df: pd.DataFrame) -> str:
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_columns", 20):
        return df.to_string(float_format=lambda v: f"{v:,.2f}")


@app.command()
def demo(
    params: ParamsOption = "taiyuan",
    as_of: AsOfOption = _SOURCE_DATE_ISO,
    seed: Annotated[int, typer.Option(help="Seed of the example street.", min=0)] = 20240709,
) -> None:
    """Evaluate the built-in Sanqiao-like street and the source's 60,000-yuan compound."""
    import pandas as pd

    from propfee.baseline import market_baseline, market_baseline_district
    from propfee.budget import evaluate_district
    from propfee.compound import Compound
    from propfee.datasets import sanqiao_like_street
    from propfee.plan import default_plan
    from propfee.report import channel_contributions, summarise_baseline, summarise_budget

    p = _params(params, as_of)
    one = Compound(
        compound_id="source-example", name="100 households x 100 m2", households=100,
        floor_area_m2_per_household=100.0, build_year=1990, green_area_m2=1000.0,
    )
    r = market_baseline(one, p)
    typer.echo("The source's compound: 100 households x 100 m2 at "
               f"{p.fees.rate_yuan_per_m2_month} yuan/m2/month, built 1990, a market company "
               "alone at service grade 4 (one gate staffed 16 h a day)")
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
        help="Compounds table: .csv, .xlsx or .parquet; English or Chinese headers.",
        exists=True, dir_okay=False)],
    params: ParamsOption = "taiyuan",
    as_of: AsOfOption = _SOURCE_DATE_ISO,
    plan: PlanOption = None,
    out: Annotated[Path | None, typer.Option(
        help="Write the budget: .xlsx (one sheet per table), .json, or .csv (also writes "
             "<name>_lines.csv with the lines).")] = None,
    labels: Annotated[str, typer.Option(help="Report language: en or zh.")] = "en",
    encoding: EncodingOption = None,
    column: ColumnOption = None,
) -> None:
    """Evaluate every compound of a file: market baseline and 4+1 budget, side by side."""
    from propfee.budget import evaluate_district
    from propfee.io import check_budget_target, read_compounds, write_budget
    from propfee.labels import Language, label_table
    from propfee.report import channel_contributions, summarise_budget

    if labels not in ("en", "zh"):
        raise typer.BadParameter(f"{labels!r} is not en or zh", param_hint="--labels")
    from propfee.progress import phases

    inputs = _inputs(compounds_file, plan, params)
    if out is not None:
        check_budget_target(out, inputs=inputs)
    p = _params(params, as_of)
    lang: Language = "zh" if labels == "zh" else "en"
    with phases(["reading", "evaluating", "writing"]) as advance:
        frame = read_compounds(compounds_file, mapping=_mapping(column), encoding=encoding)
        chosen = _plan(plan)
        if out is not None and out.suffix.lower() == ".xlsx":  # Excel's row limit, first
            sample = evaluate_district(frame.head(64), chosen, p)
            per = len(sample.lines) / len(sample.compounds)
            check_budget_target(out, rows={"compounds": len(frame),
                                           "lines": round(per * len(frame))}, inputs=inputs)
        advance()
        budget = evaluate_district(frame, chosen, p, progress=advance)
        advance()
        if out is not None:
            write_budget(budget, out, labels=lang)
        advance()
    if out is None:
        typer.echo(_fmt(label_table(summarise_budget(budget), lang)))
        typer.echo(_fmt(label_table(channel_contributions(budget), lang)))
    else:
        from propfee.io import budget_paths

        typer.echo(f"wrote the budget of {len(budget.compounds)} compounds to "
                   + " and ".join(str(f) for f in budget_paths(out)))


@app.command()
def bundle(
    compounds_file: Annotated[Path, typer.Argument(
        help="Compounds table (CSV) with x_m, y_m.", exists=True, dir_okay=False)],
    params: ParamsOption = "taiyuan",
    as_of: AsOfOption = _SOURCE_DATE_ISO,
    plan: PlanOption = None,
    max_distance: Annotated[float, typer.Option(
        help="Largest distance between members [m], > 0.", min=0.0)] = 200.0,
    max_members: Annotated[int, typer.Option(
        help="Largest bundle [compounds], 1 to 50.", min=1, max=50)] = 4,
    objective: Annotated[str, typer.Option(help="subsidy, cost or viable.")] = "subsidy",
    time_limit: Annotated[float, typer.Option(
        help="Time for the search [s], > 0: the exact method's start and solve, or the "
        "heuristic's windows (and as long again for its bound).", min=0.0)] = 30.0,
    out: Annotated[Path | None, typer.Option(help="Write the assignment (CSV).")] = None,
    encoding: EncodingOption = None,
    column: ColumnOption = None,
) -> None:
    """Find bundles of neighbouring compounds that minimise the street's subsidy or cost."""
    from propfee.bundling import BundleGame, BundlingProblem, optimise_bundles

    _check_out(out, compounds_file, plan, params)
    p = _params(params, as_of)
    frame = _table(compounds_file, encoding, column)
    chosen = _plan(plan)
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
        result = optimise_bundles(game, problem, progress=advance)
        advance()
    multi = result.bundles[result.bundles["members"] > 1]
    typer.echo(f"{len(frame)} compounds -> {len(multi)} bundles, "
               f"{int((result.assignment['members'] == 1).sum())} alone; objective "
               f"{result.objective:,.2f}, bound {result.bound:,.2f}, gap {result.gap:.2%} "
               f"({result.method}, {result.seconds:.1f} s)")
    if out is not None:
        _write(result.assignment, out)


def _table(
    compounds_file: Path | None, encoding: str | None = None, column: list[str] | None = None
) -> pd.DataFrame:
    from propfee.io import read_compounds

    if compounds_file is None:
        from propfee.datasets import sanqiao_like_street

        return sanqiao_like_street()
    return read_compounds(compounds_file, mapping=_mapping(column), encoding=encoding)


def _check_out(out: Path | None, *inputs: Path | str | None) -> None:
    """Refuse, before any work, an output that cannot be written or is an input."""
    from propfee._atomic import check_target

    if out is not None:
        if out.suffix.lower() != ".csv":
            raise typer.BadParameter(f"{out}: write a .csv file", param_hint="--out")
        check_target(out, inputs=_inputs(*inputs))


def _write(table: pd.DataFrame, out: Path) -> None:
    from propfee.io import write_table

    write_table(table, out)
    typer.echo(f"wrote {len(table)} rows to {out}")


@app.command()
def project(
    compounds_file: Annotated[Path | None, typer.Argument(
        help="Compounds table (CSV); default: the example street.", exists=True,
        dir_okay=False)] = None,
    params: ParamsOption = "taiyuan",
    as_of: AsOfOption = _SOURCE_DATE_ISO,
    plan: PlanOption = None,
    years: Annotated[int, typer.Option(help="Horizon [years], 1 to 100.", min=1, max=100)] = 10,
    wage_growth: Annotated[float, typer.Option(help="Wage growth [1/year].")] = 0.05,
    inflation: Annotated[float, typer.Option(help="Price inflation [1/year].")] = 0.02,
    interest: Annotated[float, typer.Option(
        help="Interest on the pool [1/year], 0 to 0.5.", min=0.0, max=0.5)] = 0.015,
    out: Annotated[Path | None, typer.Option(help="Write the funding table (CSV).")] = None,
    encoding: EncodingOption = None,
    column: ColumnOption = None,
) -> None:
    """Project every compound's fund pool year by year and the contribution that keeps it >= 0."""
    from propfee.analysis import ProjectionSettings
    from propfee.analysis import project as run_projection

    _check_out(out, compounds_file, plan, params)
    p = _params(params, as_of)
    chosen = _plan(plan)
    settings = ProjectionSettings.model_validate({
        "horizon_years": years, "wage_growth_rate": wage_growth,
        "price_inflation_rate": inflation, "interest_rate": interest})
    from propfee.progress import phases

    with phases(["reading", "projecting"]) as advance:
        table = _table(compounds_file, encoding, column)
        advance()
        result = run_projection(table, chosen, p, settings, progress=advance)
        advance()
    district = result.district()[["fee_income_yuan", "net_yuan", "balance_yuan"]]
    typer.echo(_fmt(district))
    typer.echo(f"steady yearly contribution to keep every pool >= 0: "
               f"{result.funding['baseline_contribution_yuan'].sum():,.2f} yuan/year")
    if out is not None:
        _write(result.funding, out)


@app.command()
def montecarlo(
    compounds_file: Annotated[Path | None, typer.Argument(
        help="Compounds table (CSV); default: the example street.", exists=True,
        dir_okay=False)] = None,
    params: ParamsOption = "taiyuan",
    as_of: AsOfOption = _SOURCE_DATE_ISO,
    plan: PlanOption = None,
    draws: Annotated[int, typer.Option(
        help="Number of draws, 1 to 10,000,000.", min=1, max=10_000_000)] = 10000,
    years: Annotated[int, typer.Option(help="Horizon [years], 1 to 100.", min=1, max=100)] = 10,
    seed: Annotated[int, typer.Option(
        help="Seed, >= 0; the same seed gives the same numbers.", min=0)] = 0,
    out: Annotated[Path | None, typer.Option(help="Write the per-compound table (CSV).")] = None,
    encoding: EncodingOption = None,
    column: ColumnOption = None,
) -> None:
    """Simulate the fund pools under uncertainty: chance of going negative, subsidy quantiles."""
    from propfee.analysis import ProjectionSettings, monte_carlo

    _check_out(out, compounds_file, plan, params)
    p = _params(params, as_of)
    chosen = _plan(plan)
    from propfee.progress import phases

    with phases(["reading", f"{draws:,} draws"]) as advance:
        table = _table(compounds_file, encoding, column)
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
        _write(result.compounds, out)


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
    typer.echo(f"wrote the template to {out}")


app.command()(reserve)


def main() -> None:
    """Run the command line: bad input exits with status 1, usage errors with 2."""
    app()


if __name__ == "__main__":
    main()
