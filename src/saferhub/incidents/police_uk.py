"""Reading police.uk files: a CSV, a folder of them, or the bulk-download zip.

Files are recognised by their header line (street-level crime, outcomes, stop and search),
so a renamed file still imports; anything else is refused with the column that is wrong.
Members of a folder or zip that are not CSV files are skipped and listed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from saferhub.core.archives import ArchiveRefused, check_declared, read_member

STREET_COLUMNS = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
OUTCOME_COLUMNS = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Outcome type",
]
STOP_SEARCH_COLUMNS = [
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
]
KINDS = {
    "police_uk_street": STREET_COLUMNS,
    "police_uk_outcomes": OUTCOME_COLUMNS,
    "police_uk_stop_search": STOP_SEARCH_COLUMNS,
}
# The column that tells each kind apart.
SIGNATURE = {
    "Crime type": "police_uk_street",
    "Outcome type": "police_uk_outcomes",
    "Object of search": "police_uk_stop_search",
}


class ImportRefused(Exception):
    """The import as a whole is refused: nothing is written."""

    def __init__(self, message: str, report: object | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class SourceFile:
    """One CSV to import. Its bytes are read when needed and released after use, so an
    import of many files holds one file in memory at a time."""

    name: str
    size: int
    loader: Callable[[], bytes]
    _data: bytes | None = None
    _sha256: str = ""

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> SourceFile:
        return cls(name, len(data), lambda: data)

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._data = self.loader()
        return self._data

    @property
    def sha256(self) -> str:
        if not self._sha256:
            self._sha256 = hashlib.sha256(self.data).hexdigest()
        return self._sha256

    def release(self) -> None:
        self._data = None


def discover(paths: list[Path]) -> tuple[list[SourceFile], list[str]]:
    """The CSV files to import (in a stable order), and notes on what was skipped."""
    files: list[SourceFile] = []
    notes: list[str] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            members = sorted(p for p in path.rglob("*") if p.is_file())
            for member in members:
                rel = member.relative_to(path).as_posix()
                if member.suffix.lower() == ".zip":
                    files += _zip_members(member, notes)
                elif member.suffix.lower() == ".csv":
                    files.append(_file_source(f"{path.name}/{rel}", member))
                else:
                    notes.append(f"{path.name}/{rel}: skipped (not a CSV file).")
        elif path.is_file() and (path.suffix.lower() == ".zip" or _looks_like_zip(path)):
            files += _zip_members(path, notes)
        elif path.is_file():
            files.append(_file_source(path.name, path))
        else:
            raise ImportRefused(f"{path}: no such file or folder.")
    if not files:
        raise ImportRefused(
            "No CSV files found in " + ", ".join(str(p) for p in paths) + ". "
            "Give police.uk CSV files, a folder of them, or the police.uk zip."
        )
    return files, notes


def _file_source(name: str, path: Path) -> SourceFile:
    return SourceFile(name, path.stat().st_size, path.read_bytes)


def _looks_like_zip(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def _zip_members(path: Path, notes: list[str]) -> list[SourceFile]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ImportRefused(f"{path.name}: not a readable zip archive ({exc}).") from exc
    files = []
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir():
                continue
            name = info.filename
            base = name.rsplit("/", 1)[-1]
            if name.startswith("__MACOSX/") or base.startswith("."):
                notes.append(f"{path.name}:{name}: skipped (system file).")
                continue
            if not base.lower().endswith(".csv"):
                notes.append(f"{path.name}:{name}: skipped (not a CSV file).")
                continue
            try:
                check_declared(path.name, info)
            except ArchiveRefused as exc:
                raise ImportRefused(str(exc)) from exc
            files.append(SourceFile(f"{path.name}:{name}", info.file_size, _zip_loader(path, name)))
    return files


def _zip_loader(path: Path, member: str) -> Callable[[], bytes]:
    def load() -> bytes:
        try:
            with zipfile.ZipFile(path) as archive:
                return read_member(archive, archive.getinfo(member), archive_name=path.name)
        except ArchiveRefused as exc:
            raise ImportRefused(str(exc)) from exc
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ImportRefused(
                f"{path.name}:{member}: cannot be read from the zip ({exc})."
            ) from exc

    return load


def text_encoding(source: SourceFile) -> str:
    """The file's encoding: UTF-8 (with or without BOM) or UTF-16 with a BOM; else refused
    with the line and byte that is wrong. The whole file is checked before a row is read."""
    data = source.data
    if not data.strip():
        raise ImportRefused(f"{source.name}: the file is empty (no header line).")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportRefused(f"{source.name}: not valid UTF-16 text ({exc.reason}).") from exc
        return "utf-16"
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise ImportRefused(
            f"{source.name}: line {line} is not UTF-8 text (byte 0x{bad} at position "
            f"{exc.start}). police.uk files are UTF-8: save the file as UTF-8 (CSV UTF-8) "
            "and import it again."
        ) from exc
    return "utf-8-sig"


def open_table(source: SourceFile) -> tuple[str, list[str], Iterator[list[str]]]:
    """(kind, header, rows) of a police.uk CSV; refused when the header is not one we know.

    The text is decoded as it is read (not held whole: a file of 50 MB would take four
    times that as one Python string buffer)."""
    encoding = text_encoding(source)
    stream = io.TextIOWrapper(io.BytesIO(source.data), encoding=encoding, newline="")
    reader = csv.reader(stream)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise ImportRefused(f"{source.name}: line 1 is not a CSV header ({exc}).") from exc
    kind = next((SIGNATURE[h] for h in header if h in SIGNATURE), None)
    if kind is None:
        raise ImportRefused(
            f"{source.name}: line 1 is not a police.uk header: no 'Crime type', "
            f"'Outcome type' or 'Object of search' column (found: {', '.join(header[:12])})."
        )
    missing = [c for c in KINDS[kind] if c not in header]
    if missing:
        raise ImportRefused(
            f"{source.name}: line 1 lacks the column(s) {', '.join(repr(m) for m in missing)} "
            f"of a police.uk {kind.replace('police_uk_', '').replace('_', ' ')} file."
        )
    return kind, header, _rows(source.name, reader)


def _rows(name: str, reader: Iterator[list[str]]) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error as exc:
        raise ImportRefused(f"{name}: the CSV cannot be read ({exc}).") from exc
