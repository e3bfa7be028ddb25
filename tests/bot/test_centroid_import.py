"""The ticket map's centroids from an agency's own file (issue 16, item 8): polygon
centroids on known shapes, code normalisation (Kemendagri dotted and undotted; BPS
refused), the import's counts, ``pintu map import-centroids`` end to end, tickets placed
from the imported file over real HTTP, and the map page saying how many could not be
placed (desktop and phone, in a real browser)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.cases.centroid_import import (
    CentroidImportError,
    from_csv,
    from_geojson,
    in_indonesia,
    normalise_code,
    read_centroid_file,
)
from bot.cases.geometry import GeometryError, centroid, geometry_moments
from bot.cases.ticket_map import SHIPPED_CENTROIDS, load_centroids
from bot.cli.main import main
from bot.cli.ticket_map import _known
from tests.bot.test_map import _tile_server
from tests.browser_support import browser, serve_app  # noqa: F401
from tests.channels.fakes import serve
from tests.staff_support import (  # noqa: F401
    PASSWORD,
    UNIT_A,
    console_login,
    light_argon2,
    make_staff,
    new_ticket,
)


def square(x0: float, y0: float, x1: float, y1: float, clockwise: bool = False
           ) -> list[list[float]]:
    ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    return ring[::-1] if clockwise else ring


def polygon(*rings: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings)}


def approx(point: tuple[float, float] | None) -> Any:
    return pytest.approx(point, abs=1e-9)


# ---- geometry ------------------------------------------------------------------------------

def test_centroids_of_known_shapes() -> None:
    assert centroid(polygon(square(0, 0, 1, 1))) == approx((0.5, 0.5))
    assert centroid(polygon(square(0, 0, 1, 1, clockwise=True))) == approx((0.5, 0.5))
    assert geometry_moments(polygon(square(0, 0, 2, 3))).area == pytest.approx(6)
    # An open ring (last point not repeated) is closed implicitly.
    assert centroid(polygon([[0, 0], [3, 0], [0, 3]])) == approx((1, 1))
    # An L: 2x1 bar (centre 1, 0.5) and 1x1 block on it (0.5, 1.5): (2.5/3, 2.5/3).
    ell = [[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]
    assert centroid(polygon(ell)) == approx((2.5 / 3, 2.5 / 3))
    # A 4x4 square with a 1x1 hole at (2..3, 2..3): (16*2 - 1*2.5) / 15 on each axis,
    # whichever way the hole winds.
    for cw in (False, True):
        holed = polygon(square(0, 0, 4, 4), square(2, 2, 3, 3, clockwise=cw))
        assert centroid(holed) == approx((29.5 / 15, 29.5 / 15))
        assert geometry_moments(holed).area == pytest.approx(15)
    # Two parts: a unit square (0.5, 0.5) and a 2x2 square (3, 1): weighted 1 : 4.
    multi = {"type": "MultiPolygon", "coordinates": [[square(0, 0, 1, 1)],
                                                      [square(2, 0, 4, 2)]]}
    assert centroid(multi) == approx((2.5, 0.9))
    # Far from the origin (Indonesian longitudes) the result keeps its precision.
    assert centroid(polygon(square(112.52, -7.88, 112.54, -7.86))) == approx((112.53, -7.87))
    assert centroid(polygon([[0, 0], [1, 1], [2, 2], [0, 0]])) is None  # no area
    # On a line, but far from the origin: rounding leaves a tiny area that is no area.
    assert centroid(polygon([[112.5, -7.9], [112.6, -7.8], [112.7, -7.7]])) is None
    assert centroid(polygon()) is None


@pytest.mark.parametrize(("geometry", "message"), [
    ({"type": "Point", "coordinates": [112.5, -7.8]},
     "a Point geometry, not a Polygon or MultiPolygon"),
    ({"type": "GeometryCollection", "geometries": []},
     "a GeometryCollection geometry without coordinates"),
    (None, "no geometry"),
    ({}, "a typeless geometry without coordinates"),
    ({"coordinates": [[[0, 0], [1, 0], [0, 1]]]},
     "a missing geometry, not a Polygon or MultiPolygon"),
    ({"type": "Polygon", "coordinates": [[["a", 1], [2, 2], [3, 0]]]},
     "malformed Polygon coordinates (could not convert string to float: 'a')"),
])
def test_geometries_that_are_not_polygons_are_refused(geometry: Any, message: str) -> None:
    with pytest.raises(GeometryError) as err:
        centroid(geometry)
    assert str(err.value) == message


# ---- codes ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("35.79.01.2005", ("35.79.01.2005", "")),
    (" 35.79 ", ("35.79", "")),
    ("3579012005", ("35.79.01.2005", "")),
    (3579011001, ("35.79.01.1001", "")),
    ("357901", ("35.79.01", "")),
    ("3579", ("35.79", "")),
    ("35", ("35", "")),
    ("3579010001", (None, "bps")),  # 2+2+3+3: village part "0001" is no Kemendagri one
    ("3579010", (None, "bps")),  # a 7-digit BPS kecamatan
    ("35.79.1", (None, "malformed")),
    ("35-79-01", (None, "malformed")),
    ("35790120051", (None, "malformed")),
    ("", (None, "malformed")),
    (True, (None, "malformed")),
    (35.79, (None, "malformed")),
])
def test_codes_are_normalised_or_refused(raw: Any, expected: tuple[str | None, str]) -> None:
    assert normalise_code(raw) == expected


def test_indonesias_extent() -> None:
    inside = [(-11.5, 94.5), (6.5, 141.5), (-7.87, 112.53)]
    outside = [(-11.51, 112.0), (6.51, 112.0), (0.0, 94.49), (0.0, 141.51), (112.53, -7.87)]
    assert [in_indonesia(lat, lon) for lat, lon in inside + outside] == [True] * 3 + [False] * 5


# ---- the import -------------------------------------------------------------------------------

def feature(code: Any, geometry: Any, field: str = "KDEPUM") -> dict[str, Any]:
    return {"type": "Feature", "properties": {field: code, "WADMKD": "x"},
            "geometry": geometry}


BATU = {"type": "FeatureCollection", "features": [
    feature("35.79.01.1001", polygon(square(112.52, -7.88, 112.54, -7.86))),
    feature("35.79.01.1002", {"type": "MultiPolygon", "coordinates": [
        [square(112.50, -7.87, 112.51, -7.86)], [square(112.51, -7.89, 112.53, -7.87)]]}),
    feature("3579011003", polygon(square(112.50, -7.84, 112.54, -7.80),
                                  square(112.52, -7.82, 112.53, -7.81))),
    # A second part of Temas: merged with the first.
    feature("35.79.01.1001", polygon(square(112.54, -7.88, 112.56, -7.86))),
    feature("35.79.01.2099", polygon(square(112.5, -7.9, 112.6, -7.8))),
    # Latitude and longitude swapped: the centroid falls outside Indonesia.
    feature("35.79.02.2001", polygon([[-7.83, 112.54], [-7.81, 112.54], [-7.81, 112.56],
                                      [-7.83, 112.56]])),
    feature("35.79.02.2002", {"type": "Point", "coordinates": [112.53, -7.82]}),
    feature("35-79", polygon(square(112.5, -7.9, 112.6, -7.8))),
]}


def test_boundaries_give_area_weighted_centroids_and_their_parents() -> None:
    result = from_geojson(BATU, _known, "batu.geojson")
    # Temas: two 0.02x0.02 squares side by side; Ngaglik: 0.0001 at (112.505, -7.865) and
    # 0.0004 at (112.52, -7.88); Songgokerto: 0.0016 at (112.52, -7.82) less a 0.0001 hole
    # at (112.525, -7.815). Their district, city and province: all three by area.
    temas, ngaglik, songgo = (112.54, -7.87), (112.517, -7.877), (
        (0.0016 * 112.52 - 0.0001 * 112.525) / 0.0015,
        (0.0016 * -7.82 - 0.0001 * -7.815) / 0.0015)
    areas = (0.0008, 0.0005, 0.0015)
    parent = tuple(sum(a * p[i] for a, p in zip(areas, (temas, ngaglik, songgo), strict=True))
                   / sum(areas) for i in (0, 1))

    def lat_lon(lon_lat: tuple[float, ...]) -> tuple[float, float]:
        return round(lon_lat[1], 6), round(lon_lat[0], 6)

    assert result.centroids == {
        "35.79.01.1001": lat_lon(temas), "35.79.01.1002": lat_lon(ngaglik),
        "35.79.01.1003": lat_lon(songgo), "35.79.01": lat_lon(parent),
        "35.79": lat_lon(parent), "35": lat_lon(parent)}
    assert result.summary() == {
        "source": "batu.geojson", "read": 8, "written": 6, "derived": 3,
        "by_level": {"province": 1, "regency": 1, "district": 1, "village": 3},
        "unknown": {"count": 1, "examples": ["35.79.01.2099"]},
        "bps": {"count": 0, "examples": []},
        "malformed": {"count": 1, "examples": ["35-79"]},
        "outside": {"count": 1, "examples": ["35.79.02.2001"]},
        "no_area": {"count": 1, "examples": [
            "35.79.02.2002 (a Point geometry, not a Polygon or MultiPolygon)"]},
        "bad_coordinates": {"count": 0, "examples": []},
        "duplicates": {"count": 1, "examples": ["35.79.01.1001"]}}


def test_the_code_field_can_be_named_and_odd_features_are_counted(tmp_path: Path) -> None:
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kode": "batu", "KDEPUM": "35.79.03.2006"},
         "geometry": polygon(square(112.55, -7.92, 112.57, -7.90))},
        {"type": "Feature", "properties": {"kode": "x", "KDEPUM": "35.79.03.2005"},
         "geometry": polygon([[112.5, -7.9], [112.6, -7.8], [112.7, -7.7]])},
        {"type": "Feature", "properties": None, "geometry": None},
        {"type": "Feature", "properties": {"kode": "y", "KDEPUM": "35.79.03.2004"},
         "geometry": polygon(square(112.53, -7.92, 112.55, -7.90))}]}
    path = tmp_path / "pendem.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = read_centroid_file(path, _known, "kdepum")  # any case
    assert (result.centroids, result.no_area, result.malformed) == (
        {"35.79.03.2006": (-7.91, 112.56), "35.79.03.2004": (-7.91, 112.54),
         "35.79.03": (-7.91, 112.55), "35.79": (-7.91, 112.55), "35": (-7.91, 112.55)},
        ["35.79.03.2005 (no area)"], [""])
    # Without the name, the first known field ("kode") is taken: nothing usable.
    assert read_centroid_file(path, _known).malformed == ["batu", "x", "", "y"]


def test_a_file_with_bps_codes_has_all_its_undotted_village_codes_refused() -> None:
    # 3579012005 alone would read as Kemendagri's Sumberejo; beside BPS codes it is in doubt.
    bps = {"type": "FeatureCollection", "features": [
        feature("3579010001", polygon(square(112.5, -7.9, 112.6, -7.8)), "kode"),
        feature("3579012005", polygon(square(112.5, -7.9, 112.6, -7.8)), "kode"),
        feature("35.79.02", polygon(square(112.5, -7.8, 112.6, -7.7)), "kode")]}
    result = from_geojson(bps, _known, "bps.geojson")
    assert (result.bps, list(result.centroids), result.derived) == (
        ["3579010001", "3579012005"], ["35.79.02", "35", "35.79"], ["35", "35.79"])


def test_a_csv_file_with_a_byte_order_mark_and_many_refusals(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    rows = "".join(f"35.79.09.20{i:02d},-7.9,112.5\n" for i in range(7))
    path.write_text("\ufeffcode,lat,lon\n35.79.03.2006,-7.9075,112.5613\n" + rows,
                    encoding="utf-8")
    result = read_centroid_file(path, _known)
    assert result.centroids == {"35.79.03.2006": (-7.9075, 112.5613)}
    assert result.summary()["unknown"] == {"count": 7, "examples": [
        "35.79.09.2000", "35.79.09.2001", "35.79.09.2002", "35.79.09.2003", "35.79.09.2004"]}


def test_points_from_a_csv() -> None:
    text = ("# agency's village points\n"
            "kode,nama,latitude,longitude\n"
            "99.99,Nowhere,-7.9,112.5\n"
            "35.79.03.2006,Pendem,-7.9075,112.5613004\n"
            "3579032003,Junrejo,-7.9129,112.5496\n"
            "35.79.03.2006,Pendem again,-7.0,112.0\n"
            "35.79.03.2004,Tlekung,112.53,-7.91\n"
            "35.79.03.2005,Mojorejo,,\n"
            "35.79.03.2002,Beji,-7.8961,112.5474\n")
    result = from_csv(text, _known, "points.csv")
    assert result.centroids == {"35.79.03.2002": (-7.8961, 112.5474),
                                "35.79.03.2003": (-7.9129, 112.5496),
                                "35.79.03.2006": (-7.9075, 112.5613)}
    assert result.summary()["read"] == 7 and result.derived == []
    assert (result.duplicates, result.outside, result.bad_coordinates, result.unknown) == (
        ["35.79.03.2006"], ["35.79.03.2004"], ["35.79.03.2005"], ["99.99"])


@pytest.mark.parametrize(("name", "content", "field", "message"), [
    ("a.geojson", '{"type": "Feature"}', None, "a.geojson: not a GeoJSON FeatureCollection"),
    ("a.geojson", "{oops", None,
     "a.geojson: not valid JSON: Expecting property name enclosed in double quotes: "
     "line 1 column 2 (char 1)"),
    ("a.geojson", '{"type": "FeatureCollection", "features": []}', None,
     "a.geojson: the FeatureCollection has no features"),
    ("a.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"NAMOBJ": "Batu", "WADMKK": "Batu"},
         "geometry": None}]}), None,
     "no code field found (looked for code, kode, kode_wilayah, kd_wilayah, kdepum, kdcpum, "
     "kdpkab, kdppum); the fields are: NAMOBJ, WADMKK — name one with --code-field"),
    ("a.csv", "code,lat,lon\n35,-7,112\n", "KODE_DESA",
     "no code field 'KODE_DESA'; the fields are: code, lat, lon"),
    ("a.csv", "code,y,x\n35,-7,112\n", None,
     "no latitude field found (looked for lat, latitude, lintang); the fields are: code, x, y"),
    ("a.txt", "35,-7,112\n", None, "a.txt: give a .geojson, .json or .csv file"),
    ("a.json", "[1, 2]", None, "a.json: not a GeoJSON FeatureCollection"),
    ("a.geojson", '{"type": "FeatureCollection", "features": {}}', None,
     "a.geojson: not a GeoJSON FeatureCollection"),
    ("a.csv", "", None, "a.csv: empty CSV"),
    ("a.csv", "code,lat,x\n35,-7,112\n", None,
     "no longitude field found (looked for lon, lng, long, longitude, bujur); the fields "
     "are: code, lat, x"),
])
def test_unusable_files_are_refused_with_the_reason(tmp_path: Path, name: str, content: str,
                                                     field: str | None, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CentroidImportError) as err:
        read_centroid_file(path, _known, field)
    assert str(err.value) == message.replace(f"{name}:", f"{path}:", 1)


# ---- the command, and the map reading its file ---------------------------------------------

def test_pintu_map_import_centroids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "batu.geojson"
    source.write_text(json.dumps(BATU), encoding="utf-8")
    out = tmp_path / "deploy" / "centroids.csv"
    assert main(["map", "import-centroids", str(source), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines() == [
        f"read 8 rows/features from {source}",
        f"wrote 6 centroids to {out} (villages 3, districts 1, regencies 1, provinces 1; "
        "3 derived from their parts)",
        "  1 unknown codes (e.g. 35.79.01.2099)",
        "  1 malformed codes (e.g. 35-79)",
        "  1 centroids outside Indonesia (e.g. 35.79.02.2001)",
        "  1 features without a usable polygon (e.g. 35.79.02.2002 (a Point geometry, not a "
        "Polygon or MultiPolygon))",
        "  1 repeated codes (e.g. 35.79.01.1001)",
        f"set map.centroids_path: {out.resolve()} (or PINTU_MAP__CENTROIDS_PATH); the map "
        "reads it on its next load"]
    written = out.read_text(encoding="utf-8")
    assert "\r" not in written
    lines = written.splitlines()
    assert lines[1:4] == ["# 3 of them derived from their parts in that file.",
                          "code,lat,lon,name", "35,-7.844643,112.525000,Provinsi Jawa Timur"]
    assert lines[4:] == [
        "35.79,-7.844643,112.525000,Kota Batu",
        "35.79.01,-7.844643,112.525000,\"Kec. Batu, Kota Batu\"",
        "35.79.01.1001,-7.870000,112.540000,\"Kelurahan Temas, Kec. Batu, Kota Batu\"",
        "35.79.01.1002,-7.877000,112.517000,\"Kelurahan Ngaglik, Kec. Batu, Kota Batu\"",
        "35.79.01.1003,-7.820333,112.519667,\"Kelurahan Songgokerto, Kec. Batu, Kota Batu\""]
    assert dict(load_centroids(str(out))) == {
        "35": (-7.844643, 112.525), "35.79": (-7.844643, 112.525),
        "35.79.01": (-7.844643, 112.525), "35.79.01.1001": (-7.87, 112.54),
        "35.79.01.1002": (-7.877, 112.517), "35.79.01.1003": (-7.820333, 112.519667)}

    # --json: the same counts for scripts.
    assert main(["map", "import-centroids", str(source), "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["written"], summary["derived"], summary["unknown"]["count"],
            summary["outside"]["count"], summary["out"]) == (6, 3, 1, 1, str(out))

    # Nothing usable: nothing written, exit 1, and the BPS codes explained.
    bps = tmp_path / "bps.csv"
    bps.write_text("kode,lat,lon\n3579010001,-7.87,112.52\n", encoding="utf-8")
    before = out.read_text(encoding="utf-8")
    assert main(["map", "import-centroids", str(bps), "--out", str(out)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"read 1 rows/features from {bps}",
        "nothing written: no usable centroid in the file",
        "  1 BPS-style codes (e.g. 3579010001)",
        "  BPS codes number districts and villages differently from Kemendagri's and no "
        "crosswalk ships with Pintu: use a field holding Kemendagri codes (dotted, e.g. "
        "35.79.01.2001) with --code-field"]
    assert out.read_text(encoding="utf-8") == before
    # Bad input: exit 2, nothing written; the shipped demo file is never overwritten.
    assert main(["map", "import-centroids", str(tmp_path / "missing.csv"),
                 "--out", str(out)]) == 2
    assert capsys.readouterr().err.startswith(f"pintu: cannot read {tmp_path / 'missing.csv'}")
    shipped = SHIPPED_CENTROIDS.read_text(encoding="utf-8")
    assert main(["map", "import-centroids", str(source), "--out", str(SHIPPED_CENTROIDS)]) == 2
    assert SHIPPED_CENTROIDS.read_text(encoding="utf-8") == shipped


async def _place_tickets(rt: Any) -> dict[str, str]:
    numbers = {}
    for sender, code in (("v1", "35.79.01.1002"), ("v2", "35.79.01"), ("v3", "91.01"),
                         ("v4", None)):
        ticket = await new_ticket(rt, UNIT_A, sender=sender)
        async with rt.sessions() as s, s.begin():
            t = await rt.repositories(s).tickets.get(ticket.id)
            t.region_code = code
        numbers[sender] = ticket.number
    return numbers


async def test_the_map_places_tickets_from_the_imported_file(
        make_runtime: Any, sqlite_url: str, tmp_path: Path) -> None:
    import httpx

    from bot.app.factory import create_app

    source = tmp_path / "batu.geojson"
    source.write_text(json.dumps(BATU), encoding="utf-8")
    out = tmp_path / "centroids.csv"
    assert main(["map", "import-centroids", str(source), "--out", str(out), "--json"]) == 0
    rt = await make_runtime(sqlite_url, map={"centroids_path": str(out)})
    numbers = await _place_tickets(rt)
    await make_staff(rt, "pupr", "officer", UNIT_A)
    app = create_app(runtime=rt, workers=False)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://pintu.test") as client:
        await console_login(client, "pupr")
        data = (await client.get("/console/map/points.json?status=all")).json()
    placed = {p["number"]: (p["lat"], p["lon"], p["approximate"]) for p in data["points"]}
    assert placed == {numbers["v1"]: (-7.877, 112.517, True),
                      numbers["v2"]: (-7.844643, 112.525, True)}
    assert data["unplaced"] == 2


@pytest.mark.browser
async def test_the_map_page_says_how_many_tickets_could_not_be_placed(
        make_runtime: Any, sqlite_url: str, browser: Any) -> None:  # noqa: F811
    hits: list[str] = []
    async with serve(_tile_server(hits)) as tiles:
        rt = await make_runtime(sqlite_url, map={"tile_url": tiles + "/tiles/{z}/{x}/{y}.png"})
        await _place_tickets(rt)  # the shipped demo centroids: 91.01 and no code unplaced
        await make_staff(rt, "pupr", "officer", UNIT_A, language="en")
        async with serve_app(rt) as live:
            for width, height in ((1280, 800), (390, 844)):
                page = await browser.new_page(viewport={"width": width, "height": height})
                await page.goto(f"{live.url}/console/login")
                await page.fill("input[name=username]", "pupr")
                await page.fill("input[name=password]", PASSWORD)
                await page.click("button[type=submit]")
                await page.wait_for_url("**/console/inbox")
                await page.goto(f"{live.url}/console/map?status=all")
                await page.wait_for_selector("#ticket-map[data-ready='1']")
                note = page.locator("#map-unplaced")
                assert await note.is_visible()
                assert await note.inner_text() == (
                    "2 of 4 tickets could not be placed on the map: no coordinates, and no "
                    "centre known for their area.")
                box = await note.bounding_box()
                assert box is not None and box["x"] + box["width"] <= width
                await page.close()
