"""The console's ticket map (issue 16, item 8): points over real HTTP (filtered like the
inbox, visibility, centroids for tickets without coordinates) and the page in a real
browser with the shipped map library, clustering, and tiles from a configurable URL
(a local tile server here, as no test reaches the internet)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastapi import FastAPI, Response
from PIL import Image

from bot.cases.ticket_map import centroid_of, load_centroids, place_tickets
from bot.web.console.i18n import Words
from storage.models import Ticket
from tests.browser_support import browser, serve_app  # noqa: F401
from tests.channels.fakes import serve
from tests.conftest import AppClient
from tests.staff_support import (  # noqa: F401
    PASSWORD,
    UNIT_A,
    UNIT_B,
    console_login,
    light_argon2,
    make_staff,
    new_ticket,
)


def test_centroids_fall_back_to_the_nearest_area_above() -> None:
    centroids = load_centroids()
    assert centroid_of("35.79.02", centroids) == (-7.8227, 112.546)
    assert centroid_of("35.79.02.2001", centroids) == (-7.8227, 112.546)  # village -> district
    assert centroid_of("35.79.09", centroids) == (-7.8672, 112.5239)  # unknown -> regency
    assert centroid_of("91.01", centroids) is None
    assert centroid_of(None, centroids) is None
    tickets = [Ticket(number="A", latitude=-7.9, longitude=112.6, region_code="35.79"),
               Ticket(number="B", latitude=None, longitude=None, region_code="35.79.03"),
               Ticket(number="C", latitude=0.0, longitude=0.0, region_code=None),
               Ticket(number="D", latitude=None, longitude=None, region_code="91.01")]
    points, unplaced = place_tickets(tickets, centroids)
    assert [(p.ticket.number, p.lat, p.lon, p.approximate) for p in points] == [
        ("A", -7.9, 112.6, False), ("B", -7.913, 112.553, True)]
    assert unplaced == 2


async def _seed(client: AppClient) -> dict[str, str]:
    rt = client.runtime
    exact = await new_ticket(rt, UNIT_A, sender="m1", latitude=-7.8801, longitude=112.5302)
    district = await new_ticket(rt, UNIT_A, sender="m2")
    async with rt.sessions() as s, s.begin():
        t = await rt.repositories(s).tickets.get(district.id)
        assert t is not None
        t.region_code = "35.79.02"
    health = await new_ticket(rt, UNIT_B, sender="m3")
    return {"exact": exact.number, "district": district.number, "health": health.number}


async def test_points_are_filtered_like_the_inbox(client: AppClient) -> None:
    rt = client.runtime
    numbers = await _seed(client)
    await make_staff(rt, "pupr", "officer", UNIT_A)
    await make_staff(rt, "admin", "admin", None)
    await console_login(client, "pupr")
    data = (await client.get("/console/map/points.json")).json()
    by_number = {p["number"]: p for p in data["points"]}
    assert set(by_number) == {numbers["exact"], numbers["district"]}  # not unit B's
    words = Words("id")
    assert by_number[numbers["exact"]] == {
        "number": numbers["exact"], "lat": -7.8801, "lon": 112.5302, "approximate": False,
        "status": "routed", "status_label": words.status("routed"),
        "category": words.category("infrastructure"), "unit": rt.unit_name(UNIT_A),
        "url": f"/console/tickets/{numbers['exact']}"}
    assert (by_number[numbers["district"]]["lat"], by_number[numbers["district"]]["lon"],
            by_number[numbers["district"]]["approximate"]) == (-7.8227, 112.546, True)
    assert (data["unplaced"], data["more"], data["limit"]) == (0, False, 2000)
    # Over the map's limit: the newest are drawn, and the page is told there are more.
    limited = rt.settings.map.model_copy(update={"max_points": 1})
    object.__setattr__(rt.settings, "map", limited)
    data = (await client.get("/console/map/points.json")).json()
    assert ([p["number"] for p in data["points"]], data["more"], data["limit"]) == (
        [numbers["district"]], True, 1)
    object.__setattr__(rt.settings, "map", limited.model_copy(update={"max_points": 2000}))
    # The inbox's filters apply: a status no ticket has, a search.
    assert (await client.get("/console/map/points.json?status=resolved")).json()["points"] == []
    found = (await client.get("/console/map/points.json",
                              params={"q": numbers["exact"]})).json()["points"]
    assert [p["number"] for p in found] == [numbers["exact"]]
    page = await client.get("/console/map?status=all")
    assert page.status_code == 200
    assert 'data-points-url="/console/map/points.json?status=all"' in page.text
    assert "/console/static/third_party/leaflet/leaflet.js" in page.text
    assert "img-src 'self' data: https://tile.openstreetmap.org;" in page.headers[
        "content-security-policy"]
    inbox = await client.get("/console/inbox?status=all")
    assert 'href="/console/map?status=all"' in inbox.text
    assert (await client.get("/console/static/third_party/leaflet/leaflet.js")).status_code == 200


def _tile_server(hits: list[str]) -> FastAPI:
    app = FastAPI()
    buf = io.BytesIO()
    Image.new("RGB", (256, 256), "#cfe8cf").save(buf, format="PNG")
    png = buf.getvalue()

    @app.get("/tiles/{z}/{x}/{y}.png")
    async def tile(z: int, x: int, y: int) -> Response:
        hits.append(f"{z}/{x}/{y}")
        return Response(png, media_type="image/png")

    return app


@pytest.mark.browser
async def test_the_map_in_a_browser(make_runtime: Any, sqlite_url: str,
                                    browser: Any) -> None:  # noqa: F811
    hits: list[str] = []
    async with serve(_tile_server(hits)) as tiles:
        rt = await make_runtime(sqlite_url, map={"tile_url": tiles + "/tiles/{z}/{x}/{y}.png"})
        async with serve_app(rt) as live:
            for i in range(6):  # six close tickets: they cluster at a city-wide zoom
                await new_ticket(rt, UNIT_A, sender=f"b{i}", latitude=-7.87 - i * 0.001,
                                 longitude=112.52 + i * 0.001)
            await new_ticket(rt, UNIT_A, sender="far", latitude=-7.95, longitude=112.62)
            await make_staff(rt, "pupr", "officer", UNIT_A)
            for width, height in ((1280, 800), (390, 844)):
                page = await browser.new_page(viewport={"width": width, "height": height})
                errors: list[str] = []
                page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
                await page.goto(f"{live.url}/console/login")
                await page.fill("input[name=username]", "pupr")
                await page.fill("input[name=password]", PASSWORD)
                await page.click("button[type=submit]")
                await page.wait_for_url("**/console/inbox")
                await page.click("#map-link")
                await page.wait_for_url("**/console/map**")
                await page.wait_for_selector("#ticket-map[data-ready='1']")
                assert await page.get_attribute("#ticket-map", "data-points") == "7"
                await page.wait_for_selector(".leaflet-tile-loaded")
                markers = await page.locator(".leaflet-marker-icon").count()
                clusters = await page.locator(".marker-cluster").count()
                assert clusters >= 1 and markers < 7 + clusters  # some points are clustered
                box = await page.locator("#ticket-map").bounding_box()
                assert box is not None and box["width"] <= width and box["height"] >= 300
                assert errors == []
                await page.close()
    assert hits, "no tile was requested from the configured tile URL"
