"""Files in and out: compounds from CSV, Excel or Parquet; budgets to CSV, Excel, JSON or
Parquet.

Readers (:mod:`propfee.io.readers`) read what the person sees: text files in UTF-8,
GB18030/GBK (what Excel saves on a Chinese Windows PC), UTF-16 or UTF-32 with or without
a byte-order mark; the active, visible sheet of a workbook (or the one asked for), with
formula cells evaluated and merged cells filled or refused; Parquet columns of numbers or
text. Headers are mapped to propfee's names in English or Chinese, units in headers are
converted, every row is validated, and every problem is reported at once, named by its
cell, in English or Chinese.

Writers (:mod:`propfee.io.writers`) are atomic and inert: every text cell a spreadsheet
would run as a formula is made text, in every table and every format a spreadsheet
opens; JSON and Parquet keep text exactly. Outputs are checked before any work.
"""

from __future__ import annotations

from propfee.io.readers import (
    HEADER_ALIASES,
    MAX_INPUT_BYTES,
    MAX_PLAN_BYTES,
    MAX_TABLE_BYTES,
    read_compounds,
    read_plan,
    read_sheet,
    read_table,
)
from propfee.io.writers import (
    BUDGET_SUFFIXES,
    EXCEL_MAX_ROWS,
    FORMULA_START,
    MAX_CSV_LINES,
    budget_paths,
    check_budget_target,
    inert,
    neutralise_formulas,
    write_budget,
    write_table,
    write_template,
)

__all__ = [
    "BUDGET_SUFFIXES",
    "EXCEL_MAX_ROWS",
    "FORMULA_START",
    "HEADER_ALIASES",
    "MAX_CSV_LINES",
    "MAX_INPUT_BYTES",
    "MAX_PLAN_BYTES",
    "MAX_TABLE_BYTES",
    "budget_paths",
    "check_budget_target",
    "inert",
    "neutralise_formulas",
    "read_compounds",
    "read_plan",
    "read_sheet",
    "read_table",
    "write_budget",
    "write_table",
    "write_template",
]
