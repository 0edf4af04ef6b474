"""HTML views of results for notebooks: one compound's budget, a district's table.

The functions read plain data (a result's public attributes, a district's compound
table) and import nothing from :mod:`propfee.budget`, so results can show themselves
(``_repr_html_``) without an import circle.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from typing import Any, Final, Protocol

import numpy as np
import pandas as pd

from propfee.labels import Language, contract_name, label
from propfee.money import yuan_to_fen
from propfee.payers import who_pays

__all__ = ["budget_html", "district_html"]


class _Line(Protocol):
    line: str
    payer: str
    amount_yuan: float


class _Result(Protocol):
    """What :func:`budget_html` reads of a :class:`propfee.budget.BudgetResult`."""

    @property
    def compound_id(self) -> str: ...

    @property
    def contributions(self) -> dict[str, float]: ...

    @property
    def who_pays(self) -> dict[str, float]: ...

    @property
    def lines(self) -> tuple[Any, ...]: ...


_CHANNEL_STEPS: Final = ("shared_property", "self_governance", "street_fallback",
                         "smart_devices", "public_income")
_STYLE = (
    "<style>"
    ".propfee-report table{border-collapse:collapse;margin:0.3em 1.5em 0.8em 0;"
    "font-size:0.9em}"
    ".propfee-report th,.propfee-report td{padding:2px 8px;border-bottom:1px solid #ddd}"
    ".propfee-report td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".propfee-report td.neg{color:#b00020}"
    ".propfee-report .block{display:inline-block;vertical-align:top}"
    ".propfee-report caption{text-align:left;font-weight:bold}"
    "</style>"
)


def _money(value: float) -> str:
    return f"{value:,.2f}".replace("-", "\u2212")


def _unit(lang: Language, per_year: bool = True) -> str:
    if lang == "zh":
        return "元/年" if per_year else "元"
    return "yuan/year" if per_year else "yuan"


def _plain(code: str, lang: Language) -> str:
    return label(code, lang).removesuffix(" [yuan/year]").removesuffix("（元/年）")


def _rows_html(caption: str, rows: Iterable[tuple[str, float | None]], lang: Language) -> str:
    """A two-column table: name, amount [yuan/year], negative amounts in red."""
    body = []
    for name, value in rows:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        cls = "num neg" if value < 0 else "num"
        body.append(f"<tr><th style='text-align:left'>{html.escape(name)}</th>"
                    f"<td class='{cls}'>{_money(value)}</td></tr>")
    head = (f"<tr><th></th><th style='text-align:right'>"
            f"{'金额' if lang == 'zh' else 'Amount'}（{_unit(lang)}）</th></tr>"
            if lang == "zh" else
            f"<tr><th></th><th style='text-align:right'>Amount [{_unit(lang)}]</th></tr>")
    return (f"<table class='block'><caption>{html.escape(caption)}</caption>{head}"
            f"{''.join(body)}</table>")


KEY_FIGURES: Final = (
    "fee_collected_yuan", "public_income_yuan", "total_cost_yuan", "compound_cash_cost_yuan",
    "pool_balance_yuan", "street_subsidy_yuan", "street_total_yuan", "net_public_cost_yuan",
    "market_baseline_balance_yuan", "deficit_reduction_yuan",
)
"""The key figures a notebook view shows, in order."""

WHO_PAYS_LABELS: Final[dict[str, tuple[str, str]]] = {
    "residents_fees": ("Residents' fees (collected)", "居民缴纳的物业费（实收）"),
    "public_income": ("Public-resource income", "公共资源收益"),
    "street_subsidy": ("Street subsidy (a transfer into the pool)", "街道补贴（转入资金池）"),
    "pool_surplus_kept": ("Less: surplus kept in the pool", "减：资金池结余"),
    "lift_levy": ("Lift households' levy", "电梯单元住户分摊"),
    "street_services": ("Street services", "街道承担的服务"),
    "renovation_programme": ("Renovation programme (device capital)", "改造资金（设备投资）"),
    "volunteers_in_kind": ("Volunteers' time (in kind)", "志愿者时间（折价）"),
}
"""Labels of the rows of who pays (:data:`propfee.payers.WHO_PAYS`)."""


def _key_figures(values: Mapping[str, float | None], lang: Language
                 ) -> list[tuple[str, float | None]]:
    return [(_plain(k, lang), values.get(k)) for k in KEY_FIGURES if values.get(k) is not None]


def _who_pays_rows(who: Mapping[str, float], lang: Language) -> list[tuple[str, float | None]]:
    k = 0 if lang == "en" else 1
    rows: list[tuple[str, float | None]] = [(WHO_PAYS_LABELS[name][k], v)
                                            for name, v in who.items()]
    total = int(sum(int(yuan_to_fen(np.array([v]))[0]) for v in who.values())) / 100.0
    rows.append(("= 总成本" if lang == "zh" else "= Total cost", total))
    return rows


def budget_html(result: _Result, *, lang: Language = "en") -> str:
    """HTML summary of one compound's 4+1 budget, for a notebook.

    Shows the key figures (fee, public income, cost, pool balance, street subsidy, net
    public cost, market baseline balance, deficit reduction), the channel credit, who
    pays (adding up to the total cost) and the lines, labelled and formatted with
    thousands separators.

    Parameters
    ----------
    result
        Output of :func:`propfee.evaluate`.
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    str
        An HTML fragment. Amounts in [yuan/year].
    """
    values: dict[str, float | None] = {name: getattr(result, name, None) for name in KEY_FIGURES}
    title = (f"小区 {result.compound_id} 的四管一补预算（{_unit(lang)}）" if lang == "zh"
             else f"4+1 budget of compound {result.compound_id} [{_unit(lang)}]")
    credit = [(label(k, lang), v) for k, v in result.contributions.items()]
    lines = [(f"{label(line.line, lang)} · {label(line.payer, lang)}", line.amount_yuan)
             for line in result.lines if line.amount_yuan]
    return (
        f"<div class='propfee-report'>{_STYLE}<p><b>{html.escape(title)}</b></p>"
        + _rows_html("关键数字" if lang == "zh" else "Key figures",
                     _key_figures(values, lang), lang)
        + (_rows_html(label("chart_channel_credit", lang), credit, lang) if credit else "")
        + _rows_html("由谁承担" if lang == "zh" else "Who pays",
                     _who_pays_rows(result.who_pays, lang), lang)
        + "<br>"
        + _rows_html("项目明细" if lang == "zh" else "Lines", lines, lang)
        + "</div>"
    )


_DISTRICT_COLUMNS: Final = (
    "compound_id", "name", "bundle_id", "households", "total_cost_yuan", "fee_collected_yuan",
    "public_income_yuan", "pool_balance_yuan", "street_subsidy_yuan", "net_public_cost_yuan",
)


class _HasCompounds(Protocol):
    @property
    def compounds(self) -> pd.DataFrame: ...


def district_html(budget: pd.DataFrame | _HasCompounds, *, lang: Language = "en",
                  rows: int = 10) -> str:
    """HTML summary of a district's 4+1 budget, for a notebook.

    Shows the district's key figures, how many compounds need a subsidy, the channel
    credit where the table has it, who pays (adding up to the total cost), then the
    first ``rows`` compounds with labelled columns and formatted numbers.

    Parameters
    ----------
    budget
        Output of :func:`propfee.evaluate_district`, or its compound table
        (:attr:`propfee.budget.DistrictBudget.compounds`).
    lang
        ``"en"`` or ``"zh"``.
    rows
        Compounds shown in the table. [compounds]

    Returns
    -------
    str
        An HTML fragment. Amounts in [yuan/year].
    """
    c = budget if isinstance(budget, pd.DataFrame) else budget.compounds
    money = [k for k in c.columns if str(k).endswith("_yuan") and "per_household" not in str(k)]
    values: dict[str, float | None] = {
        str(k): int(yuan_to_fen(c[k].to_numpy()).sum()) / 100.0 for k in money}
    n = len(c)
    subsidised = int((c["street_subsidy_yuan"] > 0).sum())
    households = int(c["households"].sum())
    title = (f"四管一补预算：{n:,} 个小区，{households:,} 户；{subsidised:,} 个小区需要街道补贴"
             f"（金额单位：{_unit(lang)}）" if lang == "zh" else
             f"4+1 budget: {n:,} compounds, {households:,} households; {subsidised:,} need a "
             f"street subsidy (amounts in {_unit(lang)})")
    credit = [(label(s, lang), values.get(f"contribution_{s}_yuan")) for s in _CHANNEL_STEPS]
    credit = [(k, v) for k, v in credit if v is not None]
    shown = [col for col in _DISTRICT_COLUMNS if col in c.columns]
    head = c[shown].head(rows)
    header = "".join(f"<th>{html.escape(label(col, lang))}</th>" for col in shown)
    names = (dict(zip(head["compound_id"].astype(str), head["name"].astype(str), strict=True))
             if {"compound_id", "name"} <= set(head.columns) else None)
    body = []
    for record in head.itertuples(index=False):
        cells = []
        for col, value in zip(shown, record, strict=True):
            if col.endswith("_yuan"):
                cls = "num neg" if value < 0 else "num"
                cells.append(f"<td class='{cls}'>{_money(float(value))}</td>")
            elif col == "bundle_id":
                cells.append(f"<td>{html.escape(contract_name(str(value), lang, names))}</td>")
            elif isinstance(value, int | np.integer):
                cells.append(f"<td class='num'>{int(value):,}</td>")
            else:
                cells.append(f"<td>{html.escape(str(value))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    more = (f"<p>… {n - rows:,} {'个小区未显示' if lang == 'zh' else 'more compounds'}</p>"
            if n > rows else "")
    return (
        f"<div class='propfee-report'>{_STYLE}<p><b>{html.escape(title)}</b></p>"
        + _rows_html("关键数字" if lang == "zh" else "Key figures",
                     _key_figures(values, lang), lang)
        + (_rows_html(label("chart_channel_credit", lang), credit, lang) if credit else "")
        + _rows_html("由谁承担" if lang == "zh" else "Who pays",
                     _who_pays_rows(who_pays({k: v or 0.0 for k, v in values.items()}), lang),
                     lang)
        + f"<table><tr>{header}</tr>{''.join(body)}</table>{more}</div>"
    )
