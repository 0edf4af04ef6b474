"""Units of parameter values, checked and converted with :mod:`pint`.

Every entry of a parameter file states its unit (``"yuan/month"``, ``"h/day"``,
``"households/staff"``, ``"1"`` for a pure number, ``"-"`` for text). The unit the
model expects for a path is the unit of that path in the built-in parameter file. A
value given in another but compatible unit is converted (24,000 yuan/year is 2,000
yuan/month); an incompatible unit is an error naming the path.

Units are written as in the built-in file: ``/`` divides, a space multiplies inside
parentheses (``yuan/(m2 month)``), ``m2`` is a square metre. Besides time and length
the registry knows counting units: ``yuan`` (元, ``wan_yuan`` = 万元), ``household``
(户), ``staff`` and ``FTE`` (one full-time staff member), ``person`` (人), ``use``,
``visit``, ``building``, ``gate``, ``lift``, ``space``, ``device``, ``job``, ``compound``,
``trip``, ``tank``; and mass (``kg``, ``t``, a tonne). A plural
(``households``, ``uses``) is the same unit. A year is 365 days and a month a twelfth
of a year, as in the kernels.
"""

from __future__ import annotations

import functools
import re
from typing import Any

__all__ = ["UnitError", "convert", "dimensionality", "same_unit"]

_DEFINITIONS = """
second = [time] = s = sec
minute = 60 * second = min
hour = 60 * minute = h = hr = 小时
day = 24 * hour = d = 天 = 日
week = 7 * day = wk = 周
year = 365 * day = a = yr = 年
month = year / 12 = mo = 月
meter = [length] = m = metre = 米
square_meter = meter ** 2 = 平方米
kilometer = 1000 * meter = km
hectare = 10000 * meter ** 2 = ha
mu = 10000 / 15 * meter ** 2 = 亩
percent = 0.01 = %
yuan = [currency] = 元 = CNY = RMB
wan_yuan = 10000 * yuan = 万元
fen = 0.01 * yuan = 分
household = [household] = hh = 户
staff = [staff]
FTE = staff = fte
person = [person] = 人
use = [use]
visit = [visit]
building = [building]
gate = [gate]
lift = [lift]
space = [space]
device = [device]
job = [job]
unit = [stairwell_unit]
storey = [storey] = 层
tree = [tree] = 棵
gram = [mass] = g = 克
kilogram = 1000 * gram = kg = 公斤
tonne = 1000 * kilogram = t = 吨
compound = [compound] = 小区
trip = [trip] = 趟
tank = [tank]
"""

_SQUARE = re.compile(r"(?<![A-Za-z_])(k?m)([23])(?![0-9])")


def _square(text: str) -> str:
    """``m2`` (also ``m²``, ``㎡``) as pint's ``m**2``."""
    return _SQUARE.sub(r"\1**\2", text.replace("㎡", "m2").replace("²", "2").replace("³", "3"))


class UnitError(ValueError):
    """A unit that cannot be read, or that does not convert to the expected one."""


@functools.lru_cache(maxsize=1)
def _registry() -> Any:
    import pint

    registry: Any = pint.UnitRegistry(
        None, preprocessors=[_square],
        autoconvert_offset_to_baseunit=False)
    for line in _DEFINITIONS.strip().splitlines():
        registry.define(line)
    return registry


@functools.lru_cache(maxsize=256)
def _parse(unit: str) -> Any:
    registry = _registry()
    text = unit.strip()
    try:
        return registry.Quantity(1.0, "dimensionless" if text in ("1", "") else text)
    except Exception as exc:  # pint raises several kinds (undefined unit, syntax)
        raise UnitError(f"cannot read the unit {unit!r}: {exc}") from None


@functools.lru_cache(maxsize=256)
def _parts(unit: str) -> frozenset[str]:
    """The dimensions of a unit's parts: ``h/day`` has {[time]} though it is a pure number,
    so it never converts to ``1`` or ``%``."""
    registry = _registry()
    units = _parse(unit).units
    return frozenset(str(registry.get_dimensionality(name)) for name in units._units
                     if registry.get_dimensionality(name) != {})


def dimensionality(unit: str) -> str:
    """The dimension of a unit, e.g. ``"[currency] / [time]"`` for ``"yuan/month"``.

    Raises
    ------
    UnitError
        If the unit cannot be read.

    Examples
    --------
    >>> dimensionality("yuan/(household year)")
    '[currency] / [household] / [time]'
    """
    return str(_parse(unit).dimensionality)


def same_unit(given: str, expected: str) -> bool:
    """Whether two unit strings are the same text (no conversion needed)."""
    return " ".join(given.split()) == " ".join(expected.split())


def convert(value: float, given: str, expected: str) -> float:
    """``value`` in ``given`` units, expressed in ``expected`` units.

    Parameters
    ----------
    value
        The number. [given]
    given, expected
        Unit strings.

    Returns
    -------
    float
        The number in ``expected`` units, rounded to 12 significant digits. [expected]

    Raises
    ------
    UnitError
        If a unit cannot be read or the two are not compatible.

    Examples
    --------
    >>> convert(24000.0, "yuan/year", "yuan/month")
    2000.0
    >>> convert(8.0, "h/day", "h/year")
    2920.0
    >>> convert(95.0, "%", "1")
    0.95
    """
    if same_unit(given, expected):
        return value
    source, target = _parse(given), _parse(expected)
    if source.dimensionality != target.dimensionality or _parts(given) != _parts(expected):
        raise UnitError(f"unit {given!r} ({source.dimensionality}) does not convert to "
                        f"{expected!r} ({target.dimensionality})")
    factor = float((source / target).to_base_units().magnitude)
    return float(f"{value * factor:.12g}")  # 12 digits: no binary noise (0.95, not 0.9500...01)
