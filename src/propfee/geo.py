"""Coordinates as planners have them: map datums of China, projection to metres, distances.

Planners copy longitude and latitude from Amap (高德) or Tencent maps, which use
**GCJ-02** (国测局坐标, WGS-84 shifted by a published non-linear offset of roughly
100-700 m), from Baidu maps, which use **BD-09** (GCJ-02 with a further shift), and
sometimes from a GPS in **WGS-84**; never plane metres. The bundling model needs metres
(``x_m``, ``y_m``): distances between members and the spread of a contract.

Datums (angles in degrees, ``x = lon - 105``, ``y = lat - 35``)::

    WGS-84 -> GCJ-02:  lat' = lat + dlat(x, y) * 180 / (pi * a (1 - ee) / W^3)
                       lon' = lon + dlon(x, y) * 180 / (pi * a cos(lat) / W)
                       with W = sqrt(1 - ee sin^2 lat), a = 6,378,245 m, ee = 0.00669342162296594323
                       (the Krasovsky 1940 ellipsoid) and dlat, dlon the published sums of
                       sines (:func:`gcj02_offset_m`)
    GCJ-02 -> WGS-84:  the fixed point w = g - offset(w), iterated until the forward
                       transform of w is within :data:`INVERSE_TOLERANCE_M` of g
    GCJ-02 -> BD-09:   z = sqrt(x^2 + y^2) + 2e-5 sin(y pi 3000 / 180),
                       t = atan2(y, x) + 3e-6 cos(x pi 3000 / 180),
                       lon = z cos t + 0.0065, lat = z sin t + 0.006   (x, y: GCJ lon, lat)
    BD-09 -> GCJ-02:   the published approximate inverse, then the same fixed-point
                       iteration as GCJ-02 -> WGS-84

The offset is defined only inside the published rectangle of China (longitude 72.004 to
137.8347, latitude 0.8293 to 55.8271); map services return WGS-84 outside it. A GCJ-02 or
BD-09 point outside that rectangle is a mistake in the data (longitude and latitude
swapped, a coordinate of another country), so it is refused, not passed through.

**Metres.** WGS-84 is projected with pyproj (the ``geo`` extra) to the UTM zone of the
points' mean longitude (zone ``floor((lon + 180) / 6) + 1``, north; Taiyuan, 112.5 E, is
zone 49N, EPSG:32649) unless another CRS is given. UTM is the default because its grid
is fixed: the same compound gets the same ``x_m, y_m`` in every table, so tables
projected apart can be joined. Its scale error is at most 0.04% inside a zone at the
latitudes of China (the scale factor 0.9996 at the central meridian, up to about 1.0004 at
a zone's edge), 8 cm over 200 m; a transverse Mercator on the district's own meridian
(:func:`local_crs`, scale 1) is nearer still but its grid moves with the table.

Distances are as the crow flies between projected points (:func:`crow_fly_distances`), or
a road-distance table the planner supplies (:func:`read_distances`).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final, Literal, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee._optional import require
from propfee.errors import InputError, Problem

__all__ = [
    "CHINA_BOUNDS",
    "COORD_SYSTEMS",
    "INVERSE_TOLERANCE_M",
    "CoordSystem",
    "bd09_to_gcj02",
    "compounds_to_metres",
    "coord_system_name",
    "crow_fly_distances",
    "gcj02_offset_m",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "geodesic_distances",
    "local_crs",
    "project_to_metres",
    "read_distances",
    "to_wgs84",
    "utm_crs",
    "wgs84_to_gcj02",
]

FloatArray = npt.NDArray[np.float64]
CoordSystem = Literal["wgs84", "gcj02", "bd09"]

COORD_SYSTEMS: Final[tuple[CoordSystem, ...]] = ("wgs84", "gcj02", "bd09")
"""The coordinate systems (datums) of longitude and latitude propfee reads."""

_ALIASES: Final[dict[str, CoordSystem]] = {
    "wgs84": "wgs84", "gps": "wgs84", "epsg4326": "wgs84",
    "gcj02": "gcj02", "gcj": "gcj02", "amap": "gcj02", "gaode": "gcj02", "tencent": "gcj02",
    "高德": "gcj02", "腾讯": "gcj02", "火星坐标": "gcj02", "国测局坐标": "gcj02",
    "bd09": "bd09", "bd09ll": "bd09", "baidu": "bd09", "百度": "bd09", "百度坐标": "bd09",
}
"""Names a coordinate system goes by (lower case, without ``-``, ``_`` and spaces)."""

CHINA_BOUNDS: Final = (72.004, 137.8347, 0.8293, 55.8271)
"""``(lon_min, lon_max, lat_min, lat_max)`` of the rectangle where the GCJ-02 offset is
applied, as the published implementations use it. [degree]"""

INVERSE_TOLERANCE_M: Final = 1e-4
"""Largest distance between the forward transform of an inverse and the input. [m]"""

_A: Final = 6378245.0
"""Semi-major axis of the Krasovsky 1940 ellipsoid, as the GCJ-02 formula uses it. [m]"""
_EE: Final = 0.00669342162296594323
"""First eccentricity squared of that ellipsoid, as the formula uses it. [1]"""
_X_PI: Final = np.pi * 3000.0 / 180.0
"""The BD-09 formula's angular factor. [1/degree]"""
_M_PER_DEGREE: Final = 111_320.0
"""Metres in a degree of latitude (or of longitude at the equator), for tolerances. [m]"""


# --- checks ----------------------------------------------------------------------------


def coord_system_name(name: str) -> CoordSystem:
    """The coordinate system a name means: ``"wgs84"``, ``"gcj02"`` or ``"bd09"``.

    Case, ``-``, ``_`` and spaces are ignored; map names count (``"Amap"``, ``"高德"``,
    ``"Tencent"``: GCJ-02; ``"Baidu"``, ``"百度"``: BD-09; ``"GPS"``: WGS-84).

    Parameters
    ----------
    name
        A coordinate system's name.

    Returns
    -------
    str
        ``"wgs84"``, ``"gcj02"`` or ``"bd09"``.

    Raises
    ------
    propfee.errors.InputError
        For another name, listing the valid names and the closest one.

    Examples
    --------
    >>> coord_system_name("GCJ-02"), coord_system_name("百度")
    ('gcj02', 'bd09')
    """
    key = str(name).strip().lower().replace("-", "").replace("_", "").replace(" ", "")
    found = _ALIASES.get(key)
    if found is None:
        raise InputError([_unknown_system(None, name)], what="coordinate system")
    return found


def _unknown_system(row: str | None, name: object) -> Problem:
    key = str(name).strip().lower().replace("-", "").replace("_", "").replace(" ", "")
    close = difflib.get_close_matches(key, list(_ALIASES), n=1, cutoff=0.5)
    hint = f"; did you mean {_ALIASES[close[0]]!r}?" if close else ""
    return Problem(row, "coord_system", name,
                   f"unknown coordinate system: use one of {', '.join(COORD_SYSTEMS)}{hint}")


def _labels(ids: Sequence[str] | None, n: int) -> list[str]:
    if ids is not None and len(ids) != n:
        raise InputError([Problem(None, "ids", len(ids), f"give one id per point ({n})")],
                         what="coordinates")
    return [str(i) for i in ids] if ids is not None else [f"#{i}" for i in range(n)]


def _points(lon: npt.ArrayLike, lat: npt.ArrayLike, ids: Sequence[str] | None,
            what: str) -> tuple[FloatArray, FloatArray, list[str]]:
    """Longitude and latitude as float arrays of one shape, every bad value named."""
    try:
        x = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        y = np.atleast_1d(np.asarray(lat, dtype=np.float64))
    except (TypeError, ValueError):
        raise InputError([Problem(None, "lon", None, "longitude and latitude must be numbers")],
                         what=what) from None
    if x.shape != y.shape or x.ndim != 1:
        raise InputError([Problem(None, "lat", y.shape, f"give as many latitudes as "
                                  f"longitudes, in one row ({x.shape})")], what=what)
    names = _labels(ids, len(x))
    problems: list[Problem] = []
    for field, values, limit in (("lon", x, 180.0), ("lat", y, 90.0)):
        for i in np.flatnonzero(~np.isfinite(values)):
            problems.append(Problem(names[i], field, float(values[i]), "must be a finite number"))
        for i in np.flatnonzero(np.isfinite(values) & (np.abs(values) > limit)):
            problems.append(Problem(names[i], field, float(values[i]),
                                    f"must be between -{limit:g} and {limit:g} degrees"))
    if problems:
        raise InputError(problems, what=what)
    return x, y, names


def _inside_china(lon: FloatArray, lat: FloatArray, names: list[str], system: str,
                  what: str) -> None:
    lo_x, hi_x, lo_y, hi_y = CHINA_BOUNDS
    outside = ~((lon >= lo_x) & (lon <= hi_x) & (lat >= lo_y) & (lat <= hi_y))
    if outside.any():
        raise InputError([
            Problem(names[i], "lon" if not lo_x <= lon[i] <= hi_x else "lat",
                    (float(lon[i]), float(lat[i])),
                    f"outside China, where {system} is not defined (longitude "
                    f"{lo_x}-{hi_x}, latitude {lo_y}-{hi_y}): are longitude and latitude "
                    "swapped, or is the point in WGS-84?")
            for i in np.flatnonzero(outside)], what=what)


# --- datums ----------------------------------------------------------------------------


def gcj02_offset_m(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """The published GCJ-02 offset functions, before they are turned into degrees.

    Parameters
    ----------
    lon, lat
        WGS-84 longitude and latitude. [degree]

    Returns
    -------
    tuple of numpy.ndarray
        ``(dlon, dlat)``: the eastward and northward offsets on the formula's
        ellipsoid. [m]

    Examples
    --------
    At the formula's origin (105 E, 35 N) every sine is 0: 300 m east, 100 m south.

    >>> [round(float(v[0]), 2) for v in gcj02_offset_m(105.0, 35.0)]
    [300.0, -100.0]
    """
    x = np.asarray(lon, dtype=np.float64) - 105.0
    y = np.asarray(lat, dtype=np.float64) - 35.0
    pi = np.pi
    common = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
            + common
            + (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
            + (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0)
    dlon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
            + common
            + (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
            + (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0)
    return np.atleast_1d(dlon), np.atleast_1d(dlat)


def _wgs_to_gcj(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    dlon_m, dlat_m = gcj02_offset_m(lon, lat)
    rad = np.radians(lat)
    magic = 1.0 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = dlat_m * 180.0 / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = dlon_m * 180.0 / (_A / sqrt_magic * np.cos(rad) * np.pi)
    return lon + dlon, lat + dlat


def _gcj_to_bd(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    z = np.hypot(lon, lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


_Transform = Callable[[FloatArray, FloatArray], tuple[FloatArray, FloatArray]]


def _invert(forward: _Transform, lon: FloatArray, lat: FloatArray,
            start: tuple[FloatArray, FloatArray]) -> tuple[FloatArray, FloatArray]:
    """The point ``w`` with ``forward(w)`` = the input, by ``w <- w - (forward(w) - input)``."""
    x, y = start
    for _ in range(50):
        fx, fy = forward(x, y)
        ex, ey = fx - lon, fy - lat
        error_m = np.hypot(ex * _M_PER_DEGREE * np.cos(np.radians(lat)), ey * _M_PER_DEGREE)
        if float(np.max(error_m, initial=0.0)) < INVERSE_TOLERANCE_M:
            break
        x, y = x - ex, y - ey
    return x, y


def wgs84_to_gcj02(lon: npt.ArrayLike, lat: npt.ArrayLike, *,
                   ids: Sequence[str] | None = None) -> tuple[FloatArray, FloatArray]:
    """WGS-84 to GCJ-02, the published closed formula.

    Parameters
    ----------
    lon, lat
        WGS-84 longitude and latitude, inside China. [degree]
    ids
        Names of the points for messages (compound ids); by default ``#0``, ``#1``...

    Returns
    -------
    tuple of numpy.ndarray
        GCJ-02 ``(lon, lat)``. [degree]

    Raises
    ------
    propfee.errors.InputError
        Naming every point that is not a finite number, out of range, or outside China.

    Examples
    --------
    Tian'anmen, 116.404 E 39.915 N (the test point of wandergis/coordtransform):

    >>> [round(float(v[0]), 8) for v in wgs84_to_gcj02(116.404, 39.915)]
    [116.4102445, 39.91640428]
    """
    x, y, names = _points(lon, lat, ids, "WGS-84 coordinates")
    _inside_china(x, y, names, "GCJ-02", "WGS-84 coordinates")
    return _wgs_to_gcj(x, y)


def gcj02_to_wgs84(lon: npt.ArrayLike, lat: npt.ArrayLike, *,
                   ids: Sequence[str] | None = None) -> tuple[FloatArray, FloatArray]:
    """GCJ-02 to WGS-84, by iterating the closed formula until it returns the input.

    The result ``w`` has ``wgs84_to_gcj02(w)`` within :data:`INVERSE_TOLERANCE_M` of
    the input (two or three iterations).

    Parameters
    ----------
    lon, lat
        GCJ-02 longitude and latitude (Amap, Tencent), inside China. [degree]
    ids
        Names of the points for messages.

    Returns
    -------
    tuple of numpy.ndarray
        WGS-84 ``(lon, lat)``. [degree]

    Raises
    ------
    propfee.errors.InputError
        Naming every point that is not a finite number, out of range, or outside China.
    """
    x, y, names = _points(lon, lat, ids, "GCJ-02 coordinates")
    _inside_china(x, y, names, "GCJ-02", "GCJ-02 coordinates")
    fx, fy = _wgs_to_gcj(x, y)
    return _invert(_wgs_to_gcj, x, y, (2 * x - fx, 2 * y - fy))


def gcj02_to_bd09(lon: npt.ArrayLike, lat: npt.ArrayLike, *,
                  ids: Sequence[str] | None = None) -> tuple[FloatArray, FloatArray]:
    """GCJ-02 to BD-09 (Baidu), the published closed formula.

    Parameters
    ----------
    lon, lat
        GCJ-02 longitude and latitude, inside China. [degree]
    ids
        Names of the points for messages.

    Returns
    -------
    tuple of numpy.ndarray
        BD-09 ``(lon, lat)``. [degree]

    Raises
    ------
    propfee.errors.InputError
        Naming every point that is not a finite number, out of range, or outside China.
    """
    x, y, names = _points(lon, lat, ids, "GCJ-02 coordinates")
    _inside_china(x, y, names, "BD-09", "GCJ-02 coordinates")
    return _gcj_to_bd(x, y)


def bd09_to_gcj02(lon: npt.ArrayLike, lat: npt.ArrayLike, *,
                  ids: Sequence[str] | None = None) -> tuple[FloatArray, FloatArray]:
    """BD-09 (Baidu) to GCJ-02: the published inverse, refined until the forward formula
    returns the input within :data:`INVERSE_TOLERANCE_M`.

    Parameters
    ----------
    lon, lat
        BD-09 longitude and latitude, inside China. [degree]
    ids
        Names of the points for messages.

    Returns
    -------
    tuple of numpy.ndarray
        GCJ-02 ``(lon, lat)``. [degree]

    Raises
    ------
    propfee.errors.InputError
        Naming every point that is not a finite number, out of range, or outside China.
    """
    x, y, names = _points(lon, lat, ids, "BD-09 coordinates")
    _inside_china(x, y, names, "BD-09", "BD-09 coordinates")
    u, v = x - 0.0065, y - 0.006
    z = np.hypot(u, v) - 0.00002 * np.sin(v * _X_PI)
    theta = np.arctan2(v, u) - 0.000003 * np.cos(u * _X_PI)
    return _invert(_gcj_to_bd, x, y, (z * np.cos(theta), z * np.sin(theta)))


def to_wgs84(
    lon: npt.ArrayLike, lat: npt.ArrayLike, coord_system: str | Sequence[str], *,
    ids: Sequence[str] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Longitude and latitude in any of :data:`COORD_SYSTEMS` to WGS-84.

    Parameters
    ----------
    lon, lat
        Longitude and latitude. [degree]
    coord_system
        One name for every point, or one per point (:func:`coord_system_name`).
    ids
        Names of the points for messages.

    Returns
    -------
    tuple of numpy.ndarray
        WGS-84 ``(lon, lat)``. [degree]

    Raises
    ------
    propfee.errors.InputError
        Naming every unknown coordinate system, every value that is not a finite number
        or out of range, and every GCJ-02 or BD-09 point outside China.

    Examples
    --------
    >>> lon, lat = to_wgs84([116.41024449916938, 116.404], [39.91640428150164, 39.915],
    ...                     ["gcj02", "WGS-84"])
    >>> [round(float(v), 6) for v in lon], [round(float(v), 6) for v in lat]
    ([116.404, 116.404], [39.915, 39.915])
    """
    x, y, names = _points(lon, lat, ids, "coordinates")
    given = [coord_system] * len(x) if isinstance(coord_system, str) else list(coord_system)
    if len(given) != len(x):
        raise InputError([Problem(None, "coord_system", len(given),
                                  f"give one coordinate system per point ({len(x)})")],
                         what="coordinates")
    systems: list[CoordSystem | None] = []
    problems = []
    for name, system in zip(names, given, strict=True):
        key = str(system).strip().lower().replace("-", "").replace("_", "").replace(" ", "")
        systems.append(_ALIASES.get(key))
        if systems[-1] is None:
            problems.append(_unknown_system(name, system))
    if problems:
        raise InputError(problems, what="coordinates")
    kind = np.array(systems, dtype=object)
    shifted = kind != "wgs84"
    _inside_china(x[shifted], y[shifted], [n for n, s in zip(names, shifted, strict=True) if s],
                  "GCJ-02 or BD-09", "coordinates")
    out_x, out_y = x.copy(), y.copy()
    bd = kind == "bd09"
    if bd.any():
        gx, gy = bd09_to_gcj02(x[bd], y[bd])
        x, y = x.copy(), y.copy()
        x[bd], y[bd] = gx, gy
    if shifted.any():
        fx, fy = _wgs_to_gcj(x[shifted], y[shifted])
        out_x[shifted], out_y[shifted] = _invert(
            _wgs_to_gcj, x[shifted], y[shifted], (2 * x[shifted] - fx, 2 * y[shifted] - fy))
    return out_x, out_y


# --- metres ----------------------------------------------------------------------------


def utm_crs(lon: npt.ArrayLike) -> str:
    """The WGS-84 / UTM north zone of the mean of some longitudes, as an EPSG code.

    Parameters
    ----------
    lon
        WGS-84 longitudes. [degree]

    Returns
    -------
    str
        ``"EPSG:326zz"`` with ``zz = floor((mean lon + 180) / 6) + 1``.

    Examples
    --------
    >>> utm_crs([112.49, 112.61])  # Taiyuan
    'EPSG:32649'
    """
    mean = float(np.mean(np.asarray(lon, dtype=np.float64)))
    zone = min(int(np.floor((mean + 180.0) / 6.0)) + 1, 60)
    return f"EPSG:{32600 + zone}"


def local_crs(lon: npt.ArrayLike, lat: npt.ArrayLike) -> str:
    """A transverse Mercator on the points' own mean meridian and latitude, scale 1.

    Parameters
    ----------
    lon, lat
        WGS-84 longitudes and latitudes. [degree]

    Returns
    -------
    str
        A PROJ string.

    Examples
    --------
    >>> local_crs([112.5], [37.8])
    '+proj=tmerc +lat_0=37.8 +lon_0=112.5 +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs'
    """
    lon0 = float(np.mean(np.asarray(lon, dtype=np.float64)))
    lat0 = float(np.mean(np.asarray(lat, dtype=np.float64)))
    return (f"+proj=tmerc +lat_0={lat0:.10g} +lon_0={lon0:.10g} +k=1 +x_0=0 +y_0=0 "
            "+ellps=WGS84 +units=m +no_defs")


def project_to_metres(
    lon: npt.ArrayLike, lat: npt.ArrayLike, *, crs: str | None = None,
    ids: Sequence[str] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Project WGS-84 longitude and latitude to plane metres with pyproj.

    Parameters
    ----------
    lon, lat
        WGS-84 longitude and latitude. [degree]
    crs
        The target coordinate reference system (anything pyproj reads); by default the
        UTM zone of the points' mean longitude (:func:`utm_crs`).
    ids
        Names of the points for messages.

    Returns
    -------
    tuple of numpy.ndarray
        ``(x_m, y_m)``: easting and northing. [m]

    Raises
    ------
    propfee.errors.InputError
        Naming every value that is not a finite number or out of range, or a CRS pyproj
        does not know.
    propfee.errors.MissingExtraError
        Without the ``geo`` extra (pyproj).
    """
    x, y, _ = _points(lon, lat, ids, "WGS-84 coordinates")
    pyproj = require("pyproj", feature="projecting coordinates to metres", extra="geo")
    target = crs if crs is not None else utm_crs(x)
    try:
        transformer = pyproj.Transformer.from_crs("EPSG:4326", target, always_xy=True)
    except pyproj.exceptions.CRSError as exc:
        raise InputError([Problem(None, "crs", target, f"not a CRS pyproj knows ({exc})")],
                         what="projection") from None
    east, north = transformer.transform(x, y)
    return np.asarray(east, dtype=np.float64), np.asarray(north, dtype=np.float64)


def compounds_to_metres(
    compounds: pd.DataFrame,
    coord_system: str | None = None,
    *,
    crs: str | None = None,
    replace: bool = False,
) -> pd.DataFrame:
    """A compound table with ``x_m``, ``y_m`` from its ``lon``, ``lat``.

    Parameters
    ----------
    compounds
        A compound table with ``lon`` and ``lat`` on every row and, optionally, a
        ``coord_system`` column (``wgs84``, ``gcj02`` or ``bd09`` per row; an empty cell
        takes ``coord_system``).
    coord_system
        The coordinate system of rows that do not name one. There is no default: taking
        GCJ-02 for WGS-84 would move every compound by a few hundred metres.
    crs
        Target CRS of the metres (:func:`project_to_metres`); by default the UTM zone.
    replace
        Overwrite ``x_m`` and ``y_m`` already in the table.

    Returns
    -------
    pandas.DataFrame
        A copy with ``lon``, ``lat`` in WGS-84, ``x_m``, ``y_m`` in metres, and no
        ``coord_system`` column (a compound table's coordinates are WGS-84);
        ``attrs["crs"]`` names the CRS of the metres.

    Raises
    ------
    propfee.errors.InputError
        Every row without a coordinate system, with an unknown one (the valid names and
        the closest), with a longitude or latitude missing, not finite or out of range,
        in GCJ-02 or BD-09 outside China; ``x_m``/``y_m`` already given without
        ``replace``.
    propfee.errors.MissingExtraError
        Without the ``geo`` extra (pyproj).

    Examples
    --------
    >>> table = pd.DataFrame({"compound_id": ["a", "b"], "lon": [112.55, 112.56],
    ...                       "lat": [37.87, 37.87], "coord_system": ["gcj02", "gcj02"]})
    >>> out = compounds_to_metres(table)
    >>> out.attrs["crs"], round(float(out["x_m"][1] - out["x_m"][0]))  # 0.01 degree east
    ('EPSG:32649', 882)
    """
    what = "compound coordinates"
    ids = ([str(v) for v in compounds["compound_id"]] if "compound_id" in compounds.columns
           else [f"#{i}" for i in range(len(compounds))])
    problems = [Problem(None, c, None, "missing column") for c in ("lon", "lat")
                if c not in compounds.columns]
    if problems:
        raise InputError(problems, what=what)
    given_xy = [c for c in ("x_m", "y_m") if c in compounds.columns
                and pd.to_numeric(compounds[c], errors="coerce").notna().any()]
    if given_xy and not replace:
        raise InputError([Problem(None, c, None, "already given: pass replace=True to "
                                  "overwrite it from lon and lat") for c in given_xy], what=what)
    default = None if coord_system is None else coord_system_name(coord_system)
    column = (compounds["coord_system"] if "coord_system" in compounds.columns
              else pd.Series([None] * len(compounds), index=compounds.index))
    systems: list[str] = []
    for name, value in zip(ids, column, strict=True):
        empty = value is None or (isinstance(value, float) and np.isnan(value)) or (
            str(value).strip() == "")
        if not empty:
            systems.append(str(value))
        elif default is not None:
            systems.append(default)
        else:
            systems.append("")
            problems.append(Problem(name, "coord_system", None,
                                    "no coordinate system: fill the coord_system column or "
                                    "pass coord_system (wgs84, gcj02 from Amap or Tencent, "
                                    "bd09 from Baidu)"))
    lon = pd.to_numeric(compounds["lon"], errors="coerce").to_numpy(dtype=np.float64)
    lat = pd.to_numeric(compounds["lat"], errors="coerce").to_numpy(dtype=np.float64)
    for field, values, raw in (("lon", lon, compounds["lon"]), ("lat", lat, compounds["lat"])):
        for i in np.flatnonzero(np.isnan(values)):
            problems.append(Problem(ids[i], field, raw.iloc[i], "missing or not a number"))
    if problems:
        raise InputError(problems, what=what)
    wlon, wlat = to_wgs84(lon, lat, systems, ids=ids)
    target = crs if crs is not None else utm_crs(wlon)
    x, y = project_to_metres(wlon, wlat, crs=target, ids=ids)
    out = compounds.drop(columns=["coord_system"], errors="ignore").copy()
    out["lon"], out["lat"], out["x_m"], out["y_m"] = wlon, wlat, x, y
    out.attrs["crs"] = target
    return out


# --- distances -------------------------------------------------------------------------


def crow_fly_distances(x_m: npt.ArrayLike, y_m: npt.ArrayLike) -> FloatArray:
    """Straight-line distances between every pair of projected points.

    Parameters
    ----------
    x_m, y_m
        Easting and northing. [m]

    Returns
    -------
    numpy.ndarray
        ``(n, n)``, symmetric, zero on the diagonal. [m]

    Examples
    --------
    >>> crow_fly_distances([0.0, 300.0], [0.0, 400.0]).tolist()
    [[0.0, 500.0], [500.0, 0.0]]
    """
    x = np.asarray(x_m, dtype=np.float64)
    y = np.asarray(y_m, dtype=np.float64)
    return cast(FloatArray, np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]))


def geodesic_distances(lon: npt.ArrayLike, lat: npt.ArrayLike) -> FloatArray:
    """Distances on the WGS-84 ellipsoid between every pair of points (pyproj's Geod).

    Parameters
    ----------
    lon, lat
        WGS-84 longitude and latitude. [degree]

    Returns
    -------
    numpy.ndarray
        ``(n, n)``, symmetric, zero on the diagonal. [m]
    """
    x, y, _ = _points(lon, lat, None, "WGS-84 coordinates")
    pyproj = require("pyproj", feature="geodesic distances", extra="geo")
    geod = pyproj.Geod(ellps="WGS84")
    i, j = np.triu_indices(len(x), k=1)
    _, _, d = geod.inv(x[i], y[i], x[j], y[j])
    out = np.zeros((len(x), len(x)))
    out[i, j] = out[j, i] = d
    return out


_FROM = ("from", "from_id", "origin", "起点", "起点编号", "从")
_TO = ("to", "to_id", "destination", "终点", "终点编号", "到")
_METRES = ("metres", "meters", "distance_m", "distance", "m", "距离", "距离（米）", "距离(米)",
           "道路距离", "道路距离（米）")
_KM = ("km", "distance_km", "距离（公里）", "距离(公里)", "距离（千米）", "距离(千米)")


def read_distances(
    source: str | Path | pd.DataFrame, compound_ids: Sequence[str],
) -> FloatArray:
    """A road-distance matrix from a table the planner supplies.

    Two layouts are read, from ``.csv`` or ``.xlsx`` (or a DataFrame of either):

    - **long**: columns ``from``, ``to`` and ``metres`` (or ``km``; Chinese headers
      起点, 终点, 距离（米） or 距离（公里）), one row per ordered pair. A pair given one
      way only is taken for both ways; given both ways, each way is kept (one-way streets).
    - **square**: the first column holds compound ids, the other column headers the same
      ids, each cell the distance in metres from the row's compound to the column's.

    Parameters
    ----------
    source
        A file or a table.
    compound_ids
        The compounds the matrix is for, in the order of its rows and columns.

    Returns
    -------
    numpy.ndarray
        ``(n, n)`` distances, zero on the diagonal. [m]

    Raises
    ------
    propfee.errors.InputError
        Naming the file, the row as the spreadsheet shows it and the value, for every:
        compound not in ``compound_ids``; distance missing, not a number, negative or
        infinite; distance of a compound to itself other than 0; pair given twice with
        different distances; and every pair of ``compound_ids`` with no distance.
    """
    from propfee._tables import FIRST_DATA_ROW, read_table

    what = f"distance file {source}" if not isinstance(source, pd.DataFrame) else "distances"
    frame = (read_table(source, what="distance file") if not isinstance(source, pd.DataFrame)
             else source.reset_index(drop=True).astype(object).where(source.notna(), None))
    ids = [str(i) for i in compound_ids]
    index = {c: k for k, c in enumerate(ids)}
    n = len(ids)
    lower = {str(c).strip().lower(): c for c in frame.columns}
    pick = {name: next((lower[a] for a in aliases if a in lower), None)
            for name, aliases in (("from", _FROM), ("to", _TO), ("m", _METRES), ("km", _KM))}
    problems: list[Problem] = []
    matrix = np.full((n, n), np.nan)
    np.fill_diagonal(matrix, 0.0)
    given = np.zeros((n, n), dtype=bool)
    where: dict[tuple[int, int], int] = {}

    def put(i: int, j: int, value: object, line: int, field: str, row: str) -> None:
        number = _number(value)
        if number is None or not np.isfinite(number) or number < 0:
            problems.append(Problem(row, field, value, "must be a distance >= 0 in metres",
                                    line=line))
            return
        if i == j and number != 0:
            problems.append(Problem(row, field, value, "the distance of a compound to itself "
                                    "must be 0", line=line))
            return
        if given[i, j] and matrix[i, j] != number:
            problems.append(Problem(row, field, value, f"this pair was given as "
                                    f"{matrix[i, j]:g} m in row {where[(i, j)]}", line=line))
            return
        matrix[i, j] = number
        given[i, j] = True
        where[(i, j)] = line

    if pick["from"] is not None and pick["to"] is not None:
        unit = pick["m"] if pick["m"] is not None else pick["km"]
        if unit is None:
            raise InputError([Problem(None, "metres", None, "missing column: metres (or km, "
                                      "距离（米）)")], what=what)
        factor = 1.0 if unit == pick["m"] else 1000.0
        for r, (a, b, d) in enumerate(zip(frame[pick["from"]], frame[pick["to"]],
                                          frame[unit], strict=True)):
            line = r + FIRST_DATA_ROW
            if a is None and b is None and d is None:
                continue
            bad = False
            for field, value in (("from", a), ("to", b)):
                if value is None or str(value).strip() not in index:
                    problems.append(Problem(None if value is None else str(value), field, value,
                                            "missing" if value is None else
                                            "not a compound of the table", line=line))
                    bad = True
            if bad:
                continue
            number = _number(d)
            put(index[str(a).strip()], index[str(b).strip()],
                d if number is None else number * factor, line, str(unit), str(a).strip())
    else:
        first = frame.columns[0]
        columns = list(frame.columns[1:])
        for c in columns:
            if str(c).strip() not in index:
                problems.append(Problem(str(c), "header", c, "not a compound of the table",
                                        line=1))
        for r, row_id in enumerate(frame[first]):
            line = r + FIRST_DATA_ROW
            if row_id is None and all(v is None for v in frame.iloc[r, 1:]):
                continue
            if row_id is None or str(row_id).strip() not in index:
                problems.append(Problem(None if row_id is None else str(row_id), str(first),
                                        row_id, "not a compound of the table", line=line))
                continue
            i = index[str(row_id).strip()]
            for c in columns:
                if str(c).strip() in index:
                    put(i, index[str(c).strip()], frame[c].iloc[r], line, str(c),
                        str(row_id).strip())
    if problems:
        raise InputError(problems, what=what)
    mirrored = ~given & given.T
    matrix[mirrored] = matrix.T[mirrored]
    missing = np.argwhere(np.isnan(matrix))
    missing = missing[missing[:, 0] < missing[:, 1]]
    if len(missing):
        raise InputError([Problem(ids[i], "to", ids[j], "no distance for this pair (either way)")
                          for i, j in missing], what=what)
    return matrix


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        return None
