"""What the printed report shares: money in 万元 or 元, names in natural order, page setup.

- :func:`money_scale` and :func:`money_unit`: a report shows money in 万元 (ten thousand
  yuan, the unit a budget request uses) or in 元; every figure is computed in fen and
  only divided for display.
- :func:`natural_key`: zone and street names sorted as a reader counts them, 一片区,
  二片区 ... 十片区, 十一片区 (and Z2 before Z10), not in string order.
- contracts are named by :func:`propfee.labels.contract_name` (``zone:Z001`` reads
  "片区 Z001"), never by the internal code.
- :func:`sheet_title`: a sheet's page header, "workbook title：sheet";
- :func:`page_setup`: A4 landscape, one page wide, a title in the header and the date and
  page numbers ("第 &P 页，共 &N 页") in the footer;
- :func:`write_notes`: a notes sheet, a title and one wrapped paragraph a row.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Final, Literal

from propfee.labels import Language

__all__ = [
    "CJK_FONT",
    "INPUT_FILL",
    "YUAN_PER_WAN",
    "MoneyUnit",
    "money_scale",
    "money_unit",
    "natural_key",
    "page_setup",
    "sheet_title",
    "write_notes",
]

MoneyUnit = Literal["wan", "yuan"]
"""Money shown in 万元 (``"wan"``) or 元 (``"yuan"``)."""

YUAN_PER_WAN: Final = 10_000
"""Yuan in one 万元. [yuan/万元]"""

CJK_FONT: Final = "Microsoft YaHei"
"""The font of the report's text, totals rows included: 微软雅黑, which has every CJK
glyph (Excel's default Latin font has none); LibreOffice falls back to a CJK font (Noto
Sans CJK) where it is missing."""

INPUT_FILL: Final = "FFF2CC"
"""Background of the cells a planner may change (the what-if inputs)."""

_DIGITS: Final = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                  "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS: Final = {"十": 10, "百": 100, "千": 1000}
_NUMBER: Final = re.compile(r"\d+|[零〇一二两三四五六七八九十百千]+")


def money_scale(unit: MoneyUnit) -> int:
    """Yuan in one unit of the report's money: 10,000 for 万元, 1 for 元. [yuan/unit]"""
    return YUAN_PER_WAN if unit == "wan" else 1


def money_unit(unit: MoneyUnit, lang: Language, *, per_year: bool = True) -> str:
    """The unit of money as a header shows it.

    Examples
    --------
    >>> money_unit("wan", "zh"), money_unit("yuan", "en", per_year=False)
    ('万元/年', 'yuan')
    """
    zh = lang == "zh"
    base = ("万元" if zh else "10k yuan") if unit == "wan" else ("元" if zh else "yuan")
    if not per_year:
        return base
    return f"{base}/年" if zh else f"{base}/year"


def _chinese_number(text: str) -> int:
    """一 -> 1, 十一 -> 11, 二十 -> 20, 一百零五 -> 105, 十 -> 10."""
    total, digit = 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
    return total + digit


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that orders numbers in names by value, Arabic or Chinese.

    Parameters
    ----------
    text
        A zone, street or compound name.

    Returns
    -------
    tuple
        The key: text parts as text, number parts as numbers.

    Examples
    --------
    >>> sorted(["十一片区", "二片区", "十片区", "一片区"], key=natural_key)
    ['一片区', '二片区', '十片区', '十一片区']
    >>> sorted(["Z10", "Z2", "Z1"], key=natural_key)
    ['Z1', 'Z2', 'Z10']
    """
    parts: list[tuple[int, int | str]] = []
    position = 0
    for match in _NUMBER.finditer(text):
        if match.start() > position:
            parts.append((1, text[position:match.start()]))
        piece = match.group()
        parts.append((0, int(piece) if piece.isdigit() else _chinese_number(piece)))
        position = match.end()
    if position < len(text):
        parts.append((1, text[position:]))
    return tuple(parts)


def sheet_title(title: str, part: str, lang: Language) -> str:
    """A page header of one sheet of a workbook: the workbook's title and the sheet's part.

    Examples
    --------
    >>> sheet_title("共享物业打包方案", "组合", "zh"), sheet_title("Bundles", "Members", "en")
    ('共享物业打包方案：组合', 'Bundles: Members')
    """
    return f"{title}：{part}" if lang == "zh" else f"{title}: {part}"


def page_setup(sheet: Any, *, title: str, lang: Language, printed: dt.date,
               header_row: int | None = None, height_pages: int = 0) -> None:
    """A4 landscape, one page wide, a title in the header, date and page in the footer.

    Parameters
    ----------
    sheet
        An openpyxl worksheet.
    title
        The page header's text.
    lang
        The footer's language.
    printed
        The date in the footer.
    header_row
        A row repeated at the top of every printed page.
    height_pages
        Pages tall the sheet is fitted to (0: as many as it takes).
    """
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = height_pages
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.9
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    if header_row is not None:
        sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.oddHeader.center.text = title.replace("&", "&&")
    sheet.oddHeader.center.size = 11
    zh = lang == "zh"
    sheet.oddFooter.left.text = f"Printed {printed.isoformat()}"
    if zh:
        sheet.oddFooter.left.text = (f"制表日期：{printed.year}年{printed.month}月"
                                     f"{printed.day}日")
    sheet.oddFooter.right.text = "第 &P 页，共 &N 页" if zh else "Page &P of &N"


NOTE_WIDTH: Final = 110
"""Width of the notes column. [characters]"""


def write_notes(sheet: Any, title: str, paragraphs: list[str], *, lang: Language,
                printed: dt.date) -> None:
    """Write a notes sheet: the title, then one wrapped paragraph a row, set up to print.

    Parameters
    ----------
    sheet
        An empty openpyxl worksheet.
    title
        The first row, in bold, and the page header.
    paragraphs
        The notes, one a row; a paragraph starting with "■" is a heading (bold).
    lang
        Language of the footer.
    printed
        The date in the footer.
    """
    from openpyxl.styles import Alignment, Font

    from propfee.excel.tables import display_width
    from propfee.io.writers import inert

    sheet.column_dimensions["A"].width = NOTE_WIDTH
    sheet["A1"] = inert(title)
    sheet["A1"].font = Font(name=CJK_FONT, bold=True, size=14)
    for row, text in enumerate(paragraphs, start=2):
        cell = sheet.cell(row=row, column=1, value=inert(text))
        cell.font = Font(name=CJK_FONT, bold=text.startswith("■"))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        lines = display_width(text) // (NOTE_WIDTH - 6) + 1
        sheet.row_dimensions[row].height = 16.0 * lines + 2
    page_setup(sheet, title=title, lang=lang, printed=printed)
