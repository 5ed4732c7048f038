"""The columnar path for police.uk street-level files: a piece of a file at a time, in arrays.

A well-formed file (every line has the header's number of fields, every row's month,
crime type and Crime ID acceptable) is parsed by pandas' C reader and checked, keyed and
placed column by column: work per distinct value (a few dozen crime types, a few
thousand LSOA codes and map points) instead of per row. A big file is cut at line ends
into pieces of about 8 MB, so memory does not grow with the file; what one piece must pass
to the next (how often each Crime ID was seen) is carried over. Rows that only earn a warning
(an unknown LSOA, coordinates that are not numbers or fall outside the UK) are handled
here too, with their line numbers.

Anything else, a short or long row, a blank line, a bad month, an unknown crime type, a
file that is not UTF-8, goes to the row-by-row reader (:mod:`saferhub.incidents.street`),
which names each refused row. Both readers write the same rows: the tests import the
real files through each and compare every column.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from django.db import transaction

from saferhub.core.periods import month_or_none
from saferhub.incidents import loading
from saferhub.incidents.placement import UK_BOUNDS, nullable_list, to_bng_arrays
from saferhub.incidents.police_uk import STREET_COLUMNS
from saferhub.incidents.reports import (
    COORDINATES_NOT_NUMBERS,
    COORDINATES_OUTSIDE_UK,
    UNKNOWN_LSOA,
    UNKNOWN_LSOA_PLACED,
    FileResult,
    Problem,
)

if TYPE_CHECKING:
    from saferhub.incidents.street import StreetFileReader

SOURCE = "police.uk"
# Rows are read a piece of about this many bytes at a time (about 35,000 police.uk rows).
PIECE_BYTES = 8 * 1024 * 1024


def fields_per_line(data: bytes) -> np.ndarray | None:
    """Commas + 1 on each line of a CSV (quoted commas and line breaks not counted).

    None when the file has a blank line (the row-by-row reader says what to do with it).
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    newline = buf == 10
    comma = buf == 44
    if b'"' in data:
        inside = (np.cumsum(buf == 34) & 1).astype(bool)
        newline &= ~inside
        comma &= ~inside
    ends = np.flatnonzero(newline)
    if len(buf) and buf[-1] != 10:
        ends = np.append(ends, len(buf))
    starts = np.concatenate(([0], ends[:-1] + 1))
    lengths = ends - starts
    # A line holding nothing (or only a carriage return) is blank.
    blank = (lengths == 0) | ((lengths == 1) & (buf[np.minimum(starts, len(buf) - 1)] == 13))
    if blank.any():
        return None
    line_of_comma = np.searchsorted(ends, np.flatnonzero(comma))
    return np.bincount(line_of_comma, minlength=len(ends)) + 1


def _stripped(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, distinct stripped values) of a text column: strip once per distinct value."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), sort=False)
    stripped = np.array([str(u).strip() for u in uniques], dtype=object)
    merged, distinct = pd.factorize(stripped, sort=False)  # " X" and "X" are one value
    return merged[codes], np.asarray(distinct, dtype=object)


class NotWellFormed(Exception):
    """A piece of the file needs the row-by-row reader: undo the pieces read before it."""


@dataclass
class Carried:
    """What one piece of a file passes to the next: the file's totals and problems, and how
    often each Crime ID and each ASB row has been seen so far (its occurrence key)."""

    result: FileResult
    problems: list[Problem] = field(default_factory=list)
    crime_seen: dict[str, int] = field(default_factory=dict)
    asb_seen: dict[str, int] = field(default_factory=dict)
    more: bool = False  # another piece follows: keep the counts up to date


def pieces(body: bytes) -> tuple[bytes, list[tuple[int, memoryview]]] | None:
    """(header line, [(first line number, rows)]): the rows cut at line ends into pieces
    of about ``PIECE_BYTES`` (views of ``body``, not copies). None when the file cannot be
    cut safely: it has quoted fields (a line end may be inside quotes) and is bigger than
    one piece."""
    end = body.find(b"\n")
    if end < 0:
        return None
    quoted = b'"' in body
    if quoted and len(body) - end > PIECE_BYTES:
        return None
    view = memoryview(body)
    out: list[tuple[int, memoryview]] = []
    line, start = 2, end + 1
    while start < len(body):
        cut = -1 if quoted else body.find(b"\n", start + PIECE_BYTES)
        stop = len(body) if cut < 0 else cut + 1
        out.append((line, view[start:stop]))
        line += body.count(b"\n", start, stop)
        start = stop
    return body[: end + 1], out


def read_columns(
    reader: StreetFileReader,
    name: str,
    data: bytes,
    batch_id: int,
    step: Callable[[int], None],
) -> tuple[FileResult, list[Problem]] | None:
    """Import a well-formed street-level file column by column, a piece at a time (memory
    stays bounded however big the file); None sends it row by row, with nothing of it
    written."""
    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    cut = pieces(body)
    if cut is None or not cut[1]:
        return None
    header_line, parts = cut
    try:
        header = [h.strip() for h in next(csv.reader([header_line.decode("utf-8")]), [])]
    except UnicodeDecodeError:
        return None
    if any(c not in header for c in STREET_COLUMNS):
        return None
    carried = Carried(FileResult(name, "police_uk_street", "loaded"))
    # A faulty piece is found before it writes anything; with several pieces, a savepoint
    # lets a faulty later piece undo the earlier ones. (Only then: on SQLite a savepoint
    # journals every page it changes, which costs a tenth of the import.)
    undo = transaction.atomic() if len(parts) > 1 else contextlib.nullcontext()
    try:
        with undo:
            for first_line, piece in parts:
                carried.more = piece is not parts[-1][1]
                read_piece(reader, header, piece, first_line, batch_id, carried)
                step(carried.result.rows_read)
    except NotWellFormed:
        return None
    carried.result.finish()
    carried.problems.sort(key=lambda p: p[1])
    return carried.result, carried.problems


def read_piece(
    reader: StreetFileReader,
    header: list[str],
    piece: memoryview,
    first_line: int,
    batch_id: int,
    carried: Carried,
) -> None:
    """Check, key, place and insert the rows of one piece; NotWellFormed if it needs the
    row-by-row reader."""
    raw = piece.tobytes()
    try:
        raw.decode("utf-8")  # line ends are never inside a character: a piece is whole text
    except UnicodeDecodeError:
        raise NotWellFormed from None
    fields = fields_per_line(raw)
    if fields is None or not (fields == len(header)).all():
        raise NotWellFormed
    frame = pd.read_csv(
        io.BytesIO(raw),
        header=None,
        names=header,
        dtype=object,
        keep_default_na=False,
        na_filter=False,
        engine="c",
        encoding="utf-8",
        skip_blank_lines=False,
    )
    if len(frame) != len(fields):
        raise NotWellFormed
    n = len(frame)
    name = carried.result.name

    month_codes, month_texts = pd.factorize(frame["Month"].to_numpy(dtype=object))
    months = [month_or_none(str(t)) for t in month_texts]
    if any(m is None for m in months):
        raise NotWellFormed
    type_codes, types = _stripped(frame["Crime type"])
    category_of = [reader.categories.get(t) for t in types]
    if any(c is None for c in category_of):
        raise NotWellFormed
    id_codes, ids = _stripped(frame["Crime ID"])
    if any(len(i) > 64 for i in ids):
        raise NotWellFormed

    result, problems = carried.result, carried.problems
    warned = len(problems)
    result.rows_read += n
    result.months |= {m for m in months if m is not None}
    line = np.arange(first_line, first_line + n)

    # Coordinates: numbers inside the UK, else a warning and no map point.
    lon_codes, lon_texts = _stripped(frame["Longitude"])
    lat_codes, lat_texts = _stripped(frame["Latitude"])
    lon_t, lat_t = lon_texts[lon_codes], lat_texts[lat_codes]
    lon_ok, lon_values = _floats(lon_texts)
    lat_ok, lat_values = _floats(lat_texts)
    lon, lat = lon_values[lon_codes], lat_values[lat_codes]
    given = (lon_t != "") | (lat_t != "")
    numeric = lon_ok[lon_codes] & lat_ok[lat_codes]
    inside = (
        (UK_BOUNDS[0] <= lon)
        & (lon <= UK_BOUNDS[2])
        & (UK_BOUNDS[1] <= lat)
        & (lat <= UK_BOUNDS[3])
    )
    for i in np.flatnonzero(given & ~numeric).tolist():
        problems.append(
            (
                name,
                int(line[i]),
                "Longitude/Latitude",
                f"{lon_t[i]},{lat_t[i]}",
                COORDINATES_NOT_NUMBERS,
                "warning",
            )
        )
    for i in np.flatnonzero(given & numeric & ~inside).tolist():
        problems.append(
            (
                name,
                int(line[i]),
                "Longitude/Latitude",
                f"{lon_t[i]},{lat_t[i]}",
                COORDINATES_OUTSIDE_UK,
                "warning",
            )
        )
    has_point = given & numeric & inside
    lon = np.where(has_point, lon, np.nan)
    lat = np.where(has_point, lat, np.nan)
    xs, ys = to_bng_arrays(lon, lat)

    loc_codes, locs = _stripped(frame["Location"])
    lsoa_codes, lsoas = _stripped(frame["LSOA code"])
    location = np.array([s[:200] for s in locs], dtype=object)[loc_codes]
    lsoa_given = lsoas[lsoa_codes]
    lsoas = np.array([s[:9] for s in lsoas], dtype=object)
    result.rows_no_location += int((~has_point & (lsoa_given == "")).sum())

    # Placement: once per distinct LSOA code; per row only for split 2011 codes.
    placed = [reader.placer.place_code(code) for code in lsoas]
    place_cols = [np.empty(len(lsoas), dtype=object) for _ in range(5)]
    for j, place in enumerate(placed):
        if place is not None:
            for k, value in enumerate(
                (place.lsoa, place.ward, place.lad, place.csp, place.placement)
            ):
                place_cols[k][j] = value
    rows_lsoa, rows_ward, rows_lad, rows_csp, rows_how = (col[lsoa_codes] for col in place_cols)
    split = [j for j, place in enumerate(placed) if place is None]
    if split:
        for i in np.flatnonzero(np.isin(lsoa_codes, split)).tolist():
            x = None if np.isnan(xs[i]) else float(xs[i])
            y = None if np.isnan(ys[i]) else float(ys[i])
            place = reader.placer.place_split(str(lsoas[lsoa_codes[i]]), x, y)
            rows_lsoa[i], rows_ward[i], rows_lad[i], rows_csp[i], rows_how[i] = (
                place.lsoa,
                place.ward,
                place.lad,
                place.csp,
                place.placement,
            )
    result.placements.update(Counter(rows_how.tolist()))
    unknown = np.flatnonzero(rows_how == "unknown")
    for i in unknown.tolist():
        problems.append(
            (name, int(line[i]), "LSOA code", lsoas[lsoa_codes[i]], UNKNOWN_LSOA, "warning")
        )
    for i in np.flatnonzero(rows_how == "point-unknown-code").tolist():
        problems.append(
            (name, int(line[i]), "LSOA code", lsoas[lsoa_codes[i]], UNKNOWN_LSOA_PLACED, "warning")
        )
    result.rows_warning += len(problems) - warned

    # Keys: the Crime ID (with its occurrence after the first); ASB rows, which have none,
    # a hash of what the row says and its occurrence in the file.
    crime_id = ids[id_codes]
    occurrence = _occurrence(id_codes, ids, carried.crime_seen, carried.more)
    key = crime_id.copy()
    again = np.flatnonzero((crime_id != "") & (occurrence > 0))
    for i in again.tolist():
        key[i] = f"{crime_id[i]}#{occurrence[i]}"
    asb = np.flatnonzero(crime_id == "")
    if len(asb):
        month_t = month_texts[month_codes[asb]]
        basis = [
            f"{m}|{x}|{y}|{loc}|{lsoa}|{t}"
            for m, x, y, loc, lsoa, t in zip(
                month_t,
                lon_t[asb],
                lat_t[asb],
                locs[loc_codes[asb]],
                lsoa_given[asb],
                types[type_codes[asb]],
            )
        ]
        basis_codes, distinct = pd.factorize(np.array(basis, dtype=object))
        seen = _occurrence(basis_codes, distinct, carried.asb_seen, carried.more)
        sha1 = hashlib.sha1
        key[asb] = [
            "asb:" + sha1(f"{b}|{k}".encode(), usedforsecurity=False).hexdigest()
            for b, k in zip(basis, seen.tolist())
        ]

    fw_codes, fws = _stripped(frame["Falls within"])
    rep_codes, reps = _stripped(frame["Reported by"])
    out_codes, outs = _stripped(frame["Last outcome category"])
    ctx_codes, ctxs = _stripped(frame["Context"])
    month_iso = np.array([m.isoformat() if m else "" for m in months], dtype=object)
    category = np.array(category_of, dtype=object)
    columns: dict[str, Any] = {
        "batch_id": [batch_id] * n,
        "source": [SOURCE] * n,
        "dedupe_key": key,
        "crime_id": crime_id,
        "month": month_iso[month_codes],
        "occurred_on": [None] * n,
        "category_id": category[type_codes],
        "reported_by": np.array([s[:100] for s in reps], dtype=object)[rep_codes],
        "falls_within": np.array([s[:100] for s in fws], dtype=object)[fw_codes],
        "force_code": np.array([reader.force_code(s) for s in fws], dtype=object)[fw_codes],
        "location": location,
        "lsoa_code_original": lsoas[lsoa_codes],
        "lsoa_code": rows_lsoa,
        "ward_code": rows_ward,
        "lad_code": rows_lad,
        "csp_code": rows_csp,
        "placement": rows_how,
        "longitude": nullable_list(lon),
        "latitude": nullable_list(lat),
        "bng_x": nullable_list(xs, whole=True),
        "bng_y": nullable_list(ys, whole=True),
        "outcome": np.array([s[:150] for s in outs], dtype=object)[out_codes],
        "context": ctxs[ctx_codes],
        "victim_ref": [""] * n,
        "location_ref": [""] * n,
    }
    result.rows_loaded += loading.incidents_insert_columns(columns)


def _occurrence(codes: np.ndarray, distinct: Any, seen: dict[str, int], more: bool) -> np.ndarray:
    """How many times each row's value was seen before it, in this file (earlier pieces
    counted through ``seen``, brought up to date when ``more`` pieces follow)."""
    within = pd.Series(codes).groupby(codes).cumcount().to_numpy()
    if not seen and not more:  # the file is one piece
        return within
    before = np.array([seen.get(value, 0) for value in distinct], dtype="int64")
    if more:
        counts = np.bincount(codes, minlength=len(before))
        for value, earlier, count in zip(distinct, before.tolist(), counts.tolist()):
            seen[value] = earlier + count
    return before[codes] + within


def _floats(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(parsed?, value) for each distinct text, parsed as Python's float() does."""
    ok = np.zeros(len(texts), dtype=bool)
    values = np.full(len(texts), np.nan)
    for j, text in enumerate(texts.tolist()):
        try:
            values[j] = float(text)
        except ValueError:
            continue
        ok[j] = True
    return ok, values
