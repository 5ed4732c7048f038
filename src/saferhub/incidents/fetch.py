"""Getting the public files: police.uk street-level crime and ONS geography.

Where the shared data folder is not beside the repository, ``saferhub fetch`` downloads
the same public files:

* ``police-uk``: police.uk's published archive (``<archive>/YYYY-MM.zip``, all forces,
  the 36 months up to that month). The archive for the last month asked for is
  downloaded (resumable), and only the chosen force's files for the months asked for are
  taken out of it, in the layout the importer reads
  (``police_uk/<force>/YYYY-MM/YYYY-MM-<force>-street.csv``).
* ``geography``: the ONS Open Geography (ArcGIS) API: the LSOA 2021 to ward to local
  authority lookup for one local authority, and the LSOA, ward and authority boundaries
  as GeoJSON.

Every download:

* is **resumable**: bytes go to ``<file>.part``; a retry or a new run asks only for the
  rest with an HTTP ``Range`` header;
* is **checksummed**: the SHA-256 of every file is recorded in ``MANIFEST.json`` in the
  destination folder, and a new run verifies files already there against it (a file
  that no longer matches is reported and downloaded again);
* **retries** connection failures, 5xx answers and 429 (rate limited, honouring
  ``Retry-After``) with exponential back-off;
* respects police.uk's documented **rate limit** (15 requests a second, bursts of 30)
  through a token bucket shared by all requests.

Base URLs and limits are settings (``SAFERHUB_POLICE_UK_ARCHIVE_URL``,
``SAFERHUB_POLICE_UK_API_URL``, ``SAFERHUB_ONS_ARCGIS_URL``, ...), so tests point them at
a local server.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from django.conf import settings

from saferhub.core.archives import ArchiveRefused, copy_member
from saferhub.core.periods import MONTH_PATTERN, PeriodError, is_month, month_range, shift_month

MANIFEST_NAME = "MANIFEST.json"
CHUNK = 1024 * 64
Progress = Callable[[str, int, int | None], None]  # (label, done bytes/items, total or None)


class FetchError(Exception):
    """A download failed in a way that retrying will not cure; the message says why."""


# --------------------------------------------------------------------------- rate limit


class TokenBucket:
    """A token bucket: ``rate`` requests a second on average, bursts of up to ``burst``.

    :meth:`take` blocks until a token is free. ``clock`` and ``sleep`` are injectable so
    the behaviour is testable without waiting.
    """

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("A token bucket needs a positive rate and a burst of at least 1.")
        self.rate = float(rate)
        self.burst = int(burst)
        self.tokens = float(burst)
        self._clock = clock
        self._sleep = sleep
        self._last = clock()
        self._lock = threading.Lock()

    def _refill(self) -> None:
        now = self._clock()
        self.tokens = min(self.burst, self.tokens + (now - self._last) * self.rate)
        self._last = now

    def take(self) -> float:
        """Take one token, waiting if none is free; returns the seconds waited."""
        with self._lock:
            self._refill()
            waited = 0.0
            if self.tokens < 1:
                waited = (1 - self.tokens) / self.rate
                self._sleep(waited)
                self._refill()
                self.tokens = max(self.tokens, 1.0)
            self.tokens -= 1
            return waited


# --------------------------------------------------------------------------- manifest


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Manifest:
    """``MANIFEST.json`` in a destination folder: path -> sha256, size, source URL, time."""

    root: Path
    files: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path) -> Manifest:
        path = root / MANIFEST_NAME
        if not path.exists():
            return cls(root)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, OSError) as exc:
            raise FetchError(f"{path} is not a readable manifest ({exc}).") from exc
        return cls(root, dict(data.get("files", {})))

    def save(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / (MANIFEST_NAME + ".tmp")
        tmp.write_text(
            json.dumps({"files": dict(sorted(self.files.items()))}, indent=2), encoding="utf-8"
        )
        tmp.replace(self.root / MANIFEST_NAME)

    def key(self, path: Path) -> str:
        return path.resolve().relative_to(self.root.resolve()).as_posix()

    def record(self, path: Path, *, url: str, sha256: str | None = None) -> str:
        digest = sha256 or sha256_of(path)
        self.files[self.key(path)] = {
            "sha256": digest,
            "size": path.stat().st_size,
            "url": url,
            "fetched_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        return digest

    def verify(self, path: Path) -> str:
        """'ok', 'missing' (no file), 'unrecorded' (file, no entry) or 'mismatch'."""
        if not path.exists():
            return "missing"
        entry = self.files.get(self.key(path))
        if not entry:
            return "unrecorded"
        return "ok" if sha256_of(path) == entry["sha256"] else "mismatch"

    def verify_all(self) -> dict[str, str]:
        return {name: self.verify(self.root / name) for name in sorted(self.files)}


# --------------------------------------------------------------------------- HTTP


@dataclass
class FetchReport:
    """What a fetch did, file by file, for the command line and tests."""

    downloaded: list[str] = field(default_factory=list)
    verified: list[str] = field(default_factory=list)
    redownloaded: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    requests: int = 0
    retries: int = 0

    def note(self, message: str) -> None:
        self.messages.append(message)


class Fetcher:
    """Rate-limited, retrying, resumable HTTP downloads into a manifest-checked folder."""

    def __init__(
        self,
        dest: Path,
        *,
        bucket: TokenBucket | None = None,
        retries: int | None = None,
        backoff: float | None = None,
        timeout: float | None = None,
        progress: Progress | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.dest = Path(dest)
        self.bucket = bucket or TokenBucket(
            getattr(settings, "FETCH_RATE_PER_SECOND", 15.0), getattr(settings, "FETCH_BURST", 30)
        )
        self.retries = retries if retries is not None else getattr(settings, "FETCH_RETRIES", 5)
        self.backoff = (
            backoff if backoff is not None else getattr(settings, "FETCH_BACKOFF_SECONDS", 1.0)
        )
        self.timeout = timeout or getattr(settings, "FETCH_TIMEOUT_SECONDS", 60.0)
        self.progress = progress or (lambda label, done, total: None)
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", "SaferHub data fetch")
        self._sleep = sleep
        self.manifest = Manifest.load(self.dest)
        self.report = FetchReport()

    # -- one request with retries --------------------------------------------------

    def _wait_before_retry(
        self, attempt: int, response: requests.Response | None, why: str
    ) -> None:
        if attempt >= self.retries:
            raise FetchError(f"{why}; gave up after {attempt + 1} attempts.")
        delay = self.backoff * (2**attempt)
        if response is not None and response.status_code == 429:
            retry_after = response.headers.get("Retry-After", "")
            if retry_after.strip().isdigit():
                delay = max(delay, float(retry_after))
        self.report.retries += 1
        self.report.note(f"{why}; trying again in {delay:g} s.")
        self._sleep(delay)

    def _get(self, url: str, *, params: dict[str, Any] | None = None, **kw: Any) -> Any:
        self.bucket.take()
        self.report.requests += 1
        return self.session.get(url, params=params, timeout=self.timeout, **kw)

    def get_json(self, url: str, params: dict[str, Any]) -> Any:
        """GET a JSON document, retrying as for downloads."""
        for attempt in range(self.retries + 1):
            response = None
            try:
                response = self._get(url, params=params)
            except requests.RequestException as exc:
                self._wait_before_retry(attempt, None, f"{url}: {exc.__class__.__name__}")
                continue
            if response.status_code == 429 or response.status_code >= 500:
                self._wait_before_retry(attempt, response, f"{url} answered {response.status_code}")
                continue
            if response.status_code != 200:
                raise FetchError(f"{url} answered {response.status_code}: {response.reason}.")
            try:
                data = response.json()
            except ValueError as exc:
                raise FetchError(f"{url} did not answer JSON ({exc}).") from exc
            if isinstance(data, dict) and "error" in data:
                error = data["error"]
                detail = error.get("message", error) if isinstance(error, dict) else error
                raise FetchError(f"{url} answered an error: {detail}")
            return data
        raise FetchError(f"{url}: no answer.")  # pragma: no cover - loop always returns/raises

    # -- resumable download ---------------------------------------------------------

    def download(self, url: str, target: Path, *, label: str = "") -> str:
        """Download ``url`` to ``target`` (resuming a ``.part``); returns its SHA-256.

        A file already there that matches the manifest is not downloaded again; one that
        does not match is reported and downloaded again from the start.
        """
        label = label or target.name
        state = self.manifest.verify(target)
        key = self.manifest.key(target) if target.exists() else str(target)
        if state == "ok":
            self.report.verified.append(key)
            return str(self.manifest.files[self.manifest.key(target)]["sha256"])
        if state in {"mismatch", "unrecorded"}:
            entry = self.manifest.files.get(self.manifest.key(target), {})
            self.report.note(
                f"{key}: checksum mismatch (expected {entry.get('sha256', '?')[:12]}…, "
                f"found {sha256_of(target)[:12]}…); downloading it again."
                if state == "mismatch"
                else f"{key}: not in the manifest; downloading it again to verify it."
            )
            target.unlink()
            self.report.redownloaded.append(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        for attempt in range(self.retries + 1):
            offset = part.stat().st_size if part.exists() else 0
            headers = {"Range": f"bytes={offset}-"} if offset else {}
            response = None
            try:
                response = self._get(url, headers=headers, stream=True)
                if response.status_code == 416 and offset:
                    # Nothing left to send: the .part is complete, or stale. Start again.
                    part.unlink()
                    self._wait_before_retry(attempt, response, f"{url}: range not satisfiable")
                    continue
                if response.status_code == 429 or response.status_code >= 500:
                    self._wait_before_retry(
                        attempt, response, f"{url} answered {response.status_code}"
                    )
                    continue
                if response.status_code == 404:
                    raise FetchError(f"{url} was not found (404): check the name and dates.")
                if response.status_code not in (200, 206):
                    raise FetchError(f"{url} answered {response.status_code}: {response.reason}.")
                total = self._expected_total(response, offset)
                mode = "ab" if response.status_code == 206 else "wb"
                done = offset if mode == "ab" else 0
                with part.open(mode) as handle:
                    for chunk in response.iter_content(CHUNK):
                        handle.write(chunk)
                        done += len(chunk)
                        self.progress(label, done, total)
                if total is not None and part.stat().st_size != total:
                    self._wait_before_retry(
                        attempt,
                        None,
                        f"{url}: got {part.stat().st_size} of {total} bytes",
                    )
                    continue
            except requests.RequestException as exc:
                self._wait_before_retry(
                    attempt, None, f"{url}: transfer broken ({exc.__class__.__name__})"
                )
                continue
            finally:
                if response is not None:
                    response.close()
            part.replace(target)
            digest = self.manifest.record(target, url=url)
            self.manifest.save()
            self.report.downloaded.append(self.manifest.key(target))
            return digest
        raise FetchError(f"{url}: no answer.")  # pragma: no cover

    @staticmethod
    def _expected_total(response: requests.Response, offset: int) -> int | None:
        if response.status_code == 206:
            content_range = response.headers.get("Content-Range", "")
            match = re.match(r"bytes (\d+)-(\d+)/(\d+|\*)", content_range)
            if not match or int(match.group(1)) != offset:
                raise FetchError(
                    f"{response.url}: the server resumed at the wrong place "
                    f"(asked for byte {offset}, got {content_range or 'no Content-Range'})."
                )
            return None if match.group(3) == "*" else int(match.group(3))
        length = response.headers.get("Content-Length")
        return int(length) if length and length.isdigit() else None

    def write(self, target: Path, content: bytes, *, url: str) -> str:
        """Write a file made from API answers, record and return its SHA-256."""
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(content)
        tmp.replace(target)
        digest = self.manifest.record(target, url=url)
        self.manifest.save()
        self.report.written.append(self.manifest.key(target))
        return digest


# --------------------------------------------------------------------------- months


ARCHIVE_MONTHS = 36  # each police.uk archive holds the 36 months up to its own month


def archives_for(months: list[str]) -> list[tuple[str, list[str]]]:
    """Which archives to fetch: the newest month's archive, then older ones as needed."""
    wanted = sorted(months)
    plan: list[tuple[str, list[str]]] = []
    while wanted:
        archive = wanted[-1]
        earliest = shift_month(archive, -(ARCHIVE_MONTHS - 1))
        covered = [m for m in wanted if m >= earliest]
        plan.append((archive, covered))
        wanted = [m for m in wanted if m < earliest]
    return plan


# --------------------------------------------------------------------------- police.uk

FORCE = re.compile(r"^[a-z0-9-]+$")
KINDS = ("street", "outcomes", "stop-and-search")


def fetch_police_uk(
    *,
    force: str,
    first: str,
    last: str,
    dest: Path,
    fetcher: Fetcher | None = None,
    keep_archive: bool = True,
) -> FetchReport:
    """Download police.uk archives and take out ``force``'s files for the months asked."""
    force = force.strip().lower()
    if not FORCE.match(force):
        raise FetchError(
            f"{force!r} is not a police.uk force name: use its slug (lower case, hyphens), e.g. 'west-midlands' or "
            "'metropolitan'."
        )
    try:
        months = month_range(first, last)
    except PeriodError as exc:
        if is_month(first) and is_month(last):
            raise FetchError(f"--from {first} is after --to {last}.") from exc
        raise FetchError(str(exc)) from exc
    fetcher = fetcher or Fetcher(dest)
    base = str(getattr(settings, "POLICE_UK_ARCHIVE_URL", "")).rstrip("/") + "/"
    for archive, covered in archives_for(months):
        url = f"{base}{archive}.zip"
        zip_path = fetcher.dest / "archives" / "police_uk" / f"{archive}.zip"
        fetcher.download(url, zip_path, label=f"police.uk archive {archive}")
        _extract_force(fetcher, zip_path, url=url, force=force, months=covered)
        if not keep_archive:
            zip_path.unlink()
            fetcher.manifest.files.pop(fetcher.manifest.key(zip_path), None)
            fetcher.manifest.save()
    return fetcher.report


def _extract_force(
    fetcher: Fetcher, zip_path: Path, *, url: str, force: str, months: list[str]
) -> None:
    try:
        archive = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile as exc:
        fetcher.manifest.files.pop(fetcher.manifest.key(zip_path), None)
        fetcher.manifest.save()
        zip_path.unlink()
        raise FetchError(
            f"{zip_path.name} from {url} is not a zip archive ({exc}); it has been removed, "
            "run the command again to download it afresh."
        ) from exc
    with archive:
        names = {Path(n).name: n for n in archive.namelist() if n.endswith(".csv")}
        forces = sorted(
            {
                m.group(1)
                for n in names
                if (m := re.match(rf"^{MONTH_PATTERN}-(.+)-street\.csv$", n)) is not None
            }
        )
        if force not in forces:
            shown = ", ".join(forces[:50]) or "none"
            raise FetchError(
                f"The police.uk archive {zip_path.stem} has no files for the force {force!r}. "
                f"Forces in it: {shown}."
            )
        missing = []
        for month in months:
            street = f"{month}-{force}-street.csv"
            if street not in names:
                missing.append(month)
                continue
            for kind in KINDS:
                member = names.get(f"{month}-{force}-{kind}.csv")
                if member is None:
                    continue
                target = fetcher.dest / "police_uk" / force / month / Path(member).name
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(target.name + ".part")
                try:
                    with tmp.open("wb") as out:
                        copy_member(
                            archive, archive.getinfo(member), out, archive_name=zip_path.name
                        )
                except ArchiveRefused as exc:
                    tmp.unlink(missing_ok=True)
                    raise FetchError(str(exc)) from exc
                except (zipfile.BadZipFile, OSError) as exc:  # CRC error: a damaged archive
                    raise FetchError(f"{member} in {zip_path.name} is damaged ({exc}).") from exc
                tmp.replace(target)
                fetcher.manifest.record(target, url=f"{url}#{member}")
                fetcher.report.written.append(fetcher.manifest.key(target))
            fetcher.manifest.save()
        if missing:
            raise FetchError(
                f"The police.uk archive {zip_path.stem} has no {force} files for "
                f"{', '.join(missing)} (an archive holds the {ARCHIVE_MONTHS} months up to its "
                "own month; police.uk publishes a month about six weeks after it ends)."
            )


# --------------------------------------------------------------------------- ONS


DEFAULT_ONS_SERVICES = {
    "lookup": "LSOA21_WD23_LAD23_EW_LU/FeatureServer/0",
    "lsoa": "Lower_layer_Super_Output_Areas_December_2021_Boundaries_EW_BGC_V5/FeatureServer/0",
    "ward": "Wards_December_2023_Boundaries_UK_BGC/FeatureServer/0",
    "lad": "Local_Authority_Districts_May_2023_UK_BGC_V2/FeatureServer/0",
}
AREA = re.compile(r"^[EWSN]\d{8}$")
LOOKUP_FIELDS = ["LSOA21CD", "LSOA21NM", "WD23CD", "WD23NM", "LAD23CD", "LAD23NM"]
PAGE = 2000
IN_CHUNK = 100


def _ons_url(service: str) -> str:
    base = str(getattr(settings, "ONS_ARCGIS_URL", "")).rstrip("/") + "/"
    services = {**DEFAULT_ONS_SERVICES, **getattr(settings, "ONS_ARCGIS_SERVICES", {})}
    return f"{base}{services[service]}/query"


def _paged(fetcher: Fetcher, url: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every feature of an ArcGIS query, page by page (``resultOffset``)."""
    offset = 0
    while True:
        data = fetcher.get_json(url, {**params, "resultOffset": offset, "resultRecordCount": PAGE})
        features = data.get("features", []) if isinstance(data, dict) else []
        yield from features
        more = data.get("exceededTransferLimit") or data.get("properties", {}).get(
            "exceededTransferLimit"
        )
        if not features or not more:
            return
        offset += len(features)


def _quoted(codes: list[str]) -> str:
    return ",".join(f"'{c}'" for c in codes)


def fetch_geography(*, area: str, dest: Path, fetcher: Fetcher | None = None) -> FetchReport:
    """Lookup and boundaries (LSOA 2021, wards 2023, the authority) of one local authority."""
    area = area.strip().upper()
    if not AREA.match(area):
        raise FetchError(
            f"{area!r} is not an ONS area code: give a local authority code such as "
            "E06000015 or E07000032."
        )
    fetcher = fetcher or Fetcher(dest)
    lookup_url = _ons_url("lookup")
    rows = [
        feature.get("attributes", {})
        for feature in _paged(
            fetcher,
            lookup_url,
            {
                "where": f"LAD23CD='{area}'",
                "outFields": ",".join(LOOKUP_FIELDS),
                "returnGeometry": "false",
                "f": "json",
            },
        )
    ]
    if not rows:
        raise FetchError(
            f"The ONS lookup has no LSOAs in {area}: check it is a current local authority "
            "code (E06, E07, E08 or W06)."
        )
    bad = [r for r in rows if not r.get("LSOA21CD") or not r.get("WD23CD")]
    if bad:
        raise FetchError(f"The ONS lookup answered {len(bad)} rows with no LSOA or ward code.")
    rows.sort(key=lambda r: r["LSOA21CD"])
    root = fetcher.dest / "geography"
    lines = [",".join(LOOKUP_FIELDS)]
    for row in rows:
        lines.append(",".join(_csv_cell(row.get(f)) for f in LOOKUP_FIELDS))
    fetcher.write(
        root / "lookups" / f"lsoa21_ward23_lad23_{area}.csv",
        ("\n".join(lines) + "\n").encode("utf-8"),
        url=lookup_url,
    )
    fetcher.progress(f"geography {area}", 1, 4)
    lsoas = [r["LSOA21CD"] for r in rows]
    wards = sorted({r["WD23CD"] for r in rows})
    for n, (service, field_name, codes, folder) in enumerate(
        [
            ("lsoa", "LSOA21CD", lsoas, "lsoa2021_boundaries"),
            ("ward", "WD23CD", wards, "ward2023_boundaries"),
            ("lad", "LAD23CD", [area], "lad2023_boundaries"),
        ],
        start=2,
    ):
        url = _ons_url(service)
        features: list[dict[str, Any]] = []
        for i in range(0, len(codes), IN_CHUNK):
            chunk = codes[i : i + IN_CHUNK]
            features.extend(
                _paged(
                    fetcher,
                    url,
                    {
                        "where": f"{field_name} IN ({_quoted(chunk)})",
                        "outFields": "*",
                        "outSR": "4326",
                        "f": "geojson",
                    },
                )
            )
        found = {str(f.get("properties", {}).get(field_name)) for f in features}
        missing = [c for c in codes if c not in found]
        if missing:
            fetcher.report.note(
                f"{folder}: {len(missing)} of {len(codes)} areas have no boundary in the ONS "
                f"service (first: {', '.join(missing[:5])})."
            )
        features.sort(key=lambda f: str(f.get("properties", {}).get(field_name)))
        collection = {"type": "FeatureCollection", "features": features}
        fetcher.write(
            root / folder / f"{area}.geojson",
            json.dumps(collection, separators=(",", ":")).encode("utf-8"),
            url=url,
        )
        fetcher.progress(f"geography {area}", n, 4)
    return fetcher.report


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if any(ch in text for ch in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text
