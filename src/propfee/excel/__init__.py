"""Excel workbooks a planner can hand on: the budget report and the compound template.

One module per part of the workbook:

- :mod:`propfee.excel.tables`: the tables of the report (one sheet per table), the
  compound template, and the helpers they share (widths, number formats, exact totals);
- :mod:`propfee.excel.units`: money shown in 万元 or 元, zone and contract names in
  natural order, fonts and page headers of the printed report;
- :mod:`propfee.excel.whatif`: the what-if sheet, one row of Excel formulas per compound,
  recalculated from the fee rate, collection rate and public income typed on the summary;
- :mod:`propfee.excel.summary`: the summary a street leader signs;
- :mod:`propfee.excel.sheet_compound`: one printable budget per compound;
- :mod:`propfee.excel.notice`: the residents' notice (公示表);
- :mod:`propfee.excel.projection`: the workbook of ``propfee project`` (the fund pools
  year by year, the steady contribution each needs);
- :mod:`propfee.excel.montecarlo`: the workbook of ``propfee montecarlo`` (the street
  subsidy's median and 5%-95% interval, the chance a pool goes negative).

Every writer needs the ``excel`` extra.
"""

from propfee.excel.tables import (
    SHEETS,
    display_width,
    exact_total,
    key_figures,
    number_format,
    payer_totals,
    write_budget_workbook,
    write_template_workbook,
)

__all__ = [
    "SHEETS",
    "display_width",
    "exact_total",
    "key_figures",
    "number_format",
    "payer_totals",
    "write_budget_workbook",
    "write_template_workbook",
]
