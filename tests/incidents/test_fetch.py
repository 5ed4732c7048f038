"""Fetching public files, against a local HTTP server the tests start (never the network)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import threading
import zipfile
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import CommandError, call_command

from saferhub.core.periods import PeriodError, month_range
from saferhub.incidents.fetch import (
    Fetcher,
    FetchError,
    Manifest,
    TokenBucket,
    archives_for,
    fetch_geography,
    fetch_police_uk,
)

LOOKUP = "LSOA_(2021)_to_Electoral_Ward_(2023)_to_LAD_(2023)_Best_Fit_Lookup_in_EW.csv"


class Server:
    """A loopback server: ``routes`` maps a path to a handler(request) -> None."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                path = urlparse(self.path).path
                outer.log.append((self.path, dict(self.headers)))
                route = outer.routes.get(path)
                if route is None:
                    self.send_error(404)
                    return
                route(self)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def hits(self, path: str) -> list[dict[str, str]]:
        return [h for p, h in self.log if urlparse(p).path == path]


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


@pytest.fixture
def fetch_settings(settings: Any, server: Server) -> Any:
    settings.POLICE_UK_ARCHIVE_URL = server.url + "data/archive/"
    settings.ONS_ARCGIS_URL = server.url + "arcgis/rest/services/"
    settings.FETCH_RETRIES = 3
    settings.FETCH_BACKOFF_SECONDS = 0.01
    return settings


def serve_bytes(body: bytes) -> Callable[[BaseHTTPRequestHandler], None]:
    """Serve ``body``, honouring ``Range: bytes=N-`` with a 206."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        start = 0
        rng = h.headers.get("Range")
        if rng and rng.startswith("bytes="):
            start = int(rng[6:].split("-")[0])
            if start >= len(body):
                h.send_response(416)
                h.send_header("Content-Range", f"bytes */{len(body)}")
                h.end_headers()
                return
            h.send_response(206)
            h.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        else:
            h.send_response(200)
        h.send_header("Content-Length", str(len(body) - start))
        h.send_header("Content-Type", "application/zip")
        h.end_headers()
        h.wfile.write(body[start:])

    return handle


def fail_first(times: int, status: int, then: Callable[..., None], **headers: str) -> Any:
    count = {"n": 0}

    def handle(h: BaseHTTPRequestHandler) -> None:
        if count["n"] < times:
            count["n"] += 1
            h.send_response(status)
            for k, v in headers.items():
                h.send_header(k, v)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        then(h)

    return handle


def cut_off_first(body: bytes, at: int) -> Callable[[BaseHTTPRequestHandler], None]:
    """The first transfer promises the whole file but stops after ``at`` bytes."""
    state = {"cut": False}
    whole = serve_bytes(body)

    def handle(h: BaseHTTPRequestHandler) -> None:
        if not state["cut"]:
            state["cut"] = True
            h.send_response(200)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body[:at])
            h.wfile.flush()
            h.close_connection = True
            return
        whole(h)

    return handle


def make_archive(data_dir: Path, months: list[str]) -> bytes:
    """A police.uk-shaped archive: real Derbyshire files plus another force's file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for month in months:
            real = data_dir / "police_uk" / "derbyshire" / month / f"{month}-derbyshire-street.csv"
            zf.writestr(f"{month}/{month}-derbyshire-street.csv", real.read_bytes())
            zf.writestr(
                f"{month}/{month}-leicestershire-street.csv",
                real.read_bytes().splitlines(keepends=True)[0],
            )
    return buffer.getvalue()


# --------------------------------------------------------------------------- units


def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    now = {"t": 0.0}
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now["t"] += seconds

    bucket = TokenBucket(15, 30, clock=lambda: now["t"], sleep=sleep)
    waits = [bucket.take() for _ in range(30)]
    assert waits == [0.0] * 30  # the burst of 30 goes at once
    waits = [bucket.take() for _ in range(15)]
    assert all(w == pytest.approx(1 / 15) for w in waits)  # then 15 a second
    assert sum(slept) == pytest.approx(1.0)
    now["t"] += 10  # after a pause the bucket is full again, not fuller
    assert [bucket.take() for _ in range(30)] == [0.0] * 30
    assert bucket.take() > 0


def test_months_and_archive_plan() -> None:
    assert month_range("2023-11", "2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]
    with pytest.raises(PeriodError, match="YYYY-MM"):
        month_range("2023-13", "2024-01")
    with pytest.raises(PeriodError, match="after"):
        month_range("2024-02", "2024-01")
    # The command's own words, before anything is downloaded.
    with pytest.raises(FetchError, match="YYYY-MM"):
        fetch_police_uk(force="derbyshire", first="2023-13", last="2024-01", dest=Path("."))
    with pytest.raises(FetchError, match="--from 2024-02 is after --to 2024-01"):
        fetch_police_uk(force="derbyshire", first="2024-02", last="2024-01", dest=Path("."))
    # 24 months: one archive; 40 months: the newest archive plus one older one.
    assert [a for a, _ in archives_for(month_range("2023-01", "2024-12"))] == ["2024-12"]
    plan = archives_for(month_range("2021-09", "2024-12"))
    assert [a for a, _ in plan] == ["2024-12", "2021-12"]
    assert sum(len(m) for _, m in plan) == 40


# --------------------------------------------------------------------------- police.uk


@pytest.mark.django_db
def test_fetch_police_uk_resumes_a_broken_transfer_and_verifies(
    server: Server, fetch_settings: Any, data_dir: Path, tmp_path: Path
) -> None:
    body = make_archive(data_dir, ["2024-11", "2024-12"])
    server.routes["/data/archive/2024-12.zip"] = cut_off_first(body, len(body) // 3)
    report = fetch_police_uk(force="Derbyshire", first="2024-11", last="2024-12", dest=tmp_path)

    hits = server.hits("/data/archive/2024-12.zip")
    assert len(hits) == 2
    assert "Range" not in hits[0]
    # Only the rest was asked for: from the last whole block received before the break.
    resumed_at = int(hits[1]["Range"].removeprefix("bytes=").rstrip("-"))
    assert 0 < resumed_at <= len(body) // 3
    archive = tmp_path / "archives" / "police_uk" / "2024-12.zip"
    assert archive.read_bytes() == body
    assert not archive.with_name("2024-12.zip.part").exists()
    street = tmp_path / "police_uk" / "derbyshire" / "2024-12" / "2024-12-derbyshire-street.csv"
    real = data_dir / "police_uk" / "derbyshire" / "2024-12" / "2024-12-derbyshire-street.csv"
    assert street.read_bytes() == real.read_bytes()
    with street.open(encoding="utf-8") as handle:
        assert sum(1 for _ in csv.reader(handle)) - 1 == 7742  # the SOURCES.md row count
    assert not (tmp_path / "police_uk" / "leicestershire").exists()
    assert report.retries == 1

    manifest = json.loads((tmp_path / "MANIFEST.json").read_text())["files"]
    assert manifest["archives/police_uk/2024-12.zip"]["sha256"] == hashlib.sha256(body).hexdigest()
    assert (
        manifest["police_uk/derbyshire/2024-12/2024-12-derbyshire-street.csv"]["sha256"]
        == hashlib.sha256(real.read_bytes()).hexdigest()
    )

    # A second run verifies the archive against the manifest and does not download it.
    again = fetch_police_uk(force="derbyshire", first="2024-11", last="2024-12", dest=tmp_path)
    assert again.verified == ["archives/police_uk/2024-12.zip"]
    assert again.downloaded == []
    assert len(server.hits("/data/archive/2024-12.zip")) == 2


@pytest.mark.django_db
def test_a_leftover_part_file_is_resumed(
    server: Server, fetch_settings: Any, data_dir: Path, tmp_path: Path
) -> None:
    body = make_archive(data_dir, ["2024-12"])
    server.routes["/data/archive/2024-12.zip"] = serve_bytes(body)
    part = tmp_path / "archives" / "police_uk" / "2024-12.zip.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(body[:1000])  # as a killed run leaves it
    fetch_police_uk(force="derbyshire", first="2024-12", last="2024-12", dest=tmp_path)
    assert server.hits("/data/archive/2024-12.zip")[0]["Range"] == "bytes=1000-"
    assert (tmp_path / "archives" / "police_uk" / "2024-12.zip").read_bytes() == body


@pytest.mark.django_db
def test_a_changed_file_fails_verification_and_is_fetched_again(
    server: Server, fetch_settings: Any, data_dir: Path, tmp_path: Path
) -> None:
    body = make_archive(data_dir, ["2024-12"])
    server.routes["/data/archive/2024-12.zip"] = serve_bytes(body)
    fetch_police_uk(force="derbyshire", first="2024-12", last="2024-12", dest=tmp_path)
    archive = tmp_path / "archives" / "police_uk" / "2024-12.zip"
    street = tmp_path / "police_uk" / "derbyshire" / "2024-12" / "2024-12-derbyshire-street.csv"
    street.write_text("tampered\n")
    states = Manifest.load(tmp_path).verify_all()
    assert states["police_uk/derbyshire/2024-12/2024-12-derbyshire-street.csv"] == "mismatch"
    with pytest.raises(CommandError, match="1 of 2 files do not match"):
        call_command("fetch_data", "verify", "--dest", str(tmp_path))

    archive.write_bytes(body[:-10] + b"0123456789")
    report = fetch_police_uk(force="derbyshire", first="2024-12", last="2024-12", dest=tmp_path)
    assert report.redownloaded == ["archives/police_uk/2024-12.zip"]
    assert any("checksum mismatch" in m for m in report.messages)
    assert archive.read_bytes() == body
    assert Manifest.load(tmp_path).verify(street) == "ok"
    call_command("fetch_data", "verify", "--dest", str(tmp_path), stdout=io.StringIO())


@pytest.mark.django_db
def test_rate_limited_and_server_errors_are_retried(
    server: Server, fetch_settings: Any, data_dir: Path, tmp_path: Path
) -> None:
    body = make_archive(data_dir, ["2024-12"])
    server.routes["/data/archive/2024-12.zip"] = fail_first(
        1, 429, fail_first(1, 500, serve_bytes(body)), **{"Retry-After": "0"}
    )
    report = fetch_police_uk(force="derbyshire", first="2024-12", last="2024-12", dest=tmp_path)
    assert report.retries == 2
    assert any("429" in m for m in report.messages)
    assert any("500" in m for m in report.messages)
    assert (tmp_path / "archives" / "police_uk" / "2024-12.zip").read_bytes() == body


@pytest.mark.django_db
def test_a_server_that_keeps_failing_gives_a_clear_error(
    server: Server, fetch_settings: Any, tmp_path: Path
) -> None:
    server.routes["/data/archive/2024-12.zip"] = fail_first(99, 500, serve_bytes(b""))
    with pytest.raises(CommandError, match=r"answered 500; gave up after 4 attempts"):
        call_command(
            "fetch_data",
            "police-uk",
            "--force",
            "derbyshire",
            "--from",
            "2024-12",
            "--to",
            "2024-12",
            "--dest",
            str(tmp_path),
            verbosity=0,
        )
    assert len(server.hits("/data/archive/2024-12.zip")) == 4


@pytest.mark.django_db
def test_clear_errors_for_bad_force_missing_month_and_junk(
    server: Server, fetch_settings: Any, data_dir: Path, tmp_path: Path
) -> None:
    body = make_archive(data_dir, ["2024-12"])
    server.routes["/data/archive/2024-12.zip"] = serve_bytes(body)
    with pytest.raises(FetchError, match=r"no files for the force 'kent'.*derbyshire"):
        fetch_police_uk(force="kent", first="2024-12", last="2024-12", dest=tmp_path)
    server.routes["/data/archive/2024-12.zip"] = serve_bytes(body)
    with pytest.raises(FetchError, match="no derbyshire files for 2024-11"):
        fetch_police_uk(force="derbyshire", first="2024-11", last="2024-12", dest=tmp_path)
    with pytest.raises(FetchError, match="was not found"):
        fetch_police_uk(force="derbyshire", first="2023-01", last="2023-01", dest=tmp_path)
    with pytest.raises(FetchError, match="not a police.uk force name"):
        fetch_police_uk(force="../etc", first="2023-01", last="2023-01", dest=tmp_path)
    junk = tmp_path / "junk"
    server.routes["/data/archive/2024-10.zip"] = serve_bytes(b"<html>maintenance</html>")
    with pytest.raises(FetchError, match="not a zip archive"):
        fetch_police_uk(force="derbyshire", first="2024-10", last="2024-10", dest=junk)
    assert not (junk / "archives" / "police_uk" / "2024-10.zip").exists()


# --------------------------------------------------------------------------- ONS


def _lookup_rows(data_dir: Path, lad: str) -> list[dict[str, str]]:
    path = data_dir / "geography" / "lookups" / LOOKUP
    with path.open(encoding="utf-8-sig") as handle:
        return [r for r in csv.DictReader(handle) if r["LAD23CD"] == lad]


def arcgis(rows: list[dict[str, str]], field: str, page: int = 50) -> Any:
    """An ArcGIS FeatureServer query: ``where`` with = or IN, paged by resultOffset."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        q = {k: v[0] for k, v in parse_qs(urlparse(h.path).query).items()}
        where = q["where"]
        codes = (
            {c.strip("' ") for c in where.split("(", 1)[1].rstrip(")").split(",")}
            if (" IN (" in where)
            else {where.split("=", 1)[1].strip("'")}
        )
        key = field if " IN (" in where else where.split("=", 1)[0]
        matched = [r for r in rows if r[key] in codes]
        offset = int(q.get("resultOffset", 0))
        chunk = matched[offset : offset + page]
        more = offset + page < len(matched)
        if q["f"] == "geojson":
            doc: dict[str, Any] = {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": r, "geometry": None} for r in chunk],
                "properties": {"exceededTransferLimit": more},
            }
        else:
            doc = {"features": [{"attributes": r} for r in chunk], "exceededTransferLimit": more}
        body = json.dumps(doc).encode()
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return handle


@pytest.mark.django_db
def test_fetch_geography_pages_through_ons_and_records_checksums(
    server: Server, fetch_settings: Any, data_dir: Path, tmp_path: Path
) -> None:
    rows = _lookup_rows(data_dir, "E06000015")
    assert len(rows) == 152  # Derby's LSOAs
    base = "/arcgis/rest/services/"
    server.routes[base + "LSOA21_WD23_LAD23_EW_LU/FeatureServer/0/query"] = fail_first(
        1, 429, arcgis(rows, "LAD23CD"), **{"Retry-After": "0"}
    )
    server.routes[
        base
        + "Lower_layer_Super_Output_Areas_December_2021_Boundaries_EW_BGC_V5/FeatureServer/0/query"
    ] = arcgis(rows, "LSOA21CD")
    wards = list({r["WD23CD"]: r for r in rows}.values())
    server.routes[base + "Wards_December_2023_Boundaries_UK_BGC/FeatureServer/0/query"] = arcgis(
        wards, "WD23CD"
    )
    server.routes[base + "Local_Authority_Districts_May_2023_UK_BGC_V2/FeatureServer/0/query"] = (
        arcgis(rows[:1], "LAD23CD")
    )

    out = io.StringIO()
    call_command(
        "fetch_data", "geography", "--area", "e06000015", "--dest", str(tmp_path), stdout=out
    )
    lookup = tmp_path / "geography" / "lookups" / "lsoa21_ward23_lad23_E06000015.csv"
    with lookup.open(encoding="utf-8") as handle:
        fetched = list(csv.DictReader(handle))
    assert len(fetched) == 152
    assert {r["LSOA21CD"] for r in fetched} == {r["LSOA21CD"] for r in rows}
    lsoas = json.loads(
        (tmp_path / "geography" / "lsoa2021_boundaries" / "E06000015.geojson").read_text()
    )
    assert len(lsoas["features"]) == 152  # 2 IN-chunks of 100, paged by 50
    ward_doc = json.loads(
        (tmp_path / "geography" / "ward2023_boundaries" / "E06000015.geojson").read_text()
    )
    assert len(ward_doc["features"]) == 18  # Derby's 18 wards
    assert "4 files written" in out.getvalue() and "1 retries" in out.getvalue()
    assert set(Manifest.load(tmp_path).verify_all().values()) == {"ok"}


@pytest.mark.django_db
def test_fetch_geography_errors(server: Server, fetch_settings: Any, tmp_path: Path) -> None:
    server.routes["/arcgis/rest/services/LSOA21_WD23_LAD23_EW_LU/FeatureServer/0/query"] = arcgis(
        [], "LAD23CD"
    )
    with pytest.raises(FetchError, match="not an ONS area code"):
        fetch_geography(area="Derby", dest=tmp_path)
    with pytest.raises(FetchError, match="has no LSOAs in E06999999"):
        fetch_geography(area="E06999999", dest=tmp_path)


def test_fetcher_refuses_a_wrong_resume_offset(server: Server, tmp_path: Path) -> None:
    def wrong(h: BaseHTTPRequestHandler) -> None:
        h.send_response(206)
        h.send_header("Content-Range", "bytes 0-9/10")
        h.send_header("Content-Length", "10")
        h.end_headers()
        h.wfile.write(b"0123456789")

    server.routes["/f"] = wrong
    target = tmp_path / "f.bin"
    target.with_name("f.bin.part").write_bytes(b"01234")
    fetcher = Fetcher(tmp_path, retries=0, backoff=0)
    with pytest.raises(FetchError, match="resumed at the wrong place"):
        fetcher.download(server.url + "f", target)
