"""Map datums of China, projection to metres, and road-distance tables.

Reference points (longitude, latitude in degrees) are copied from the test files of two
public implementations of the published formulas:

- googollee/eviltransform, ``python/test.py`` (commit 3416646a): WGS-84 -> GCJ-02 for
  points in Shanghai, Shenzhen and Beijing.
- wandergis/coordtransform, ``test/app.js`` (commit 24232463): the four conversions of
  116.404 E, 39.915 N (Tian'anmen). Its BD-09 -> GCJ-02 and GCJ-02 -> WGS-84 are the
  published one-step approximations, so they are matched within 1 m, not exactly.

prcoords (public domain, on the package index) is the independent implementation the
functions are compared with on a grid over China.
"""

from __future__ import annotations

import importlib
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from propfee import geo
from propfee.compound import validate_compounds
from propfee.errors import InputError, MissingExtraError, Problem

pyproj = pytest.importorskip("pyproj")
prcoords = pytest.importorskip("prcoords")

GEOD = pyproj.Geod(ellps="WGS84")


def metres(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Geodesic distance between two sets of points. [m]"""
    _, _, d = GEOD.inv(np.atleast_1d(lon1), np.atleast_1d(lat1), np.atleast_1d(lon2),
                       np.atleast_1d(lat2))
    return np.asarray(d)


# (lon, lat) WGS-84 -> (lon, lat) GCJ-02, googollee/eviltransform python/test.py.
EVILTRANSFORM = [
    ((121.5272106, 31.1774276), (121.531541859215, 31.17530398364597)),  # Shanghai
    ((113.912316, 22.543847), (113.9171764808363, 22.540796131694766)),  # Shenzhen
    ((116.377817, 39.911954), (116.38404722455657, 39.91334545536069)),  # Beijing
]
# wandergis/coordtransform test/app.js, all from (116.404, 39.915).
TIANANMEN = (116.404, 39.915)
WANDERGIS = {
    "wgs84togcj02": (116.41024449916938, 39.91640428150164),
    "gcj02tobd09": (116.41036949371029, 39.92133699351021),
    "bd09togcj02": (116.39762729119315, 39.90865673957631),
    "gcj02towgs84": (116.39775550083061, 39.91359571849836),
}
PUBLISHED = [*EVILTRANSFORM, (TIANANMEN, WANDERGIS["wgs84togcj02"])]


# --- datums against published points -----------------------------------------------


@pytest.mark.parametrize(("wgs", "gcj"), PUBLISHED)
def test_wgs84_to_gcj02_is_the_published_formula(wgs, gcj) -> None:
    lon, lat = geo.wgs84_to_gcj02(*wgs)
    assert (float(lon[0]), float(lat[0])) == pytest.approx(gcj, abs=1e-9)  # 0.1 mm


@pytest.mark.parametrize(("wgs", "gcj"), PUBLISHED)
def test_gcj02_to_wgs84_returns_the_published_point(wgs, gcj) -> None:
    lon, lat = geo.gcj02_to_wgs84(*gcj)
    assert metres(lon, lat, *wgs)[0] < 0.01
    # The published one-step inverse (g - offset(g)) misses by metres; ours does not.
    one_step = (2 * gcj[0] - geo.wgs84_to_gcj02(*gcj)[0][0],
                2 * gcj[1] - geo.wgs84_to_gcj02(*gcj)[1][0])
    assert metres(*one_step, *wgs)[0] > 0.1


def test_the_published_one_step_inverse_is_within_a_few_metres() -> None:
    # wandergis's gcj02towgs84(116.404, 39.915) is g - offset(g): ours is exact, and the
    # two are within 1 m of each other here (the offset changes slowly).
    lon, lat = geo.gcj02_to_wgs84(*TIANANMEN)
    assert metres(lon, lat, *WANDERGIS["gcj02towgs84"])[0] < 1.0
    back = geo.wgs84_to_gcj02(lon, lat)
    assert metres(*back, *TIANANMEN)[0] < geo.INVERSE_TOLERANCE_M


def test_gcj02_to_bd09_is_the_published_formula() -> None:
    lon, lat = geo.gcj02_to_bd09(*TIANANMEN)
    assert (float(lon[0]), float(lat[0])) == pytest.approx(WANDERGIS["gcj02tobd09"], abs=1e-9)


def test_bd09_to_gcj02_within_a_metre_of_the_published_inverse_and_exact_round_trip() -> None:
    lon, lat = geo.bd09_to_gcj02(*TIANANMEN)
    assert metres(lon, lat, *WANDERGIS["bd09togcj02"])[0] < 1.0
    again = geo.gcj02_to_bd09(lon, lat)
    assert metres(*again, *TIANANMEN)[0] < geo.INVERSE_TOLERANCE_M


GRID = np.array([(lon, lat) for lon in np.arange(75.0, 135.1, 7.5)
                 for lat in np.arange(18.0, 53.1, 5.0)])


def test_the_formulas_agree_with_prcoords_over_china() -> None:
    """Forward transforms equal prcoords' to 1e-9 degree; the inverses within 1 cm of its
    iterated ("bored") inverses, on a grid of 72 points from 75 E to 135 E, 18 N to 53 N."""
    lon, lat = GRID[:, 0], GRID[:, 1]
    gx, gy = geo.wgs84_to_gcj02(lon, lat)
    ref = np.array([prcoords.wgs_gcj((b, a), False) for a, b in GRID])
    np.testing.assert_allclose(gx, ref[:, 1], atol=1e-9)
    np.testing.assert_allclose(gy, ref[:, 0], atol=1e-9)
    bx, by = geo.gcj02_to_bd09(lon, lat)
    ref = np.array([prcoords.gcj_bd((b, a)) for a, b in GRID])
    np.testing.assert_allclose(bx, ref[:, 1], atol=1e-9)
    np.testing.assert_allclose(by, ref[:, 0], atol=1e-9)
    wx, wy = geo.gcj02_to_wgs84(lon, lat)
    ref = np.array([prcoords.gcj_wgs_bored((b, a), False) for a, b in GRID])
    assert metres(wx, wy, ref[:, 1], ref[:, 0]).max() < 0.01
    cx, cy = geo.bd09_to_gcj02(lon, lat)
    ref = np.array([prcoords.bd_gcj_bored((b, a), False) for a, b in GRID])
    assert metres(cx, cy, ref[:, 1], ref[:, 0]).max() < 0.01


@given(lon=st.floats(73.0, 135.0), lat=st.floats(4.0, 53.0))
def test_round_trips_within_a_tenth_of_a_millimetre(lon, lat) -> None:
    gx, gy = geo.wgs84_to_gcj02(lon, lat)
    wx, wy = geo.gcj02_to_wgs84(gx, gy)
    assert metres(wx, wy, lon, lat)[0] < geo.INVERSE_TOLERANCE_M * 1.01
    bx, by = geo.gcj02_to_bd09(lon, lat)
    cx, cy = geo.bd09_to_gcj02(bx, by)
    assert metres(cx, cy, lon, lat)[0] < geo.INVERSE_TOLERANCE_M * 1.01
    # The offset is what the datum is about: between 0 and 1 km in China.
    assert 0 < metres(gx, gy, lon, lat)[0] < 1000


def test_to_wgs84_takes_a_datum_per_point() -> None:
    gcj = WANDERGIS["wgs84togcj02"]
    bd = geo.gcj02_to_bd09(*gcj)
    lon, lat = geo.to_wgs84([TIANANMEN[0], gcj[0], float(bd[0][0])],
                            [TIANANMEN[1], gcj[1], float(bd[1][0])],
                            ["wgs84", "Amap", "BD-09"])
    assert metres(lon, lat, [TIANANMEN[0]] * 3, [TIANANMEN[1]] * 3).max() < 2e-4
    assert lon[0] == TIANANMEN[0]  # WGS-84 passes through untouched


@pytest.mark.parametrize(("name", "system"), [
    ("wgs84", "wgs84"), ("WGS-84", "wgs84"), ("GPS", "wgs84"), ("gcj_02", "gcj02"),
    ("GCJ 02", "gcj02"), ("高德", "gcj02"), ("Tencent", "gcj02"), ("bd09", "bd09"),
    ("Baidu", "bd09"), ("百度", "bd09"), ("bd09ll", "bd09"),
])
def test_coordinate_system_names(name, system) -> None:
    assert geo.coord_system_name(name) == system


@pytest.mark.parametrize(("name", "hint"), [
    ("gcj2", "; did you mean 'gcj02'?"), ("wsg84", "; did you mean 'wgs84'?"),
    ("bd-9", "; did you mean 'bd09'?"), ("mercator", ""),
])
def test_a_misspelled_datum_names_the_valid_ones_and_the_closest(name, hint) -> None:
    with pytest.raises(InputError) as info:
        geo.coord_system_name(name)
    assert info.value.problems == (Problem(
        None, "coord_system", name,
        f"unknown coordinate system: use one of wgs84, gcj02, bd09{hint}"),)


# --- bad points ----------------------------------------------------------------------------


OUTSIDE = ("outside China, where {} is not defined (longitude 72.004-137.8347, latitude "
           "0.8293-55.8271): are longitude and latitude swapped, or is the point in WGS-84?")


@pytest.mark.parametrize(("function", "lon", "lat", "problems"), [
    # Paris in GCJ-02: no such thing.
    (geo.gcj02_to_wgs84, [116.4, 2.35], [39.9, 48.86],
     [Problem("#1", "lon", (2.35, 48.86), OUTSIDE.format("GCJ-02"))]),
    # Latitude 60 N (north of the rectangle) in BD-09.
    (geo.bd09_to_gcj02, [116.4], [60.0],
     [Problem("#0", "lat", (116.4, 60.0), OUTSIDE.format("BD-09"))]),
    # Longitude and latitude swapped: latitude 112.5 is out of range outright.
    (geo.wgs84_to_gcj02, [37.87], [112.55],
     [Problem("#0", "lat", 112.55, "must be between -90 and 90 degrees")]),
    (geo.gcj02_to_bd09, [np.nan, 112.5], [37.8, np.inf],
     [Problem("#0", "lon", math.nan, "must be a finite number"),
      Problem("#1", "lat", math.inf, "must be a finite number")]),
    (geo.wgs84_to_gcj02, [181.0], [37.8],
     [Problem("#0", "lon", 181.0, "must be between -180 and 180 degrees")]),
])
def test_bad_points_are_named_with_their_values(function, lon, lat, problems) -> None:
    with pytest.raises(InputError) as info:
        function(lon, lat)
    got = info.value.problems
    assert len(got) == len(problems)
    for g, p in zip(got, problems, strict=True):
        assert (g.row, g.field, g.message) == (p.row, p.field, p.message)
        assert str(g.value) == str(p.value)  # NaN is not equal to itself


def test_points_are_named_by_their_ids_and_datums_checked_per_row() -> None:
    with pytest.raises(InputError) as info:
        geo.to_wgs84([116.4, 2.35, 112.5], [39.9, 48.86, 37.8], ["gcj02", "bd09", "amapp"],
                     ids=["c1", "c2", "c3"])
    assert info.value.problems == (Problem(
        "c3", "coord_system", "amapp",
        "unknown coordinate system: use one of wgs84, gcj02, bd09; did you mean 'gcj02'?"),)
    with pytest.raises(InputError) as info:
        geo.to_wgs84([116.4, 2.35, 2.35], [39.9, 48.86, 48.86], ["gcj02", "bd09", "wgs84"],
                     ids=["c1", "c2", "c3"])
    # Paris in WGS-84 is fine; in BD-09 it is refused.
    assert [(p.row, p.field) for p in info.value.problems] == [("c2", "lon")]


def test_shapes_and_ids_must_match() -> None:
    with pytest.raises(InputError, match="give as many latitudes as longitudes"):
        geo.wgs84_to_gcj02([112.5, 112.6], [37.8])
    with pytest.raises(InputError, match=r"give one id per point \(2\)"):
        geo.wgs84_to_gcj02([112.5, 112.6], [37.8, 37.9], ids=["a"])
    with pytest.raises(InputError, match=r"give one coordinate system per point \(2\)"):
        geo.to_wgs84([112.5, 112.6], [37.8, 37.9], ["gcj02"])
    with pytest.raises(InputError, match="must be numbers"):
        geo.wgs84_to_gcj02(["east"], [37.8])


# --- metres --------------------------------------------------------------------------------


@pytest.mark.parametrize(("lon", "zone"), [
    ([112.49, 112.61], 49),   # Taiyuan: 112.5 E, zone 49 (108-114 E)
    ([116.40], 50),           # Beijing
    ([87.62], 45),            # Urumqi
    ([126.63], 52),           # Harbin
    ([113.99, 114.01], 50),   # straddling 114 E: the mean decides, one grid for all
])
def test_utm_zone_from_the_mean_longitude(lon, zone) -> None:
    assert geo.utm_crs(lon) == f"EPSG:{32600 + zone}"


# Taiyuan: a compound near the Yingze bridge and others 1, 5 and 30 km away.
TAIYUAN = (112.5578, 37.8706)


@pytest.mark.parametrize(("east_deg", "north_deg"), [
    (0.0114, 0.0), (0.0, 0.045), (0.04, 0.03), (0.3, 0.15),
])
def test_projected_distances_match_geodesic_ones_within_a_tenth_of_a_percent(
        east_deg, north_deg) -> None:
    lon = np.array([TAIYUAN[0], TAIYUAN[0] + east_deg])
    lat = np.array([TAIYUAN[1], TAIYUAN[1] + north_deg])
    truth = metres(lon[0], lat[0], lon[1], lat[1])[0]
    x, y = geo.project_to_metres(lon, lat)
    utm = float(np.hypot(x[1] - x[0], y[1] - y[0]))
    assert abs(utm / truth - 1) < 1e-3
    # UTM zone 49's scale at the pair's middle, d degrees from its meridian (111 E):
    # about 0.9996 x (1 + (d pi / 180 cos lat)^2 / 2); at 112.56 E, 37.87 N that is
    # 0.9996 x (1 + (0.0272 x 0.7895)^2 / 2) = 0.99983, distances short by 0.017%.
    mid_lon, mid_lat = lon.mean(), lat.mean()
    scale = 0.9996 * (1 + (math.radians(mid_lon - 111) * math.cos(math.radians(mid_lat))) ** 2
                      / 2)
    assert utm / truth == pytest.approx(scale, abs=2e-5)
    x, y = geo.project_to_metres(lon, lat, crs=geo.local_crs(lon, lat))
    assert abs(float(np.hypot(x[1] - x[0], y[1] - y[0])) / truth - 1) < 1e-5
    d = geo.geodesic_distances(lon, lat)
    assert d[0, 1] == d[1, 0] == pytest.approx(truth, rel=1e-12)


def test_at_a_zones_edge_the_error_stays_below_a_tenth_of_a_percent() -> None:
    # 113.95 E in zone 49 (meridian 111 E): scale 0.9996 x (1 + (0.0515 cos 37.8)^2 / 2)
    # = 1.00043.
    lon, lat = np.array([113.95, 113.96]), np.array([37.8, 37.8])
    truth = metres(lon[0], lat[0], lon[1], lat[1])[0]
    x, y = geo.project_to_metres(lon, lat, crs="EPSG:32649")
    ratio = float(np.hypot(x[1] - x[0], y[1] - y[0])) / truth
    assert ratio == pytest.approx(1.00043, abs=2e-5)


def test_an_unknown_crs_is_named() -> None:
    with pytest.raises(InputError) as info:
        geo.project_to_metres([112.5], [37.8], crs="EPSG:99999999")
    (problem,) = info.value.problems
    assert (problem.field, problem.value) == ("crs", "EPSG:99999999")


def test_without_pyproj_the_geo_extra_is_named(monkeypatch) -> None:
    real = importlib.import_module

    def import_module(name: str, package: str | None = None):
        if name == "pyproj":
            raise ImportError(name)
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", import_module)
    with pytest.raises(MissingExtraError) as info:
        geo.project_to_metres([112.5], [37.8])
    assert str(info.value) == ("projecting coordinates to metres needs the optional package "
                               "'pyproj'; install it with: pip install 'propfee[geo]'")


def test_crow_fly_distances_by_hand() -> None:
    # (0, 0), (300, 400), (0, 100): 500, 100 and hypot(300, 300) = 424.26.
    d = geo.crow_fly_distances([0.0, 300.0, 0.0], [0.0, 400.0, 100.0])
    assert d.tolist() == [[0.0, 500.0, 100.0], [500.0, 0.0, math.hypot(300, 300)],
                          [100.0, math.hypot(300, 300), 0.0]]


# --- a compound table --------------------------------------------------------------------


def table(**columns) -> pd.DataFrame:
    base = {"compound_id": ["a", "b", "c"], "households": [100, 100, 100],
            "floor_area_m2": [1e4, 1e4, 1e4], "build_year": [1990, 1990, 1990]}
    return pd.DataFrame({**base, **columns})


def test_one_place_in_three_datums_gets_one_position() -> None:
    gcj = WANDERGIS["wgs84togcj02"]
    bd = [float(v[0]) for v in geo.gcj02_to_bd09(*gcj)]
    t = table(lon=[TIANANMEN[0], gcj[0], bd[0]], lat=[TIANANMEN[1], gcj[1], bd[1]],
              coord_system=["wgs84", "gcj02", "bd09"])
    out = geo.compounds_to_metres(t)
    assert out.attrs["crs"] == "EPSG:32650"  # Beijing
    assert np.ptp(out["x_m"]) < 2e-4
    assert np.ptp(out["y_m"]) < 2e-4
    assert "coord_system" not in out.columns
    assert "coord_system" in t.columns  # the input is left as it was
    checked = validate_compounds(out)  # a compound table as it is
    assert checked.array("x_m").tolist() == out["x_m"].tolist()


def test_the_argument_fills_rows_without_a_datum_and_none_is_refused() -> None:
    t = table(lon=[112.55, 112.56, 112.57], lat=[37.87] * 3,
              coord_system=["gcj02", None, " "])
    out = geo.compounds_to_metres(t, "Amap")
    same = geo.compounds_to_metres(table(lon=[112.55, 112.56, 112.57], lat=[37.87] * 3),
                                   "gcj02")
    pd.testing.assert_frame_equal(out, same)
    with pytest.raises(InputError) as info:
        geo.compounds_to_metres(t)
    message = ("no coordinate system: fill the coord_system column or pass coord_system "
               "(wgs84, gcj02 from Amap or Tencent, bd09 from Baidu)")
    assert info.value.problems == (Problem("b", "coord_system", None, message),
                                   Problem("c", "coord_system", None, message))


def test_table_problems_are_all_named_at_once() -> None:
    t = table(lon=[112.55, None, "east"], lat=[37.87, 37.9, 37.9],
              coord_system=["gcj2", "wgs84", "wgs84"])
    with pytest.raises(InputError) as info:
        geo.compounds_to_metres(t)
    assert [(p.row, p.field, p.value) for p in info.value.problems] == [
        ("b", "lon", None), ("c", "lon", "east")]
    # The datum names are checked next, with the closest name.
    with pytest.raises(InputError) as info:
        geo.compounds_to_metres(table(lon=[112.55] * 3, lat=[37.87] * 3,
                                      coord_system=["gcj2", "wgs84", "wgs84"]))
    assert info.value.problems[0].message.endswith("did you mean 'gcj02'?")
    with pytest.raises(InputError, match="'lat': missing column"):
        geo.compounds_to_metres(table(lon=[1.0, 2.0, 3.0]), "wgs84")


def test_metres_already_in_the_table_are_kept_unless_replaced() -> None:
    t = table(lon=[112.55, 112.56, 112.57], lat=[37.87] * 3, x_m=[0.0, 1.0, 2.0],
              y_m=[None, None, None])
    with pytest.raises(InputError) as info:
        geo.compounds_to_metres(t, "wgs84")
    assert info.value.problems == (Problem(None, "x_m", None, "already given: pass "
                                           "replace=True to overwrite it from lon and lat"),)
    out = geo.compounds_to_metres(t, "wgs84", replace=True)
    assert out["x_m"].iloc[0] > 600_000  # UTM eastings of zone 49 at 112.55 E


# --- road distances ------------------------------------------------------------------------


IDS = ["a", "b", "c"]


def test_long_table_in_metres_mirrors_pairs_given_one_way(tmp_path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("from,to,metres\na,b,120\nb,a,150\na,c,300.5\nb,c,80\n", encoding="utf-8")
    d = geo.read_distances(path, IDS)
    # a-b given both ways (a one-way street): each way kept; a-c and b-c mirrored.
    assert d.tolist() == [[0.0, 120.0, 300.5], [150.0, 0.0, 80.0], [300.5, 80.0, 0.0]]


def test_chinese_headers_in_kilometres_and_a_gbk_file(tmp_path) -> None:
    path = tmp_path / "距离.csv"
    path.write_bytes("起点,终点,距离（公里）\na,b,0.12\na,c,1.5\nb,c,0.08\n".encode("gbk"))
    assert geo.read_distances(path, IDS).tolist() == [
        [0.0, 120.0, 1500.0], [120.0, 0.0, 80.0], [1500.0, 80.0, 0.0]]


def test_square_matrix_from_excel(tmp_path) -> None:
    pytest.importorskip("openpyxl")
    path = tmp_path / "d.xlsx"
    pd.DataFrame({"compound_id": ["c", "a", "b"], "a": [300, 0, 120], "b": [80, 120, 0],
                  "c": [0, 300, 80]}).to_excel(path, index=False)
    assert geo.read_distances(path, IDS).tolist() == [
        [0.0, 120.0, 300.0], [120.0, 0.0, 80.0], [300.0, 80.0, 0.0]]


def test_every_bad_distance_is_named_with_its_row(tmp_path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("from,to,metres\n"
                    "a,b,120\n"        # row 2
                    "a,x,50\n"         # row 3: x is not a compound
                    "a,c,-5\n"         # row 4: negative
                    "b,c,far\n"        # row 5: not a number
                    "c,c,3\n"          # row 6: itself
                    "a,b,121\n"        # row 7: a-b again, another value
                    ",b,10\n"          # row 8: no from
                    "b,c,inf\n",       # row 9: infinite
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        geo.read_distances(path, IDS)
    assert [(p.line, p.row, p.field, p.value, p.message) for p in info.value.problems] == [
        (3, "x", "to", "x", "not a compound of the table"),
        (4, "a", "metres", -5.0, "must be a distance >= 0 in metres"),
        (5, "b", "metres", "far", "must be a distance >= 0 in metres"),
        (6, "c", "metres", 3.0, "the distance of a compound to itself must be 0"),
        (7, "a", "metres", 121.0, "this pair was given as 120 m in row 2"),
        (8, None, "from", None, "missing"),
        (9, "b", "metres", math.inf, "must be a distance >= 0 in metres"),
    ]
    assert str(info.value).startswith(f"7 problems in distance file {path}:")


def test_pairs_without_a_distance_are_named() -> None:
    frame = pd.DataFrame({"from": ["a"], "to": ["b"], "metres": [120.0]})
    with pytest.raises(InputError) as info:
        geo.read_distances(frame, IDS)
    assert info.value.problems == (
        Problem("a", "to", "c", "no distance for this pair (either way)"),
        Problem("b", "to", "c", "no distance for this pair (either way)"))


def test_square_matrix_problems(tmp_path) -> None:
    frame = pd.DataFrame({"id": ["a", "b", "z"], "a": [0, 1, 2], "b": [1, 0, 2],
                          "y": [0, 0, 0]})
    with pytest.raises(InputError) as info:
        geo.read_distances(frame, ["a", "b"])
    assert [(p.line, p.row, p.field) for p in info.value.problems] == [
        (1, "y", "header"), (4, "z", "id")]
    with pytest.raises(InputError, match="missing column: metres"):
        geo.read_distances(pd.DataFrame({"from": ["a"], "to": ["b"], "cost": [1]}), IDS)
